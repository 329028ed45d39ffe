"""Scoring key of the Attunement Connection Check (our own, unvalidated items)."""

import pytest

from attunement.errors import AnswerError
from attunement.instruments.library import get
from attunement.instruments.model import LicenceStatus
from attunement.instruments.scoring import score

FREQUENCY_ITEMS = [
    *("S1", "S2", "S3", "S4", "S5", "S6"),
    *("E1", "E2", "E3", "E4", "E5"),
    *("F1", "F2", "F3"),
    *("H1", "H2", "H3", "H4", "H5"),
]
AGREE_ITEMS = ["G1", "G2", "G3", "G4", "G5", "G6", "G7"]

# Every item at its lowest answer: never (0) or strongly disagree (1).
LOWEST = {**dict.fromkeys(FREQUENCY_ITEMS, 0), **dict.fromkeys(AGREE_ITEMS, 1)}
LOWEST_SCORES = {
    "signs": 0.0,
    "losing_strategies": 0.0,
    "protective": 0.0,
    "repair": 0.0,
    "lonely": 0.0,
    "surface_talk": 0.0,
    "wants_closeness": 0.0,
    "avoid_depth": 0.0,
    "resignation": 0.0,
    "unseen": 0.0,
    "being_right": 0.0,
    "controlling": 0.0,
    "harsh_expression": 0.0,
    "retaliation": 0.0,
    "withdrawal": 0.0,
    "fixing": 0.0,
    "hiding_needs": 0.0,
    "minimizing_needs": 0.0,
    "over_functioning": 1.0,
    "under_functioning": 1.0,
    "parent_child": 1.0,
    "one_up": 1.0,
    "one_down": 1.0,
    "desire_loss": 1.0,
}

# Distinct values, none at a midpoint (2 on 0-4, 3 on 1-5).
MIXED = {
    **{"S1": 0, "S2": 1, "S3": 3, "S4": 4, "S5": 1, "S6": 3},
    **{"E1": 4, "E2": 3, "E3": 1, "E4": 0, "E5": 3},
    **{"F1": 1, "F2": 4, "F3": 3},
    **{"G1": 5, "G2": 1, "G3": 4, "G4": 2, "G5": 5, "G6": 1, "G7": 4},
    **{"H1": 3, "H2": 0, "H3": 4, "H4": 1, "H5": 3},
}


def test_it_is_ours_and_not_validated():
    instrument = get("connection")

    assert instrument.validated is False
    assert instrument.licence.status is LicenceStatus.OURS


def test_it_shows_no_norms_or_cut_offs():
    assert all(s.bands == () for s in get("connection").scales)


@pytest.mark.parametrize("item_id", FREQUENCY_ITEMS)
def test_it_asks_signs_strategies_and_repair_as_frequency_from_never_0_to_almost_always_4(
    item_id,
):
    scale = get("connection").item(item_id).scale

    assert (scale.min, scale.max) == (0, 4)
    assert (scale.labels[0], scale.labels[4]) == ("Never", "Almost always")


@pytest.mark.parametrize("item_id", AGREE_ITEMS)
def test_it_asks_power_items_as_agreement_from_1_to_5(item_id):
    scale = get("connection").item(item_id).scale

    assert (scale.min, scale.max) == (1, 5)
    assert (scale.labels[1], scale.labels[5]) == ("Strongly disagree", "Strongly agree")


def test_it_scores_every_lowest_answer_at_the_bottom_so_no_item_is_reverse_keyed():
    assert score("connection", LOWEST).values() == LOWEST_SCORES


