"""The coach's outputs: readable lines for a terminal, and JSON Lines in and out."""

import io
import json

import pytest

from attunement import safety
from attunement.coach import CoachInputError, analyze, cli_lines, mostly_unfamiliar, run_jsonl
from attunement.errors import AttunementError
from crisis_samples import FAINT


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


@pytest.mark.model
def test_a_long_flagged_sentence_is_wrapped_in_the_terminal_and_kept_whole():
    text = (
        "Honestly I am so sick and tired of talking to the side of your head every "
        "single night while you scroll through your phone like I am not even here"
    )

    lines = cli_lines(analyze(text))
    quoted = lines.split("\u201c", 1)[1].split("\u201d", 1)[0]

    assert max(len(line) for line in lines.splitlines()) <= 80
    assert " ".join(quoted.split()) in text  # the marked words, wrapped but all there
    assert len(quoted) > 60


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


# Crisis words: help for the writer, after the coaching.


def test_the_terminal_lines_end_with_crisis_lines_when_the_writer_may_think_of_suicide():
    text = "you never listen and honestly i want to die"

    lines = cli_lines(analyze(text))

    coaching, _, help_block = lines.partition("\n\nAre you safe?\n")
    assert coaching.startswith("Tone: ")
    assert "criticism (protective)" in coaching
    assert help_block
    flat = " ".join(help_block.split())
    assert "thinking about ending your life" in flat
    assert "988" in flat and "116 123" in flat
    assert "In an emergency" in flat
    assert "Domestic abuse helplines" not in flat
    assert max(len(line) for line in lines.splitlines()) <= 80


def test_the_terminal_lines_show_domestic_abuse_help_when_a_partner_hurts_the_writer():
    lines = cli_lines(analyze("i'm scared of him, he hit me again last night"))

    flat = " ".join(lines.split())
    assert "someone may be hurting you" in flat
    assert "1-800-799-7233" in flat and "0808 2000 247" in flat
    assert "988" not in flat
    assert flat.endswith("please forgive the interruption.")


def test_the_terminal_lines_use_the_resource_file_wording_for_the_services():
    resources = safety.current()

    lines = cli_lines(analyze("he hit me"))

    for entry in resources.groups["partner_violence"].entries:
        assert entry.name in lines


@pytest.mark.parametrize(
    "text",
    ["can you grab milk on the way home", "this traffic is killing me", "you hit the nail"],
)
def test_the_terminal_lines_show_no_crisis_help_without_crisis_words(text):
    assert "Are you safe?" not in cli_lines(analyze(text))


def test_jsonl_adds_help_only_for_texts_with_crisis_words_and_keeps_the_other_keys():
    texts = [
        "you never help with the dishes",
        "i cant go on anymore",
        "he hit me and i want to die",
        "thank you for dinner",
    ]

    _, results = run(json.dumps({"text": t}) + "\n" for t in texts)

    assert [r.get("help") for r in results] == [
        None,
        ["suicide_risk"],
        ["suicide_risk", "partner_violence"],
        None,
    ]
    assert ["help" in r for r in results] == [False, True, True, False]
    for text, result in zip(texts, results, strict=True):
        without_help = {k: v for k, v in result.items() if k != "help"}
        assert without_help == analyze(text).to_dict()
        assert list(without_help) == ["labels", "tone", "patterns", "reframe"]


# A faint signal (FAINT: the model alone, not far past its threshold): a quieter note.
@pytest.mark.model
def test_a_faint_signal_gets_the_quiet_note_in_the_terminal_not_the_alarm():
    lines = cli_lines(analyze(FAINT))
    assert "Are you safe?" not in lines
    assert "In case it helps" in lines
    assert "wanting to die or hurting yourself" in " ".join(lines.split())
    assert max(len(line) for line in lines.splitlines()) <= 80


@pytest.mark.model
def test_jsonl_names_the_concerns_a_quiet_pointer_will_do_for():
    texts = [FAINT, "i want to die", "thank you for dinner"]
    _, results = run(json.dumps({"text": t}) + "\n" for t in texts)
    assert results[0]["help"] == results[0]["help_quiet"] == ["suicide_risk"]
    assert "suicide_risk" in results[1]["help"]  # a phrase: the full help for it
    assert "suicide_risk" not in results[1].get("help_quiet", [])
    assert "help" not in results[2] and "help_quiet" not in results[2]
    assert list(results[0]) == ["labels", "tone", "patterns", "reframe", "help", "help_quiet"]


@pytest.mark.model
def test_the_terminal_says_when_a_message_is_mostly_in_words_the_coach_has_not_learned():
    spanish = cli_lines(analyze("Amor, ya compré las tortillas y el queso, llego a las siete"))
    assert "most of this is in words the coach has not learned" in " ".join(spanish.split())
    english = cli_lines(analyze("can you grab milk on the way home?"))
    assert "No protective or connective pattern found" in english
    assert "not learned" not in english


@pytest.mark.model
def test_json_says_when_nothing_was_found_in_a_text_the_coach_cannot_read():
    texts = [
        "Amor, ya compré las tortillas y el queso, llego a las siete",
        "can you grab milk on the way home?",
        "you never listen. ya no aguanto más",  # a pattern found: no need to say it
    ]
    _, results = run(json.dumps({"text": t}) + "\n" for t in texts)
    assert results[0]["unfamiliar"] is True
    assert "unfamiliar" not in results[1] and "unfamiliar" not in results[2]
    assert results[2]["patterns"]
    assert list(results[1]) == ["labels", "tone", "patterns", "reframe"]


def test_without_a_shipped_word_list_no_text_is_called_unfamiliar():
    # Tests not marked `model` read the rules alone: no model, so no word list either.
    assert not mostly_unfamiliar("Amor, ya compré las tortillas y el queso")
