"""Scoring key of the ECR-R (Fraley, Waller & Brennan 2000), an optional deep dive."""

import pytest

from attunement.errors import AnswerError
from attunement.instruments.library import battery, get
from attunement.instruments.model import LicenceStatus
from attunement.instruments.scoring import score

ALL_ONES = {str(i): 1 for i in range(1, 37)}

# Anxiety items cycle 1 2 3 5 6 7, avoidance items 7 6 5 3 2 1: never the midpoint 4.
MIXED = {
    **{"1": 1, "2": 2, "3": 3, "4": 5, "5": 6, "6": 7, "7": 1, "8": 2, "9": 3},
    **{"10": 5, "11": 6, "12": 7, "13": 1, "14": 2, "15": 3, "16": 5, "17": 6, "18": 7},
    **{"19": 7, "20": 6, "21": 5, "22": 3, "23": 2, "24": 1, "25": 7, "26": 6, "27": 5},
    **{"28": 3, "29": 2, "30": 1, "31": 7, "32": 6, "33": 5, "34": 3, "35": 2, "36": 1},
}

# Spot checks that the published numbering is kept (first, reverse-keyed, last).
PUBLISHED_WORDING = [
    ("1", "I'm afraid that I will lose my partner's love."),
    ("9", "I rarely worry about my partner leaving me."),
    ("11", "I do not often worry about being abandoned."),
    ("18", "My partner only seems to notice me when I'm angry."),
    ("19", "I prefer not to show a partner how I feel deep down."),
    ("20", "I feel comfortable sharing my private thoughts and feelings with my partner."),
    ("32", "I am nervous when partners get too close to me."),
    ("36", "My partner really understands me and my needs."),
]


def test_it_has_36_items_numbered_1_to_36():
    assert get("ecr_r").item_ids == tuple(str(i) for i in range(1, 37))


@pytest.mark.parametrize(("item_id", "text"), PUBLISHED_WORDING)
def test_it_keeps_the_published_wording_and_numbering(item_id, text):
    assert get("ecr_r").item(item_id).text == text


def test_it_answers_from_1_strongly_disagree_to_7_strongly_agree():
    scale = get("ecr_r").item("1").scale

    assert (scale.min, scale.max) == (1, 7)
    assert (scale.labels[1], scale.labels[7]) == ("Strongly disagree", "Strongly agree")


def test_it_reverse_keys_items_9_and_11_for_anxiety_and_twelve_avoidance_items():
    # All ones: anxiety = (16 * 1 + 2 * 7) / 18; avoidance = (6 * 1 + 12 * 7) / 18.
    result = score("ecr_r", ALL_ONES).values()

    assert result == pytest.approx({"anxiety": 30 / 18, "avoidance": 90 / 18})