@pytest.mark.parametrize(
    ("item_id", "changed"),
    [
        ("S1", {"signs": 4 / 6, "lonely": 4.0}),
        ("S2", {"signs": 4 / 6, "surface_talk": 4.0}),
        ("S3", {"signs": 4 / 6, "wants_closeness": 4.0}),
        ("S4", {"signs": 4 / 6, "avoid_depth": 4.0}),
        ("S5", {"signs": 4 / 6, "resignation": 4.0}),
        ("S6", {"signs": 4 / 6, "unseen": 4.0}),
        ("E1", {"losing_strategies": 4 / 5, "being_right": 4.0}),
        ("E2", {"losing_strategies": 4 / 5, "controlling": 4.0}),
        ("E3", {"losing_strategies": 4 / 5, "harsh_expression": 4.0}),
        ("E4", {"losing_strategies": 4 / 5, "retaliation": 4.0}),
        ("E5", {"losing_strategies": 4 / 5, "withdrawal": 4.0}),
        ("F1", {"protective": 4 / 3, "fixing": 4.0}),
        ("F2", {"protective": 4 / 3, "hiding_needs": 4.0}),
        ("F3", {"protective": 4 / 3, "minimizing_needs": 4.0}),
        ("G1", {"over_functioning": 3.0}),
        ("G2", {"under_functioning": 5.0}),
        ("G3", {"over_functioning": 3.0}),
        ("G4", {"parent_child": 5.0}),
        ("G5", {"one_up": 5.0}),
        ("G6", {"one_down": 5.0}),
        ("G7", {"desire_loss": 5.0}),
        ("H1", {"repair": 4 / 5}),
        ("H2", {"repair": 4 / 5}),
        ("H3", {"repair": 4 / 5}),
        ("H4", {"repair": 4 / 5}),
        ("H5", {"repair": 4 / 5}),
    ],
)
def test_it_moves_only_the_scales_of_an_item_raised_to_its_top_answer(item_id, changed):
    top = 5 if item_id in AGREE_ITEMS else 4

    result = score("connection", {**LOWEST, item_id: top}).values()

    assert result == pytest.approx({**LOWEST_SCORES, **changed})


def test_it_scores_profiles_as_means_and_single_scales_as_the_answer():
    assert score("connection", MIXED).values() == pytest.approx(
        {
            "signs": 12 / 6,  # 0 + 1 + 3 + 4 + 1 + 3
            "losing_strategies": 11 / 5,  # 4 + 3 + 1 + 0 + 3
            "protective": 8 / 3,  # 1 + 4 + 3
            "repair": 11 / 5,  # 3 + 0 + 4 + 1 + 3
            "lonely": 0.0,
            "surface_talk": 1.0,
            "wants_closeness": 3.0,
            "avoid_depth": 4.0,
            "resignation": 1.0,
            "unseen": 3.0,
            "being_right": 4.0,
            "controlling": 3.0,
            "harsh_expression": 1.0,
            "retaliation": 0.0,
            "withdrawal": 3.0,
            "fixing": 1.0,
            "hiding_needs": 4.0,
            "minimizing_needs": 3.0,
            "over_functioning": 9 / 2,  # G1 5 + G3 4
            "under_functioning": 1.0,
            "parent_child": 2.0,
            "one_up": 5.0,
            "one_down": 1.0,
            "desire_loss": 4.0,
        }
    )


def test_it_scores_repair_from_four_of_five_items():
    answers = {k: v for k, v in MIXED.items() if k != "H1"}

    result = score("connection", answers).scales["repair"]

    assert result.value == pytest.approx(8 / 4)  # 0 + 4 + 1 + 3
    assert result.answered == 4


@pytest.mark.parametrize(
    ("skipped", "scale_id", "value"),
    [
        ("S1", "signs", 12 / 5),  # 1 + 3 + 4 + 1 + 3; the file allows 5 of 6
        ("E1", "losing_strategies", 7 / 4),  # 3 + 1 + 0 + 3; the file allows 4 of 5
    ],
)
def test_it_scores_a_profile_from_the_fewest_answers_its_file_allows(skipped, scale_id, value):
    answers = {k: v for k, v in MIXED.items() if k != skipped}

    result = score("connection", answers).scales[scale_id]

    assert result.value == pytest.approx(value)


def test_it_refuses_repair_with_two_items_missing():
    answers = {k: v for k, v in MIXED.items() if k not in ("H1", "H2")}

    with pytest.raises(AnswerError) as excinfo:
        score("connection", answers)

    assert excinfo.value.item == "H1"
    assert "needs at least 4 of 5" in str(excinfo.value)


def test_it_rejects_a_frequency_answer_of_5():
    with pytest.raises(AnswerError) as excinfo:
        score("connection", {**MIXED, "S3": 5})

    assert (excinfo.value.item, excinfo.value.value) == ("S3", 5)
    assert "0–4" in str(excinfo.value)


def test_it_keeps_one_up_and_one_down_apart_instead_of_a_power_mean():
    instrument = get("connection")
    scale_ids = {s.id for s in instrument.scales}

    assert "power" not in scale_ids
    assert instrument.scale("one_up").items == ("G5",)
    assert instrument.scale("one_down").items == ("G6",)
    assert "same-as" in instrument.scale("one_up").description
    assert "same-as" in instrument.scale("one_down").description


def test_every_scale_is_unvalidated_like_the_instrument():
    assert not any(s.validated for s in get("connection").scales)
