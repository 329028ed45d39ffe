"""The audit of therapists' reads: one row per client whose data a page showed, kept for them.

A client sees every read of their data on their consent and privacy pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone

from attunement.web.accounts.models import User
from attunement.web.therapists.models import AuditEvent


@dataclass(frozen=True)
class Read:
    """One client's data shown on one page."""

    subject_id: int
    case_id: int
    scopes: Sequence[str]


def record_reads(therapist: User, what: str, reads: Iterable[Read]) -> None:
    """One audit row per client whose data the page showed, in one statement."""
    now = timezone.now()
    rows = [
        AuditEvent(
            therapist=therapist,
            therapist_name=therapist.display_name[:60],
            subject_id=read.subject_id,
            case_id=read.case_id,
            what=what,
            scopes=",".join(read.scopes),
            at=now,
        )
        for read in reads
        if read.scopes
    ]
    AuditEvent.objects.bulk_create(rows)


def audit_for(person: User, limit: int | None = None) -> list[AuditEvent]:
    """Every read of the person's data by a therapist, newest first."""
    found = AuditEvent.objects.filter(subject=person).order_by("-at", "-pk")
    return list(found[:limit] if limit else found)
