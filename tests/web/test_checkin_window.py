"""The check-in pages read a bounded window: 26 weeks in full, older weeks as monthly summaries."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_init
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


# Older months a year at a time: a page's cost does not grow with the history


MONTH_ROW = re.compile(r'<th scope="row">(\w+ \d{4})</th>\s*<td>(\d+)</td>')
OLDER = re.compile(r'href="\?until=(\d{4}-\d{2})#earlier"')


def _page(client, query: str = "") -> str:
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("checkins:index") + query)
    assert response.status_code == 200
    return text_of(response)


def test_older_months_come_a_year_at_a_time_and_every_one_is_reached(alex):
    history(alex, 400 * 7)
    client = client_for(alex)
    first = _page(client)
    months = [m for m, _ in MONTH_ROW.findall(first)]
    assert months[0] == "May 2025" and months[-1] in ("March 2026", "April 2026")
    assert "Latest months" not in first
    seen, counts, query = [], 0, ""
    while True:
        page = _page(client, query)
        rows = MONTH_ROW.findall(page)
        assert 0 < len(rows) <= services.EARLIER_MONTHS
        seen += [datetime.strptime(m, "%B %Y").date() for m, _ in rows][::-1]
        counts += sum(int(n) for _, n in rows)
        assert ("Latest months" in page) == bool(query)
        older = OLDER.findall(page)
        if not older:
            break
        query = f"?until={older[0]}"
    assert seen == sorted(set(seen), reverse=True)  # newest first, none twice
    assert counts == CheckIn.objects.filter(owner=alex, day__lt=date(2026, 4, 2)).count()
    assert len(seen) > 5 * services.EARLIER_MONTHS


def test_a_gap_of_years_is_skipped_and_a_mangled_month_shows_the_latest_year(alex):
    CheckIn.objects.create(owner=alex, day=date(2026, 9, 28), csi4=5)
    CheckIn.objects.create(owner=alex, day=date(2019, 3, 4), csi4=9)
    client = client_for(alex)
    first = _page(client)
    assert MONTH_ROW.findall(first) == [] and OLDER.findall(first) == ["2019-03"]
    assert MONTH_ROW.findall(_page(client, "?until=2019-03")) == [("March 2019", "1")]
    for mangled in ("?until=nope", "?until=2019-13", "?until="):
        assert MONTH_ROW.findall(_page(client, mangled)) == []
    assert "No check-ins in these months." in _page(client, "?until=0001-01")


def _without_token(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_both_partners_pages_are_the_same_after_200_and_after_2000_weeks(alex, sam, couple):
    """The page reads the window and a year of months: what is older never reaches it."""
    couples.set_sharing(alex, ["checkin"])
    couples.set_sharing(sam, ["checkin"])
    for person in (alex, sam):
        history(person, 200 * 7)
    before = {p.pk: _without_token(_page(client_for(p))) for p in (alex, sam)}
    for page in before.values():
        assert OLDER.findall(page) and len(MONTH_ROW.findall(page)) <= 2 * services.EARLIER_MONTHS
    CheckIn.objects.all().delete()
    for person in (alex, sam):
        history(person, 2000 * 7)
    for person in (alex, sam):
        assert _without_token(_page(client_for(person))) == before[person.pk]


def _plans(sql: str) -> list[str]:
    """How the database reads checkins_checkin for one query: one string per table read."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return [row[-1] for row in cursor.fetchall() if "checkins_checkin" in row[-1]]
        cursor.execute("SET LOCAL enable_seqscan = off")  # the plan for a long history
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        found, nodes = [], [cursor.fetchone()[0][0]["Plan"]]
        while nodes:
            node = nodes.pop()
            nodes += node.get("Plans", [])
            if node.get("Relation Name") == "checkins_checkin" or "Index Name" in node:
                found.append(
                    f"{node['Node Type']} {node.get('Index Name')} {node.get('Index Cond')}"
                )
        return found


