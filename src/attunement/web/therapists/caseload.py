"""The caseload page: one page of a therapist's open cases, those needing attention first.

Its order rests on a status kept on each case (`refresh_status`), so a page costs the
same at 500 couples as at 10: every kind of thing is read once for the whole page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import cast

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from attunement import progress
from attunement.charts import spark
from attunement.consent import Scope
from attunement.insight import SupportLevel
from attunement.web.accounts.models import User
from attunement.web.therapists import policy
from attunement.web.therapists.audit import Read
from attunement.web.therapists.models import Case, Grant
from attunement.web.therapists.services import cases_of
from attunement.web.therapists.workspace import (
    Person,
    Support,
    attention,
    clients_of,
    people_of,
    report_of,
    serve,
    support_of,
    warning_of,
)

PAGE_SIZE = 10
SPARK_WEEKS = 12


@dataclass(frozen=True)
class Row:
    case: Case
    people: list[Person]
    warning: progress.EarlyWarning | None

    @property
    def support(self) -> Support | None:
        """The level `refresh_status` worked out with `support_of`, as the case page shows it."""
        if not self.case.support_level:
            return None
        report = SupportLevel(self.case.report_level) if self.case.report_level else None
        checkins = self.warning.support_level if self.warning else None
        return Support(SupportLevel(self.case.support_level), report, checkins)

    @property
    def places_left(self) -> int:
        return max(0, self.case.places - len(self.people))

    @property
    def last_activity(self) -> date | None:
        return max((d for p in self.people if (d := p.last_activity)), default=None)

    @property
    def not_on_track(self) -> list[Person]:
        return [p for p in self.people if p.flags is not None and p.flags.not_on_track]


@dataclass(frozen=True)
class Caseload:
    rows: list[Row]
    page: Page[Case]
    counts: dict[str, int]

    def reads(self) -> list[Read]:
        return [
            Read(p.client.pk, r.case.pk, p.served_scopes()) for r in self.rows for p in r.people
        ]


DASHBOARD_SCOPES = (Scope.CHECKIN_TRENDS, Scope.PRACTICE_ACTIVITY)


def caseload(therapist: User, page_number: str | int | None = 1) -> Caseload:
    """One page of the therapist's open cases, those needing attention first."""
    refresh_status(therapist)
    ordered = cases_of(therapist).order_by("-attention", "label", "pk")
    page = Paginator(ordered, PAGE_SIZE).get_page(page_number)
    cases = list(page.object_list)
    grants: dict[int, list[Grant]] = defaultdict(list)
    for grant in (
        policy.CLIENT.visible(therapist)
        .filter(case__in=cases)
        .select_related("person")
        .order_by("created", "pk")
    ):
        grants[grant.case_id].append(grant)
    clients = {case.pk: clients_of(grants[case.pk]) for case in cases}
    served = serve([c for found in clients.values() for c in found], DASHBOARD_SCOPES)
    rows = []
    for case in cases:
        warning = warning_of(clients[case.pk], served)
        people = people_of(clients[case.pk], served, warning)
        sparks = _sparks(case, people)
        people = [replace(p, spark=sparks.get(p.client.pk, "")) for p in people]
        rows.append(Row(case, people, warning))
    return Caseload(rows, page, _counts(therapist))


def _sparks(case: Case, people: Sequence[Person]) -> dict[int, str]:
    sparks = {}
    line = progress.warning.cutoff()
    for index, person in enumerate(people):
        if person.checkins is None:
            continue
        recent = person.checkins[-SPARK_WEEKS:]
        points = [(c.date, c.csi4) for c in recent]
        ident = f"spark-{case.pk}-{person.client.key}"
        sparks[person.client.pk] = spark.sparkline(
            person.client.name, points, ident=ident, cutoff=line, index=index
        )
    return sparks


def _counts(therapist: User) -> dict[str, int]:
    return cast(
        dict[str, int],
        cases_of(therapist).aggregate(
            total=Count("pk"),
            not_on_track=Count("pk", filter=Q(not_on_track=True)),
            professional=Count(
                "pk", filter=Q(support_level=SupportLevel.RECOMMEND_PROFESSIONAL.value)
            ),
            consider=Count("pk", filter=Q(support_level=SupportLevel.CONSIDER_SUPPORT.value)),
        ),
    )


def refresh_status(therapist: User, today: date | None = None) -> int:
    """Work out the order of cases whose status is not from today; returns how many.

    The status rests on granted check-ins only. Changing consent or a new check-in
    clears it (services._stale, signals), so it is never older than the data it
    rests on. The rows stay locked while this runs, so a consent changed meanwhile
    clears the new status again rather than being overwritten by it.
    """
    today = today or timezone.localdate()
    if not cases_of(therapist).exclude(status_on=today).exists():
        return 0
    with transaction.atomic():
        stale = list(
            cases_of(therapist).exclude(status_on=today).select_for_update().only("pk", "kind")
        )
        grants: dict[int, list[Grant]] = defaultdict(list)
        for grant in (
            policy.CLIENT.visible(therapist)
            .filter(case__in=stale)
            .select_related("person")
            .order_by("created", "pk")
        ):
            grants[grant.case_id].append(grant)
        everyone = [c for case in stale for c in clients_of(grants[case.pk])]
        served = serve(everyone, (Scope.CHECKIN_TRENDS, Scope.COUPLE_REPORT))
        for case in stale:
            clients = clients_of(grants[case.pk])
            warning = warning_of(clients, served)
            report = report_of(clients, served)
            support = support_of(report, warning)
            case.status_on = today
            case.attention = attention(support, warning)
            case.support_level = support.level.value if support else ""
            case.report_level = report.support_level.value if report else ""
            case.not_on_track = any(
                p.not_on_track for p in (warning.partners.values() if warning else ())
            )
        fields = ["status_on", "attention", "support_level", "report_level", "not_on_track"]
        Case.objects.bulk_update(stale, fields, batch_size=500)
    return len(stale)
