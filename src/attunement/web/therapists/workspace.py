"""What the therapist's pages show, built only from what `attunement.consent.serve` hands out.

Each page first lists the case's open consents, then asks `serve` for client data:
scale scores (couple_report), check-ins (checkin_trends) and practice metadata
(practice_activity), each for exactly the people who granted that scope. The report,
the early warning, charts and summaries are then worked out from the served data
alone, so nothing that was not granted can reach a page. Journal text is read only
for entries their author shared with this case. Safety screens are never read.

Each page reads one query per kind of thing; the caseload page is in caseload.py,
practice metadata in activity.py, the session summary (built on the case page) in
session_summary.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from attunement import consent, progress
from attunement.charts import trend
from attunement.consent import Scope
from attunement.insight import Partner, SupportLevel, View, build_report
from attunement.insight.words import support_text
from attunement.web.accounts.models import User
from attunement.web.assessments import services as assessments
from attunement.web.checkins import services as checkins
from attunement.web.journal.models import JournalEntry
from attunement.web.therapists import policy
from attunement.web.therapists.activity import Activity, activity_for
from attunement.web.therapists.audit import Read
from attunement.web.therapists.models import Case, Grant, SessionDate, SharedEntry
from attunement.web.vault.models import with_cipher

Scores = dict[str, dict[str, float]]
Served = dict[Scope, dict[int, Any]]


# --- Who is in a case ---------------------------------------------------------


@dataclass(frozen=True)
class Client:
    """One client of a case as their consent stands now; `key` is their letter in reports."""

    person: User
    key: str
    scopes: frozenset[Scope]
    grant_id: int
    joined: datetime

    @property
    def pk(self) -> int:
        return self.person.pk

    @property
    def name(self) -> str:
        return self.person.display_name

    @property
    def ordered_scopes(self) -> list[str]:
        return [s.value for s in consent.SCOPES if s in self.scopes]


def window_start() -> date:
    """The first day of the check-in window the case pages show (`checkins.WINDOW_WEEKS`)."""
    return checkins.window_start(timezone.localdate())


def clients_of(grants: Sequence[Grant]) -> list[Client]:
    """A case's open grants (oldest first) as clients "a" and "b"."""
    return [
        Client(g.person, key, g.scopes, g.pk, g.created)
        for key, g in zip("ab", grants, strict=False)
    ]


# --- Serving ------------------------------------------------------------------


def serve(
    clients: Sequence[Client],
    scopes: Sequence[Scope] = consent.SCOPES,
    *,
    since: datetime | None = None,
) -> Served:
    """The data of `scopes` (of those each client granted), one query per kind of thing.

    Served data is keyed by consent (`Client.grant_id`), not by person: someone in two
    of a therapist's cases may grant different scopes in each, and each case's page
    must get exactly what was granted in it.
    """
    owner = {c.grant_id: c.person for c in clients}
    granted = {c.grant_id: c.scopes & set(scopes) for c in clients}

    def per_grant(read: Callable[[list[int]], Mapping[int, Any]]) -> consent.Reader[int, Any]:
        def reader(asked: Sequence[int]) -> dict[int, Any]:
            found = read(sorted({owner[g].pk for g in asked}))
            return {g: found[owner[g].pk] for g in asked if owner[g].pk in found}

        return reader

    def scores(people: list[int]) -> dict[int, Scores]:
        found = assessments.scores_of(people)
        return {p: {i: dict(s.values()) for i, s in found[p].items()} for p in people}

    # The check-in window of the person's own page (and back to `since` for a summary), with
    # each client's latest check-in before it: never the whole history.
    shown_from = window_start()
    if since is not None:
        shown_from = min(shown_from, timezone.localdate(since))

    def checkins_of(people: list[int]) -> dict[int, list[progress.CheckIn]]:
        found = checkins.series_for(people, since=shown_from)
        return {p: checkins.as_progress(s) for p, s in found.items()}

    readers = {
        Scope.COUPLE_REPORT: per_grant(scores),
        Scope.CHECKIN_TRENDS: per_grant(checkins_of),
        Scope.PRACTICE_ACTIVITY: per_grant(lambda people: activity_for(people, since)),
    }
    return consent.serve(granted, readers)


def report_of(clients: Sequence[Client], served: Served) -> View | None:
    """The report from the served scale scores only: joint with two, one side with one."""
    scores = served.get(Scope.COUPLE_REPORT, {})
    partners = [Partner(c.key, c.name, scores[c.grant_id]) for c in clients if c.grant_id in scores]
    if not partners:
        return None
    return build_report(partners).view("joint")


