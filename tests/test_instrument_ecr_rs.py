"""Scoring key of the ECR-RS, partner version."""

import pytest

from attunement.errors import AnswerError
from attunement.instruments.library import get
from attunement.instruments.scoring import score

ALL_ONES = {str(i): 1 for i in range(1, 10)}
# Distinct values, none at the midpoint 4, so a wrong key or a moved item shows.
MIXED = {"1": 2, "2": 3, "3": 5, "4": 6, "5": 7, "6": 1, "7": 2, "8": 5, "9": 6}

# Fraley et al. 2011, as quoted in INSTRUMENTS-REFERENCE.md.
PUBLISHED_WORDING = [
    ("1", "It helps to turn to this person in times of need."),
    ("2", "I usually discuss my problems and concerns with this person."),
    ("3", "I talk things over with this person."),
    ("4", "I find it easy to depend on this person."),
    ("5", "I don't feel comfortable opening up to this person."),
    ("6", "I prefer not to show this person how I feel deep down."),
    ("7", "I often worry that this person doesn't really care for me."),
    ("8", "I'm afraid that this person may abandon me."),
    ("9", "I worry that this person won't care about me as much as I care about him or her."),
]


@pytest.mark.parametrize(("item_id", "text"), PUBLISHED_WORDING)
def test_it_uses_the_published_wording(item_id, text):
    assert get("ecr_rs").item(item_id).text == text


def test_it_answers_from_1_strongly_disagree_to_7_strongly_agree():
    scale = get("ecr_rs").item("1").scale

    assert (scale.min, scale.max) == (1, 7)
    assert (scale.labels[1], scale.labels[7]) == ("Strongly disagree", "Strongly agree")


def test_it_reverse_keys_items_1_to_4_for_avoidance():
    # All ones: avoidance = (7 + 7 + 7 + 7 + 1 + 1) / 6 = 5; anxiety = 1.
    assert score("ecr_rs", ALL_ONES).values() == {"avoidance": 5.0, "anxiety": 1.0}


@pytest.mark.parametrize(
    ("item_id", "avoidance", "anxiety"),
    [
        ("1", 24 / 6, 1.0),  # reverse-keyed: 7 becomes 1
        ("2", 24 / 6, 1.0),
        ("3", 24 / 6, 1.0),
        ("4", 24 / 6, 1.0),
        ("5", 36 / 6, 1.0),
        ("6", 36 / 6, 1.0),
        ("7", 5.0, 9 / 3),
        ("8", 5.0, 9 / 3),
        ("9", 5.0, 9 / 3),
    ],
)
def test_it_moves_only_its_own_scale_when_one_item_goes_from_1_to_7(item_id, avoidance, anxiety):
    result = score("ecr_rs", {**ALL_ONES, item_id: 7}).values()

    assert result == pytest.approx({"avoidance": avoidance, "anxiety": anxiety})


def test_it_scores_the_means_of_a_mixed_answer_vector():
    # avoidance = (8-2, 8-3, 8-5, 8-6, 7, 1) = (6, 5, 3, 2, 7, 1) -> 24 / 6
    # anxiety = (2, 5, 6) -> 13 / 3
    result = score("ecr_rs", MIXED).values()

    assert result == pytest.approx({"avoidance": 4.0, "anxiety": 13 / 3})


@pytest.mark.parametrize(
    ("skipped", "avoidance"),
    [
        ("6", 23 / 5),  # 6 + 5 + 3 + 2 + 7
        ("1", 18 / 5),  # 5 + 3 + 2 + 7 + 1
    ],
)
def test_it_scores_avoidance_from_five_of_six_items(skipped, avoidance):
    answers = {k: v for k, v in MIXED.items() if k != skipped}

    result = score("ecr_rs", answers).scales["avoidance"]

    assert result.value == pytest.approx(avoidance)
    assert result.answered == 5


def test_it_treats_none_as_not_answered():
    result = score("ecr_rs", {**MIXED, "6": None}).scales["avoidance"]

    assert result.value == pytest.approx(23 / 5)


def test_it_refuses_avoidance_with_two_items_missing():
    answers = {k: v for k, v in MIXED.items() if k not in ("5", "6")}

    with pytest.raises(AnswerError) as excinfo:
        score("ecr_rs", answers)

    assert excinfo.value.item == "5"
    assert "needs at least 5 of 6" in str(excinfo.value)


@pytest.mark.parametrize("skipped", ["7", "8", "9"])
def test_it_needs_all_three_anxiety_items(skipped):
    answers = {k: v for k, v in MIXED.items() if k != skipped}

    with pytest.raises(AnswerError) as excinfo:
        score("ecr_rs", answers)

    assert excinfo.value.item == skipped


def test_it_has_no_cut_offs():
    assert [s.bands for s in get("ecr_rs").scales] == [(), ()]