def _reads_a_range_of_days(plan: str) -> bool:
    if connection.vendor == "sqlite":
        return re.search(r"INDEX checkin_owner_day \(owner_id=\? AND day[<>=]", plan) is not None
    return (
        "Bitmap Heap Scan" in plan
        or re.search(r"Index.* checkin_owner_day .*owner_id = .*AND \(day [<>=]", plan) is not None
    )


@pytest.mark.parametrize("url", ["/checkin/", "/checkin/?until=2023-05", "/report/", "/"])
def test_every_check_in_read_of_the_pages_is_a_range_of_days_on_the_index(alex, sam, couple, url):
    """No read of a person's whole series: each one walks (owner, day) over a bounded range."""
    couples.set_sharing(alex, ["checkin"])
    couples.set_sharing(sam, ["checkin"])
    for person in (alex, sam):
        history(person, 300 * 7)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE checkins_checkin")
    for person in (alex, sam):
        cache.clear()
        with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as seen:
            assert client_for(person).get(url).status_code == 200
        reads = [q["sql"] for q in seen.captured_queries if "checkins_checkin" in q["sql"]]
        assert reads, "the page reads check-ins"
        for sql in reads:
            plans = _plans(sql)
            assert plans and all(_reads_a_range_of_days(p) for p in plans), (sql, plans)


def test_the_screens_come_back_from_the_window_as_from_the_whole_series(alex):
    from attunement.safety import rescreen as rule
    from attunement.web.assessments import rescreen
    from attunement.web.assessments.models import Screening

    for instrument in ("hark", "asq"):
        Screening.objects.create(owner=alex, instrument=instrument, taken=NOW - timedelta(days=9))
    history(alex, 700, csi4=17, end=TODAY - timedelta(days=21))
    history(alex, 21, csi4=4)
    whole = services.as_progress(services.series(alex))
    with time_machine.travel(NOW, tick=False):
        found = rescreen.due(alex)
        assert found == rule.due(rescreen.history(alex), NOW, checkins=whole, writing={})
    assert found is not None and found.reasons == ("deterioration",)


def _rows_read(model, do) -> int:
    """How many rows of `model` the database handed to Django while `do` ran."""
    count = 0

    def seen(**_kwargs) -> None:
        nonlocal count
        count += 1

    post_init.connect(seen, sender=model, weak=False)
    try:
        do()
    finally:
        post_init.disconnect(seen, sender=model)
    return count


def test_a_therapist_s_case_page_reads_the_window_not_the_whole_series(alex, sam, couple):
    from web.therapist_world import make_therapist, open_case, verified_client

    riley = make_therapist("riley@example.org", "Riley")
    case = open_case(riley, {alex: ["checkin_trends"], sam: ["checkin_trends"]})
    history(alex, 2000 * 7, csi4=15)  # ~38 years of weeks
    history(sam, 400, csi4=9, end=TODAY - timedelta(weeks=40))  # nothing in the window
    therapist = verified_client(riley)

    def case_page() -> str:
        response = therapist.get(f"/therapist/cases/{case.pk}/")
        assert response.status_code == 200
        return text_of(response)

    with time_machine.travel(NOW, tick=False):
        read = _rows_read(CheckIn, case_page)
        page = case_page()
        whole = {p.pk: services.as_progress(services.series(p)) for p in (alex, sam)}
        bounded = services.series_for([alex.pk, sam.pk], since=services.window_start(TODAY))
    # The window's 26 weekly check-ins of Alex and one step back for each of them.
    assert read <= services.WINDOW_WEEKS + 2, read
    assert "26 check-ins in the last 26 weeks; the latest, on Sept. 24, 2026: 15 of 21." in page
    # Sam's latest check-in is long before the window: still named, and still flagged stale.
    assert "0 check-ins in the last 26 weeks; the latest, on Dec. 24, 2025: 9 of 21." in page
    assert "No check-in for 280 days" in page
    for person in (alex, sam):
        served = services.as_progress(bounded[person.pk])
        assert served[-1] == whole[person.pk][-1]
        assert served == [c for c in whole[person.pk] if c.date >= served[0].date]
