"""The session summary: what changed in a case since the last recorded session.

Built on the case page (`workspace.case_page`), so it shows only what the
clients' open consents serve: check-in movement per person, the entries shared
since, and topics to explore from the report's findings and the check-in flags.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from attunement import progress
from attunement.progress.reliable_change import ReliableChange, reliable_change
from attunement.web.therapists.models import Case
from attunement.web.therapists.workspace import CasePage, SharedText, case_page

# With no session recorded yet, the summary looks back this far.
LOOKBACK = timedelta(weeks=4)


@dataclass(frozen=True)
class Movement:
    """One person's check-in total at the last session and now."""

    before: float | None
    now: float | None
    checkins_since: int
    change: ReliableChange | None


@dataclass(frozen=True)
class Summary:
    page: CasePage
    since: date
    after_session: bool  # False: no session recorded, so the last LOOKBACK
    movements: dict[int, Movement]
    explore: list[Topic] = field(default_factory=list)

    @property
    def entries_since(self) -> list[SharedText]:
        return [e for e in self.page.entries if timezone.localdate(e.shared_at) >= self.since]


def summary(case: Case) -> Summary:
    """What changed since the last recorded session (or, before there is one, in LOOKBACK)."""
    last = case.sessions.filter(held_on__lte=timezone.localdate()).first()
    since = last.held_on if last else timezone.localdate() - LOOKBACK
    start = timezone.make_aware(datetime.combine(since, datetime.min.time()))
    page = case_page(case, since=start)
    movements = {
        p.client.pk: movement(p.checkins, since) for p in page.people if p.checkins is not None
    }
    return Summary(page, since, last is not None, movements, explore(page))


def movement(found: Sequence[progress.CheckIn], since: date) -> Movement:
    before = [c for c in found if c.date <= since]
    after = [c for c in found if c.date > since]
    start = before[-1].csi4 if before else None
    now = found[-1].csi4 if found else None
    change = None
    if start is not None and now is not None and after:
        change = reliable_change(start, now, progress.warning.csi4_norm())
    return Movement(start, now if after else None, len(after), change)


@dataclass(frozen=True)
class Topic:
    """Something to explore: a finding of the report, a check-in flag, or the couple drifting."""

    kind: str  # "finding", "flag" or "couple"
    key: str  # the finding id or the flag
    title: str = ""  # a finding's title
    who: str = ""  # whose flag, or whose finding if it concerns one partner
    weeks: int = 0  # a flag's weeks below the cut-off
    days: int = 0  # a flag's days since the last check-in


def explore(page: CasePage) -> list[Topic]:
    """Topics for the session, from the served report's findings and the check-in flags."""
    found: list[Topic] = []
    if page.report is not None:
        names = {p.key: p.name for p in page.report.partners}
        for finding in page.report.findings:
            if finding.private_to is not None:
                continue
            who = names[finding.partners[0]] if len(finding.partners) == 1 else ""
            found.append(Topic("finding", finding.id, finding.title, who))
    for person in page.people:
        if person.flags is not None:
            flags = person.flags
            found += [
                Topic(
                    "flag",
                    f.value,
                    who=person.client.name,
                    weeks=flags.below_cutoff_weeks,
                    days=flags.days_since_last or 0,
                )
                for f in flags.flags
            ]
    if page.warning is not None and page.warning.diverging:
        found.append(Topic("couple", progress.Flag.DIVERGING.value))
    return found
