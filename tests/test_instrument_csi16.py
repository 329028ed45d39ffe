"""Scoring key of the 16-item Couples Satisfaction Index, an optional deep dive."""

import pytest

from attunement.errors import AnswerError
from attunement.instruments.library import battery, get
from attunement.instruments.model import LicenceStatus, Source
from attunement.instruments.scoring import score

ALL_ZERO = {str(i): 0 for i in range(1, 17)}
# Distinct-enough values, item 1 never at its midpoint 3.
MIXED = {
    **{"1": 4, "2": 3, "3": 4, "4": 2, "5": 5, "6": 1, "7": 3, "8": 2},
    **{"9": 0, "10": 4, "11": 1, "12": 4, "13": 2, "14": 0, "15": 3, "16": 5},
}
LEAST_SATISFIED = {**ALL_ZERO, "11": 5, "13": 5, "14": 5, "16": 5}
MOST_SATISFIED = {
    **{"1": 6, "2": 5, "3": 5, "4": 5, "5": 5, "6": 5, "7": 5, "8": 5},
    **{"9": 5, "10": 5, "11": 0, "12": 5, "13": 0, "14": 0, "15": 5, "16": 0},
}

# The 16-item form as publicly circulated; see the licence note for what is unverified.
WORDING = [
    ("1", "Please indicate the degree of happiness, all things considered, of your relationship."),
    (
        "2",
        "In general, how often do you think that things between you and your partner are "
        "going well?",
    ),
    ("3", "Our relationship is strong."),
    ("4", "My relationship with my partner makes me happy."),
    ("5", "I have a warm and comfortable relationship with my partner."),
    ("6", "I really feel like part of a team with my partner."),
    ("7", "How rewarding is your relationship with your partner?"),
    ("8", "How well does your partner meet your needs?"),
    ("9", "To what extent has your relationship met your original expectations?"),
    ("10", "In general, how satisfied are you with your relationship?"),
    ("11", "Interesting - Boring"),
    ("12", "Bad - Good"),
    ("13", "Full - Empty"),
    ("14", "Sturdy - Fragile"),
    ("15", "Discouraging - Hopeful"),
    ("16", "Enjoyable - Miserable"),
]


@pytest.mark.parametrize(("item_id", "text"), WORDING)
def test_it_uses_the_wording_of_the_16_item_form(item_id, text):
    assert get("csi16").item(item_id).text == text


@pytest.mark.parametrize(
    ("item_id", "low", "high", "first", "last"),
    [
        ("1", 0, 6, "Extremely unhappy", "Perfect"),
        ("2", 0, 5, "Never", "All the time"),
        ("3", 0, 5, "Not at all true", "Completely true"),
        ("6", 0, 5, "Not at all true", "Completely true"),
        ("7", 0, 5, "Not at all", "Completely"),
        ("10", 0, 5, "Not at all", "Completely"),
        ("11", 0, 5, "Interesting", "Boring"),
        ("12", 0, 5, "Bad", "Good"),
        ("13", 0, 5, "Full", "Empty"),
        ("14", 0, 5, "Sturdy", "Fragile"),
        ("15", 0, 5, "Discouraging", "Hopeful"),
        ("16", 0, 5, "Enjoyable", "Miserable"),
    ],
)
def test_it_uses_each_items_own_response_format(item_id, low, high, first, last):
    scale = get("csi16").item(item_id).scale

    assert (scale.min, scale.max) == (low, high)
    assert (scale.labels[low], scale.labels[high]) == (first, last)


def test_it_reverse_keys_the_word_pairs_that_print_the_positive_word_first():
    # All zero: items 11, 13, 14 and 16 (interesting, full, sturdy, enjoyable) count 5 each.
    assert score("csi16", ALL_ZERO).values() == {"total": 20.0}


@pytest.mark.parametrize(
    ("item_id", "top", "total"),
    [
        ("1", 6, 26.0),
        ("2", 5, 25.0),
        ("3", 5, 25.0),
        ("4", 5, 25.0),
        ("5", 5, 25.0),
        ("6", 5, 25.0),
        ("7", 5, 25.0),
        ("8", 5, 25.0),
        ("9", 5, 25.0),
        ("10", 5, 25.0),
        ("11", 5, 15.0),  # boring: 0 points
        ("12", 5, 25.0),  # good: 5 points
        ("13", 5, 15.0),  # empty
        ("14", 5, 15.0),  # fragile
        ("15", 5, 25.0),  # hopeful
        ("16", 5, 15.0),  # miserable
    ],
)
def test_it_adds_each_item_to_the_total_in_its_own_direction(item_id, top, total):
    assert score("csi16", {**ALL_ZERO, item_id: top}).values() == {"total": total}


def test_it_sums_a_mixed_answer_vector():
    # Kept: 4+3+4+2+5+1+3+2+0+4 (items 1-10) + 4 (12) + 3 (15) = 35.
    # Reversed: 11 5-1=4, 13 5-2=3, 14 5-0=5, 16 5-5=0 = 12. Total 47 (a mean would be 2.94).
    assert score("csi16", MIXED).values() == {"total": 47.0}


def test_it_ranges_from_0_to_81():
    assert get("csi16").scale("total").range == (0.0, 81.0)
    assert score("csi16", LEAST_SATISFIED).values() == {"total": 0.0}
    assert score("csi16", MOST_SATISFIED).values() == {"total": 81.0}


@pytest.mark.parametrize(
    ("answers", "total", "label"),
    [
        (LEAST_SATISFIED, 0.0, "notable dissatisfaction"),
        (MIXED, 47.0, "notable dissatisfaction"),
        ({**MIXED, "9": 4}, 51.0, "notable dissatisfaction"),
        ({**MIXED, "9": 5}, 52.0, "no notable dissatisfaction"),
        (MOST_SATISFIED, 81.0, "no notable dissatisfaction"),
    ],
)
def test_it_bands_the_total_at_the_published_cut_off_of_51_5(answers, total, label):
    result = score("csi16", answers).scales["total"]

    assert result.value == total
    assert result.band is not None
    assert result.band.label == label
    assert result.band.source is Source.PUBLISHED


def test_it_puts_exactly_51_5_above_the_cut_off():
    band = get("csi16").scale("total").band_for(51.5)

    assert band is not None
    assert band.label == "no notable dissatisfaction"


@pytest.mark.parametrize("item_id", ["1", "11", "16"])
def test_it_needs_all_16_items(item_id):
    answers = {k: v for k, v in MIXED.items() if k != item_id}

    with pytest.raises(AnswerError) as excinfo:
        score("csi16", answers)

    assert excinfo.value.item == item_id
    assert "needs at least 16 of 16" in str(excinfo.value)


@pytest.mark.parametrize(("item_id", "value"), [("1", 7), ("2", 6), ("11", 6), ("3", -1)])
def test_it_rejects_answers_outside_each_items_range(item_id, value):
    with pytest.raises(AnswerError) as excinfo:
        score("csi16", {**MIXED, item_id: value})

    assert (excinfo.value.instrument, excinfo.value.item, excinfo.value.value) == (
        "csi16",
        item_id,
        value,
    )


def test_it_describes_the_csi_as_free_to_use_without_a_formal_licence():
    assert get("csi16").licence.status is LicenceStatus.FREE_USE


def test_it_is_an_optional_deep_dive():
    assert "csi16" in battery()["deep_dives"]
    assert "csi16" not in battery()["core"]
