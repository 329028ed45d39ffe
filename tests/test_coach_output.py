"""The coach's outputs: readable lines for a terminal, and JSON Lines in and out."""

import io
import json

import pytest

from attunement.coach import CoachInputError, analyze, cli_lines, run_jsonl
from attunement.errors import AttunementError


def run(lines):
    out = io.StringIO()
    count = run_jsonl(io.StringIO("".join(lines)), out)
    return count, [json.loads(line) for line in out.getvalue().splitlines()]


def test_the_terminal_lines_name_each_pattern_with_its_words_and_why():
    text = "i miss you but you're always on your phone"

    lines = cli_lines(analyze(text))

    assert lines.startswith("Tone: mixed\n")
    assert "criticism (protective): \u201cyou're always\u201d at characters 15-28" in lines
    assert "vulnerability (connective): \u201ci miss\u201d at characters 0-6" in lines
    assert "Why it tends to backfire: " in lines
    assert "Why it helps: " in lines
    assert "feedback wheel" in lines
    assert "your phone" in lines


def test_the_terminal_lines_for_a_neutral_message_say_nothing_was_found():
    lines = cli_lines(analyze("can you grab milk on the way home"))

    assert lines.splitlines()[0] == "Tone: neutral"
    assert "No protective or connective pattern found" in lines
    assert "feedback wheel" not in lines


def test_the_terminal_lines_fit_a_terminal():
    lines = cli_lines(analyze("you never help with the dishes and honestly whatever, i'm done"))

    assert max(len(line) for line in lines.splitlines()) <= 80


def test_jsonl_round_trip_gives_one_analysis_per_message_in_order():
    texts = ["you never help with the dishes", "thank you for dinner", "pick up milk?"]

    count, results = run(json.dumps({"text": t}) + "\n" for t in texts)

    assert count == 3
    assert results == [analyze(t).to_dict() for t in texts]
    assert [r["tone"] for r in results] == ["protective", "connective", "neutral"]


def test_jsonl_keeps_unicode_and_skips_blank_lines():
    count, results = run(['{"text": "i miss you ❤️"}\n', "\n", "   \n", '{"text": "ok"}'])

    assert count == 2
    assert results[0]["labels"] == ["vulnerability"]


def test_jsonl_ignores_other_fields_of_the_input():
    _, [result] = run(['{"id": 7, "text": "whatever.", "sent": "2024-01-01"}\n'])

    assert result["labels"] == ["withdrawal"]


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("not json\n", "line 2: not valid JSON"),
        ('["you never help"]\n', 'line 2: expected a JSON object like {"text": "..."}'),
        ('{"message": "hi"}\n', 'line 2: "text" must be a string, not missing'),
        ('{"text": 42}\n', 'line 2: "text" must be a string, not a number'),
        ('{"text": null}\n', 'line 2: "text" must be a string, not null'),
    ],
)
def test_a_bad_line_stops_the_run_naming_its_line_after_the_good_ones(bad, reason):
    source = io.StringIO('{"text": "you never help"}\n' + bad + '{"text": "thank you"}\n')
    out = io.StringIO()

    with pytest.raises(CoachInputError) as caught:
        run_jsonl(source, out)

    assert str(caught.value).startswith(reason)
    assert caught.value.line == 2
    assert caught.value.written == 1
    assert isinstance(caught.value, AttunementError)
    [written] = out.getvalue().splitlines()
    assert json.loads(written)["labels"] == ["criticism"]


def test_line_numbers_count_blank_lines_too():
    with pytest.raises(CoachInputError) as caught:
        run(["\n", '{"text": "ok"}\n', "\n", "{oops\n"])

    assert caught.value.line == 4
    assert "1 result written" in str(caught.value)
