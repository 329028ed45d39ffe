"""When a weekly check-in reminder is due: pure date arithmetic in the person's time zone.

A person chooses a weekday and an hour on their own clock. The reminder for a
week is due from that moment until `LATE_HOURS` after it (a job that runs every
few minutes sends it once; one that was down for a day does not send stale
reminders), unless it was already sent, or the person already checked in during
the days just before (that check-in counts for the week).

>>> from zoneinfo import ZoneInfo
>>> paris = ZoneInfo("Europe/Paris")
>>> now = datetime(2026, 3, 29, 17, 30, tzinfo=UTC)  # Sunday 19:30 in Paris (summer time)
>>> scheduled_before(now, paris, weekday=6, hour=19)
datetime.datetime(2026, 3, 29, 17, 0, tzinfo=datetime.timezone.utc)
>>> due(now, paris, weekday=6, hour=19, last_sent=None, last_checkin=None)
True
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

# Ours: a reminder more than 12 hours late is skipped; the next week's comes on time.
LATE_HOURS = 12
# Ours: a check-in in the 4 days before the reminder counts as this week's (the
# early-warning rule treats check-ins less than 5 days apart as the same week).
ALREADY_DONE_DAYS = 4


def scheduled_before(now: datetime, zone: tzinfo, weekday: int, hour: int) -> datetime:
    """The latest moment at or before `now` that is `weekday` (0 = Monday) at `hour`:00 local.

    Returned in UTC. On a daylight-saving change the local hour is kept; an hour
    that does not exist that day (clocks going forward) is read as the hour after.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    local = now.astimezone(zone)
    day = local.date() - timedelta(days=(local.weekday() - weekday) % 7)
    moment = _local(day, hour, zone)
    if moment > now:
        moment = _local(day - timedelta(days=7), hour, zone)
    return moment


def due(
    now: datetime,
    zone: tzinfo,
    *,
    weekday: int,
    hour: int,
    last_sent: datetime | None,
    last_checkin: datetime | None,
) -> bool:
    """Whether this week's reminder should be sent now."""
    moment = scheduled_before(now, zone, weekday, hour)
    if now - moment > timedelta(hours=LATE_HOURS):
        return False
    if last_sent is not None and last_sent >= moment:
        return False
    done_after = moment - timedelta(days=ALREADY_DONE_DAYS)
    return last_checkin is None or last_checkin < done_after


def _local(day: date, hour: int, zone: tzinfo) -> datetime:
    # Round-tripping through UTC moves a non-existent local time (in a spring-forward
    # gap) to the real moment just after it.
    naive = datetime.combine(day, time(hour), tzinfo=zone)
    return naive.astimezone(UTC)
