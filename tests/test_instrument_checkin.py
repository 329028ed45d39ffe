"""Scoring key of the weekly check-in: the CSI-4 plus three connection items of ours."""

import pytest

from attunement.errors import AnswerError
from attunement.instruments.library import battery, get, library
from attunement.instruments.model import LicenceStatus, Source
from attunement.instruments.scoring import score

CSI = {"1": 4, "2": 3, "3": 5, "4": 1}
CSI_ITEMS = ["1", "2", "3", "4"]
OURS = ["W1", "W2", "W3"]


@pytest.mark.parametrize("item_id", CSI_ITEMS)
def test_its_first_four_items_are_the_csi4_word_for_word(item_id):
    ours, published = get("checkin").item(item_id), get("csi4").item(item_id)

    assert ours.text == published.text
    assert (ours.scale.min, ours.scale.max) == (published.scale.min, published.scale.max)
    assert ours.scale.labels == published.scale.labels
    assert ours.reverse is published.reverse is False


def test_its_total_is_the_csi4_total_for_any_answers():
    for answers in ({"1": 0, "2": 0, "3": 0, "4": 0}, CSI, {"1": 6, "2": 5, "3": 5, "4": 5}):
        expected = score("csi4", answers).values()["total"]
        assert score("checkin", answers).values()["total"] == expected


def test_its_total_has_the_csi4_range_and_published_bands():
    ours, published = get("checkin").scale("total"), get("csi4").scale("total")

    assert ours.range == published.range == (0.0, 21.0)
    assert ours.bands == published.bands
    assert all(band.source is Source.PUBLISHED for band in ours.bands)


@pytest.mark.parametrize(
    ("answers", "label"),
    [
        ({"1": 4, "2": 3, "3": 5, "4": 1}, "notable dissatisfaction"),  # 13
        ({"1": 4, "2": 3, "3": 5, "4": 2}, "no notable dissatisfaction"),  # 14
    ],
)
def test_it_bands_the_total_at_the_published_cut_off_of_13_5(answers, label):
    band = score("checkin", answers).scales["total"].band

    assert band is not None
    assert band.label == label


def test_it_cites_funk_and_rogge_and_keeps_the_csi_licence_note():
    checkin = get("checkin")

    assert "Funk JL, Rogge RD" in checkin.citation
    assert "10.1037/0893-3200.21.4.572" in checkin.citation
    assert checkin.licence.status is LicenceStatus.FREE_USE
    assert "free for research and clinical use" in checkin.licence.note
    assert "commercial use is not addressed" in checkin.licence.note
    assert "Attunement's own" in checkin.licence.note


def test_its_connection_items_are_ours_and_say_so():
    checkin = get("checkin")
    connection = checkin.scale("connection")

    assert "Attunement team" in checkin.citation
    assert "not validated" in connection.description
    assert connection.bands == ()  # no norms, so no cut-off


@pytest.mark.parametrize("item_id", OURS)
def test_its_connection_items_ask_about_the_past_week_from_never_to_almost_always(item_id):
    item = get("checkin").item(item_id)

    assert item.text.startswith("This past week")
    assert (item.scale.min, item.scale.max) == (0, 4)
    assert (item.scale.labels[0], item.scale.labels[4]) == ("Never", "Almost always")
    assert not item.reverse


def test_higher_connection_answers_mean_more_connection():
    low = score("checkin", {**CSI, "W1": 0, "W2": 0, "W3": 0}).values()["connection"]
    high = score("checkin", {**CSI, "W1": 4, "W2": 4, "W3": 4}).values()["connection"]

    assert (low, high) == (0.0, 4.0)


def test_the_connection_score_is_the_mean_of_the_answered_items():
    assert score("checkin", {**CSI, "W1": 1, "W2": 2, "W3": 4}).values() == {
        "total": 13.0,
        "connection": pytest.approx(7 / 3),
    }
    assert score("checkin", {**CSI, "W1": 1, "W3": 4}).values()["connection"] == 2.5


def test_too_few_connection_answers_leave_the_connection_score_out_but_keep_the_total():
    assert score("checkin", {**CSI, "W2": 3}).values() == {"total": 13.0}
    assert score("checkin", CSI).values() == {"total": 13.0}


@pytest.mark.parametrize("item_id", CSI_ITEMS)
def test_the_total_still_needs_all_four_csi_items(item_id):
    answers = {k: v for k, v in {**CSI, "W1": 2, "W2": 2}.items() if k != item_id}

    with pytest.raises(AnswerError) as excinfo:
        score("checkin", answers)

    assert excinfo.value.item == item_id
    assert "is required" in str(excinfo.value)


def test_it_rejects_5_on_a_connection_item():
    with pytest.raises(AnswerError) as excinfo:
        score("checkin", {**CSI, "W1": 5})

    assert (excinfo.value.instrument, excinfo.value.item, excinfo.value.value) == (
        "checkin",
        "W1",
        5,
    )


def test_it_is_the_weekly_check_in_and_not_part_of_the_battery():
    assert battery()["checkin"] == ["checkin"]
    assert "checkin" not in battery()["core"]
    assert "checkin" not in battery()["deep_dives"]
    assert "checkin" in library()
