"""Choosing what to share with a partner: scale scores per instrument, never answers or screens."""

from __future__ import annotations

import re

import pytest

from attunement.insight import REPORT_INSTRUMENTS
from attunement.instruments.library import library
from attunement.web.couples import services
from attunement.web.couples.models import Share
from insight_vignettes import ALEX
from web.conftest import client_for
from web.test_reports import answer_all

SCREENS = [i.id for i in library().values() if i.screen is not None]
SHAREABLE = [i.id for i in library().values() if i.screen is None]
# What Alex has answered: the core battery (the deep dives and the check-in are not among it).
ANSWERED = ["csi4", "ecr_rs", "cpq_sf", "ucla3", "connection"]


@pytest.fixture
def answered(alex, couple):
    answer_all(alex, ALEX.answers)
    return couple


def ticked(content: str) -> list[str]:
    return re.findall(r'<input type="checkbox"[^>]*value="(\w+)"[^>]*checked', content)


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


def test_the_page_offers_every_answered_questionnaire_and_never_a_safety_screen(alex, answered):
    content = client_for(alex).get("/couple/sharing/").content.decode()
    offered = re.findall(r'<input type="checkbox"[^>]*value="(\w+)"', content)
    assert sorted(offered) == sorted(ANSWERED)
    for instrument_id in SCREENS:
        assert f'value="{instrument_id}"' not in content


def test_questionnaires_not_answered_are_not_offered(alex, couple):
    content = client_for(alex).get("/couple/sharing/").content.decode()
    assert 'type="checkbox"' not in content
    assert "There is nothing to share yet" in content
    assert "Share what the couple report needs" not in content


def test_a_questionnaire_shared_earlier_stays_on_the_list_to_be_unshared(alex, sam, couple):
    services.set_sharing(alex, ["csi16"])  # shared, though not answered here
    content = client_for(alex).get("/couple/sharing/").content.decode()
    assert ticked(content) == ["csi16"]
    client_for(alex).post("/couple/sharing/", {})
    assert services.shared_scores_visible_to(sam) == []


def test_an_unanswered_questionnaire_cannot_be_shared_through_the_form(alex, answered):
    response = client_for(alex).post("/couple/sharing/", {"instruments": ["csi4", "csi16"]})
    assert b"errorlist" in response.content
    assert not Share.objects.exists()


def test_the_report_instruments_are_the_ones_its_findings_read():
    assert REPORT_INSTRUMENTS == ("csi4", "ecr_rs", "cpq_sf", "ucla3", "connection")
    assert not set(REPORT_INSTRUMENTS) & set(SCREENS)


def test_the_page_says_which_results_the_couple_report_uses(alex, answered):
    content = client_for(alex).get("/couple/sharing/").content.decode()
    assert "What the couple report needs" in content
    for instrument in services.report_instruments():
        assert instrument.short_title in content
    assert "who tends to press and who tends to pull back" in content


def test_one_step_shares_what_the_couple_report_needs(alex, sam, answered):
    services.set_sharing(alex, ["csi4"])
    response = client_for(alex).post("/couple/sharing/", {"share": "report"})
    assert response.status_code == 302
    assert sorted(services.shared_scores_visible_to(sam)) == sorted(REPORT_INSTRUMENTS)
    content = client_for(alex).get("/couple/sharing/").content.decode()
    assert sorted(ticked(content)) == sorted(ANSWERED)
    assert "You share everything the report needs" in content
    assert "Share what the couple report needs" not in content


def test_the_one_step_shares_only_what_was_answered_and_keeps_other_shares(alex, sam, couple):
    answer_all(alex, {"csi4": ALEX.answers["csi4"], "ucla3": ALEX.answers["ucla3"]})
    services.set_sharing(alex, ["csi16"])
    page = client_for(alex).get("/couple/sharing/").content.decode()
    assert "(not answered yet)" in page
    client_for(alex).post("/couple/sharing/", {"share": "report"})
    assert services.shared_instruments(alex) == sorted(
        ["csi4", "ucla3", "csi16"], key=[i.id for i in services.shareable_instruments()].index
    )


def test_what_the_one_step_shared_can_be_unshared_one_at_a_time(alex, sam, answered):
    client_for(alex).post("/couple/sharing/", {"share": "report"})
    keep = [i for i in ANSWERED if i != "cpq_sf"]
    client_for(alex).post("/couple/sharing/", {"instruments": keep})
    assert sorted(services.shared_scores_visible_to(sam)) == sorted(keep)


def test_the_one_step_never_shares_a_safety_screen(alex, sam, answered):
    client_for(alex).post("/couple/sharing/", {"share": "report", "instruments": SCREENS})
    assert not set(services.shared_instruments(alex)) & set(SCREENS)
    assert not Share.objects.filter(instrument__in=SCREENS).exists()


def test_an_unpaired_person_cannot_use_the_one_step(alex):
    answer_all(alex, ALEX.answers)
    client_for(alex).post("/couple/sharing/", {"share": "report"})
    assert not Share.objects.exists()


def test_the_page_says_in_plain_words_what_sharing_means(alex, answered):
    content = client_for(alex).get("/couple/sharing/").content.decode().replace("&#x27;", "'")
    assert "lets Sam see your scale scores" in content
    assert "Sam does not see those answers" in content
    assert "sharing them shows Sam exactly how you answered that one question" in content
    assert "stop sharing, at any time" in content


def test_the_page_lists_every_single_answer_the_partner_would_see(alex, answered):
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


def test_choosing_instruments_shares_their_scores_with_the_partner(alex, sam, answered):
    response = client_for(alex).post("/couple/sharing/", {"instruments": ["csi4", "ucla3"]})
    assert response.status_code == 302
    assert services.shared_instruments(alex) == ["csi4", "ucla3"]
    assert services.shared_scores_visible_to(sam) == ["csi4", "ucla3"]


def test_the_page_shows_what_is_already_shared(alex, answered):
    services.set_sharing(alex, ["ecr_rs"])
    content = client_for(alex).get("/couple/sharing/").content.decode()
    assert ticked(content) == ["ecr_rs"]


def test_unticking_an_instrument_stops_sharing_it(alex, sam, answered):
    services.set_sharing(alex, ["csi4", "ucla3"])
    client_for(alex).post("/couple/sharing/", {"instruments": ["ucla3"]})
    assert services.shared_scores_visible_to(sam) == ["ucla3"]


def test_unticking_everything_stops_all_sharing(alex, sam, answered):
    services.set_sharing(alex, ["csi4", "ucla3"])
    client_for(alex).post("/couple/sharing/", {})
    assert services.shared_scores_visible_to(sam) == []


@pytest.mark.parametrize("screen", SCREENS)
def test_a_safety_screen_cannot_be_shared_through_the_form(screen, alex, answered):
    response = client_for(alex).post("/couple/sharing/", {"instruments": ["csi4", screen]})
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert not Share.objects.exists()


def test_an_unknown_instrument_cannot_be_shared_through_the_form(alex, answered):
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
