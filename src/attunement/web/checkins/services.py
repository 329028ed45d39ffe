"""The weekly check-in's rules, for the pages, the reminder job and the therapist workspace.

A check-in's item answers belong to the person alone. Its two scores (the CSI-4
total and the connection score) reach the partner only while the person shares
the check-in instrument with them (the same per-instrument sharing as every
questionnaire), and a therapist only under a granted scope.
"""

from __future__ import annotations

import logging
import zoneinfo
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from django.db import transaction
from django.db.models import Avg, Count, Max, Min, OuterRef, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from attunement import progress
from attunement.errors import AnswerError
from attunement.instruments import library
from attunement.instruments.model import Instrument
from attunement.instruments.scoring import score
from attunement.progress import reminders
from attunement.progress.warning import SAME_WEEK_DAYS
from attunement.web.accounts import emails
from attunement.web.accounts.models import User
from attunement.web.checkins.models import CheckIn, Reminder
from attunement.web.core import derived
from attunement.web.couples import services as couples

INSTRUMENT = "checkin"
logger = logging.getLogger(__name__)
UTC = zoneinfo.ZoneInfo("UTC")
# Ours: the pages show the last 26 weeks check-in by check-in, and older weeks only as
# monthly summaries worked out by the database, so a page costs the same after ten years.
# The early warning looks back 8 weeks (progress.warning.WINDOW_DAYS), well inside it.
WINDOW_WEEKS = 26
# Ours: the monthly summaries come a year of calendar months at a time, newest first, with
# a link to the year before: ten years of history would otherwise be 120 rows on one page.
EARLIER_MONTHS = 12


@cache
def time_zones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def instrument() -> Instrument:
    return library.get(INSTRUMENT)


# Taking a check-in


def take(owner: User, answers: Mapping[str, int | None], now: datetime | None = None) -> CheckIn:
    """Score and keep one check-in; AnswerError (naming the item) keeps nothing.

    One check-in per person per week: this one replaces any already in its week.
    """
    given = {item: value for item, value in answers.items() if value is not None}
    scored = score(instrument(), given).values()  # AnswerError for anything out of range
    if "total" not in scored:
        raise AnswerError(
            INSTRUMENT, "1", None, "is required: the first four questions need answers"
        )
    now = now or timezone.now()
    day = now.astimezone(zone_for(owner)).date()
    with transaction.atomic():
        CheckIn.objects.filter(pk__in=[c.pk for c in this_weeks(owner, day)]).delete()
        derived.changed(owner)
        return CheckIn.objects.create(
            owner=owner,
            taken=now,
            day=day,
            answers=given,
            csi4=scored["total"],
            connection=scored.get("connection"),
        )


def this_weeks(owner: User, day: date | None = None) -> list[CheckIn]:
    """The check-ins a new one on `day` (today by default) would replace, oldest first.

    Weeks are as the trend reads them (`progress.weeks`): a week opens with a check-in
    and takes every one less than SAME_WEEK_DAYS after it.
    """
    day = day or today_for(owner)
    mine = recent(owner, day)
    found = progress.weeks(as_progress(mine))
    if not found or not 0 <= (day - found[-1].opened).days < SAME_WEEK_DAYS:
        return []
    return [c for c in mine if c.day >= found[-1].opened]


# Reading


def series(user: User) -> list[CheckIn]:
    """The person's check-ins, oldest first."""
    return list(CheckIn.objects.filter(owner=user).order_by("taken", "pk"))


def window_start(today: date) -> date:
    """The first day of the window the pages show check-in by check-in."""
    return today - timedelta(weeks=WINDOW_WEEKS) + timedelta(days=1)


def recent(user: User, today: date) -> list[CheckIn]:
    """The person's check-ins of the last WINDOW_WEEKS weeks up to `today`, oldest first."""
    rows = CheckIn.objects.filter(owner=user, day__gte=window_start(today))
    return list(rows.order_by("taken", "pk").defer("answers"))


@dataclass(frozen=True)
class Month:
    """Check-ins before the window, summed up for one calendar month by the database."""

    month: date  # its first day
    count: int
    mean: float | None  # mean CSI-4 total; None if none was scored
    low: float | None
    high: float | None
    last: date


def earlier_range(today: date, until: date | None = None) -> tuple[date, date]:
    """The days (first included, last not) that one page of monthly summaries covers.

    EARLIER_MONTHS calendar months ending with the month of `until` (by default the month
    the window opens in), never reaching into the window.
    """
    end = window_start(today)
    if until is not None:
        end = min(end, _months_after(until.replace(day=1), 1))
    start = _months_after((end - timedelta(days=1)).replace(day=1), 1 - EARLIER_MONTHS)
    return start, end


