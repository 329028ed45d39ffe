import json
import stat

import pytest
from typer.testing import CliRunner

from attunement import take
from attunement.answers import AnswerFileError, read_answer_file, score_answer_file
from attunement.instruments import library
from attunement.safety import ResourceFileError

NO_HARK = ["0", "0", "0", "0", "0"]
HARK_TEXT = "have you been afraid of your partner or ex-partner?"
ASQ_5_TEXT = "Are you having thoughts of killing yourself right now?"
IPV_HELP = "You are not alone"
SUICIDE_HELP = "Please reach out today"
URGENT_HELP = "Please get help right now"


class Person:
    """Types scripted replies, then ends the input; remembers everything shown."""

    def __init__(self, replies):
        self.replies = list(replies)
        self.lines = []
        self.prompts = []

    def ask(self, prompt):
        self.lines.append(prompt)
        self.prompts.append(prompt)
        return self.replies.pop(0) if self.replies else None

    def say(self, text):
        self.lines.append(text)

    @property
    def screen(self):
        """Everything shown, with line wrapping undone so sentences can be searched for."""
        return " ".join("\n".join(self.lines).split())


def take_part(ids, path, replies):
    person = Person(replies)
    code = take.run(library.asking_order(ids), path, person.ask, person.say)
    return code, person


def middle_answers(ids):
    """A reply for every unconditional item: the middle of its scale, but "no" on screens."""
    return [
        str(item.scale.min if instrument.screen else (item.scale.min + item.scale.max) // 2)
        for instrument in library.asking_order(ids)
        for item in instrument.items
        if item.ask_if is None
    ]


@pytest.fixture
def path(tmp_path):
    return tmp_path / "sam.json"


def test_a_full_battery_run_writes_an_answer_file_that_scores(path):
    core = library.battery()["core"]
    code, person = take_part(core, path, middle_answers(core))
    assert code == 0
    assert person.replies == []
    assert set(score_answer_file(path)) == set(core)
    assert f"attunement score {path}" in person.screen
    assert IPV_HELP not in person.screen
    assert SUICIDE_HELP not in person.screen


def test_it_starts_with_what_this_is_and_how_to_stop(path):
    _, person = take_part(["csi4"], path, [])
    intro = person.lines[0]
    assert "not therapy" in intro
    assert str(path) in intro
    assert "q  save and stop" in intro
    assert "b  go back" in intro


def test_each_question_shows_its_progress_and_numbered_choices(path):
    _, person = take_part(["csi4"], path, [])
    question = next(line for line in person.lines if "[1/4]" in line)
    assert "[1/4] Please indicate the degree of happiness" in question
    assert "0 Extremely unhappy" in question
    assert "6 Perfect" in question


def test_a_sparsely_labelled_scale_shows_its_range_and_anchors(path):
    _, person = take_part(["cpq_sf"], path, [])
    assert "1 Very unlikely ... 5 Neither likely nor unlikely ... 9 Very likely" in person.screen


def test_each_finished_part_is_confirmed_in_one_line(path):
    _, person = take_part(["csi4"], path, ["3", "3", "3", "3"])
    assert "Part 1 of 1 done (CSI-4): 4 answered, saved." in person.screen


def test_quitting_halfway_saves_and_says_how_to_resume(path):
    code, person = take_part(["hark", "asq"], path, [*NO_HARK, "0", "q"])
    assert code == 0
    assert read_answer_file(path) == {
        "hark": dict(zip("HARKC", [0] * 5, strict=True)),
        "asq": {"1": 0},
    }
    assert "Run the same command again" in person.screen


def test_the_end_of_input_saves_and_says_how_to_resume(path):
    code, person = take_part(["csi4"], path, ["4", "4"])
    assert code == 0
    assert read_answer_file(path) == {"csi4": {"1": 4, "2": 4}}
    assert "Run the same command again" in person.screen


def test_resuming_carries_on_where_it_stopped_without_asking_again(path):
    take_part(["hark", "asq"], path, [*NO_HARK, "0", "q"])
    code, person = take_part(["hark", "asq"], path, ["0", "0", "0"])
    assert code == 0
    assert HARK_TEXT not in person.screen
    assert "Welcome back. 6 of 9 questions are already answered." in person.screen
    assert "[7/9] In the past few weeks, have you felt" in person.screen
    assert person.prompts.count(person.prompts[0]) == 3
    assert read_answer_file(path)["asq"] == {"1": 0, "2": 0, "3": 0, "4": 0}


def test_resuming_a_finished_file_asks_nothing(path):
    take_part(["csi4"], path, ["3", "3", "3", "3"])
    code, person = take_part(["csi4"], path, [])
    assert code == 0
    assert person.prompts == []
    assert "All done" in person.screen


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("9", "9 is not one of the choices: type a whole number from 0 to 6."),
        ("abc", "'abc' is not a number: type a whole number from 0 to 6"),
        ("2.5", "'2.5' is not a whole number: type a whole number from 0 to 6"),
        ("", "Nothing was typed: type a whole number from 0 to 6"),
        ("-1", "-1 is not one of the choices"),
    ],
)
def test_invalid_input_asks_again_with_a_clear_message_and_saves_nothing(path, typed, message):
    code, person = take_part(["csi4"], path, [typed])
    assert code == 0
    assert message in person.screen
    assert len(person.prompts) == 2  # asked again after the message
    assert read_answer_file(path) == {}