@pytest.mark.parametrize(
    ("item_id", "anxiety", "avoidance"),
    [
        ("1", 36 / 18, 90 / 18),
        ("2", 36 / 18, 90 / 18),
        ("3", 36 / 18, 90 / 18),
        ("4", 36 / 18, 90 / 18),
        ("5", 36 / 18, 90 / 18),
        ("6", 36 / 18, 90 / 18),
        ("7", 36 / 18, 90 / 18),
        ("8", 36 / 18, 90 / 18),
        ("9", 24 / 18, 90 / 18),  # reverse-keyed: 7 becomes 1
        ("10", 36 / 18, 90 / 18),
        ("11", 24 / 18, 90 / 18),  # reverse-keyed
        ("12", 36 / 18, 90 / 18),
        ("13", 36 / 18, 90 / 18),
        ("14", 36 / 18, 90 / 18),
        ("15", 36 / 18, 90 / 18),
        ("16", 36 / 18, 90 / 18),
        ("17", 36 / 18, 90 / 18),
        ("18", 36 / 18, 90 / 18),
        ("19", 30 / 18, 96 / 18),
        ("20", 30 / 18, 84 / 18),  # reverse-keyed
        ("21", 30 / 18, 96 / 18),
        ("22", 30 / 18, 84 / 18),  # reverse-keyed
        ("23", 30 / 18, 96 / 18),
        ("24", 30 / 18, 96 / 18),
        ("25", 30 / 18, 96 / 18),
        ("26", 30 / 18, 84 / 18),  # 26-31 reverse-keyed
        ("27", 30 / 18, 84 / 18),
        ("28", 30 / 18, 84 / 18),
        ("29", 30 / 18, 84 / 18),
        ("30", 30 / 18, 84 / 18),
        ("31", 30 / 18, 84 / 18),
        ("32", 30 / 18, 96 / 18),
        ("33", 30 / 18, 84 / 18),  # 33-36 reverse-keyed
        ("34", 30 / 18, 84 / 18),
        ("35", 30 / 18, 84 / 18),
        ("36", 30 / 18, 84 / 18),
    ],
)
def test_it_moves_only_its_own_scale_when_one_item_goes_from_1_to_7(item_id, anxiety, avoidance):
    result = score("ecr_r", {**ALL_ONES, item_id: 7}).values()

    assert result == pytest.approx({"anxiety": anxiety, "avoidance": avoidance})


def test_it_scores_the_means_of_a_mixed_answer_vector():
    # Anxiety: raw sum 72; item 9 counts 8 - 3 = 5 (+2), item 11 counts 8 - 6 = 2 (-4): 70.
    # Avoidance: kept 19, 21, 23, 24, 25, 32 = 7 + 5 + 2 + 1 + 7 + 6 = 28; reversed
    # 20..36 = 2 + 5 + 2 + 3 + 5 + 6 + 7 + 1 + 3 + 5 + 6 + 7 = 52: 80.
    result = score("ecr_r", MIXED).values()

    assert result == pytest.approx({"anxiety": 70 / 18, "avoidance": 80 / 18})


def test_it_scores_anxiety_as_the_mean_of_16_answered_items():
    answers = {k: v for k, v in MIXED.items() if k not in ("1", "2")}

    result = score("ecr_r", answers).scales["anxiety"]

    assert result.value == pytest.approx(67 / 16)  # 70 - 1 - 2
    assert result.answered == 16


def test_it_scores_avoidance_as_the_mean_of_16_answered_items():
    answers = {k: v for k, v in MIXED.items() if k not in ("20", "30")}

    result = score("ecr_r", answers).scales["avoidance"]

    assert result.value == pytest.approx(71 / 16)  # 80 - (8 - 6) - (8 - 1)
    assert result.answered == 16


@pytest.mark.parametrize(
    ("skipped", "first_missing"),
    [(("1", "2", "3"), "1"), (("19", "27", "36"), "19")],
)
def test_it_refuses_a_scale_with_three_items_missing(skipped, first_missing):
    answers = {k: v for k, v in MIXED.items() if k not in skipped}

    with pytest.raises(AnswerError) as excinfo:
        score("ecr_r", answers)

    assert excinfo.value.item == first_missing
    assert "needs at least 16 of 18" in str(excinfo.value)


@pytest.mark.parametrize("value", [0, 8, -9])
def test_it_rejects_answers_outside_1_to_7(value):
    with pytest.raises(AnswerError) as excinfo:
        score("ecr_r", {**MIXED, "22": value})

    assert (excinfo.value.instrument, excinfo.value.item, excinfo.value.value) == (
        "ecr_r",
        "22",
        value,
    )


def test_it_has_no_cut_offs():
    assert [s.bands for s in get("ecr_r").scales] == [(), ()]


def test_it_says_no_licence_was_granted():
    assert get("ecr_r").licence.status is LicenceStatus.NO_GRANT


def test_it_is_an_optional_deep_dive():
    assert "ecr_r" in battery()["deep_dives"]
    assert "ecr_r" not in battery()["core"]