def _months_after(first: date, months: int) -> date:
    """The first day of the month `months` calendar months after `first` (never before year 1)."""
    index = max(first.year * 12 + first.month - 1 + months, 12)
    return date(index // 12, index % 12 + 1, 1)


def earlier_months(user: User, today: date, until: date | None = None) -> list[Month]:
    """Monthly summaries of one page before the window, oldest month first.

    One query, worked out by the database over the (owner, day) index on at most
    EARLIER_MONTHS months of rows, however long the history (see `earlier_range`).
    """
    start, end = earlier_range(today, until)
    rows = (
        CheckIn.objects.filter(owner=user, day__gte=start, day__lt=end)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(
            count=Count("pk"), mean=Avg("csi4"), low=Min("csi4"), high=Max("csi4"), last=Max("day")
        )
        .order_by("month")
    )
    return [Month(**row) for row in rows]


def latest_before(user: User, day: date) -> date | None:
    """The day of the person's latest check-in before `day`, or None (one step down the index)."""
    rows = CheckIn.objects.filter(owner=user, day__lt=day).order_by("-day")
    return rows.values_list("day", flat=True).first()


def series_for(user_ids: Collection[int], since: date | None = None) -> dict[int, list[CheckIn]]:
    """Several people's check-ins, oldest first: all of them in one query, or only from `since`.

    With `since`, each person's check-ins from that day on and their latest one before it,
    so that "the latest check-in", the days since it and a change from before `since` stay
    true: two queries, each a range or a single step on the (owner, day) index, however
    long the history.
    """
    found: dict[int, list[CheckIn]] = defaultdict(list)
    ids = list(user_ids)
    rows = CheckIn.objects.filter(owner_id__in=ids)
    earlier: list[CheckIn] = []
    if since is not None:
        before = CheckIn.objects.filter(owner=OuterRef("pk"), day__lt=since)
        latest = User.objects.filter(pk__in=ids).annotate(
            last=Subquery(before.order_by("-day", "-taken", "-pk").values("pk")[:1])
        )
        earlier = list(CheckIn.objects.filter(pk__in=latest.values("last")).defer("answers"))
        rows = rows.filter(day__gte=since)
    for checkin in [*earlier, *rows.order_by("owner_id", "taken", "pk").defer("answers")]:
        found[checkin.owner_id].append(checkin)
    return {user_id: found.get(user_id, []) for user_id in user_ids}


def as_progress(checkins: Sequence[CheckIn]) -> list[progress.CheckIn]:
    """Check-ins as the early-warning rule reads them (those with a CSI-4 total)."""
    return [progress.CheckIn(c.day, c.csi4, c.connection) for c in checkins if c.csi4 is not None]


def partner_sharing(viewer: User) -> User | None:
    """The viewer's partner, if the partner shares their check-in scores with the viewer."""
    partner = couples.partner_of(viewer)
    if partner is None or INSTRUMENT not in couples.shared_scores_visible_to(viewer):
        return None
    return partner


def warning_for(viewer: User, today: date | None = None) -> progress.EarlyWarning | None:
    """The early warning the viewer sees: their own series, and their partner's if shared.

    "a" is the viewer, "b" the partner. Divergence needs both series, so it is only
    ever computed from scores the partner chose to share.
    """
    today = today or today_for(viewer)
    mine = as_progress(_for_warning(viewer, today))
    if not mine:
        return None
    found: dict[str, list[progress.CheckIn]] = {"a": mine}
    partner = partner_sharing(viewer)
    if partner is not None:
        theirs = as_progress(_for_warning(partner, today))
        if theirs:
            found["b"] = theirs
    return progress.early_warning(found, today=today)


def _for_warning(user: User, today: date) -> list[CheckIn]:
    """What the warning reads: the window (far wider than its 8 weeks), or else the latest.

    With nothing in the window, the latest check-in still says how long ago it was (stale).
    """
    found = recent(user, today)
    if found:
        return found
    latest = CheckIn.objects.filter(owner=user, day__lte=today).defer("answers")
    last = latest.order_by("-day", "-taken", "-pk").first()  # down the (owner, day) index
    return [last] if last is not None else []


# Time zones and reminders


def reminder_for(user: User) -> Reminder:
    """The person's reminder settings; a default (switched off, UTC) until they save theirs."""
    return Reminder.objects.filter(user=user).first() or Reminder(user=user)


def zone_for(user: User) -> zoneinfo.ZoneInfo:
    return reminder_for(user).zone


def today_for(user: User) -> date:
    return timezone.now().astimezone(zone_for(user)).date()


def save_reminder(
    user: User, *, enabled: bool, weekday: int, hour: int, time_zone: str
) -> Reminder:
    if time_zone not in time_zones():
        raise ValueError(f"unknown time zone {time_zone!r}")
    reminder = reminder_for(user)
    reminder.enabled, reminder.weekday, reminder.hour = enabled, weekday, hour
    reminder.time_zone = time_zone
    reminder.save()
    derived.changed(user)  # their "today" may have moved
    return reminder


def send_due_reminders(now: datetime | None = None) -> int:
    """Email everyone whose reminder is due now; returns how many were sent.

    Run it every few minutes (cron, a systemd timer): each reminder goes out once,
    from its hour until a few hours later. The email is neutral (see accounts/emails).
    """
    now = now or timezone.now()
    sent = 0
    # A deactivated account gets no email: nobody may use it any more.
    pending = Reminder.objects.filter(enabled=True, user__is_active=True).select_related("user")
    last_checkins = _last_checkins([r.user_id for r in pending])
    for reminder in pending:
        if not reminders.due(
            now,
            reminder.zone,
            weekday=reminder.weekday,
            hour=reminder.hour,
            last_sent=reminder.last_sent,
            last_checkin=last_checkins.get(reminder.user_id),
        ):
            continue
        # Claim it first: a second run of the job at the same moment finds it taken.
        claim = Reminder.objects.filter(pk=reminder.pk, last_sent=reminder.last_sent)
        if reminder.last_sent is None:
            claim = Reminder.objects.filter(pk=reminder.pk, last_sent__isnull=True)
        if not claim.update(last_sent=now):
            continue
        try:
            emails.send_checkin_reminder(reminder.user.email)
        except OSError:  # the mail server refused or is down: log it, carry on with the rest
            logger.exception("could not send a check-in reminder (reminder %s)", reminder.pk)
            continue
        sent += 1
    return sent


def _last_checkins(user_ids: list[int]) -> dict[int, datetime]:
    rows = (
        CheckIn.objects.filter(owner_id__in=user_ids).values("owner_id").annotate(last=Max("taken"))
    )
    return {row["owner_id"]: row["last"] for row in rows}
