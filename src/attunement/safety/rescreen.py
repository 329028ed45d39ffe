"""When to offer the safety screens again: a pure rule over one person's own history.

Safety follows the person over time (DESIGN.md §5). A screen answered once is
offered again, privately, when any of these holds for it:

- `periodic`: 4 weeks have passed since it was last answered (shown with the
  weekly check-in);
- `follow_up`: it was positive, and 2 weeks have passed (24 hours when acute);
- `deterioration`: the person's own check-ins show a reliable drop or 3 weeks
  below the cut-off (the early-warning rule of `attunement.progress`), with a
  check-in on a later day than the screen;
- `writing`: crisis words for its concern appeared in what the person wrote
  after the screen was answered.

A screen never answered is not "due" here: the battery asks it first. Only the
person's own history goes in, so nothing about a partner can make a screen due,
and nothing here is ever shown to anyone else. Time enters only through `now`
(the clock's time when it is left out).

    >>> taken = datetime(2026, 1, 1, tzinfo=UTC)
    >>> due([Screening("suicide_risk", taken, positive=True, acute=True)],
    ...     now=taken + timedelta(hours=24))
    Due(concerns=('suicide_risk',), reasons=(<Reason.FOLLOW_UP: 'follow_up'>,))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from attunement.progress.warning import CheckIn, partner_flags

# Ours: a month between screens, the rhythm of four weekly check-ins.
PERIOD = timedelta(weeks=4)
# Ours: a positive suicide-risk or partner-violence screen is asked about again
# sooner, so a person whose situation changes is not left with old answers.
AFTER_POSITIVE = timedelta(weeks=2)
# Ours: an acute suicide-risk answer stops the questions; a day later the person
# may answer again, so that nothing locks for good.
AFTER_ACUTE = timedelta(hours=24)


class Reason(StrEnum):
    FOLLOW_UP = "follow_up"
    WRITING = "writing"
    DETERIORATION = "deterioration"
    PERIODIC = "periodic"


@dataclass(frozen=True)
class Screening:
    """One time a screen was answered: its concern, when, and what it found."""

    concern: str
    taken: datetime
    positive: bool
    acute: bool = False


@dataclass(frozen=True)
class Due:
    """The concerns whose screens to offer again (sorted), and why (in Reason order)."""

    concerns: tuple[str, ...]
    reasons: tuple[Reason, ...]


def latest(history: Sequence[Screening]) -> dict[str, Screening]:
    """The most recent screening of each concern."""
    found: dict[str, Screening] = {}
    for screening in sorted(history, key=lambda s: s.taken):
        found[screening.concern] = screening
    return found


def reasons_for(
    last: Screening,
    now: datetime,
    *,
    worse: CheckIn | None = None,
    written: datetime | None = None,
) -> list[Reason]:
    """Why one screen is due again now (empty when it is not)."""
    found = []
    if last.positive and now - last.taken >= (AFTER_ACUTE if last.acute else AFTER_POSITIVE):
        found.append(Reason.FOLLOW_UP)
    if written is not None and written > last.taken:
        found.append(Reason.WRITING)
    if worse is not None and worse.date > last.taken.astimezone(UTC).date():
        found.append(Reason.DETERIORATION)
    if now - last.taken >= PERIOD:
        found.append(Reason.PERIODIC)
    return found


def due(
    history: Sequence[Screening],
    now: datetime | None = None,
    *,
    checkins: Sequence[CheckIn] = (),
    writing: Mapping[str, datetime] | None = None,
) -> Due | None:
    """Which screens to offer again now, or None.

    `checkins` are the person's own; `writing` maps a concern to the last time
    crisis words for it were found in what the person wrote.
    """
    now = now or datetime.now(UTC)
    worse = _deterioration(checkins, now)
    writing = writing or {}
    concerns, reasons = [], set()
    for concern, last in sorted(latest(history).items()):
        found = reasons_for(last, now, worse=worse, written=writing.get(concern))
        if found:
            concerns.append(concern)
            reasons.update(found)
    if not concerns:
        return None
    return Due(tuple(concerns), tuple(r for r in Reason if r in reasons))


def _deterioration(checkins: Sequence[CheckIn], now: datetime) -> CheckIn | None:
    """The latest check-in, when the early-warning rule finds a concern in the series."""
    if not checkins:
        return None
    today = max(now.astimezone(UTC).date(), max(c.date for c in checkins))
    flags = partner_flags("self", checkins, today=today)
    return max(checkins, key=lambda c: c.date) if flags.concern else None
