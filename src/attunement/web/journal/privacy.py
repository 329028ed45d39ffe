"""A person's journal in their export: every entry, decrypted, oldest first, read in chunks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from attunement.web.accounts.models import User
from attunement.web.couples import services as couples
from attunement.web.couples.models import Couple
from attunement.web.journal import services
from attunement.web.journal.models import JournalEntry
from attunement.web.privacy.registry import CHUNK, exports, opened, when
from attunement.web.vault import crypto
from attunement.web.vault.models import UserKey


@exports("journal")
def journal(person: User) -> Iterator[dict[str, Any]]:
    couple = couples.active_couple(person)
    return (_entry(e, couple) for e in _oldest_first(person))


def _oldest_first(person: User) -> Iterator[JournalEntry]:
    rows = JournalEntry.objects.filter(owner=person).order_by("created", "pk")
    try:
        cipher: bytes | None = UserKey.cipher_for(person.pk, create=False)
    except crypto.Unreadable:
        cipher = None  # each entry reports itself unreadable
    for entry in rows.iterator(chunk_size=CHUNK):
        yield entry.use_cipher(cipher) if cipher is not None else entry


def _entry(entry: JournalEntry, couple: Couple | None) -> dict[str, Any]:
    shared = services.is_shared(entry, couple)
    return {
        "id": entry.pk,
        "prompt": entry.prompt or None,
        "title": opened(lambda: entry.title),
        "body": opened(lambda: entry.body),
        "created": when(entry.created),
        "updated": when(entry.updated),
        "shared_with_partner": shared,
        "shared_at": when(entry.shared_at) if shared else None,
    }