def warning_of(clients: Sequence[Client], served: Served) -> progress.EarlyWarning | None:
    """The early warning over the served check-ins, as of today (or the latest check-in)."""
    series = served.get(Scope.CHECKIN_TRENDS, {})
    found = {c.key: series[c.grant_id] for c in clients if c.grant_id in series}
    return _warning(found)


def _warning(series: Mapping[str, Sequence[progress.CheckIn]]) -> progress.EarlyWarning | None:
    if not series:
        return None
    # A check-in's day is in the person's time zone, which can be ahead of the server's.
    latest = [c.date for found in series.values() for c in found]
    today = max([timezone.localdate(), *latest])
    return progress.early_warning(series, today=today)


@dataclass(frozen=True)
class Support:
    """The one support level a case shows, and where it comes from.

    `report` is what the couple report's findings call for and `checkins` what the
    check-ins call for; each is None when its data is not shared with the therapist.
    """

    level: SupportLevel
    report: SupportLevel | None
    checkins: SupportLevel | None

    @property
    def text(self) -> str:
        return support_text(self.level)

    @property
    def raised_by_checkins(self) -> bool:
        """The check-ins call for more than the report does (or there is no report)."""
        return (
            self.checkins is not None
            and self.checkins == self.level
            and (self.report is None or self.checkins.rank > self.report.rank)
        )


def support_of(report: View | None, warning: progress.EarlyWarning | None) -> Support | None:
    """The support level for the caseload, the case page and the summary alike.

    The report's level, raised by the check-ins (they raise it, never lower it), exactly
    as a client's own report page does. None when neither is shared.
    """
    from_report = report.support_level if report is not None else None
    from_checkins = warning.support_level if warning is not None else None
    if from_report is None and from_checkins is None:
        return None
    level = progress.warning.raised(
        from_report or SupportLevel.SELF_GUIDED, from_checkins or SupportLevel.SELF_GUIDED
    )
    return Support(level, from_report, from_checkins)


def attention(support: Support | None, warning: progress.EarlyWarning | None) -> int:
    """Higher first on the caseload page: the support level, then "not on track"."""
    behind = warning is not None and any(p.not_on_track for p in warning.partners.values())
    rank = support.level.rank if support is not None else 0
    return rank * 2 + int(behind)


@dataclass(frozen=True)
class Person:
    """One client's served data as a page shows it; None means "not shared"."""

    client: Client
    checkins: list[progress.CheckIn] | None
    flags: progress.PartnerFlags | None
    activity: Activity | None
    in_report: bool
    spark: str = ""  # the caseload page's sparkline of the served check-ins

    @property
    def latest(self) -> progress.CheckIn | None:
        return self.checkins[-1] if self.checkins else None

    @property
    def in_window(self) -> list[progress.CheckIn]:
        """The served check-ins of the last WINDOW_WEEKS weeks (the latest may be older)."""
        start = window_start()
        return [c for c in self.checkins or [] if c.date >= start]

    @property
    def window_weeks(self) -> int:
        return checkins.WINDOW_WEEKS

    @property
    def last_activity(self) -> date | None:
        days = [self.checkins[-1].date] if self.checkins else []
        if self.activity is not None and self.activity.last is not None:
            days.append(self.activity.last)
        return max(days, default=None)

    def served_scopes(self) -> list[str]:
        found = [Scope.COUPLE_REPORT] if self.in_report else []
        found += [Scope.CHECKIN_TRENDS] if self.checkins is not None else []
        found += [Scope.PRACTICE_ACTIVITY] if self.activity is not None else []
        return [s.value for s in found]


def people_of(
    clients: Sequence[Client], served: Served, warning: progress.EarlyWarning | None
) -> list[Person]:
    series = served.get(Scope.CHECKIN_TRENDS, {})
    done = served.get(Scope.PRACTICE_ACTIVITY, {})
    scores = served.get(Scope.COUPLE_REPORT, {})
    return [
        Person(
            client=c,
            checkins=series.get(c.grant_id),
            flags=warning.partners.get(c.key) if warning and c.grant_id in series else None,
            activity=done.get(c.grant_id),
            in_report=c.grant_id in scores,
        )
        for c in clients
    ]


