"""Practice activity as a therapist may see it: kinds, counts and dates, never words.

Guided exercises, practices logged and journal entries are all encrypted where they
hold text; this reads only their unencrypted metadata, one grouped query per kind
for any number of people, and never decrypts anything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Max, Q
from django.utils import timezone

from attunement.practices import catalogue, flows
from attunement.web.journal.models import JournalEntry
from attunement.web.practices.models import Draft, PracticeLog


@dataclass(frozen=True)
class Done:
    """One kind of practice: how often, how often since a date, and when last."""

    id: str
    title: str
    count: int
    since: int
    last: date | None
    finished: int = 0  # guided exercises: kept as a message
    sent: int = 0  # guided exercises: sent to the partner


@dataclass(frozen=True)
class Activity:
    logged: tuple[Done, ...] = ()  # practices done away from the screen
    guided: tuple[Done, ...] = ()  # guided exercises started
    journal: Done | None = None  # journal entries written (never their words)

    @property
    def last(self) -> date | None:
        return max((d.last for d in self._all() if d.last is not None), default=None)

    @property
    def since(self) -> int:
        return sum(d.since for d in self._all())

    def _all(self) -> list[Done]:
        return [*self.logged, *self.guided, *([self.journal] if self.journal else [])]


def activity_for(people: Sequence[int], since: datetime | None = None) -> dict[int, Activity]:
    """Counts and dates of each person's practice, journal and guided exercises: three queries."""
    recent = since or timezone.now()
    logs: dict[int, list[Done]] = defaultdict(list)
    known = catalogue()
    for row in (
        PracticeLog.objects.filter(owner_id__in=people)
        .values("owner_id", "practice")
        .annotate(n=Count("pk"), new=Count("pk", filter=Q(done__gte=recent)), last=Max("done"))
        .order_by("owner_id", "practice")
    ):
        title = known[row["practice"]].title if row["practice"] in known else row["practice"]
        logs[row["owner_id"]].append(
            Done(row["practice"], title, row["n"], row["new"], _day(row["last"]))
        )
    guided: dict[int, list[Done]] = defaultdict(list)
    titles = {f.id: f.title for f in flows.flows()}
    for row in (
        Draft.objects.filter(owner_id__in=people)
        .values("owner_id", "flow")
        .annotate(
            n=Count("pk"),
            new=Count("pk", filter=Q(updated__gte=recent)),
            last=Max("updated"),
            kept=Count("pk", filter=Q(finished__isnull=False)),
            sent=Count("pk", filter=Q(sent_at__isnull=False)),
        )
        .order_by("owner_id", "flow")
    ):
        guided[row["owner_id"]].append(
            Done(
                row["flow"],
                titles.get(row["flow"], row["flow"]),
                row["n"],
                row["new"],
                _day(row["last"]),
                finished=row["kept"],
                sent=row["sent"],
            )
        )
    journal: dict[int, Done] = {}
    for row in (
        JournalEntry.objects.filter(owner_id__in=people)
        .values("owner_id")
        .annotate(
            n=Count("pk"), new=Count("pk", filter=Q(created__gte=recent)), last=Max("created")
        )
        .order_by("owner_id")
    ):
        journal[row["owner_id"]] = Done("journal", "", row["n"], row["new"], _day(row["last"]))
    return {
        p: Activity(tuple(logs.get(p, ())), tuple(guided.get(p, ())), journal.get(p))
        for p in people
    }


def _day(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None
