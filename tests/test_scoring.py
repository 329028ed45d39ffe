"""Scoring engine behaviour across every shipped instrument (keys are tested per instrument)."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attunement.errors import AnswerError
from attunement.instruments import library
from attunement.instruments.model import Instrument
from attunement.instruments.scoring import check_answers, score

INSTRUMENTS = list(library.library().values())


def asked_items(instrument: Instrument, answers: dict[str, int]) -> list[str]:
    return [i.id for i in instrument.items if i.ask_if is None or i.ask_if.holds(answers)]


@st.composite
def valid_answers(draw, instrument: Instrument) -> dict[str, int]:
    """A complete answer vector that respects conditional items."""
    answers: dict[str, int] = {}
    for item in instrument.items:
        if item.ask_if is None or item.ask_if.holds(answers):
            answers[item.id] = draw(st.integers(item.scale.min, item.scale.max))
    return answers


@pytest.mark.parametrize("instrument", INSTRUMENTS, ids=lambda i: i.id)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_valid_answer_vector_scores_inside_every_scales_range(instrument, data):
    answers = data.draw(valid_answers(instrument))
    result = score(instrument, answers)
    assert set(result.scales) == {s.id for s in instrument.scales}
    for scale_score in result.scales.values():
        low, high = scale_score.scale.range
        assert low - 1e-9 <= scale_score.value <= high + 1e-9
        assert math.isfinite(scale_score.value)


@pytest.mark.parametrize("instrument", INSTRUMENTS, ids=lambda i: i.id)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_out_of_range_value_raises_an_error_naming_instrument_item_and_value(instrument, data):
    answers = data.draw(valid_answers(instrument))
    item = instrument.item(data.draw(st.sampled_from(sorted(answers))))
    bad = data.draw(
        st.one_of(
            st.integers(max_value=item.scale.min - 1),
            st.integers(min_value=item.scale.max + 1),
        )
    )
    answers[item.id] = bad
    with pytest.raises(AnswerError) as caught:
        score(instrument, answers)
    assert caught.value.instrument == instrument.id
    assert caught.value.item == item.id
    assert caught.value.value == bad
    assert f"{instrument.id}: item {item.id!r} (value {bad!r}): out of range" in str(caught.value)


@pytest.mark.parametrize("instrument", INSTRUMENTS, ids=lambda i: i.id)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_any_value_of_the_wrong_type_raises_a_clear_error(instrument, data):
    answers = data.draw(valid_answers(instrument))
    item_id = data.draw(st.sampled_from(sorted(answers)))
    bad = data.draw(
        st.one_of(
            st.booleans(), st.floats(allow_nan=True), st.text(max_size=3), st.lists(st.none())
        )
    )
    answers[item_id] = bad
    with pytest.raises(AnswerError, match="wrong type") as caught:
        score(instrument, answers)
    assert caught.value.item == item_id


@pytest.mark.parametrize(
    ("instrument_id", "answers", "message"),
    [
        ("csi4", {"1": 3, "2": 3, "3": 3, "9": 3}, "csi4: item '9' (value 3): unknown item"),
        ("csi4", {"1": 3, "2": 3, "3": 3}, "csi4: item '4': not answered; scale 'total' needs"),
        ("csi4", {"1": 7, "2": 3, "3": 3, "4": 3}, "csi4: item '1' (value 7): out of range 0–6"),
        ("csi4", {"1": "3", "2": 3, "3": 3, "4": 3}, "csi4: item '1' (value '3'): wrong type"),
        ("csi4", {"1": 3.0, "2": 3, "3": 3, "4": 3}, "csi4: item '1' (value 3.0): wrong type"),
        ("ecr_rs", {str(i): 4 for i in range(1, 8)}, "ecr_rs: item '8': not answered"),
        ("asq", {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}, "asq: item '5' (value 0): answered, but"),
        ("asq", {"1": 1, "2": 0, "3": 0, "4": 0}, "asq: item '5': is required"),
        ("hark", {"H": 0, "A": 0, "R": 0, "K": 0}, "hark: item 'C': is required"),
    ],
)
def test_bad_answers_raise_one_clear_error(instrument_id, answers, message):
    with pytest.raises(AnswerError) as caught:
        score(instrument_id, answers)
    assert str(caught.value).startswith(message)


def test_an_unknown_instrument_is_named_in_the_error():
    with pytest.raises(LookupError, match="unknown instrument 'csi5'"):
        score("csi5", {})


def test_answers_that_are_not_a_mapping_are_refused(csi4):
    with pytest.raises(AnswerError, match="answers must be a mapping"):
        check_answers(csi4, [3, 3, 3, 3])  # type: ignore[arg-type]


def test_an_explicit_null_counts_as_not_answered():
    result = score("ecr_rs", {"1": 1, "2": 1, "3": 1, "4": 1, "5": 7, "6": None,
                              "7": 2, "8": 2, "9": 2})  # fmt: skip
    assert result.scales["avoidance"].answered == 5
    assert result.values()["avoidance"] == 7.0


def test_scoring_does_not_change_the_answers_it_was_given(csi4):
    answers = {"1": 1, "2": 2, "3": 3, "4": 4}
    score(csi4, answers)
    assert answers == {"1": 1, "2": 2, "3": 3, "4": 4}


def test_a_scale_score_reports_its_band_and_whether_the_threshold_is_published():
    result = score("csi4", {"1": 3, "2": 3, "3": 3, "4": 3})
    band = result.scales["total"].band
    assert result.values()["total"] == 12
    assert band is not None and band.label == "notable dissatisfaction"
    assert band.source == "published"


def test_screen_results_say_whether_they_are_positive_and_acute():
    negative = score("asq", {"1": 0, "2": 0, "3": 0, "4": 0})
    positive = score("asq", {"1": 0, "2": 1, "3": 0, "4": 0, "5": 0})
    acute = score("asq", {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1})
    assert (negative.screen_positive, negative.screen_acute) == (False, False)
    assert (positive.screen_positive, positive.screen_acute) == (True, False)
    assert (acute.screen_positive, acute.screen_acute) == (True, True)
    assert not score("csi4", {"1": 0, "2": 0, "3": 0, "4": 0}).screen_positive
