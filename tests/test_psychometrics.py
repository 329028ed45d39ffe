"""Scale statistics of a CSV: n, mean, SD, Cronbach's alpha and corrected item-total r."""

import json
import math
import statistics
import warnings

import pytest
from typer.testing import CliRunner

from attunement.cli import app
from attunement.instruments import batch, library, psychometrics
from attunement.instruments.loader import parse

PAIR = parse(
    """\
id: pair
title: Two items
citation: Written for the tests.
licence: {status: ours, note: Written for the tests.}
instructions: Answer each item.
response_scales:
  agree: {min: 1, max: 5}
items:
  - {id: x, text: X.}
  - {id: y, text: Y.}
  - {id: z, text: Z., reverse: true}
scales:
  - {id: both, items: [x, y], method: sum}
  - {id: alone, items: [z], method: mean}
""",
    "pair.yaml",
)

# Six people answering the UCLA-3; the expected values below are worked out from these.
UCLA_ROWS = [(1, 1, 2), (2, 1, 2), (2, 3, 3), (3, 2, 3), (1, 2, 1), (3, 3, 2)]


def write_rows(folder, header, rows):
    path = folder / "answers.csv"
    lines = [",".join(header)] + [",".join("" if v is None else str(v) for v in r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def expected_alpha(columns):
    k = len(columns)
    totals = [sum(row) for row in zip(*columns, strict=True)]
    item_variance = sum(statistics.variance(column) for column in columns)
    return k / (k - 1) * (1 - item_variance / statistics.variance(totals))


def expected_item_total(columns, j):
    rests = [sum(row) - row[j] for row in zip(*columns, strict=True)]
    return statistics.correlation(columns[j], rests)


def test_it_matches_statistics_computed_by_hand_loops(tmp_path):
    path = write_rows(tmp_path, ["1", "2", "3"], UCLA_ROWS)
    columns = [list(column) for column in zip(*UCLA_ROWS, strict=True)]
    totals = [sum(row) for row in UCLA_ROWS]

    stats = psychometrics.analyse_csv(library.get("ucla3"), path).to_dict()["total"]

    assert stats["n"] == 6
    assert stats["mean"] == pytest.approx(statistics.mean(totals), abs=1e-12)
    assert stats["sd"] == pytest.approx(statistics.stdev(totals), abs=1e-12)
    assert stats["alpha"] == pytest.approx(expected_alpha(columns), abs=1e-12)
    for j, item_id in enumerate(["1", "2", "3"]):
        assert stats["item_total"][item_id] == pytest.approx(
            expected_item_total(columns, j), abs=1e-12
        )


def test_a_two_item_case_worked_by_hand(tmp_path):
    # x = 1..5, y = 2,1,4,3,5: each variance 2.5, covariance 2, total variance 9,
    # so alpha = 2 * (1 - 5 / 9) = 8/9, and each item-total r is corr(x, y) = 0.8.
    rows = [(1, 2, 3), (2, 1, 3), (3, 4, 3), (4, 3, 3), (5, 5, 3)]
    path = write_rows(tmp_path, ["x", "y", "z"], rows)

    stats = psychometrics.analyse_csv(PAIR, path).to_dict()["both"]

    assert stats["alpha"] == pytest.approx(8 / 9, abs=1e-12)
    assert stats["item_total"] == pytest.approx({"x": 0.8, "y": 0.8}, abs=1e-12)
    assert stats["mean"] == 6.0
    assert stats["sd"] == 3.0


def test_identical_items_have_an_alpha_of_one(tmp_path):
    rows = [(v, v, v) for v in (1, 2, 3, 3, 1)]
    path = write_rows(tmp_path, ["1", "2", "3"], rows)

    stats = psychometrics.analyse_csv(library.get("ucla3"), path).to_dict()["total"]

    assert stats["alpha"] == pytest.approx(1.0, abs=1e-12)
    assert all(r == pytest.approx(1.0, abs=1e-12) for r in stats["item_total"].values())


def test_uncorrelated_items_have_an_alpha_of_zero(tmp_path):
    rows = [(1, 1, 3), (1, 5, 3), (5, 1, 3), (5, 5, 3)]
    path = write_rows(tmp_path, ["x", "y", "z"], rows)

    stats = psychometrics.analyse_csv(PAIR, path).to_dict()["both"]

    assert stats["alpha"] == pytest.approx(0.0, abs=1e-12)
    assert stats["item_total"] == pytest.approx({"x": 0.0, "y": 0.0}, abs=1e-12)


def test_reverse_keys_are_applied_before_alpha(tmp_path):
    # Items 1-4 are reverse-keyed: a consistent person answers them low and 5-6 high.
    rows = [(1, 1, 2, 1, 7, 6, 4, 4, 4), (7, 6, 7, 7, 1, 2, 4, 4, 4), (4, 4, 3, 4, 4, 5, 3, 2, 4)]
    path = write_rows(tmp_path, [str(i) for i in range(1, 10)], rows)

    stats = psychometrics.analyse_csv(library.get("ecr_rs"), path).to_dict()["avoidance"]

    assert stats["alpha"] > 0.9
    assert all(r > 0.8 for r in stats["item_total"].values())


def test_n_counts_only_rows_that_answer_every_item_of_the_scale(tmp_path):
    rows = [
        (1, 1, 2, 1, 7, 6, 4, 4, 4),
        (7, 6, 7, 7, 1, 2, 4, 3, 4),
        (4, None, 3, 4, 4, 5, 3, 2, 4),  # scored (5 of 6 is enough) but not complete
        (4, 4, 3, 4, 4, 5, 3, 2, 4),
    ]
    path = write_rows(tmp_path, [str(i) for i in range(1, 10)], rows)
    result = batch.score_csv(library.get("ecr_rs"), path)

    report = psychometrics.analyse_csv(library.get("ecr_rs"), path)

    assert result.scored == 4
    assert report.to_dict()["avoidance"]["n"] == 3
    assert report.to_dict()["anxiety"]["n"] == 4
    complete = [result.scores["avoidance"][i] for i in (0, 1, 3)]
    assert report.to_dict()["avoidance"]["mean"] == pytest.approx(statistics.mean(complete))


def test_rows_that_cannot_be_scored_are_left_out_and_counted(tmp_path):
    path = write_rows(tmp_path, ["1", "2", "3"], [*UCLA_ROWS, ("x", 1, 1), (9, 1, 1), (1, 1, None)])

    report = psychometrics.analyse_csv(library.get("ucla3"), path)

    assert (report.rows, report.excluded) == (9, 3)
    assert report.to_dict()["total"]["n"] == 6
    assert "6 of 9 rows scored; 3 left out" in report.to_text()


def test_a_single_item_scale_has_no_alpha_or_item_total(tmp_path):
    path = write_rows(tmp_path, ["x", "y", "z"], [(1, 2, 1), (2, 2, 4), (3, 1, 5)])

    stats = psychometrics.analyse_csv(PAIR, path).to_dict()["alone"]

    assert stats["alpha"] is None
    assert stats["item_total"] == {"z": None}
    assert stats["mean"] == pytest.approx(statistics.mean([5, 2, 1]))  # reverse-keyed
    assert stats["n"] == 3


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param([(2, 2, 2)] * 4, id="everyone answers the same"),
        pytest.param([(1, 3, 2), (2, 3, 2), (3, 3, 2)], id="one item never varies"),
        pytest.param([(1, 3, 1), (2, 2, 1), (3, 1, 1)], id="the total never varies"),
    ],
)
def test_zero_variance_gives_none_without_warnings(tmp_path, capsys, rows):
    path = write_rows(tmp_path, ["1", "2", "3"], rows)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = psychometrics.analyse_csv(library.get("ucla3"), path)
        text = report.to_text()

    stats = report.to_dict()["total"]
    assert None in [stats["alpha"], *stats["item_total"].values()]
    assert all(value is None or math.isfinite(value) for value in stats["item_total"].values())
    assert "n/a" in text
    assert capsys.readouterr() == ("", "")


