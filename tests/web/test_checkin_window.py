"""The check-in pages read a bounded window: 26 weeks in full, older weeks as monthly summaries."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attunement.web.checkins import services
from attunement.web.checkins.models import CheckIn
from attunement.web.couples import services as couples
from web.conftest import client_for
from web.test_journal import text_of

TODAY = date(2026, 9, 30)
NOW = datetime(2026, 9, 30, 12, tzinfo=UTC)


def history(person, days: int, *, csi4: float = 15.0, end: date = TODAY) -> None:
    """One check-in a week for `days` days back from `end`, written straight to the table."""
    CheckIn.objects.bulk_create(
        CheckIn(
            owner=person,
            day=end - timedelta(days=back),
            taken=datetime.combine(end - timedelta(days=back), datetime.min.time(), UTC),
            csi4=csi4,
            connection=2.0,
        )
        for back in range(days - 1, -1, -7)
    )


def test_the_window_holds_the_last_26_weeks_and_nothing_older(alex):
    history(alex, 400)
    found = services.recent(alex, TODAY)
    assert found and all(c.day >= date(2026, 4, 2) for c in found)
    assert min(c.day for c in found) - timedelta(days=7) < date(2026, 4, 2)
    assert services.window_start(TODAY) == date(2026, 4, 2)  # 26 weeks, today included
    older = CheckIn.objects.filter(owner=alex, day__lt=date(2026, 4, 2)).count()
    assert sum(m.count for m in services.earlier_months(alex, TODAY)) == older
    assert len(found) + older == CheckIn.objects.filter(owner=alex).count()


def test_monthly_summaries_are_worked_out_per_calendar_month(alex):
    for day, total in [(date(2026, 1, 5), 10), (date(2026, 1, 12), 14), (date(2026, 1, 19), None),
                       (date(2026, 2, 2), 20), (date(2026, 9, 28), 5)]:  # fmt: skip
        CheckIn.objects.create(owner=alex, day=day, csi4=total)
    months = services.earlier_months(alex, TODAY)
    assert [(m.month, m.count, m.mean, m.low, m.high, m.last) for m in months] == [
        (date(2026, 1, 1), 3, 12.0, 10.0, 14.0, date(2026, 1, 19)),
        (date(2026, 2, 1), 1, 20.0, 20.0, 20.0, date(2026, 2, 2)),
    ]


def test_the_page_shows_older_months_as_a_table_of_summaries(alex):
    CheckIn.objects.create(owner=alex, day=date(2025, 11, 3), csi4=9)
    CheckIn.objects.create(owner=alex, day=date(2025, 11, 10), csi4=12)
    with time_machine.travel(NOW, tick=False):
        page = text_of(client_for(alex).get(reverse("checkins:index")))
    assert "Before 2 April 2026, month by month" in page
    row = re.sub(r"<[^>]+>", " ", page.split("November 2025")[1].split("</tr>")[0])
    assert row.split() == ["2", "10.5", "9", "–", "12"]


def test_the_partner_s_older_months_appear_only_while_they_share(alex, sam, couple):
    CheckIn.objects.create(owner=sam, day=date(2025, 11, 3), csi4=9)
    url = reverse("checkins:index")
    with time_machine.travel(NOW, tick=False):
        assert "November 2025" not in text_of(client_for(alex).get(url))
        couples.set_sharing(sam, ["checkin"])
        assert "November 2025" in text_of(client_for(alex).get(url))


def test_a_person_whose_last_check_in_is_old_is_still_told_it_is_stale(alex):
    CheckIn.objects.create(owner=alex, day=date(2025, 1, 6), csi4=15)
    warning = services.warning_for(alex, TODAY)
    assert warning is not None
    assert warning.partners["a"].days_since_last == (TODAY - date(2025, 1, 6)).days


def test_the_warning_is_the_same_from_the_window_as_from_the_whole_series(alex):
    history(alex, 700, csi4=17)
    history(alex, 21, csi4=6, end=TODAY - timedelta(days=1))
    from attunement import progress

    whole = progress.early_warning({"a": services.as_progress(services.series(alex))}, today=TODAY)
    assert services.warning_for(alex, TODAY) == whole


def _queries(client, url: str) -> int:
    cache.clear()  # the cost of working it out, not of a cached copy
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as seen:
        assert client.get(url).status_code == 200
    return len(seen)


@pytest.mark.parametrize("url", ["checkins:index", "reports:report", "checkins:take"])
def test_pages_make_as_many_queries_with_2000_check_ins_as_with_20(alex, sam, couple, url):
    couples.set_sharing(sam, ["checkin"])
    client = client_for(alex)
    history(alex, 20 * 7)
    history(sam, 20 * 7)
    few = _queries(client, reverse(url))
    CheckIn.objects.all().delete()
    history(alex, 2000 * 7)
    history(sam, 2000 * 7)
    assert CheckIn.objects.filter(owner=alex).count() == 2000
    assert _queries(client, reverse(url)) == few