def test_after_invalid_input_a_valid_answer_is_saved(path):
    take_part(["csi4"], path, ["9", "abc", "2.5", "", "5"])
    assert read_answer_file(path) == {"csi4": {"1": 5}}


def test_words_of_an_answer_are_understood(path):
    take_part(["hark"], path, ["no", "No", "NO"])
    assert read_answer_file(path) == {"hark": {"H": 0, "A": 0, "R": 0}}


def test_back_changes_the_previous_answer(path):
    take_part(["csi4"], path, ["3", "b", "5", "4", "4", "4"])
    assert read_answer_file(path) == {"csi4": {"1": 5, "2": 4, "3": 4, "4": 4}}


def test_going_back_shows_the_answer_and_enter_keeps_it(path):
    _, person = take_part(["csi4"], path, ["3", "4", "b", "b", "", "", "2"])
    assert "Your answer was: 3 Happy. Press Enter to keep it." in person.screen
    assert read_answer_file(path) == {"csi4": {"1": 3, "2": 4, "3": 2}}


def test_back_at_the_first_question_says_there_is_nothing_before_it(path):
    _, person = take_part(["csi4"], path, ["b"])
    assert "This is the first question" in person.screen


def test_a_required_question_cannot_be_skipped(path):
    _, person = take_part(["hark"], path, ["s"])
    assert "This question needs an answer, so it can't be skipped" in person.screen
    assert read_answer_file(path) == {}


def test_an_optional_question_can_be_skipped_and_is_saved_as_not_answered(path):
    take_part(["ucla3"], path, ["s", "2", "2"])
    assert read_answer_file(path) == {"ucla3": {"1": None, "2": 2, "3": 2}}


def test_a_hark_yes_shows_partner_violence_help_right_after_the_hark_block(path):
    code, person = take_part(["hark", "asq"], path, ["0", "1", "0", "0", "0", "", "q"])
    screen = person.screen
    assert code == 0
    last_hark_question = screen.index("kept watch over your")
    help_shown = screen.index(IPV_HELP)
    asq_starts = screen.index("Ask Suicide-Screening Questions")
    assert last_hark_question < help_shown < asq_starts
    for words in ["safety plan", "not suggesting couple exercises", "type q", str(path)]:
        assert words in screen[help_shown:asq_starts]


def test_the_partner_violence_help_waits_for_enter_and_q_stops_there(path):
    code, person = take_part(["hark", "asq"], path, ["1", "0", "0", "0", "0", "q"])
    assert code == 0
    assert "Ask Suicide-Screening Questions" not in person.screen
    assert read_answer_file(path)["hark"]["H"] == 1


def test_an_asq_yes_then_asks_item_5_and_shows_crisis_lines(path):
    _, person = take_part(["asq", "csi4"], path, ["0", "1", "0", "0", "0", ""])
    assert ASQ_5_TEXT in person.screen
    assert person.screen.index(ASQ_5_TEXT) < person.screen.index(SUICIDE_HELP)
    assert "988" in person.screen
    assert read_answer_file(path) == {"asq": {"1": 0, "2": 1, "3": 0, "4": 0, "5": 0}}


def test_asq_item_5_yes_stops_with_code_3_and_the_urgent_message(path):
    code, person = take_part(["hark", "asq", "csi4"], path, [*NO_HARK, "1", "0", "0", "0", "1"])
    assert code == take.EXIT_ACUTE == 3
    assert URGENT_HELP in person.screen
    assert "The questionnaire stops here" in person.screen
    assert "Couples Satisfaction Index" not in person.screen
    assert read_answer_file(path)["asq"] == {"1": 1, "2": 0, "3": 0, "4": 0, "5": 1}


