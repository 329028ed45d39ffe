"""Who may use a journal entry: its author; their partner reads what is shared with them."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from attunement.web.accounts.models import User
from attunement.web.core.policy import Rule, owned_by
from attunement.web.couples import services as couples
from attunement.web.journal.models import JournalEntry


def _shared_with(viewer: User) -> QuerySet[JournalEntry]:
    in_my_couple = Q(shared_in__members__user=viewer, shared_in__members__active=True)
    return JournalEntry.objects.filter(in_my_couple, shared_with_partner=True).exclude(owner=viewer)


def _may_read_shared(viewer: User, entry: JournalEntry) -> bool:
    couple, partner = couples.active_couple(viewer), couples.partner_of(viewer)
    return (
        couple is not None
        and partner is not None
        and entry.owner_id == partner.pk
        and entry.shared_with_partner
        and entry.shared_in_id == couple.pk
    )


# Read, edit, delete and share: the author alone (the partner reads on the shared page only).
ENTRY = owned_by("journal.entry", JournalEntry)
# Read on the shared page: the author's partner, while shared in their current couple.
SHARED_ENTRY = Rule("journal.shared_entry", _shared_with, _may_read_shared)

RULES = (ENTRY, SHARED_ENTRY)
