"""Scoring key of the HARK screen plus our coercive-control item C."""

import pytest

from attunement.errors import AnswerError
from attunement.instruments.library import get
from attunement.instruments.model import Source
from attunement.instruments.scoring import score

ALL_NO = {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0}

# Sohal, Eldridge & Feder 2007, as quoted in INSTRUMENTS-REFERENCE.md.
PUBLISHED_WORDING = [
    (
        "H",
        "Within the last year, have you been humiliated or emotionally abused in other ways "
        "by your partner or your ex-partner?",
    ),
    ("A", "Within the last year, have you been afraid of your partner or ex-partner?"),
    (
        "R",
        "Within the last year, have you been raped or forced to have any kind of sexual "
        "activity by your partner or ex-partner?",
    ),
    (
        "K",
        "Within the last year, have you been kicked, hit, slapped or otherwise physically "
        "hurt by your partner or ex-partner?",
    ),
]


def test_it_asks_h_a_r_k_then_c():
    assert get("hark").item_ids == ("H", "A", "R", "K", "C")


@pytest.mark.parametrize(("item_id", "text"), PUBLISHED_WORDING)
def test_it_uses_the_published_wording(item_id, text):
    assert get("hark").item(item_id).text == text


def test_it_reports_no_concern_when_every_answer_is_no():
    result = score("hark", ALL_NO)

    assert result.values() == {"positive": 0.0}
    assert result.screen_positive is False
    assert result.scales["positive"].band.label == "no concern reported"


@pytest.mark.parametrize("item_id", ["H", "A", "R", "K", "C"])
def test_it_makes_the_screen_positive_on_any_single_yes(item_id):
    result = score("hark", {**ALL_NO, item_id: 1})

    assert result.values() == {"positive": 1.0}
    assert result.screen_positive is True
    assert result.scales["positive"].band.label == "concern reported"


def test_it_makes_the_screen_positive_on_item_c_alone():
    result = score("hark", {"H": 0, "A": 0, "R": 0, "K": 0, "C": 1})

    assert result.screen_positive is True


def test_it_counts_several_yes_answers_as_one_positive_screen_not_a_sum():
    result = score("hark", {"H": 1, "A": 1, "R": 1, "K": 1, "C": 1})

    assert result.values() == {"positive": 1.0}


def test_it_marks_the_cut_off_as_published():
    bands = get("hark").scale("positive").bands

    assert [b.source for b in bands] == [Source.PUBLISHED, Source.PUBLISHED]


def test_it_flags_the_screen_as_a_partner_violence_concern():
    screen = get("hark").screen

    assert screen is not None
    assert (screen.concern, screen.positive_scale, screen.acute_scale) == (
        "partner_violence",
        "positive",
        None,
    )


@pytest.mark.parametrize("item_id", ["H", "A", "R", "K", "C"])
def test_it_requires_every_item(item_id):
    answers = {k: v for k, v in ALL_NO.items() if k != item_id}

    with pytest.raises(AnswerError) as excinfo:
        score("hark", answers)

    assert excinfo.value.item == item_id
    assert "required" in str(excinfo.value)


@pytest.mark.parametrize("value", [2, -1, 9])
def test_it_rejects_answers_other_than_yes_or_no(value):
    with pytest.raises(AnswerError) as excinfo:
        score("hark", {**ALL_NO, "A": value})

    message = str(excinfo.value)
    assert "hark" in message
    assert "'A'" in message
    assert repr(value) in message


def test_a_positive_screen_from_item_c_alone_has_a_band_of_ours():
    band = score("hark", {**ALL_NO, "C": 1}).scales["positive"].band

    assert band is not None
    assert band.label == "concern reported"
    assert band.source is Source.OURS
    assert "C" in band.note


@pytest.mark.parametrize("item_id", ["H", "A", "R", "K"])
def test_a_positive_screen_from_a_published_item_has_a_published_band(item_id):
    for answers in ({**ALL_NO, item_id: 1}, {**ALL_NO, item_id: 1, "C": 1}):
        band = score("hark", answers).scales["positive"].band

        assert band is not None
        assert band.source is Source.PUBLISHED


def test_no_concern_keeps_its_published_band():
    band = score("hark", ALL_NO).scales["positive"].band

    assert band is not None
    assert band.source is Source.PUBLISHED


def test_a_c_only_positive_is_still_a_positive_screen():
    assert score("hark", {**ALL_NO, "C": 1}).screen_positive is True
