"""Batch scoring of a CSV: every row comes out, scored as single scoring would or with a reason."""

import csv
import io
import math
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from attunement.cli import app
from attunement.errors import AnswerError, AttunementError
from attunement.files import spreadsheet_safe
from attunement.instruments import batch, library, sheet
from attunement.instruments.loader import parse
from attunement.instruments.model import Instrument
from attunement.instruments.scoring import score

# Every rule in one small instrument: a reverse key, a prorated sum, a max scale, an
# optional scale, a required item, and a conditional item with a default when not asked.
TINY_TEXT = """\
id: tiny
title: Tiny questionnaire
citation: Written for the tests.
licence: {status: ours, note: Written for the tests.}
instructions: Answer each item.
response_scales:
  agree: {min: 1, max: 5}
  yes_no: {min: 0, max: 1}
items:
  - {id: a, text: A., scale: agree}
  - {id: b, text: B., scale: agree, reverse: true}
  - {id: c, text: C., scale: agree}
  - {id: gate, text: Gate., scale: yes_no, required: true}
  - {id: follow, text: Follow., scale: yes_no, required: true,
     ask_if: {any: [{item: gate, in: [1]}]}, if_not_asked: 0}
scales:
  - {id: total, items: [a, b, c], method: sum, min_answered: 2}
  - {id: mean, items: [a, b, c], method: mean, min_answered: 1}
  - {id: flag, items: [gate, follow], method: max}
  - {id: c_alone, items: [c], method: mean, optional: true}
missing_codes: [-9, 99]
"""
TINY = parse(TINY_TEXT, "tiny.yaml")


def write(folder: Path, text: str, name: str = "answers.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def output_of(result: batch.BatchResult) -> list[dict[str, str]]:
    stream = io.StringIO()
    result.write_csv(stream)
    return list(csv.DictReader(io.StringIO(stream.getvalue())))


def reference_message(instrument: Instrument, answers: dict[str, object]) -> str:
    with pytest.raises(AnswerError) as caught:
        score(instrument, answers)
    return str(caught.value)


def test_it_scores_every_row_like_single_scoring(tmp_path):
    path = write(tmp_path, "id,1,2,3\nann,1,2,3\nbo,3,3,3\n")

    result = batch.score_csv(library.get("ucla3"), path)

    assert result.rows == 2
    assert result.scored == 2
    assert result.errors == []
    assert result.scores["total"].tolist() == [6.0, 9.0]


def test_it_keeps_every_row_in_order_with_its_id_and_reason(tmp_path):
    path = write(tmp_path, "id,1,2,3\nann,1,2,3\nbo,1,x,3\ncy,2,2,2\n")

    rows = output_of(batch.score_csv(library.get("ucla3"), path))

    assert [row["id"] for row in rows] == ["ann", "bo", "cy"]
    assert [row["total"] for row in rows] == ["6.0", "", "6.0"]
    assert rows[0]["error"] == ""
    assert rows[1]["error"] == "ucla3: item '2' (value 'x'): wrong type: answers are whole numbers"


def test_it_lists_errors_with_row_numbers_counted_after_the_header(tmp_path):
    path = write(tmp_path, "id,1,2,3\nann,1,2,3\n,9,2,3\ncy,1,2,\n")

    errors = batch.score_csv(library.get("ucla3"), path).errors

    assert [(number, row_id) for number, row_id, _ in errors] == [(2, None), (3, "cy")]


def test_a_file_without_an_id_column_gives_no_id_column(tmp_path):
    path = write(tmp_path, "1,2,3\n1,2,3\n")

    result = batch.score_csv(library.get("ucla3"), path)

    assert result.ids is None
    assert list(output_of(result)[0]) == ["total", "error"]


def test_an_empty_id_cell_is_passed_through_as_empty(tmp_path):
    path = write(tmp_path, "id,1,2,3\n,1,2,3\n")

    result = batch.score_csv(library.get("ucla3"), path)

    assert result.ids == [None]
    assert output_of(result)[0]["id"] == ""


def test_columns_may_come_in_any_order(tmp_path):
    path = write(tmp_path, "3,id,1,2\n3,ann,1,2\n")

    assert batch.score_csv(library.get("ucla3"), path).scores["total"].tolist() == [6.0]


def test_an_absent_item_column_counts_as_unanswered(tmp_path):
    path = write(tmp_path, "a,c,gate\n2,4,0\n")

    result = batch.score_csv(TINY, path)

    assert result.scores["total"].tolist() == [9.0]  # (2 + 4) / 2, prorated over 3 items
    assert result.scores["flag"].tolist() == [0.0]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("x", "tiny: item 'a' (value 'x'): wrong type: answers are whole numbers"),
        ("2.5", "tiny: item 'a' (value 2.5): wrong type: answers are whole numbers"),
        ("NA", "tiny: item 'a' (value 'NA'): wrong type: answers are whole numbers"),
        ("True", "tiny: item 'a' (value 'True'): wrong type: answers are whole numbers"),
        ("false", "tiny: item 'a' (value 'false'): wrong type: answers are whole numbers"),
        ("6", "tiny: item 'a' (value 6): out of range 1–5"),
        ("0", "tiny: item 'a' (value 0): out of range 1–5"),
        ("-8", "tiny: item 'a' (value -8): out of range 1–5"),
        ("inf", "tiny: item 'a' (value inf): wrong type: answers are whole numbers"),
    ],
)
def test_a_bad_cell_gives_the_message_single_scoring_gives(tmp_path, cell, expected):
    path = write(tmp_path, f"a,b,c,gate\n{cell},2,3,0\n")

    result = batch.score_csv(TINY, path)

    assert result.errors == [(1, None, expected)]
    assert math.isnan(result.scores["total"][0])


