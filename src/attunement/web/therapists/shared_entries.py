"""Journal entries a client shares with the therapist of one of their cases, one at a time.

A shared entry is readable under its consent only; withdrawing the consent unshares it.
"""

from __future__ import annotations

from dataclasses import dataclass

from attunement.web.accounts.models import User
from attunement.web.journal import policy as journal_policy
from attunement.web.journal.models import JournalEntry
from attunement.web.therapists.models import Grant, SharedEntry
from attunement.web.therapists.services import EntryNotFound, grant_for, grants_for


@dataclass(frozen=True)
class EntryShare:
    grant: Grant
    shared: bool


def entry_sharing(person: User, entry: JournalEntry) -> list[EntryShare]:
    """For the entry's page: each of the author's therapists, and whether this entry is shared."""
    grants = grants_for(person)
    shared = set(
        SharedEntry.objects.filter(entry=entry, grant__in=grants).values_list("grant_id", flat=True)
    )
    return [EntryShare(g, g.pk in shared) for g in grants]


def share_entry(person: User, entry_id: int, grant_id: int) -> SharedEntry:
    """Let the therapist of one of the person's cases read this one entry of theirs."""
    entry = _own_entry(person, entry_id)
    grant = grant_for(person, grant_id)
    found, _made = SharedEntry.objects.get_or_create(entry=entry, grant=grant)
    return found


def unshare_entry(person: User, entry_id: int, grant_id: int) -> None:
    """Stop sharing at once; unsharing an entry that is not shared changes nothing."""
    entry = _own_entry(person, entry_id)
    grant = grant_for(person, grant_id)
    SharedEntry.objects.filter(entry=entry, grant=grant).delete()


def _own_entry(person: User, entry_id: int) -> JournalEntry:
    entry = journal_policy.ENTRY.find(person, entry_id)
    if entry is None:
        raise EntryNotFound
    return entry
