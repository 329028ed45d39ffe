"""Consents and therapists' reads in a person's export, and a therapist's own workspace.

Deleting an account withdraws the person's open consents as the workspace withdraws them.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from attunement.web.accounts.models import User
from attunement.web.privacy.registry import Step, day, erases, exports, when
from attunement.web.therapists import audit, services
from attunement.web.therapists.models import Case, Grant, SharedEntry, Therapist


@exports("therapist_consents")
def consents(person: User) -> list[dict[str, Any]]:
    grants = Grant.objects.filter(person=person).select_related("case__therapist")
    return [
        {
            "therapist": grant.case.therapist.display_name,
            "scopes": sorted(s.value for s in grant.scopes),
            "given": when(grant.created),
            "changed": when(grant.changed),
            "withdrawn": when(grant.revoked),
            "journal_entries_shared": sorted(
                SharedEntry.objects.filter(grant=grant).values_list("entry_id", flat=True)
            ),
        }
        for grant in grants.order_by("created", "pk")
    ]


@exports("therapist_reads")
def reads(person: User) -> list[dict[str, Any]]:
    return [
        {"therapist": e.therapist_name, "what": e.what, "scopes": e.scope_list, "at": when(e.at)}
        for e in reversed(audit.audit_for(person))
    ]


@exports("therapist_workspace")
def workspace(person: User) -> dict[str, Any] | None:
    """The therapist's own notes on their cases. Their clients' data is the clients' own."""
    profile = Therapist.objects.filter(owner=person).first()
    if profile is None:
        return None
    return {
        "since": when(profile.created),
        "active": profile.active,
        "cases": [
            {
                "label": case.label,
                "kind": case.kind,
                "created": when(case.created),
                "ended": when(case.ended),
                "session_dates": sorted(day(s.held_on) for s in case.sessions.all()),
            }
            for case in Case.objects.filter(therapist=person).order_by("created", "pk")
        ],
    }


@erases(Step.CONSENTS)
def withdraw_consents(person: User) -> None:
    for grant in services.grants_for(person):
        with suppress(services.GrantNotFound):
            services.revoke(person, grant.pk)