def test_resuming_after_an_acute_answer_shows_the_urgent_help_and_stops_again(path):
    take_part(["asq", "csi4"], path, ["1", "0", "0", "0", "1"])
    code, person = take_part(["asq", "csi4"], path, ["3"])
    assert code == 3
    assert URGENT_HELP in person.screen
    assert "csi4" not in read_answer_file(path)


def test_resuming_after_a_positive_screen_shows_its_help_again(path):
    take_part(["hark", "csi4"], path, ["1", "0", "0", "0", "0", "", "q"])
    _, person = take_part(["hark", "csi4"], path, [""])
    assert IPV_HELP in person.screen


def test_an_all_no_asq_never_asks_item_5(path):
    _, person = take_part(["asq", "csi4"], path, ["0", "0", "0", "0"])
    assert ASQ_5_TEXT not in person.screen
    assert SUICIDE_HELP not in person.screen
    assert "Couples Satisfaction Index" in person.screen
    assert read_answer_file(path) == {"asq": {"1": 0, "2": 0, "3": 0, "4": 0}}


def test_changing_an_answer_drops_a_conditional_answer_no_longer_asked(path):
    # ASQ yes, item 5 no, help; at CSI-4 go back to ASQ item 1 and change the yes to no.
    replies = ["1", "0", "0", "0", "0", "", "b", "b", "b", "b", "b", "0", "", "", "", "q"]
    take_part(["asq", "csi4"], path, replies)
    assert read_answer_file(path) == {"asq": {"1": 0, "2": 0, "3": 0, "4": 0}}


def test_the_answer_file_is_readable_only_by_its_owner(path):
    take_part(["csi4"], path, ["3"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_invalid_saved_answer_is_asked_again(path):
    path.write_text(json.dumps({"csi4": {"1": 9, "2": 3}}))
    _, person = take_part(["csi4"], path, ["4"])
    assert "The saved answer to CSI-4 question 1 is 9, not one of its choices" in person.screen
    assert read_answer_file(path) == {"csi4": {"1": 4, "2": 3}}


def test_a_saved_skip_of_a_required_safety_question_is_asked_again(path):
    path.write_text(json.dumps({"hark": {"H": None, "A": 0, "R": 0, "K": 0, "C": 0}}))
    _, person = take_part(["hark"], path, ["1", ""])
    assert "HARK question H is a skip, so it will be asked again" in person.screen
    assert IPV_HELP in person.screen
    assert read_answer_file(path)["hark"]["H"] == 1


def test_the_end_of_input_while_help_is_shown_saves_and_stops(path):
    code, person = take_part(["hark", "asq"], path, ["1", "0", "0", "0", "0"])
    assert code == 0
    assert "Ask Suicide-Screening Questions" not in person.screen
    assert "Run the same command again" in person.screen


def test_a_saved_answer_to_an_unknown_item_is_a_clear_error(path):
    path.write_text(json.dumps({"csi4": {"7": 1}}))
    with pytest.raises(AnswerFileError, match="csi4 has no item '7'"):
        take_part(["csi4"], path, [])


def test_an_answer_file_that_cannot_be_written_stops_before_any_question(tmp_path):
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("")
    with pytest.raises(AnswerFileError, match="cannot be written"):
        take_part(["csi4"], not_a_folder / "sam.json", ["3"])


def test_a_broken_safety_resource_file_stops_before_any_question(path, tmp_path, monkeypatch):
    broken = tmp_path / "resources.yaml"
    broken.write_text("labels: {}\n")
    monkeypatch.setenv("ATTUNEMENT_SAFETY_RESOURCES", str(broken))
    with pytest.raises(ResourceFileError):
        take_part(["hark"], path, ["1"])


def test_the_cli_take_command_writes_the_answer_file(tmp_path):
    from attunement.cli import app

    out = tmp_path / "alex.json"
    result = CliRunner().invoke(app, ["take", "csi4", "--out", str(out)], input="5\n4\n4\nx\n3\n")
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text()) == {"csi4": {"1": 5, "2": 4, "3": 4, "4": 3}}
    assert "'x' is not a number" in result.output
    assert f"attunement score {out}" in result.output
