"""Scoring key of the ASQ suicide risk screen, with the conditional acuity item 5."""

import pytest

from attunement.errors import AnswerError
from attunement.instruments.library import get
from attunement.instruments.model import Source
from attunement.instruments.scoring import score

ALL_NO = {"1": 0, "2": 0, "3": 0, "4": 0}

# NIMH ASQ, as quoted in INSTRUMENTS-REFERENCE.md.
PUBLISHED_WORDING = [
    ("1", "In the past few weeks, have you wished you were dead?"),
    (
        "2",
        "In the past few weeks, have you felt that you or your family would be better off "
        "if you were dead?",
    ),
    ("3", "In the past week, have you been having thoughts about killing yourself?"),
    ("4", "Have you ever tried to kill yourself?"),
    ("5", "Are you having thoughts of killing yourself right now?"),
]


@pytest.mark.parametrize(("item_id", "text"), PUBLISHED_WORDING)
def test_it_uses_the_published_wording(item_id, text):
    assert get("asq").item(item_id).text == text


def test_it_is_negative_and_not_acute_when_items_1_to_4_are_no():
    result = score("asq", ALL_NO)

    assert result.values() == {"positive": 0.0, "acute": 0.0}
    assert result.screen_positive is False
    assert result.screen_acute is False
    assert result.scales["positive"].band.label == "no risk reported"
    assert result.scales["acute"].band.label == "not acute"


@pytest.mark.parametrize("item_id", ["1", "2", "3", "4"])
def test_it_is_positive_on_any_single_yes_to_items_1_to_4(item_id):
    result = score("asq", {**ALL_NO, item_id: 1, "5": 0})

    assert result.values() == {"positive": 1.0, "acute": 0.0}
    assert result.screen_positive is True
    assert result.screen_acute is False
    assert result.scales["positive"].band.label == "positive screen"


def test_it_counts_four_yes_answers_as_one_positive_screen_not_a_sum():
    result = score("asq", {"1": 1, "2": 1, "3": 1, "4": 1, "5": 0})

    assert result.values() == {"positive": 1.0, "acute": 0.0}


@pytest.mark.parametrize("item_id", ["1", "2", "3", "4"])
def test_it_is_acute_when_item_5_is_yes_after_a_yes(item_id):
    result = score("asq", {**ALL_NO, item_id: 1, "5": 1})

    assert result.values() == {"positive": 1.0, "acute": 1.0}
    assert result.screen_acute is True
    assert result.scales["acute"].band.label == "acute positive"


@pytest.mark.parametrize("item_id", ["1", "2", "3", "4"])
def test_it_asks_item_5_after_any_single_yes(item_id):
    condition = get("asq").item("5").ask_if

    assert condition is not None
    assert condition.holds({**ALL_NO, item_id: 1}) is True


def test_it_does_not_ask_item_5_after_four_no_answers():
    condition = get("asq").item("5").ask_if

    assert condition is not None
    assert condition.holds(ALL_NO) is False


@pytest.mark.parametrize("value", [0, 1])
def test_it_rejects_an_answer_to_item_5_after_four_no_answers(value):
    with pytest.raises(AnswerError) as excinfo:
        score("asq", {**ALL_NO, "5": value})

    assert excinfo.value.instrument == "asq"
    assert excinfo.value.item == "5"
    assert excinfo.value.value == value
    assert "only asked when" in str(excinfo.value)


def test_it_requires_item_5_once_it_is_asked():
    with pytest.raises(AnswerError) as excinfo:
        score("asq", {**ALL_NO, "3": 1})

    assert excinfo.value.item == "5"
    assert "required" in str(excinfo.value)


@pytest.mark.parametrize("item_id", ["1", "2", "3", "4"])
def test_it_requires_items_1_to_4(item_id):
    answers = {k: v for k, v in ALL_NO.items() if k != item_id}

    with pytest.raises(AnswerError) as excinfo:
        score("asq", answers)

    assert excinfo.value.item == item_id


def test_it_keeps_item_5_out_of_the_positive_scale_and_items_1_to_4_out_of_acute():
    instrument = get("asq")

    assert instrument.scale("positive").items == ("1", "2", "3", "4")
    assert instrument.scale("acute").items == ("5",)


def test_it_marks_both_cut_offs_as_published():
    instrument = get("asq")
    sources = [b.source for s in instrument.scales for b in s.bands]

    assert sources == [Source.PUBLISHED] * 4


def test_it_flags_the_screen_as_suicide_risk_with_an_acute_scale():
    screen = get("asq").screen

    assert screen is not None
    assert (screen.concern, screen.positive_scale, screen.acute_scale) == (
        "suicide_risk",
        "positive",
        "acute",
    )


@pytest.mark.parametrize("item_id", ["1", "2", "3", "4"])
def test_it_counts_declining_to_answer_items_1_to_4_as_positive(item_id):
    result = score("asq", {**ALL_NO, item_id: 2, "5": 0})

    assert result.screen_positive is True
    assert result.screen_acute is False
    assert result.scales["positive"].band.label == "positive screen"
    assert result.scales["positive"].band.source is Source.PUBLISHED


@pytest.mark.parametrize("item_id", ["1", "2", "3", "4"])
def test_it_asks_item_5_after_a_declined_question(item_id):
    condition = get("asq").item("5").ask_if

    assert condition is not None
    assert condition.holds({**ALL_NO, item_id: 2}) is True


def test_it_offers_to_decline_items_1_to_4_but_not_the_acuity_question():
    instrument = get("asq")

    for item_id in "1234":
        assert instrument.item(item_id).scale.labels[2] == "I'd rather not answer"
    assert instrument.item("5").scale.max == 1


def test_it_requires_item_5_after_a_declined_question():
    with pytest.raises(AnswerError) as excinfo:
        score("asq", {**ALL_NO, "2": 2})

    assert excinfo.value.item == "5"
