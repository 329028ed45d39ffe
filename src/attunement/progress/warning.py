"""Early warning over weekly check-ins: who is changing reliably, who is stuck, who drifts apart.

Input: each partner's check-ins (date, CSI-4 total, connection score). Output:
per-partner flags, a couple flag, and the support level raised when a rule
fires. Every threshold is below, with whether it is published or ours; the
reasoning is in docs/progress.md. Time enters only through the `today` argument,
so the same input always gives the same answer.

    >>> alex = [CheckIn(date(2025, 3, 3), 17), CheckIn(date(2025, 3, 10), 12)]
    >>> early_warning({"a": alex}, today=date(2025, 3, 12)).partners["a"].flags
    (<Flag.RELIABLE_DETERIORATION: 'reliable_deterioration'>,)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum

from attunement.insight.model import SupportLevel
from attunement.instruments import library
from attunement.progress.reliable_change import (
    RCI_DECIMALS,
    RELIABLE_Z,
    Change,
    Norm,
    ReliableChange,
    norm,
    reliable_change,
)

# --- Thresholds: every one in this block, each marked published or ours. ---

# Published (Funk & Rogge 2007): a CSI-4 total below 13.5 is notable
# dissatisfaction. The number and its citation live in norms.yaml: cutoff().
# Published (Jacobson & Truax 1991): |RCI| >= 1.96 is reliable change, with the
# SD and reliability in norms.yaml (RELIABLE_Z in reliable_change.py).
# Ours: weeks below the cut-off in a row that count as "staying" below it. One
# or two low weeks happen to most couples; three in a row is a pattern.
BELOW_CUTOFF_WEEKS = 3
# Ours: a check-in less than 5 days after the one that opened its week belongs to
# the same week (the later answer stands); the next week may open up to 10 days
# after this one and still count as the following week. So weekly check-ins
# that drift by a few days stay consecutive, and one missed week breaks a run.
SAME_WEEK_DAYS = 5
MAX_GAP_DAYS = 10
# Ours: the window the warning looks at: check-ins from the last 8 weeks. Long
# enough for a trend across several check-ins, short enough that the baseline
# is recent. The baseline is the first week in the window.
WINDOW_DAYS = 56
# Ours: no check-in for 14 days (two missed weeks) makes a partner's data stale.
STALE_DAYS = 14
# Ours: "not on track" is a softer, earlier signal that never raises the support
# level by itself: at least 3 weeks in the window, and either the CSI-4 total
# has fallen at least 1 SE_diff from the baseline (about half of what counts
# as reliable), or the connection score fell reliably by our assumed norms.
NOT_ON_TRACK_RCI = -1.0
NOT_ON_TRACK_MIN_WEEKS = 3
# Ours, from the published reliability: the partners diverge when the gap between
# their CSI-4 totals grows by at least 1.96 × √2 × SE_diff. Each partner's change
# carries the measurement error of SE_diff; the change in the gap carries both,
# hence √2 (the same 95% logic as the Jacobson & Truax index).
DIVERGENCE_Z = RELIABLE_Z * math.sqrt(2)


def csi4_norm() -> Norm:
    return norm("checkin", "total")


def connection_norm() -> Norm:
    return norm("checkin", "connection")


def cutoff() -> float:
    """The published CSI-4 cut-off, 13.5."""
    line = csi4_norm().cutoff
    if line is None:
        raise LookupError("norms.yaml gives no cut-off for the check-in total")
    return line.value


class Flag(StrEnum):
    RELIABLE_DETERIORATION = "reliable_deterioration"
    RELIABLE_IMPROVEMENT = "reliable_improvement"
    BELOW_CUTOFF = "below_cutoff"
    NOT_ON_TRACK = "not_on_track"
    STALE = "stale"
    DIVERGING = "diverging"  # the only couple flag


# The flags that raise the support level; the others are shown, never escalated.
RAISING = (Flag.RELIABLE_DETERIORATION, Flag.BELOW_CUTOFF, Flag.DIVERGING)


@dataclass(frozen=True)
class CheckIn:
    date: date
    csi4: float  # CSI-4 total, 0-21
    connection: float | None = None  # mean of the connection items, 0-4; None if not scored


@dataclass(frozen=True)
class Week:
    """One week of check-ins: opened by its first, answered by its latest."""

    opened: date
    checkin: CheckIn

    @property
    def csi4(self) -> float:
        return self.checkin.csi4


@dataclass(frozen=True)
class PartnerFlags:
    key: str
    weeks: tuple[Week, ...]  # in the window, oldest first
    csi4: ReliableChange | None  # baseline to latest; None with fewer than 2 weeks
    connection: ReliableChange | None
    below_cutoff_weeks: int  # consecutive weeks below the cut-off, ending with the latest
    days_since_last: int | None  # None: never checked in

    @property
    def reliable_deterioration(self) -> bool:
        return self.csi4 is not None and self.csi4.change is Change.DETERIORATED

    @property
    def reliable_improvement(self) -> bool:
        return self.csi4 is not None and self.csi4.change is Change.IMPROVED

    @property
    def below_cutoff(self) -> bool:
        return self.below_cutoff_weeks >= BELOW_CUTOFF_WEEKS

    @property
    def not_on_track(self) -> bool:
        if self.csi4 is None or self.csi4.reliable or len(self.weeks) < NOT_ON_TRACK_MIN_WEEKS:
            return False
        falling = round(self.csi4.rci, RCI_DECIMALS) <= NOT_ON_TRACK_RCI
        lonelier = self.connection is not None and self.connection.change is Change.DETERIORATED
        return falling or lonelier

    @property
    def stale(self) -> bool:
        return self.days_since_last is not None and self.days_since_last >= STALE_DAYS

    @property
    def concern(self) -> bool:
        """A per-partner signal that raises the support level."""
        return self.reliable_deterioration or self.below_cutoff

    @property
    def flags(self) -> tuple[Flag, ...]:
        found = {
            Flag.RELIABLE_DETERIORATION: self.reliable_deterioration,
            Flag.RELIABLE_IMPROVEMENT: self.reliable_improvement,
            Flag.BELOW_CUTOFF: self.below_cutoff,
            Flag.NOT_ON_TRACK: self.not_on_track,
            Flag.STALE: self.stale,
        }
        return tuple(flag for flag, on in found.items() if on)


@dataclass(frozen=True)
class Divergence:
    gap_before: float  # |difference| between the partners' baselines
    gap_now: float  # |difference| between their latest totals
    threshold: float  # growth in the gap that counts as reliable

    @property
    def growth(self) -> float:
        return self.gap_now - self.gap_before

    @property
    def diverging(self) -> bool:
        return round(self.growth - self.threshold, RCI_DECIMALS) >= 0


@dataclass(frozen=True)
class EarlyWarning:
    partners: Mapping[str, PartnerFlags]
    divergence: Divergence | None  # None unless both partners have 2+ weeks in the window
    support_level: SupportLevel
    reasons: tuple[str, ...]  # why the level was raised, e.g. ("a:reliable_deterioration",)

    @property
    def diverging(self) -> bool:
        return self.divergence is not None and self.divergence.diverging

    @property
    def couple_flags(self) -> tuple[Flag, ...]:
        return (Flag.DIVERGING,) if self.diverging else ()


def weeks(checkins: Sequence[CheckIn]) -> list[Week]:
    """Check-ins grouped into weeks, oldest first; the latest answer in a week stands.

    A week opens with a check-in and takes every check-in less than SAME_WEEK_DAYS
    after that opening one. Twice-weekly check-ins on days 0, 4, 8, 12 make two
    weeks ({0, 4} and {8, 12}), never one long chain.
    """
    found: list[Week] = []
    for checkin in sorted(checkins, key=lambda c: c.date):
        if found and (checkin.date - found[-1].opened).days < SAME_WEEK_DAYS:
            found[-1] = Week(found[-1].opened, checkin)
        else:
            found.append(Week(checkin.date, checkin))
    return found


def consecutive(earlier: Week, later: Week) -> bool:
    """Whether `later` is the week right after `earlier` (opened at most MAX_GAP_DAYS later)."""
    return SAME_WEEK_DAYS <= (later.opened - earlier.opened).days <= MAX_GAP_DAYS


def below_cutoff_run(found: Sequence[Week]) -> int:
    """Consecutive weeks below the cut-off, counted back from the latest week."""
    run, line = 0, cutoff()
    for index in range(len(found) - 1, -1, -1):
        if found[index].csi4 >= line:
            break
        if run and not consecutive(found[index], found[index + 1]):
            break
        run += 1
    return run


def partner_flags(key: str, checkins: Sequence[CheckIn], *, today: date) -> PartnerFlags:
    """One partner's flags over the window that ends `today`."""
    for checkin in checkins:
        _check(checkin, today)
    start = today - timedelta(days=WINDOW_DAYS)
    window = weeks([c for c in checkins if c.date > start])
    last = max((c.date for c in checkins), default=None)
    csi4 = connection = None
    if len(window) >= 2:
        baseline, latest = window[0].checkin, window[-1].checkin
        csi4 = reliable_change(baseline.csi4, latest.csi4, csi4_norm())
        connection = _connection_change(window)
    return PartnerFlags(
        key=key,
        weeks=tuple(window),
        csi4=csi4,
        connection=connection,
        below_cutoff_weeks=below_cutoff_run(window),
        days_since_last=None if last is None else (today - last).days,
    )