@pytest.mark.parametrize(
    ("row", "answers"),
    [
        pytest.param("5,,,0,", {"a": 5, "gate": 0}, id="too few answered"),
        pytest.param("5,-9,,0,", {"a": 5, "gate": 0}, id="missing code counts as unanswered"),
        pytest.param("5,99,,0,", {"a": 5, "gate": 0}, id="second missing code"),
        pytest.param(
            "1,2,3,0,1",
            {"a": 1, "b": 2, "c": 3, "gate": 0, "follow": 1},
            id="conditional answered when not asked",
        ),
        pytest.param("1,2,3,1,", {"a": 1, "b": 2, "c": 3, "gate": 1}, id="asked but missing"),
        pytest.param("1,2,3,,", {"a": 1, "b": 2, "c": 3}, id="required item missing"),
        pytest.param("1,2,3,-9,", {"a": 1, "b": 2, "c": 3}, id="required item given a code"),
    ],
)
def test_a_bad_row_gives_the_message_single_scoring_gives(tmp_path, row, answers):
    path = write(tmp_path, f"a,b,c,gate,follow\n{row}\n")

    result = batch.score_csv(TINY, path)

    assert result.errors == [(1, None, reference_message(TINY, answers))]


def test_the_first_bad_cell_in_file_order_is_the_one_reported(tmp_path):
    path = write(tmp_path, "c,a,b,gate\n9,x,2,0\n")

    [(_, _, reason)] = batch.score_csv(TINY, path).errors

    assert reason == "tiny: item 'c' (value 9): out of range 1–5"


@pytest.mark.parametrize(
    ("cells", "total"),
    [
        ("3.0,2,3", 10.0),  # a whole number written as a float, as many tools export
        (" 3 ,2,3", 10.0),  # spaces around a number
        ('"3",2,3', 10.0),  # quoted
        ("+3,2,3", 10.0),
        ("3e0,2,3", 10.0),
        ("  ,2,3", 10.5),  # a blank cell is unanswered: (4 + 3) / 2 * 3
    ],
)
def test_numbers_are_read_the_way_spreadsheets_write_them(tmp_path, cells, total):
    path = write(tmp_path, f"a,b,c,gate\n{cells},0\n")

    assert batch.score_csv(TINY, path).scores["total"].tolist() == [total]


def test_reverse_keyed_items_are_flipped_before_scoring(tmp_path):
    path = write(tmp_path, "a,b,c,gate\n1,1,1,0\n")

    result = batch.score_csv(TINY, path)

    assert result.scores["total"].tolist() == [7.0]  # 1 + (6 - 1) + 1
    assert result.keyed[0, :3].tolist() == [1.0, 5.0, 1.0]


def test_an_unasked_item_enters_its_scale_with_its_default(tmp_path):
    path = write(tmp_path, "a,b,c,gate,follow\n1,1,1,0,\n1,1,1,1,1\n1,1,1,1,0\n")

    result = batch.score_csv(TINY, path)

    assert result.scores["flag"].tolist() == [0.0, 1.0, 1.0]
    assert result.keyed[0, 4] == 0.0


