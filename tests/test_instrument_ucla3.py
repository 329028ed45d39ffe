"""Scoring key of the 3-item UCLA loneliness scale."""

import pytest

from attunement.errors import AnswerError
from attunement.instruments.library import get
from attunement.instruments.model import Source
from attunement.instruments.scoring import score

ALL_ONES = {"1": 1, "2": 1, "3": 1}

# Hughes et al. 2004, as quoted in INSTRUMENTS-REFERENCE.md.
PUBLISHED_WORDING = [
    ("1", "How often do you feel that you lack companionship?"),
    ("2", "How often do you feel left out?"),
    ("3", "How often do you feel isolated from others?"),
]


@pytest.mark.parametrize(("item_id", "text"), PUBLISHED_WORDING)
def test_it_uses_the_published_wording(item_id, text):
    assert get("ucla3").item(item_id).text == text


def test_it_answers_hardly_ever_1_some_of_the_time_2_often_3():
    assert get("ucla3").item("1").scale.labels == {
        1: "Hardly ever",
        2: "Some of the time",
        3: "Often",
    }


def test_it_scores_all_hardly_ever_as_3_so_no_item_is_reverse_keyed():
    assert score("ucla3", ALL_ONES).values() == {"total": 3.0}


@pytest.mark.parametrize("item_id", ["1", "2", "3"])
def test_it_adds_each_item_to_the_total(item_id):
    assert score("ucla3", {**ALL_ONES, item_id: 3}).values() == {"total": 5.0}


def test_it_sums_the_three_items():
    # 3 + 1 + 3 = 7; a mean would be 2.33.
    assert score("ucla3", {"1": 3, "2": 1, "3": 3}).values() == {"total": 7.0}


@pytest.mark.parametrize(
    ("answers", "total", "label"),
    [
        ({"1": 1, "2": 1, "3": 1}, 3.0, "less lonely"),
        ({"1": 3, "2": 1, "3": 1}, 5.0, "less lonely"),
        ({"1": 1, "2": 3, "3": 2}, 6.0, "lonely"),
        ({"1": 3, "2": 3, "3": 3}, 9.0, "lonely"),
    ],
)
def test_it_calls_6_or_more_lonely(answers, total, label):
    result = score("ucla3", answers).scales["total"]

    assert result.value == total
    assert result.band is not None
    assert result.band.label == label


def test_it_marks_the_lonely_threshold_as_ours_not_published():
    bands = get("ucla3").scale("total").bands

    assert [b.source for b in bands] == [Source.OURS, Source.OURS]


@pytest.mark.parametrize("item_id", ["1", "2", "3"])
def test_it_needs_all_three_items(item_id):
    answers = {k: v for k, v in {"1": 3, "2": 1, "3": 3}.items() if k != item_id}

    with pytest.raises(AnswerError) as excinfo:
        score("ucla3", answers)

    assert excinfo.value.item == item_id


@pytest.mark.parametrize("value", [0, 4, "2", 2.0, True])
def test_it_rejects_answers_that_are_not_whole_numbers_from_1_to_3(value):
    with pytest.raises(AnswerError) as excinfo:
        score("ucla3", {**ALL_ONES, "2": value})

    assert (excinfo.value.instrument, excinfo.value.item) == ("ucla3", "2")
    assert excinfo.value.value == value