def _connection_change(window: Sequence[Week]) -> ReliableChange | None:
    """From the first to the latest week that has a connection score, if they differ."""
    scored = [w.checkin.connection for w in window if w.checkin.connection is not None]
    if len(scored) < 2:
        return None
    return reliable_change(scored[0], scored[-1], connection_norm())


def divergence(first: PartnerFlags, second: PartnerFlags) -> Divergence | None:
    """How far the gap between the partners' CSI-4 totals grew across the window."""
    if first.csi4 is None or second.csi4 is None:
        return None
    return Divergence(
        gap_before=abs(first.csi4.pre - second.csi4.pre),
        gap_now=abs(first.csi4.post - second.csi4.post),
        threshold=DIVERGENCE_Z * csi4_norm().se_diff,
    )


def early_warning(
    series: Mapping[str, Sequence[CheckIn]],
    *,
    today: date,
    current: SupportLevel = SupportLevel.SELF_GUIDED,
) -> EarlyWarning:
    """Flags for one or two partners (by key) and the support level, raised from `current`."""
    if not 1 <= len(series) <= 2:
        raise ValueError("an early warning needs the check-ins of one or two partners")
    partners = {key: partner_flags(key, found, today=today) for key, found in series.items()}
    pair = list(partners.values())
    gap = divergence(*pair) if len(pair) == 2 else None
    diverging = gap is not None and gap.diverging
    reasons = [f"{p.key}:{f}" for p in pair for f in p.flags if f in RAISING]
    reasons += [Flag.DIVERGING.value] if diverging else []
    level = raised(current, support_floor(pair, diverging=diverging))
    return EarlyWarning(partners, gap, level, tuple(reasons))


