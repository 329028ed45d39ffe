"""Scoring key of the 4-item Couples Satisfaction Index."""

import pytest

from attunement.errors import AnswerError
from attunement.instruments.library import get
from attunement.instruments.model import Source
from attunement.instruments.scoring import score

ALL_ZERO = {"1": 0, "2": 0, "3": 0, "4": 0}

# Funk & Rogge 2007, as quoted in INSTRUMENTS-REFERENCE.md.
PUBLISHED_WORDING = [
    ("1", "Please indicate the degree of happiness, all things considered, of your relationship."),
    ("2", "I have a warm and comfortable relationship with my partner."),
    ("3", "How rewarding is your relationship with your partner?"),
    ("4", "In general, how satisfied are you with your relationship?"),
]


@pytest.mark.parametrize(("item_id", "text"), PUBLISHED_WORDING)
def test_it_uses_the_published_wording(item_id, text):
    assert get("csi4").item(item_id).text == text


def test_it_labels_item_1_from_extremely_unhappy_0_to_perfect_6():
    labels = get("csi4").item("1").scale.labels

    assert labels == {
        0: "Extremely unhappy",
        1: "Fairly unhappy",
        2: "A little unhappy",
        3: "Happy",
        4: "Very happy",
        5: "Extremely happy",
        6: "Perfect",
    }


@pytest.mark.parametrize(
    ("item_id", "low", "high"),
    [
        ("2", "Not at all true", "Completely true"),
        ("3", "Not at all", "Completely"),
        ("4", "Not at all", "Completely"),
    ],
)
def test_it_scores_items_2_to_4_from_0_to_5(item_id, low, high):
    scale = get("csi4").item(item_id).scale

    assert (scale.min, scale.max) == (0, 5)
    assert (scale.labels[0], scale.labels[5]) == (low, high)


def test_it_scores_all_lowest_answers_as_0_so_no_item_is_reverse_keyed():
    assert score("csi4", ALL_ZERO).values() == {"total": 0.0}


@pytest.mark.parametrize(
    ("item_id", "top", "total"),
    [
        ("1", 6, 6.0),
        ("2", 5, 5.0),
        ("3", 5, 5.0),
        ("4", 5, 5.0),
    ],
)
def test_it_adds_each_item_to_the_total(item_id, top, total):
    assert score("csi4", {**ALL_ZERO, item_id: top}).values() == {"total": total}


def test_it_sums_the_four_items():
    # 4 + 3 + 5 + 1 = 13; a mean would be 3.25.
    assert score("csi4", {"1": 4, "2": 3, "3": 5, "4": 1}).values() == {"total": 13.0}


@pytest.mark.parametrize(
    ("answers", "total", "label"),
    [
        ({"1": 0, "2": 0, "3": 0, "4": 0}, 0.0, "notable dissatisfaction"),
        ({"1": 4, "2": 3, "3": 5, "4": 1}, 13.0, "notable dissatisfaction"),
        ({"1": 4, "2": 3, "3": 5, "4": 2}, 14.0, "no notable dissatisfaction"),
        ({"1": 6, "2": 5, "3": 5, "4": 5}, 21.0, "no notable dissatisfaction"),
    ],
)
def test_it_bands_the_total_at_the_published_cut_off_of_13_5(answers, total, label):
    result = score("csi4", answers).scales["total"]

    assert result.value == total
    assert result.band is not None
    assert result.band.label == label
    assert result.band.source is Source.PUBLISHED


def test_it_puts_exactly_13_5_above_the_cut_off():
    band = get("csi4").scale("total").band_for(13.5)

    assert band is not None
    assert band.label == "no notable dissatisfaction"


def test_it_ranges_from_0_to_21():
    assert get("csi4").scale("total").range == (0.0, 21.0)


@pytest.mark.parametrize("item_id", ["1", "2", "3", "4"])
def test_it_needs_all_four_items(item_id):
    answers = {k: v for k, v in {"1": 4, "2": 3, "3": 5, "4": 1}.items() if k != item_id}

    with pytest.raises(AnswerError) as excinfo:
        score("csi4", answers)

    assert excinfo.value.item == item_id
    assert "needs at least 4 of 4" in str(excinfo.value)


def test_it_rejects_6_on_a_0_to_5_item():
    with pytest.raises(AnswerError) as excinfo:
        score("csi4", {**ALL_ZERO, "2": 6})

    assert (excinfo.value.instrument, excinfo.value.item, excinfo.value.value) == ("csi4", "2", 6)
