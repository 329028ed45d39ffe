import json
import sys

import pytest
from typer.testing import CliRunner

from attunement.cli import app

runner = CliRunner()

SAM = {
    "csi4": {"1": 4, "2": 4, "3": 4, "4": 4},
    "ecr_rs": {"1": 6, "2": 5, "3": 6, "4": 5, "5": 2, "6": 3, "7": 1, "8": 2, "9": 1},
}


@pytest.fixture
def sam_file(tmp_path):
    path = tmp_path / "sam.json"
    path.write_text(json.dumps(SAM))
    return path


def test_score_json_prints_every_scale_of_every_instrument(sam_file):
    result = runner.invoke(app, ["score", str(sam_file), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "csi4": {"total": 16.0},
        # avoidance: (8-6, 8-5, 8-6, 8-5, 2, 3) / 6 = 15 / 6; anxiety: (1 + 2 + 1) / 3
        "ecr_rs": {"avoidance": 2.5, "anxiety": 1.3333},
    }


def test_score_prints_a_readable_summary_with_threshold_sources(sam_file):
    result = runner.invoke(app, ["score", str(sam_file)])
    assert result.exit_code == 0
    assert "Couples Satisfaction Index, 4-item form (csi4)" in result.stdout
    assert "16.00  (range 0–21)  no notable dissatisfaction [published threshold]" in result.stdout
    assert "Attachment avoidance" in result.stdout


def test_score_of_a_bad_file_exits_non_zero_with_one_line_and_prints_no_scores(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**SAM, "csi4": {"1": 4, "2": 4, "3": 4, "4": 40}}))
    result = runner.invoke(app, ["score", str(path), "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "error: csi4: item '4' (value 40): out of range 0–5\n"


@pytest.mark.parametrize(
    "args",
    [["score"], ["score", "a.json", "--instrument", "csi4"], ["score", "--instrument", "csi4"]],
)
def test_score_needs_either_a_file_or_a_batch_pair(args):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "give either an answer file, or both --instrument and --answers" in result.stderr


def test_instruments_lists_citations_and_licence_notes():
    result = runner.invoke(app, ["instruments"])
    assert result.exit_code == 0
    assert "csi4: Couples Satisfaction Index, 4-item form (4 items, core battery)" in result.stdout
    assert "Funk JL, Rogge RD" in result.stdout
    assert "connection: Attunement Connection Check (26 items, core battery, not validated)" in (
        result.stdout
    )
    assert "checkin: Weekly check-in (7 items, weekly check-in)" in result.stdout
    assert result.stdout.count("Licence (") == result.stdout.count("Citation: ")


def test_batch_scoring_with_an_unknown_instrument_fails_cleanly(tmp_path):
    data = tmp_path / "data.csv"
    data.write_text("1,2,3\n1,1,1\n")
    out = tmp_path / "out.csv"
    result = runner.invoke(
        app, ["score", "--instrument", "nope", "--answers", str(data), "--out", str(out)]
    )
    assert result.exit_code == 2
    assert "unknown instrument 'nope'" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["score", "--instrument", "csi4", "--answers", "data.csv"],
        ["psychometrics", "--instrument", "csi4", "--answers", "data.csv"],
    ],
)
def test_without_pandas_batch_scoring_asks_for_the_batch_extra(tmp_path, monkeypatch, args):
    (tmp_path / "data.csv").write_text("1,2,3,4\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "pandas", None)
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "pip install 'attunement[batch]'" in result.stderr


def test_coach_names_the_pattern_and_offers_a_reframe():
    result = runner.invoke(app, ["coach", "you never ask about my day"])
    assert result.exit_code == 0
    assert "criticism (protective)" in result.stdout
    assert "feedback wheel" in result.stdout


def test_coach_json_and_jsonl_give_labels_tone_patterns_and_reframe():
    single = json.loads(runner.invoke(app, ["coach", "--json", "thank you for dinner"]).stdout)
    assert (single["labels"], single["tone"], single["reframe"]) == (
        ["appreciation"],
        "connective",
        None,
    )
    lines = '{"text": "whatever"}\n{"text": "see you at six"}\n'
    result = runner.invoke(app, ["coach", "--jsonl"], input=lines)
    results = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["tone"] for r in results] == ["protective", "neutral"]


def test_coach_json_names_the_crisis_help_as_jsonl_does():
    single = json.loads(runner.invoke(app, ["coach", "--json", "i want to die"]).stdout)
    assert single["help"] == ["suicide_risk"]
    lines = runner.invoke(app, ["coach", "--jsonl"], input='{"text": "i want to die"}\n').stdout
    assert json.loads(lines) == single
    calm = json.loads(runner.invoke(app, ["coach", "--json", "see you at six"]).stdout)
    assert list(calm) == ["labels", "tone", "patterns", "reframe"]


def test_coach_jsonl_stops_at_a_bad_line_with_its_number():
    result = runner.invoke(app, ["coach", "--jsonl"], input='{"text": "hi"}\nnot json\n')
    assert result.exit_code == 2
    assert "line 2" in result.stderr


def test_score_marks_an_unvalidated_scale_in_a_validated_instrument(tmp_path):
    answers = tmp_path / "me.json"
    answers.write_text(
        '{"checkin": {"1": 4, "2": 4, "3": 4, "4": 4, "W1": 3, "W2": 3, "W3": 3}}',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["score", str(answers)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    total = next(line for line in lines if "Relationship satisfaction" in line)
    week = next(line for line in lines if "Feeling connected this week" in line)
    assert "not validated" not in total
    assert "[not validated: for reflection]" in week
