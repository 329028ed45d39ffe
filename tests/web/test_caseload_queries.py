"""The caseload page and a couple's page make as many SQL queries for 20 cases as for 2.

Every case is a couple with weeks of check-ins, practice and the Check answered,
granting every scope; in the couple looked at, each partner also shared a journal
entry. The first caseload page of a day works out every case's status, so it is
counted apart from the pages after it. The timings are in bench/caseload.py.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attunement.web.journal import services as journal
from attunement.web.therapists import shared_entries
from web.conftest import make_user, pair
from web.matrix_data import ALEX_ANSWERS, SAM_ANSWERS, give_answers
from web.therapist_world import (
    EVERYTHING,
    grant_of,
    make_therapist,
    open_case,
    some_practice,
    verified_client,
    weekly_checkins,
)


def caseload(name: str, couples: int) -> tuple[object, str]:
    """A therapist's client and the address of one couple's page in their caseload."""
    therapist = make_therapist(f"{name}@example.org", name.title())
    cases = []
    for number in range(couples):
        first = make_user(f"{name}-{number}-a@example.org", f"A{number}")
        second = make_user(f"{name}-{number}-b@example.org", f"B{number}")
        pair(first, second)
        weekly_checkins(first, [14, 13, 12, 12, 11, 10])
        weekly_checkins(second, [15, 15, 14, 15])
        some_practice(first)
        cases.append((open_case(therapist, {first: EVERYTHING, second: EVERYTHING}), first, second))
    case, first, second = cases[len(cases) // 2]
    give_answers(first, ALEX_ANSWERS)
    give_answers(second, SAM_ANSWERS)
    for person in (first, second):
        entry = journal.write(person, prompt="", title="", body="shared with the therapist")
        shared_entries.share_entry(person, entry.pk, grant_of(case, person))
    return verified_client(therapist), f"/therapist/cases/{case.pk}/"


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def two_and_twenty(db):
    return caseload("few", 2), caseload("many", 20)


def test_the_caseload_page_makes_the_same_queries_for_2_and_for_20_cases(two_and_twenty):
    (few, _), (many, _) = two_and_twenty
    first = queries(few, "/therapist/"), queries(many, "/therapist/")
    later = queries(few, "/therapist/"), queries(many, "/therapist/")
    assert first[0] == first[1]
    assert later[0] == later[1]
    assert later[0] < first[0]  # the day's status is worked out once


def test_a_couples_page_makes_the_same_queries_for_2_and_for_20_cases(two_and_twenty):
    (few, few_case), (many, many_case) = two_and_twenty
    for suffix in ("", "summary/", "summary.pdf"):
        assert queries(few, few_case + suffix) == queries(many, many_case + suffix)


def test_the_caseload_pages_query_count_is_a_small_constant(two_and_twenty):
    (_few, _), (many, _) = two_and_twenty
    queries(many, "/therapist/")
    # Session, person, profile; stale check; count, page, consents; check-ins and three kinds
    # of practice; totals; the audit rows; saving the session. Transactions add a few.
    assert queries(many, "/therapist/") <= 20
