"""When a weekly reminder is due, in the person's own time zone, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attunement.progress.reminders import ALREADY_DONE_DAYS, LATE_HOURS, due, scheduled_before

PARIS = ZoneInfo("Europe/Paris")
AUCKLAND = ZoneInfo("Pacific/Auckland")
NEW_YORK = ZoneInfo("America/New_York")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "zone", "weekday", "hour", "expected"),
    [
        # Sunday 19:00 in Paris is 18:00 UTC in winter, 17:00 UTC in summer.
        (utc(2026, 1, 4, 18, 0), PARIS, 6, 19, utc(2026, 1, 4, 18, 0)),
        (utc(2026, 1, 4, 17, 59), PARIS, 6, 19, utc(2025, 12, 28, 18, 0)),
        (utc(2026, 7, 5, 17, 0), PARIS, 6, 19, utc(2026, 7, 5, 17, 0)),
        # The Sunday clocks go forward in Paris (29 March 2026): 19:00 is summer time.
        (utc(2026, 3, 29, 17, 30), PARIS, 6, 19, utc(2026, 3, 29, 17, 0)),
        # A Monday 08:00 in Auckland is still Sunday in UTC.
        (utc(2026, 6, 7, 20, 0), AUCKLAND, 0, 8, utc(2026, 6, 7, 20, 0)),
        # An hour that does not exist (02:00 on 8 March 2026 in New York) is read as 03:00.
        (utc(2026, 3, 8, 8, 0), NEW_YORK, 6, 2, utc(2026, 3, 8, 7, 0)),
    ],
)
def test_the_scheduled_moment_is_the_local_weekday_and_hour(now, zone, weekday, hour, expected):
    assert scheduled_before(now, zone, weekday, hour) == expected


def test_a_reminder_is_due_once_from_its_hour_and_not_when_late_or_already_done():
    moment = utc(2026, 1, 4, 18, 0)
    ask = {"weekday": 6, "hour": 19}
    # A minute before, the latest scheduled moment is last week's, long past: not due.
    early = moment - timedelta(minutes=1)
    assert not due(early, PARIS, **ask, last_sent=None, last_checkin=None)
    assert due(moment, PARIS, **ask, last_sent=None, last_checkin=None)
    assert not due(moment + timedelta(minutes=5), PARIS, **ask, last_sent=moment, last_checkin=None)
    late = moment + timedelta(hours=LATE_HOURS, minutes=1)
    assert not due(late, PARIS, **ask, last_sent=None, last_checkin=None)
    recent = moment - timedelta(days=ALREADY_DONE_DAYS) + timedelta(minutes=1)
    assert not due(moment, PARIS, **ask, last_sent=None, last_checkin=recent)
    older = moment - timedelta(days=ALREADY_DONE_DAYS, minutes=1)
    assert due(moment, PARIS, **ask, last_sent=None, last_checkin=older)
    last_week = moment - timedelta(days=7)
    assert due(moment, PARIS, **ask, last_sent=last_week, last_checkin=None)


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="aware"):
        scheduled_before(datetime(2026, 1, 4, 18), PARIS, 6, 19)


@given(
    now=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
    ),
    zone=st.sampled_from([PARIS, AUCKLAND, NEW_YORK, ZoneInfo("Asia/Kolkata"), ZoneInfo("UTC")]),
    weekday=st.integers(0, 6),
    hour=st.integers(0, 23),
)
def test_the_scheduled_moment_is_never_later_than_now_nor_a_week_or_more_before(
    now, zone, weekday, hour
):
    moment = scheduled_before(now, zone, weekday, hour)
    assert moment <= now
    assert now - moment < timedelta(days=7, hours=2)  # a daylight-saving change moves it an hour
    local = moment.astimezone(zone)
    assert local.weekday() == weekday
    assert local.hour in (hour, (hour + 1) % 24)  # the hour after, only in a spring-forward gap