def trend_of(people: Sequence[Person]) -> tuple[str, str] | None:
    """The trend chart and its table, for the people whose check-ins were served."""
    shown = [p for p in people if p.checkins is not None]
    if not shown:
        return None
    lines = [trend.trend(p.client.name, [(c.date, c.csi4) for c in p.in_window]) for p in shown]
    return trend.trend_chart(lines, ident="case-trend"), trend.trend_table(lines)


# --- The case page --------------------------------------------------------------


@dataclass(frozen=True)
class SharedText:
    author: str
    author_id: int
    shared_at: datetime
    title: str
    body: str
    written: datetime


@dataclass(frozen=True)
class CasePage:
    case: Case
    clients: list[Client]
    served: Served
    people: list[Person]
    report: View | None
    warning: progress.EarlyWarning | None
    trend: tuple[str, str] | None
    entries: list[SharedText]
    sessions: list[SessionDate]

    withdrawn: list[Withdrawal] = field(default_factory=list)

    @property
    def places_left(self) -> int:
        """Places nobody has taken yet; a place someone withdrew from is not among them."""
        left_by = {w.person_id for w in self.withdrawn} - {c.pk for c in self.clients}
        return max(0, self.case.places - len(self.clients) - len(left_by))

    @property
    def open_places(self) -> int:
        """Places without a client, whether never taken or withdrawn from."""
        return max(0, self.case.places - len(self.clients))

    @property
    def support(self) -> Support | None:
        return support_of(self.report, self.warning)

    def reads(self) -> list[Read]:
        shared_by = {e.author_id for e in self.entries}
        return [
            Read(p.client.pk, self.case.pk,
                 [*p.served_scopes(), *(["entries"] if p.client.pk in shared_by else [])])
            for p in self.people
        ]  # fmt: skip


@dataclass(frozen=True)
class Withdrawal:
    """A client who took back consent in this case: who, which scopes, and when."""

    person_id: int
    name: str
    scopes: list[str]
    on: datetime
    whole: bool  # the whole consent, not some of its scopes


def withdrawals(case: Case, clients: Sequence[Client]) -> list[Withdrawal]:
    """Consent taken back in the case, newest first: withdrawn consents, and scopes dropped.

    A person who withdrew and joined again shows only what their open consent dropped.
    """
    in_case = {c.pk for c in clients}
    found = []
    for grant in case.grants.select_related("person").order_by("-changed", "-pk"):
        scopes = grant.withdrawn_scopes
        if grant.revoked is not None and grant.person_id not in in_case:
            found.append(
                Withdrawal(grant.person_id, grant.person.display_name, scopes, grant.revoked, True)
            )
            in_case.add(grant.person_id)  # an older consent of theirs says nothing new
        elif grant.revoked is None and scopes:
            found.append(
                Withdrawal(grant.person_id, grant.person.display_name, scopes, grant.changed, False)
            )
    return found


def case_page(case: Case, *, since: datetime | None = None) -> CasePage:
    readable = policy.CLIENT.visible(case.therapist).filter(case=case)
    clients = clients_of(list(readable.select_related("person").order_by("created", "pk")))
    served = serve(clients, since=since)
    warning = warning_of(clients, served)
    people = people_of(clients, served, warning)
    return CasePage(
        case=case,
        clients=clients,
        served=served,
        people=people,
        report=report_of(clients, served),
        warning=warning,
        trend=trend_of(people),
        entries=shared_texts(case, clients),
        sessions=list(case.sessions.all()[:12]),
        withdrawn=withdrawals(case, clients),
    )


def shared_texts(case: Case, clients: Sequence[Client]) -> list[SharedText]:
    """Entries the case's clients shared with it, newest share first; each author's key once."""
    shares = list(
        SharedEntry.objects.filter(grant__case=case, grant__revoked__isnull=True)
        .values_list("entry_id", "shared_at", "entry__owner_id")
        .order_by("-shared_at", "-pk")
    )
    names = {c.pk: c.name for c in clients}
    texts = []
    for author in names:
        ids = [entry for entry, _at, owner in shares if owner == author]
        if not ids:
            continue
        found = JournalEntry.objects.filter(owner_id=author, pk__in=ids)
        readable = {e.pk: e for e in with_cipher(author, found) if e.readable}
        for entry, at, owner in shares:
            if owner == author and entry in readable:
                found_entry = readable[entry]
                texts.append(
                    SharedText(
                        names[author],
                        author,
                        at,
                        found_entry.title,
                        found_entry.body,
                        found_entry.created,
                    )
                )
    return sorted(texts, key=lambda t: t.shared_at, reverse=True)
