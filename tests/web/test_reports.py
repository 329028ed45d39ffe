"""The couple report in the browser and the API: built from exactly what each partner shared."""

from __future__ import annotations

import pytest

from attunement.web.assessments.models import Answer
from attunement.web.couples import services as couples
from insight_vignettes import ALEX, SAM
from web.conftest import client_for

SHAREABLE = ["csi4", "ecr_rs", "cpq_sf", "ucla3", "connection"]


def answer_all(user, answers):
    Answer.objects.bulk_create(
        Answer(owner=user, instrument=instrument, item=item, value=value)
        for instrument, items in answers.items()
        for item, value in items.items()
    )


@pytest.fixture
def answered(alex, sam, couple):
    answer_all(alex, ALEX.answers)
    answer_all(sam, SAM.answers)
    return couple


def test_the_report_names_the_cycle_when_both_share_the_communication_scores(alex, sam, answered):
    couples.set_sharing(alex, SHAREABLE)
    couples.set_sharing(sam, SHAREABLE)
    page = client_for(alex).get("/report/").content.decode()
    assert "The reach-and-retreat cycle" in page
    assert "Alex tends to reach out" in page and "Sam tends to go quiet" in page


def test_nothing_a_partner_did_not_share_reaches_the_report(alex, sam, answered):
    couples.set_sharing(alex, SHAREABLE)
    couples.set_sharing(sam, ["csi4"])  # not the communication patterns
    body = client_for(alex).get("/api/report").json()
    assert "The reach-and-retreat cycle" not in client_for(alex).get("/report/").content.decode()
    sam_scores = next(p for p in body["partners"] if p["name"] == "Sam")["scores"]
    assert {s["instrument"] for s in sam_scores} == {"csi4"}


def test_unsharing_takes_the_scores_out_of_the_report_at_once(alex, sam, answered):
    couples.set_sharing(alex, SHAREABLE)
    couples.set_sharing(sam, SHAREABLE)
    couples.set_sharing(sam, [])
    body = client_for(alex).get("/api/report").json()
    assert next(p for p in body["partners"] if p["name"] == "Sam")["scores"] == []


def test_alone_the_report_is_about_your_own_side_in_the_second_person(alex):
    answer_all(alex, ALEX.answers)
    page = client_for(alex).get("/report/").content.decode()
    assert "you tend to reach out" in page
    assert "Sam" not in page


def test_each_partner_sees_the_report_from_their_own_side(alex, sam, answered):
    couples.set_sharing(alex, SHAREABLE)
    couples.set_sharing(sam, SHAREABLE)
    assert client_for(alex).get("/api/report").json()["audience"] == "a"
    assert client_for(sam).get("/api/report").json()["audience"] == "b"


def test_a_positive_safety_screen_is_private_to_the_person_who_answered(alex, sam, answered):
    couples.set_sharing(alex, SHAREABLE)
    couples.set_sharing(sam, SHAREABLE)
    before = client_for(alex).get("/api/report").json()
    Answer.objects.filter(owner=sam, instrument="hark", item="A").update(value=1)
    assert client_for(alex).get("/api/report").json() == before
    assert "Only you can see this" in client_for(sam).get("/report/").content.decode()
    assert "Only you can see this" not in client_for(alex).get("/report/").content.decode()


def test_the_report_downloads_as_a_pdf(alex):
    answer_all(alex, ALEX.answers)
    response = client_for(alex).get("/report/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="attunement-report.pdf"'


def test_the_report_needs_a_signed_in_person(db):
    assert client_for(None).get("/report/").status_code == 302
    assert client_for(None).get("/api/report").status_code == 401


def test_without_a_pdf_engine_the_pdf_link_says_so_and_leads_back(alex, monkeypatch):
    from attunement.errors import AttunementError
    from attunement.insight import render as report_render
    from web.conftest import client_for

    def no_engine(view):
        raise AttunementError("WeasyPrint is not installed")

    monkeypatch.setattr(report_render, "to_pdf", no_engine)
    response = client_for(alex).get("/report/pdf/")
    page = response.content.decode()
    assert response.status_code == 501
    assert "You can print the report page from your browser" in page
    assert 'href="/report/">Back to the report' in page