def early_warning_today(
    series: Mapping[str, Sequence[CheckIn]],
    *,
    tz: tzinfo = UTC,
    current: SupportLevel = SupportLevel.SELF_GUIDED,
) -> EarlyWarning:
    """`early_warning` for today's date where the person lives (`tz`)."""
    return early_warning(series, today=datetime.now(tz).date(), current=current)


def support_floor(partners: Sequence[PartnerFlags], *, diverging: bool) -> SupportLevel:
    """The lowest support level the check-ins call for (the rule table in docs/progress.md).

    recommend_professional: both partners have a concern (a reliable drop, or
    three weeks below the cut-off), or one partner has both.
    consider_support: any one concern, or the partners diverge.
    """
    concerned = [p for p in partners if p.concern]
    both_in_one = any(p.reliable_deterioration and p.below_cutoff for p in partners)
    if len(concerned) == 2 or both_in_one:
        return SupportLevel.RECOMMEND_PROFESSIONAL
    if concerned or diverging:
        return SupportLevel.CONSIDER_SUPPORT
    return SupportLevel.SELF_GUIDED


def raised(current: SupportLevel, floor: SupportLevel) -> SupportLevel:
    """The higher of the two: check-ins raise the support level, never lower it."""
    return floor if floor.rank > current.rank else current


def _check(checkin: CheckIn, today: date) -> None:
    if checkin.date > today:
        raise ValueError(f"a check-in is dated {checkin.date}, after today ({today})")
    low, high = library.get("checkin").scale("total").range
    if not (math.isfinite(checkin.csi4) and low <= checkin.csi4 <= high):
        raise ValueError(f"CSI-4 total {checkin.csi4} is outside {low:g}-{high:g}")
    if checkin.connection is not None:
        low, high = library.get("checkin").scale("connection").range
        if not (math.isfinite(checkin.connection) and low <= checkin.connection <= high):
            raise ValueError(f"connection score {checkin.connection} is outside {low:g}-{high:g}")
