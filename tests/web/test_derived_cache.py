"""Cached reports and home pages show a change at once, and never more than the partner shares."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
import yaml
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attunement.web.assessments import rescreen
from attunement.web.assessments import services as assessments
from attunement.web.checkins import services as checkins
from attunement.web.core import demo
from attunement.web.couples import services as couples
from web.conftest import client_for
from web.matrix_data import normalise
from web.test_checkins import HAPPY, LOW
from web.test_journal import text_of as raw_text


def text_of(response) -> str:
    return normalise(raw_text(response).encode()).decode()  # without CSRF tokens


DEMO = yaml.safe_load(demo.DEMO_FILE.read_text(encoding="utf-8"))["people"]


def give_answers(person, which: int = 0) -> None:
    """Answer every questionnaire through the service the pages use."""
    for instrument_id, items in DEMO[which]["answers"].items():
        chosen = assessments.instrument(instrument_id)
        assessments.save_page(person, chosen, {str(k): v for k, v in items.items()})


def test_an_unshare_shows_on_the_partner_s_report_at_once(alex, sam, couple):
    give_answers(alex)
    give_answers(sam, 1)
    everything = [i.id for i in couples.shareable_instruments()]
    couples.set_sharing(sam, everything)
    report = reverse("reports:report")
    shared = text_of(client_for(alex).get(report))
    assert text_of(client_for(alex).get(report)) == shared  # served from the cache
    couples.set_sharing(sam, [])
    assert text_of(client_for(alex).get(report)) != shared
    couples.set_sharing(sam, everything)
    assert text_of(client_for(alex).get(report)) == shared


def test_a_changed_answer_shows_on_the_home_page_and_report_at_once(alex):
    home = client_for(alex).get("/")
    assert "Start the Check" in text_of(home)
    give_answers(alex)
    assert "Start the Check" not in text_of(client_for(alex).get("/"))


def test_a_new_check_in_shows_on_the_report_at_once(alex):
    start = datetime(2026, 9, 6, 18, tzinfo=UTC)
    for week, answers in enumerate([HAPPY, HAPPY]):
        checkins.take(alex, answers, now=start + timedelta(weeks=week))
    report = reverse("reports:report")
    with time_machine.travel(datetime(2026, 9, 21, 20, tzinfo=UTC), tick=False):
        assert "Since this report" not in text_of(client_for(alex).get(report))
        checkins.take(alex, LOW, now=start + timedelta(weeks=2))
        assert "Since this report" in text_of(client_for(alex).get(report))


def test_unpairing_changes_the_cached_home_page_at_once(alex, sam, couple):
    give_answers(sam)
    couples.set_sharing(sam, ["csi4"])
    assert "Sam" in text_of(client_for(alex).get("/"))
    couples.unpair(sam)
    assert "Sam" not in text_of(client_for(alex).get("/"))


# The home page reads each table it needs once; the bounds hold whatever the history.
# Statements that only mark a transaction (SAVEPOINT, BEGIN) are not counted.
HOME_QUERIES_FRESH = 20  # was 25 before the screens were read once
HOME_QUERIES_WARM = 12  # was 17: now 11 reads and the session's update


def home_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as seen:
        assert client.get("/").status_code == 200
    marks = ("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT")
    return [q["sql"] for q in seen.captured_queries if not q["sql"].startswith(marks)]


def test_the_home_page_reads_each_table_once(alex, sam, couple):
    give_answers(alex)
    give_answers(sam, 1)
    couples.set_sharing(sam, [i.id for i in couples.shareable_instruments()])
    start = datetime(2026, 9, 6, 18, tzinfo=UTC)
    for week in range(30):  # more than the check-in window
        checkins.take(alex, HAPPY, now=start - timedelta(weeks=week))
    for chosen in rescreen.screens():  # a screening history beside the answers
        rescreen.take(alex, chosen, assessments.answers_for(alex, chosen.id))
    client = client_for(alex)
    cache.clear()
    fresh = home_queries(client)
    warm = home_queries(client)
    assert len(fresh) <= HOME_QUERIES_FRESH, "\n".join(fresh)
    assert len(warm) <= HOME_QUERIES_WARM, "\n".join(warm)
    for table in ("assessments_answer", "assessments_screening", "checkins_checkin"):
        assert sum(f'FROM "{table}"' in q for q in warm) == 1, table