def test_an_optional_scale_with_too_few_answers_is_left_empty_not_an_error(tmp_path):
    path = write(tmp_path, "a,b,c,gate\n1,1,,0\n")

    result = batch.score_csv(TINY, path)

    assert result.errors == []
    assert math.isnan(result.scores["c_alone"][0])
    assert output_of(result)[0]["c_alone"] == ""
    assert "c_alone" not in score(TINY, {"a": 1, "b": 1, "gate": 0}).scales


def test_a_max_scale_takes_the_highest_keyed_value(tmp_path):
    path = write(tmp_path, "a,b,c,gate,follow\n1,1,,1,0\n")

    assert batch.score_csv(TINY, path).scores["flag"].tolist() == [1.0]


def test_text_far_down_the_file_is_still_found_and_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(sheet, "CHUNK_ROWS", 2)
    path = write(tmp_path, "a,b,c,gate\n" + "1,2,3,0\n" * 5 + "oops,2,3,0\n")

    result = batch.score_csv(TINY, path)

    assert result.scored == 5
    assert result.errors == [(6, None, reference_message(TINY, {"a": "oops", "b": 2, "c": 3}))]


def test_one_text_cell_does_not_change_the_scores_of_other_rows(tmp_path):
    rows = "".join(f"{1 + n % 5},{1 + n % 4},{1 + n % 3},{n % 2}\n" for n in range(50))
    clean = batch.score_csv(TINY, write(tmp_path, "a,b,c,gate\n" + rows, "clean.csv"))
    mixed = batch.score_csv(TINY, write(tmp_path, "a,b,c,gate\n" + rows + "x,,,\n", "mixed.csv"))

    for scale_id, values in clean.scores.items():
        assert np.array_equal(mixed.scores[scale_id][:50], values, equal_nan=True)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        ("", "is empty; expected a header row of item ids"),
        ("\n\n", "is empty; expected a header row of item ids"),
        (
            "id,1,2,3,age\n",
            "unknown column 'age': columns are ucla3 item ids (1, 2, 3) and an optional 'id'",
        ),
        ("1,2,2,3\n", "column '2' appears twice in the header row"),
        ("1,2,,3\n", "column 3 of the header row has no name"),
        (
            "name,age\nann,3\n",
            "does not look like a CSV of ucla3 answers: its header row names "
            "none of the items (1, 2, 3)",
        ),
        ('{"ucla3": {"1": 2}}\n', "does not look like a CSV of ucla3 answers"),
        (
            "1,2,3\n1,2,3\n1,2,3,3\n",
            "is not a valid CSV file: line 3 has 4 fields, but the header row has 3",
        ),
    ],
)
def test_a_file_that_is_not_a_csv_of_answers_is_one_clear_error(tmp_path, content, expected):
    path = tmp_path / "answers.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")

    with pytest.raises(AttunementError) as caught:
        batch.score_csv(library.get("ucla3"), path)

    assert str(caught.value) == f"{path}: {expected}" or expected in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_binary_file_is_one_clear_error(tmp_path):
    path = tmp_path / "answers.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")

    with pytest.raises(AttunementError, match="is not a CSV file"):
        batch.score_csv(library.get("ucla3"), path)


def test_a_directory_is_one_clear_error(tmp_path):
    with pytest.raises(AttunementError, match="is a directory"):
        batch.score_csv(library.get("ucla3"), tmp_path)


def test_a_byte_order_mark_does_not_hide_the_first_column(tmp_path):
    path = tmp_path / "answers.csv"
    path.write_bytes("id,1,2,3\nann,1,2,3\n".encode("utf-8-sig"))

    assert batch.score_csv(library.get("ucla3"), path).ids == ["ann"]


def test_a_header_only_file_scores_no_rows(tmp_path):
    result = batch.score_csv(library.get("ucla3"), write(tmp_path, "id,1,2,3\n"))

    assert (result.rows, result.scored) == (0, 0)
    assert result.summary() == "scored 0 of 0 rows"