def test_a_constant_item_has_no_item_total_but_the_others_do(tmp_path):
    path = write_rows(tmp_path, ["1", "2", "3"], [(1, 3, 1), (2, 3, 3), (3, 3, 2), (1, 3, 1)])

    item_total = psychometrics.analyse_csv(library.get("ucla3"), path).to_dict()["total"][
        "item_total"
    ]

    assert item_total["2"] is None
    assert item_total["1"] is not None and item_total["3"] is not None


@pytest.mark.parametrize(
    ("rows", "n", "mean", "sd"),
    [
        pytest.param([], 0, None, None, id="no rows"),
        pytest.param([(1, 2, 3)], 1, 6.0, None, id="one row"),
        pytest.param([(1, 2, 3), (3, 3, 3)], 2, 7.5, math.sqrt(4.5), id="two rows"),
    ],
)
def test_too_few_rows_give_none_rather_than_nan(tmp_path, rows, n, mean, sd):
    path = write_rows(tmp_path, ["1", "2", "3"], rows)

    stats = psychometrics.analyse_csv(library.get("ucla3"), path).to_dict()["total"]

    assert (stats["n"], stats["mean"]) == (n, mean)
    assert stats["sd"] == pytest.approx(sd)
    if n < 2:
        assert stats["alpha"] is None
        assert set(stats["item_total"].values()) == {None}


def test_the_report_is_plain_json(tmp_path):
    path = write_rows(tmp_path, ["x", "y", "z"], [(1, 1, 1), (1, 1, 1)])

    data = psychometrics.analyse_csv(PAIR, path).to_dict()

    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert list(data) == ["both", "alone"]
    assert set(data["both"]) == {"n", "mean", "sd", "alpha", "item_total"}


def test_the_text_report_is_an_aligned_table(tmp_path):
    path = write_rows(tmp_path, ["1", "2", "3"], UCLA_ROWS)

    lines = psychometrics.analyse_csv(library.get("ucla3"), path).to_text().splitlines()

    header = next(line for line in lines if line.startswith("scale  "))
    row = lines[lines.index(header) + 1]
    assert header.split() == ["scale", "n", "mean", "sd", "alpha"]
    assert len(row) == len(header)
    assert row.split()[:2] == ["total", "6"]
    assert any(line.split()[:2] == ["total", "1"] for line in lines[lines.index(header) + 2 :])


def test_analysing_a_batch_result_gives_the_same_report(tmp_path):
    path = write_rows(tmp_path, ["1", "2", "3"], [*UCLA_ROWS, ("x", 1, 1)])
    instrument = library.get("ucla3")

    from_result = psychometrics.analyse(batch.score_csv(instrument, path))

    assert from_result.to_dict() == psychometrics.analyse_csv(instrument, path).to_dict()
    assert from_result.excluded == 1


def test_the_psychometrics_command_prints_json(tmp_path):
    path = write_rows(tmp_path, ["1", "2", "3"], UCLA_ROWS)

    done = CliRunner().invoke(
        app, ["psychometrics", "--instrument", "ucla3", "--answers", str(path), "--json"]
    )

    assert done.exit_code == 0
    assert json.loads(done.output)["total"]["n"] == 6
