"""The reflection journal's rules, which the pages and the JSON API both follow.

Entries are private to their author. An author who is paired may share one entry
at a time with their partner, and unshare it at any time; unpairing ends every
share. Someone else's entry is treated exactly like one that does not exist.

Search decrypts the author's own entries one by one and matches in Python: the
database only holds ciphertext, so it cannot be asked. That is quick enough for
one person's journal (thousands of entries), not for searching across people,
which the journal never does.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from attunement.practices import prompts
from attunement.web.accounts.models import User
from attunement.web.assessments import rescreen
from attunement.web.couples import services as couples
from attunement.web.couples.models import Couple
from attunement.web.journal import paging, policy
from attunement.web.journal.models import JournalEntry
from attunement.web.vault import crypto
from attunement.web.vault.models import with_cipher

# Long enough for a rambling evening; a novel belongs elsewhere.
BODY_MAX_LENGTH = 20_000
TITLE_MAX_LENGTH = 200
QUERY_MAX_LENGTH = 200
# Ours: a search page decrypts at most this many entries before it answers.
SEARCH_SCAN = 500
BadCursor = paging.BadCursor

NotPaired = couples.NotPaired


class EntryNotFound(LookupError):
    """No such entry for this person: missing and someone else's look alike."""


# Reading


def entries(owner: User, query: str = "") -> list[JournalEntry]:
    """The person's entries, newest first; with a query, those containing every word of it.

    The words are looked for in the title, the body and the prompt, ignoring case.
    """
    found = with_cipher(owner.pk, policy.ENTRY.visible(owner))
    words = query.casefold().split()
    if not words:
        return found
    return [entry for entry in found if _matches(entry, words)]


def entries_page(
    owner: User, query: str = "", cursor: str | None = None, size: int | None = None
) -> tuple[list[JournalEntry], str | None]:
    """One page of the person's entries, newest first, and the cursor for the next (or None).

    BadCursor for a cursor that is not one. A search decrypts the entries one by one, so it
    looks through at most SEARCH_SCAN of them per page: a page may hold fewer matches than
    `size` and still have a next one.
    """
    size = size or paging.PAGE_SIZE
    rows = paging.after(
        policy.ENTRY.visible(owner),
        "created",
        paging.decode(cursor) if cursor else None,
    )
    words = query.casefold().split()
    if not words:
        return paging.cut(with_cipher(owner.pk, rows[: size + 1]), "created", size)
    looked = with_cipher(owner.pk, rows[:SEARCH_SCAN])
    found: list[JournalEntry] = []
    for index, entry in enumerate(looked):
        if _matches(entry, words):
            found.append(entry)
        if len(found) == size or index == len(looked) - 1:
            more = index < len(looked) - 1 or len(looked) == SEARCH_SCAN
            return found, paging.encode(entry.created, entry.pk) if more else None
    return found, None


def shared_page(
    viewer: User, cursor: str | None = None, size: int | None = None
) -> tuple[list[JournalEntry], str | None]:
    """One page of what the partner shares with the viewer, newest share first."""
    size = size or paging.PAGE_SIZE
    partner = couples.partner_of(viewer)
    if partner is None:
        return [], None
    rows = paging.after(
        policy.SHARED_ENTRY.visible(viewer),
        "shared_at",
        paging.decode(cursor) if cursor else None,
    )
    page, after = paging.cut(with_cipher(partner.pk, rows[: size + 1]), "shared_at", size)
    return [entry for entry in page if entry.readable], after


def find(owner: User, entry_id: int) -> JournalEntry:
    entry = policy.ENTRY.find(owner, entry_id)
    if entry is None:
        raise EntryNotFound
    return entry


def shared_with(viewer: User) -> list[JournalEntry]:
    """Entries the viewer's partner shares with them in their current couple, newest share first."""
    partner = couples.partner_of(viewer)
    if partner is None:
        return []
    shared = policy.SHARED_ENTRY.visible(viewer).order_by("-shared_at", "-pk")
    return [entry for entry in with_cipher(partner.pk, shared) if entry.readable]


def is_shared(entry: JournalEntry, couple: Couple | None) -> bool:
    """Whether the entry is shared in this couple: the only sharing that counts."""
    return entry.shared_with_partner and couple is not None and entry.shared_in_id == couple.pk


def suggested_prompt(owner: User) -> prompts.Prompt:
    """Tonight's prompt: the first the person has not written on yet, else one a day in turn."""
    used = set(JournalEntry.objects.filter(owner=owner).values_list("prompt", flat=True))
    return prompts.suggestion(used, timezone.localdate())


# Writing


def write(owner: User, *, prompt: str, title: str, body: str) -> JournalEntry:
    now = timezone.now()
    entry = JournalEntry(owner=owner, prompt=prompt, created=now, updated=now)
    entry.title, entry.body = title, body
    entry.save()
    rescreen.notice(owner, title, body)
    return entry


class EditConflict(Exception):
    """The entry changed (on another device, say) since the version the edit started from."""

    def __init__(self, current: JournalEntry) -> None:
        super().__init__("the entry was changed since you opened it")
        self.current = current


def version(entry: JournalEntry) -> int:
    """The entry's version: when it last changed, in microseconds. Edits carry it back."""
    return int(entry.updated.timestamp() * 1_000_000)


def revise(
    entry: JournalEntry, *, prompt: str, title: str, body: str, based_on: int | None = None
) -> JournalEntry:
    """Save an edit; with `based_on`, only if nobody saved the entry since that version."""
    with transaction.atomic():
        current = JournalEntry.objects.select_for_update().get(pk=entry.pk)
        if based_on is not None and version(current) != based_on:
            raise EditConflict(current)
        entry.prompt = prompt
        entry.title, entry.body = title, body
        entry.updated = max(timezone.now(), current.updated + timedelta(microseconds=1))
        entry.save(update_fields=["prompt", "sealed_title", "sealed_body", "updated"])
        rescreen.notice(entry.owner, title, body)
    return entry


def delete(owner: User, entry_id: int) -> None:
    """Delete one of the person's entries for good; there is no bin to restore it from."""
    deleted, _ = policy.ENTRY.visible(owner).filter(pk=entry_id).delete()
    if not deleted:
        raise EntryNotFound


# Sharing


def share(owner: User, entry_id: int) -> JournalEntry:
    """Let the partner read this entry until it is unshared or the couple ends."""
    with transaction.atomic():
        entry = find(owner, entry_id)
        couple = couples.active_couple(owner)
        if couple is None:
            raise NotPaired
        if not is_shared(entry, couple):
            entry.shared_with_partner, entry.shared_in = True, couple
            entry.shared_at = timezone.now()
            entry.save(update_fields=["shared_with_partner", "shared_in", "shared_at"])
    return entry


def unshare(owner: User, entry_id: int) -> JournalEntry:
    """Make the entry private again at once. Unsharing a private entry changes nothing."""
    entry = find(owner, entry_id)
    entry.shared_with_partner, entry.shared_in, entry.shared_at = False, None, None
    entry.save(update_fields=["shared_with_partner", "shared_in", "shared_at"])
    return entry


def _matches(entry: JournalEntry, words: list[str]) -> bool:
    guide = entry.guide
    try:
        parts = [entry.title, entry.body, *((guide.title, guide.question) if guide else ())]
    except crypto.Unreadable:
        return False
    text = "\n".join(parts).casefold()
    return all(word in text for word in words)
