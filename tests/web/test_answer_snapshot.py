"""A person's answers are read once per request, however many parts of a page need them.

The assessment services keep one snapshot of each person's answers for the request
(`services.snapshots`, entered by a middleware); saving a page forgets it. Each page
here is counted: its reads of the stored answers, one per person whose answers it
shows, and all its queries, never more than before the snapshot (the second figure
of each row, measured on the same data without it).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attunement.web.assessments import paging, services
from web.conftest import client_for
from web.matrix_data import ALEX_ANSWERS, SAM_ANSWERS, give_answers


def _count(client, method: str, path: str, data: dict[str, str] | None = None) -> tuple[int, int]:
    """(reads of the answers' values, all queries) for one request."""
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(path, data or {})
    assert response.status_code in (200, 302)
    sql = [q["sql"] for q in captured.captured_queries]
    reads = [s for s in sql if s.startswith("SELECT") and '"assessments_answer"."value"' in s]
    return len(reads), len(sql)


def _all_but_the_last_part(person) -> paging.Page:
    """Answer every part of the battery but its last; the page to go on with."""
    last = services.battery()[-1].id
    give_answers(person, {k: v for k, v in ALEX_ANSWERS.items() if k != last})
    following = services.next_page(person)
    assert following is not None and following.instrument.id == last
    return following


@pytest.mark.parametrize(
    ("name", "readers", "queries_before"),
    [
        ("core:home", 1, 31),
        ("assessments:overview", 1, 15),
        ("assessments:results", 1, 14),
        ("reports:report", 2, 19),  # the partner's shared scores too
    ],
)
def test_a_page_reads_each_persons_answers_once(couple, alex, sam, name, readers, queries_before):
    give_answers(alex, ALEX_ANSWERS)
    give_answers(sam, SAM_ANSWERS)
    reads, total = _count(client_for(alex), "get", reverse(name))
    assert reads == readers
    assert total <= queries_before


def test_a_question_page_reads_the_answers_once(alex):
    current = _all_but_the_last_part(alex)
    path = reverse("assessments:page", args=[current.instrument.id, current.number])
    reads, total = _count(client_for(alex), "get", path)
    assert reads == 1
    assert total <= 10


def test_saving_a_page_reads_them_again_once_after_the_save(alex):
    current = _all_but_the_last_part(alex)
    path = reverse("assessments:page", args=[current.instrument.id, current.number])
    answers = {item.id: str(item.scale.min) for item in current.items}
    client = client_for(alex)
    reads, _total = _count(client, "post", path, {**answers, "action": "continue"})
    # Before the save (to check the page), the save's own read, and after it (where next).
    assert reads == 3
    saved = services.answers_for(alex, current.instrument.id)
    assert {k: saved[k] for k in answers} == {k: int(v) for k, v in answers.items()}


def test_within_a_request_a_save_is_read_back_and_outside_one_nothing_is_kept(alex):
    current = _all_but_the_last_part(alex)
    chosen, item = current.instrument, current.items[0]
    with services.snapshots():
        assert item.id not in services.answers_for(alex, chosen.id)
        services.save_page(alex, chosen, {item.id: item.scale.max})
        assert services.answers_for(alex, chosen.id)[item.id] == item.scale.max
    assert services.snapshot(alex) is not services.snapshot(alex)
