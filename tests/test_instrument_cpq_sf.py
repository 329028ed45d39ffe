"""Scoring key of the Communication Patterns Questionnaire, short form (all eleven items)."""

import pytest

from attunement.errors import AnswerError
from attunement.instruments.library import get
from attunement.instruments.scoring import score

ITEM_IDS = ["A2", "A3a", "A3b", "B4", "B6", "B7a", "B7b", "B8a", "B8b"]
ALL_ONES = dict.fromkeys(ITEM_IDS, 1)
# Distinct values, none at the midpoint 5.
MIXED = {"A2": 1, "A3a": 2, "A3b": 3, "B4": 4, "B6": 6, "B7a": 7, "B7b": 8, "B8a": 9, "B8b": 2}

# Christensen & Heavey, as circulated; quoted in INSTRUMENTS-REFERENCE.md.
PUBLISHED_WORDING = [
    ("A2", "When an issue or problem arises, both of us try to discuss the problem."),
    (
        "A3a",
        "When an issue or problem arises, I try to start a discussion while my partner tries "
        "to avoid a discussion.",
    ),
    (
        "A3b",
        "When an issue or problem arises, my partner tries to start a discussion while I try "
        "to avoid a discussion.",
    ),
    (
        "B4",
        "During a discussion of an issue or problem, both of us express our feelings to each "
        "other.",
    ),
    (
        "B6",
        "During a discussion of an issue or problem, both of us suggest possible solutions and "
        "compromises.",
    ),
    (
        "B7a",
        "During a discussion, I pressure, nag, or demand while my partner withdraws, becomes "
        "silent, or refuses to discuss the matter further.",
    ),
    (
        "B7b",
        "During a discussion, my partner pressures, nags, or demands while I withdraw, become "
        "silent, or refuse to discuss the matter further.",
    ),
    ("B8a", "During a discussion, I criticize while my partner defends themselves."),
    ("B8b", "During a discussion, my partner criticizes while I defend myself."),
]


@pytest.mark.parametrize(("item_id", "text"), PUBLISHED_WORDING)
def test_it_uses_the_circulated_wording(item_id, text):
    assert get("cpq_sf").item(item_id).text == text


def test_it_answers_from_1_very_unlikely_to_9_very_likely():
    scale = get("cpq_sf").item("A2").scale

    assert (scale.min, scale.max) == (1, 9)
    assert (scale.labels[1], scale.labels[9]) == ("Very unlikely", "Very likely")


def test_it_scores_all_ones_as_3_on_each_scale_so_no_item_is_reverse_keyed():
    assert score("cpq_sf", ALL_ONES).values() == {
        "constructive": 3.0,
        "self_demand_partner_withdraw": 3.0,
        "partner_demand_self_withdraw": 3.0,
    }


@pytest.mark.parametrize(
    ("item_id", "constructive", "self_demand", "partner_demand"),
    [
        ("A2", 11.0, 3.0, 3.0),
        ("B4", 11.0, 3.0, 3.0),
        ("B6", 11.0, 3.0, 3.0),
        ("A3a", 3.0, 11.0, 3.0),
        ("B7a", 3.0, 11.0, 3.0),
        ("B8a", 3.0, 11.0, 3.0),
        ("A3b", 3.0, 3.0, 11.0),
        ("B7b", 3.0, 3.0, 11.0),
        ("B8b", 3.0, 3.0, 11.0),
    ],
)
def test_it_moves_only_its_own_scale_when_one_item_goes_from_1_to_9(
    item_id, constructive, self_demand, partner_demand
):
    assert score("cpq_sf", {**ALL_ONES, item_id: 9}).values() == {
        "constructive": constructive,
        "self_demand_partner_withdraw": self_demand,
        "partner_demand_self_withdraw": partner_demand,
    }


def test_it_sums_each_scale_of_a_mixed_answer_vector():
    # constructive 1 + 4 + 6; I demand 2 + 7 + 9; partner demands 3 + 8 + 2.
    assert score("cpq_sf", MIXED).values() == {
        "constructive": 11.0,
        "self_demand_partner_withdraw": 18.0,
        "partner_demand_self_withdraw": 13.0,
    }


@pytest.mark.parametrize(
    "scale_id", ["constructive", "self_demand_partner_withdraw", "partner_demand_self_withdraw"]
)
def test_it_ranges_each_scale_from_3_to_27(scale_id):
    assert get("cpq_sf").scale(scale_id).range == (3.0, 27.0)


@pytest.mark.parametrize("item_id", ITEM_IDS)
def test_it_needs_every_item(item_id):
    answers = {k: v for k, v in MIXED.items() if k != item_id}

    with pytest.raises(AnswerError) as excinfo:
        score("cpq_sf", answers)

    assert excinfo.value.item == item_id


def test_it_rejects_an_unknown_item():
    with pytest.raises(AnswerError) as excinfo:
        score("cpq_sf", {**MIXED, "A4": 3})

    assert excinfo.value.item == "A4"
    assert "unknown item" in str(excinfo.value)


def test_it_has_no_cut_offs():
    assert [s.bands for s in get("cpq_sf").scales] == [(), (), (), (), ()]


# The review's corrections: A1 and B5 restored as circulated (wording still to
# confirm against the authors' copy, as the file's licence note says).
@pytest.mark.parametrize(
    ("item_id", "text"),
    [
        ("A1", "When an issue or problem arises, both of us avoid discussing the problem."),
        (
            "B5",
            "During a discussion of an issue or problem, both of us blame, accuse, and "
            "criticize each other.",
        ),
    ],
)
def test_it_restores_the_mutual_items_as_circulated(item_id, text):
    assert get("cpq_sf").item(item_id).text == text


def test_it_says_the_wording_of_a1_and_b5_is_not_yet_confirmed():
    assert "could not be confirmed" in get("cpq_sf").licence.note


def test_it_scores_mutual_avoidance_and_mutual_blame_from_their_own_item():
    result = score("cpq_sf", {**MIXED, "A1": 7, "B5": 3}).values()

    assert result["mutual_avoidance"] == 7.0
    assert result["mutual_blame"] == 3.0


def test_it_leaves_the_mutual_scores_out_when_an_older_answer_file_lacks_them():
    result = score("cpq_sf", MIXED).values()

    assert "mutual_avoidance" not in result and "mutual_blame" not in result
    assert set(result) == {
        "constructive",
        "self_demand_partner_withdraw",
        "partner_demand_self_withdraw",
    }


def test_it_asks_the_items_in_the_published_order():
    assert get("cpq_sf").item_ids == (
        *("A1", "A2", "A3a", "A3b", "B4", "B5", "B6"),
        *("B7a", "B7b", "B8a", "B8b"),
    )
