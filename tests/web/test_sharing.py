"""Choosing what to share with a partner: scale scores per instrument, never answers or screens."""

from __future__ import annotations

import re

import pytest

from attunement.instruments.library import library
from attunement.web.couples import services
from attunement.web.couples.models import Share
from web.conftest import client_for

SCREENS = [i.id for i in library().values() if i.screen is not None]
SHAREABLE = [i.id for i in library().values() if i.screen is None]


def test_there_are_screens_to_keep_private_and_instruments_to_share():
    assert set(SCREENS) >= {"hark", "asq"}
    assert "csi4" in SHAREABLE


def test_the_sharing_page_asks_a_visitor_to_sign_in(db):
    response = client_for(None).get("/couple/sharing/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_unpaired_person_is_shown_how_pairing_works_instead(alex):
    response = client_for(alex).get("/couple/sharing/")
    assert response.status_code == 200
    assert b"This part opens once you" in response.content
    assert b'type="checkbox"' not in response.content


def test_an_unpaired_person_cannot_share_anything(alex):
    client_for(alex).post("/couple/sharing/", {"instruments": ["csi4"]})
    assert not Share.objects.exists()


def test_the_page_offers_every_instrument_except_the_safety_screens(alex, couple):
    content = client_for(alex).get("/couple/sharing/").content.decode()
    for instrument_id in SHAREABLE:
        assert f'value="{instrument_id}"' in content
    for instrument_id in SCREENS:
        assert f'value="{instrument_id}"' not in content


def test_the_page_says_in_plain_words_what_sharing_means(alex, couple):
    content = client_for(alex).get("/couple/sharing/").content.decode().replace("&#x27;", "'")
    assert "lets Sam see your scale scores" in content
    assert "Sam does not see those answers" in content
    assert "sharing them shows Sam exactly how you answered that one question" in content
    assert "stop sharing, at any time" in content


def test_the_page_lists_every_single_answer_the_partner_would_see(alex, couple):
    content = client_for(alex).get("/couple/sharing/").content.decode().replace("&#x27;", "'")
    assert "Single answers Sam will see" in content
    connection = library()["connection"]
    for scale in connection.scales:
        question = connection.item(scale.items[0]).text
        if len(scale.items) == 1:
            assert f"{scale.title}: “{question}”" in content, scale.id
    cpq = library()["cpq_sf"]
    assert cpq.item("B5").text in content.replace("\n", " ")
    # Scores that combine several answers are not listed as single answers.
    assert "Signs of distance:" not in content


def test_the_single_answers_are_exactly_the_one_item_scores():
    listed = {
        (instrument.id, title)
        for instrument, answers in services.single_answers()
        for title, _ in answers
    }
    expected = {
        (i.id, s.title)
        for i in library().values()
        if i.screen is None
        for s in i.scales
        if len(s.items) == 1
    }
    assert listed == expected
    assert ("connection", "One up in arguments") in listed
    assert ("cpq_sf", "Both of us blame each other") in listed
    assert not any(i == "hark" or i == "asq" for i, _ in listed)


def test_choosing_instruments_shares_their_scores_with_the_partner(alex, sam, couple):
    response = client_for(alex).post("/couple/sharing/", {"instruments": ["csi4", "ucla3"]})
    assert response.status_code == 302
    assert services.shared_instruments(alex) == ["csi4", "ucla3"]
    assert services.shared_scores_visible_to(sam) == ["csi4", "ucla3"]


def test_the_page_shows_what_is_already_shared(alex, couple):
    services.set_sharing(alex, ["ecr_rs"])
    content = client_for(alex).get("/couple/sharing/").content.decode()
    ticked = re.findall(r'<input type="checkbox"[^>]*value="(\w+)"[^>]*checked', content)
    assert ticked == ["ecr_rs"]


def test_unticking_an_instrument_stops_sharing_it(alex, sam, couple):
    services.set_sharing(alex, ["csi4", "ucla3"])
    client_for(alex).post("/couple/sharing/", {"instruments": ["ucla3"]})
    assert services.shared_scores_visible_to(sam) == ["ucla3"]


def test_unticking_everything_stops_all_sharing(alex, sam, couple):
    services.set_sharing(alex, ["csi4", "ucla3"])
    client_for(alex).post("/couple/sharing/", {})
    assert services.shared_scores_visible_to(sam) == []


@pytest.mark.parametrize("screen", SCREENS)
def test_a_safety_screen_cannot_be_shared_through_the_form(screen, alex, couple):
    response = client_for(alex).post("/couple/sharing/", {"instruments": ["csi4", screen]})
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert not Share.objects.exists()


def test_an_unknown_instrument_cannot_be_shared_through_the_form(alex, couple):
    response = client_for(alex).post("/couple/sharing/", {"instruments": ["diary"]})
    assert b"errorlist" in response.content
    assert not Share.objects.exists()


@pytest.mark.parametrize("instrument_id", [*SCREENS, "diary"])
def test_the_service_refuses_screens_and_unknown_instruments(instrument_id, alex, couple):
    with pytest.raises(services.NotShareable):
        services.set_sharing(alex, ["csi4", instrument_id])
    assert not Share.objects.exists()


def test_the_service_refuses_to_share_without_a_partner(alex):
    with pytest.raises(services.NotPaired):
        services.set_sharing(alex, ["csi4"])


def test_each_partner_chooses_only_for_themselves(alex, sam, couple):
    services.set_sharing(alex, ["csi4"])
    services.set_sharing(sam, ["ucla3"])
    assert services.shared_scores_visible_to(alex) == ["ucla3"]
    assert services.shared_scores_visible_to(sam) == ["csi4"]


def test_another_couple_never_sees_what_alex_shares(alex, couple, casey, other_couple, olive):
    services.set_sharing(alex, ["csi4"])
    assert services.shared_scores_visible_to(casey) == []
    assert services.shared_scores_visible_to(olive) == []


def test_a_stray_screen_share_never_reaches_the_partner(alex, sam, couple):
    Share.objects.create(owner=alex, couple=couple, instrument="hark")
    assert services.shared_scores_visible_to(sam) == []


def test_shares_of_an_ended_couple_are_not_visible_after_pairing_again(alex, sam, couple, olive):
    services.set_sharing(alex, ["csi4"])
    services.unpair(sam)
    _, token = services.invite(olive)
    services.redeem(alex, token)
    assert services.shared_scores_visible_to(olive) == []
    assert services.shared_scores_visible_to(sam) == []