@pytest.mark.parametrize(
    ("text", "summary"),
    [
        ("1,2,3\n1,2,3\n", "scored 1 of 1 row"),
        ("1,2,3\n1,2,3\n3,3,3\n", "scored 2 of 2 rows"),
        (
            "1,2,3\n1,2,3\n1,2,\n",
            "scored 1 of 2 rows; 1 could not be scored (see the error column)",
        ),
    ],
)
def test_the_summary_is_one_line_of_counts(tmp_path, text, summary):
    assert batch.score_csv(library.get("ucla3"), write(tmp_path, text)).summary() == summary


def test_it_writes_a_csv_file_that_reads_back_exactly(tmp_path):
    result = batch.score_csv(TINY, write(tmp_path, "id,a,b,c,gate\np1,1,2,,0\np2,x,1,1,0\n"))
    target = tmp_path / "scores.csv"

    result.write_csv(target)

    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert list(rows[0]) == ["id", "total", "mean", "flag", "c_alone", "error"]
    assert float(rows[0]["mean"]) == result.scores["mean"][0] == 2.5
    assert rows[1]["total"] == ""
    assert rows[1]["error"].startswith("tiny: item 'a' (value 'x')")


def test_writing_into_a_missing_folder_is_a_clear_error_and_writes_nothing(tmp_path):
    result = batch.score_csv(library.get("ucla3"), write(tmp_path, "1,2,3\n1,2,3\n"))

    with pytest.raises(AttunementError, match="cannot be written"):
        result.write_csv(tmp_path / "nowhere" / "scores.csv")

    assert not (tmp_path / "nowhere").exists()


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    result = batch.score_csv(library.get("ucla3"), write(tmp_path, "1,2,3\n1,2,3\n"))
    target = write(tmp_path, "old contents\n", "scores.csv")

    def broken(frame, stream, **options):
        stream.write("half a fi")
        raise OSError("disk full")

    monkeypatch.setattr(batch.pd.DataFrame, "to_csv", broken)
    with pytest.raises(OSError, match="disk full"):
        result.write_csv(target)

    assert target.read_text() == "old contents\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.csv", "scores.csv"]


def test_a_scale_named_like_an_output_column_does_not_overwrite_it(tmp_path):
    instrument = parse(TINY_TEXT.replace("{id: flag,", "{id: error,"), "tiny.yaml")
    result = batch.score_csv(instrument, write(tmp_path, "a,b,c,gate\n1,1,1,0\n1,x,1,0\n"))

    stream = io.StringIO()
    result.write_csv(stream)

    header, first, second = list(csv.reader(io.StringIO(stream.getvalue())))
    assert header == ["total", "mean", "error", "c_alone", "error"]
    assert first == ["7.0", "2.3333333333333335", "0.0", "1.0", ""]
    assert second[:4] == ["", "", "", ""] and second[4].startswith("tiny: item 'b'")


def test_the_score_command_writes_scores_and_a_summary(tmp_path):
    answers = write(tmp_path, "id,1,2,3\nann,1,2,3\nbo,1,2,5\n")
    out = tmp_path / "scores.csv"

    done = CliRunner().invoke(
        app, ["score", "--instrument", "ucla3", "--answers", str(answers), "--out", str(out)]
    )

    assert done.exit_code == 0
    assert "scored 1 of 2 rows; 1 could not be scored" in done.output
    assert out.read_text().splitlines()[1] == "ann,6.0,"


def test_the_score_command_reports_an_unknown_column_as_one_error(tmp_path):
    answers = write(tmp_path, "id,1,2,3,mood\n")

    done = CliRunner().invoke(app, ["score", "--instrument", "ucla3", "--answers", str(answers)])

    assert done.exit_code == 2
    assert "unknown column 'mood'" in done.output


# Batch and single scoring agree on any row, valid or not.

INSTRUMENTS = [*library.library().values(), TINY]


@st.composite
def rows_of(draw, instrument: Instrument):
    """A row as (CSV cell per item, the answer single scoring would receive, or absent)."""
    answers: dict[str, int] = {}
    for item in instrument.items:
        if item.ask_if is None or item.ask_if.holds(answers):
            answers[item.id] = draw(st.integers(item.scale.min, item.scale.max))
    cells: dict[str, tuple[str, object]] = {}
    codes = sorted(instrument.missing_codes)
    for item in instrument.items:
        value = answers.get(item.id)
        cell = (str(value), value) if value is not None else ("", None)
        if draw(st.integers(0, 9)) == 0:  # now and then, something else in this cell
            cell = draw(
                st.sampled_from(
                    [
                        ("", None),
                        ("x", "x"),
                        ("2.5", 2.5),
                        (str(item.scale.max + 1), item.scale.max + 1),
                        (str(item.scale.min - 1), item.scale.min - 1),
                        (f"{item.scale.max}.0", item.scale.max),
                        *[(str(code), None) for code in codes],
                    ]
                )
            )
        cells[item.id] = cell
    return cells


