"""A case says who took back which consent, and shows one support level everywhere."""

from __future__ import annotations

import re

import pytest

from attunement.instruments.library import get
from attunement.web.assessments import services as assessments
from attunement.web.therapists import services
from attunement.web.therapists.models import Case
from web.conftest import client_for
from web.matrix_data import ALEX_ANSWERS, SAM_ANSWERS, give_answers
from web.test_therapists import text_of
from web.therapist_world import (
    EVERYTHING,
    grant_of,
    make_therapist,
    open_case,
    verified_client,
    weekly_checkins,
)

LEVEL = re.compile(
    r"Support level: (Self-guided|Consider more support|"
    r"Professional support recommended|Individual support first) ?\."
)


@pytest.fixture
def riley(db):
    return make_therapist("riley@example.org", "Riley")


def levels(response) -> list[str]:
    return LEVEL.findall(text_of(response))


def three_pages(riley, case: Case) -> dict[str, list[str]]:
    therapist = verified_client(riley)
    return {
        "caseload": levels(therapist.get("/therapist/")),
        "case": levels(therapist.get(f"/therapist/cases/{case.pk}/")),
        "summary": levels(therapist.get(f"/therapist/cases/{case.pk}/summary/")),
    }


# Who withdrew which consent


def test_a_withdrawn_consent_is_named_instead_of_waiting_for_someone_to_accept(
    riley, alex, sam, couple
):
    case = open_case(riley, {alex: EVERYTHING, sam: ["couple_report", "checkin_trends"]})
    client_for(sam).post(f"/therapist/consent/{grant_of(case, sam)}/withdraw/")
    page = text_of(verified_client(riley).get(f"/therapist/cases/{case.pk}/"))
    assert re.search(r"Sam withdrew their consent on [^(]+\(couple report, check-in trends\)", page)
    assert "Waiting for one more person" not in page
    assert "Make a new invitation link" in page


def test_a_place_nobody_took_still_waits_for_the_invitation(riley, alex, couple):
    case = open_case(riley, {alex: EVERYTHING})
    page = text_of(verified_client(riley).get(f"/therapist/cases/{case.pk}/"))
    assert "Waiting for one more person to accept the invitation." in page
    assert "withdrew" not in page


def test_scopes_taken_back_are_named_with_who_and_which(riley, alex, sam, couple):
    case = open_case(riley, {alex: EVERYTHING, sam: EVERYTHING})
    services.set_scopes(sam, grant_of(case, sam), ["couple_report"])
    therapist = verified_client(riley)
    page = text_of(therapist.get(f"/therapist/cases/{case.pk}/"))
    assert re.search(r"Sam stopped sharing, on [^:]+: check-in trends, practice activity\.", page)
    assert "Alex stopped" not in page and "Alex withdrew" not in page
    summary = text_of(therapist.get(f"/therapist/cases/{case.pk}/summary/"))
    assert "Sam stopped sharing" in summary


def test_granting_a_scope_again_takes_it_off_the_withdrawn_list(riley, alex, sam, couple):
    case = open_case(riley, {alex: EVERYTHING, sam: EVERYTHING})
    services.set_scopes(sam, grant_of(case, sam), ["couple_report"])
    services.set_scopes(sam, grant_of(case, sam), ["couple_report", "checkin_trends"])
    page = text_of(verified_client(riley).get(f"/therapist/cases/{case.pk}/"))
    assert re.search(r"Sam stopped sharing, on [^:]+: practice activity\.", page)
    services.set_scopes(sam, grant_of(case, sam), EVERYTHING)
    assert "stopped sharing" not in text_of(
        verified_client(riley).get(f"/therapist/cases/{case.pk}/")
    )


def test_someone_who_withdrew_and_joined_again_is_a_client_not_a_withdrawal(
    riley, alex, sam, couple
):
    case = open_case(riley, {alex: EVERYTHING, sam: EVERYTHING})
    services.revoke(sam, grant_of(case, sam))
    _, token = services.new_invitation(riley, case.pk)
    services.accept(sam, token, EVERYTHING)
    page = text_of(verified_client(riley).get(f"/therapist/cases/{case.pk}/"))
    assert "withdrew" not in page and "Waiting for" not in page


# One support level, the same on every page


def test_the_reports_level_shows_on_the_caseload_the_case_and_the_summary(riley, alex, sam, couple):
    give_answers(alex, ALEX_ANSWERS)  # the reach-and-retreat cycle, both dissatisfied
    give_answers(sam, SAM_ANSWERS)
    weekly_checkins(alex, [16, 16, 17])  # check-ins that call for nothing more
    weekly_checkins(sam, [17, 16, 17])
    case = open_case(riley, {alex: EVERYTHING, sam: EVERYTHING})
    shown = three_pages(riley, case)
    assert shown == {page: ["Professional support recommended"] for page in shown}
    case_page = text_of(verified_client(riley).get(f"/therapist/cases/{case.pk}/"))
    assert (
        "From the couple report's findings; the check-ins alone would call for less." in case_page
    )
    assert "Self-guided" not in case_page


def test_check_ins_raise_the_level_everywhere_and_say_so(riley, alex, sam, couple):
    weekly_checkins(alex, [16, 12, 10, 9, 8, 8])  # a reliable drop, weeks below the cut-off
    weekly_checkins(sam, [16, 12, 10, 9, 8, 8])
    case = open_case(riley, {alex: ["checkin_trends"], sam: ["checkin_trends"]})
    shown = three_pages(riley, case)
    assert shown == {page: ["Professional support recommended"] for page in shown}
    page = text_of(verified_client(riley).get(f"/therapist/cases/{case.pk}/"))
    assert "From the shared check-ins; no scores are shared for a couple report." in page


def test_when_report_and_check_ins_agree_the_page_says_so(riley, alex, sam, couple):
    give_answers(alex, ALEX_ANSWERS)
    give_answers(sam, SAM_ANSWERS)
    weekly_checkins(alex, [16, 12, 10, 9, 8, 8])
    weekly_checkins(sam, [16, 12, 10, 9, 8, 8])
    case = open_case(riley, {alex: EVERYTHING, sam: EVERYTHING})
    shown = three_pages(riley, case)
    assert shown == {page: ["Professional support recommended"] for page in shown}
    page = text_of(verified_client(riley).get(f"/therapist/cases/{case.pk}/"))
    assert "From the couple report's findings; the check-ins call for the same." in page


def test_with_nothing_shared_no_level_is_claimed(riley, alex, sam, couple):
    case = open_case(riley, {alex: [], sam: []})
    assert three_pages(riley, case) == {"caseload": [], "case": [], "summary": []}


def test_new_answers_make_the_caseload_level_be_worked_out_again(riley, alex, sam, couple):
    case = open_case(riley, {alex: EVERYTHING, sam: EVERYTHING})
    verified_client(riley).get("/therapist/")
    assert Case.objects.get(pk=case.pk).status_on is not None
    csi4 = get("csi4")
    assessments.save_page(alex, csi4, dict.fromkeys(csi4.item_ids, 0))
    assert Case.objects.get(pk=case.pk).status_on is None
