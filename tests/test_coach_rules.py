"""The coach's rules file: the shipped one loads, and a broken one says what and where."""

import copy

import pytest
import yaml

from attunement.coach import LABELS, RuleFileError, analyze, load
from attunement.coach import rules as coach_rules
from attunement.coach.phrases import regex_first_words
from attunement.coach.rules import RULES_FILE, parse
from attunement.errors import AttunementError


def shipped():
    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


def problems_in(data):
    with pytest.raises(RuleFileError) as caught:
        parse(yaml.safe_dump(data, allow_unicode=True), "local.yaml")
    return str(caught.value)


def with_change(change):
    data = copy.deepcopy(shipped())
    change(data)
    return problems_in(data)


def test_the_shipped_rules_load_with_an_explanation_for_every_label():
    rules = load(RULES_FILE)

    assert set(rules.explanations) == set(LABELS)
    assert all(len(text) > 40 for text in rules.explanations.values())


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["labels"].pop("contempt"),
            "local.yaml: labels: contempt: is required",
        ),
        (
            lambda d: d["labels"]["criticism"].pop("explanation"),
            "local.yaml: label 'criticism': explanation: is required",
        ),
        (
            lambda d: d["labels"]["control"]["patterns"].append({"regex": "you (need"}),
            "local.yaml: label 'control': patterns[3].regex: invalid regular expression",
        ),
        (
            lambda d: d["labels"]["control"]["patterns"].append({"regex": "(?i)calm"}),
            "label 'control': patterns[3].regex: '(?i)calm' cannot be combined with others",
        ),
        (
            lambda d: d["labels"]["control"]["patterns"].append({"regex": "(?P<x>calm)"}),
            "label 'control': patterns[3].regex: named groups are not allowed",
        ),
        (
            lambda d: d["labels"]["retaliation"]["patterns"].append({"phrases": ["see ..."]}),
            "label 'retaliation': patterns[2].phrases: 'see ...': '...' must stand between",
        ),
        (
            lambda d: d["labels"]["vulnerability"]["patterns"].append({"phrases": ["i {feels}"]}),
            "label 'vulnerability': patterns[3].phrases: unknown word list {feels}",
        ),
        (
            lambda d: d["labels"]["withdrawal"]["patterns"].append({"phrase": ["whatever"]}),
            "label 'withdrawal': patterns[4].phrase: unknown field",
        ),
        (
            lambda d: d["labels"]["withdrawal"]["patterns"].append({"phrases": []}),
            "label 'withdrawal': phrases: is required: a non-empty list",
        ),
        (
            lambda d: d["labels"]["withdrawal"]["patterns"].append(
                {"phrases": ["x"], "regex": "x"}
            ),
            "label 'withdrawal': patterns[4]: needs exactly one of phrases or regex",
        ),
        (
            lambda d: d["labels"]["minimizing"]["patterns"][0].update(negatable="no"),
            "label 'minimizing': negatable: must be true or false",
        ),
        (
            lambda d: d["labels"].update(sulking={"explanation": "x", "patterns": []}),
            "local.yaml: labels: sulking: unknown field",
        ),
        (
            lambda d: d["negation"]["words"].append(False),
            "negation: words[16]: must be non-empty text, not False (quote words YAML reads",
        ),
        (
            lambda d: d["sarcasm"].update(label="appreciation"),
            "sarcasm: label: 'appreciation' is not a protective label",
        ),
        (
            lambda d: d["settings"].update(gap_words=50),
            "settings: gap_words: must be a whole number from 0 to 8",
        ),
        (
            lambda d: d["reframe"]["stories"].pop("minimizing"),
            "reframe.stories: minimizing: is required",
        ),
        (
            lambda d: d["reframe"]["stories"]["criticism"].update(wish="you never (.+)"),
            "reframe.stories.criticism: wish: needs a group named wish",
        ),
        (
            lambda d: d["reframe"]["order"].remove("withdrawal"),
            "reframe: order: 'withdrawal' is missing",
        ),
        (
            lambda d: d.update(version=2),
            "local.yaml: version: must be 1",
        ),
    ],
)
def test_a_broken_rules_file_names_the_file_the_place_and_the_field(change, expected):
    assert expected in with_change(change)


def test_every_problem_is_reported_at_once():
    def break_two(data):
        data["labels"]["criticism"].pop("explanation")
        data["labels"]["contempt"]["patterns"].append({"regex": "(unclosed"})

    message = with_change(break_two)

    assert "(2 problems)" in message
    assert "label 'criticism'" in message
    assert "label 'contempt'" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("version: [1\n", "local.yaml: yaml: not valid YAML at line 2"),
        ("- just a list\n", "local.yaml: file: must be a mapping"),
    ],
)
def test_a_file_that_is_not_rules_at_all_gets_one_clear_error(text, expected):
    with pytest.raises(RuleFileError) as caught:
        parse(text, "local.yaml")

    assert expected in str(caught.value)


def test_a_missing_rules_file_is_a_clear_error(tmp_path):
    with pytest.raises(RuleFileError) as caught:
        load(tmp_path / "missing.yaml")

    assert isinstance(caught.value, AttunementError)
    assert "missing.yaml" in str(caught.value)


def test_the_rules_in_use_can_come_from_the_environment(tmp_path, monkeypatch):
    data = shipped()
    data["labels"]["appreciation"]["patterns"].append({"phrases": ["cheers love"]})
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv(coach_rules.ENVIRONMENT_VARIABLE, str(path))
    coach_rules.reset()
    try:
        assert analyze("cheers love").labels == ("appreciation",)
    finally:
        coach_rules.reset()


def test_a_clinician_can_add_a_phrase_with_a_gap_and_a_word_list(tmp_path):
    data = shipped()
    data["words"]["chores"] = ["dishes", "laundry", "bins"]
    data["labels"]["criticism"]["patterns"].append({"phrases": ["left ... {chores} out again"]})
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    rules = load(path)

    assert analyze("so you left the bins out again", rules).labels == ("criticism",)
    assert analyze("i'm not saying you left the bins out again", rules).labels == ()


@pytest.mark.parametrize(
    ("source", "words"),
    [
        (r"(?<![\w'])(?:then|so)\s+i'?m", {"then", "so"}),
        (r"i'?m (?:fine|ok)\b", {"im fine", "im ok"}),
        (r"(?:i feel|makes me(?: feel)?)\s+x", {"i feel", "makes me"}),
        (r"\d+ times", None),
        (r"make(?:s)?", None),
        (r"(?:want|need)s", None),
    ],
)
def test_a_regex_is_looked_up_by_the_words_it_plainly_starts_with(source, words):
    assert regex_first_words(source) == words