@pytest.mark.parametrize("instrument", INSTRUMENTS, ids=lambda i: i.id)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_batch_scores_and_reasons_equal_single_scoring_on_any_rows(instrument, data):
    rows = data.draw(st.lists(rows_of(instrument), min_size=1, max_size=8))
    present = list(instrument.item_ids)
    if data.draw(st.booleans(), label="leave out some columns"):
        kept = data.draw(st.sets(st.sampled_from(present), min_size=1))
        present = [i for i in present if i in kept]
    present = data.draw(st.permutations(present), label="column order")
    lines = [",".join(present)] + [",".join(row[i][0] for i in present) for row in rows]

    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), "\n".join(lines) + "\n")
        result = batch.score_csv(instrument, path)
        checked = batch.check_sheet(sheet.read_sheet(instrument, path))

    for number, row in enumerate(rows):
        answers = {i: row[i][1] for i in present}
        try:
            expected = score(instrument, answers).values()
        except AnswerError as error:
            assert result.reasons[number] == str(error)
            assert checked.bad[number]
            assert all(math.isnan(values[number]) for values in result.scores.values())
        else:
            assert result.reasons[number] == ""
            assert not checked.bad[number]
            for scale_id, values in result.scores.items():
                if scale_id in expected:
                    assert abs(values[number] - expected[scale_id]) <= 1e-9
                else:  # an optional scale left out
                    assert math.isnan(values[number])


def test_a_large_file_scores_every_row_exactly(tmp_path):
    rng = np.random.default_rng(7)
    answers = rng.integers(1, 4, size=(100_000, 3)).astype(str)
    path = tmp_path / "big.csv"
    path.write_text("1,2,3\n" + "\n".join(",".join(row) for row in answers) + "\n")

    result = batch.score_csv(library.get("ucla3"), path)

    assert result.scored == 100_000
    assert result.scores["total"].tolist() == answers.astype(int).sum(axis=1).tolist()


HOSTILE_IDS = ["=1+2", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://e.invalid")']


@pytest.mark.parametrize("hostile", HOSTILE_IDS)
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text(tmp_path, hostile):
    answers = tmp_path / "answers.csv"
    with answers.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([["id", "1", "2", "3"], [hostile, "1", "2", "3"]])
    out = tmp_path / "scores.csv"

    done = CliRunner().invoke(
        app, ["score", "--instrument", "ucla3", "--answers", str(answers), "--out", str(out)]
    )

    assert done.exit_code == 0
    rows = list(csv.reader(out.open(encoding="utf-8", newline="")))
    assert rows[1] == ["'" + hostile, "6.0", ""]


def test_ordinary_ids_and_negative_scores_are_left_as_they_are(tmp_path):
    result = batch.score_csv(TINY, write(tmp_path, "id,a,b,c,gate\nann-1,1,2,,0\n"))
    result.scores["total"][0] = -2.0  # a score is a number, not a formula

    rows = output_of(result)

    assert rows[0]["id"] == "ann-1"
    assert rows[0]["total"] == "-2.0"


def test_a_reason_and_a_header_are_neutralised_too(tmp_path):
    result = batch.score_csv(TINY, write(tmp_path, "id,a,b,c,gate\np,x,1,1,0\n"))
    result.reasons[0] = "=cmd|' /C calc'!A0"
    result.scores["-x"] = result.scores.pop("flag")

    stream = io.StringIO()
    result.write_csv(stream)

    header, row = list(csv.reader(io.StringIO(stream.getvalue())))
    assert "'-x" in header
    assert row[-1] == "'=cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("cell", "safe"),
    [("=1", "'=1"), ("a=1", "a=1"), ("", ""), (None, None), ("'=1", "'=1"), ("\r", "'\r")],
)
def test_spreadsheet_safe(cell, safe):
    assert spreadsheet_safe(cell) == safe
