"""The privacy page's rules: what a person shares with whom, their data to take away, and leaving.

- `overview(person)`: what the person shares with their partner (scores per
  instrument, check-ins, journal entries, practice messages) and with therapists
  (open consents), and the therapists' reads of their data.
- `export(person)`: everything the person owns, as one JSON-ready dictionary
  (docs/privacy.md describes it). Their own words are decrypted; nothing of their
  partner's is included but the partner's display name.
- `delete_account(person)`: deletes the person's encryption key first, then every
  row of theirs, in one transaction. Their partner keeps everything of their own and
  is left unpaired, as after an unpairing.

The export's parts and the steps of deleting come from each app's `privacy.py`,
through `registry`; the page's overview uses each app's own services, so the
rules of what is whose live in one place. The therapist workspace is optional:
without it installed there are simply no consents and no reads.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from types import GeneratorType, ModuleType
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from attunement.instruments.library import get as instrument
from attunement.instruments.model import Instrument
from attunement.web.accounts import policy as accounts_policy
from attunement.web.accounts.models import ApiToken, User
from attunement.web.checkins import services as checkins
from attunement.web.couples import services as couples
from attunement.web.journal.models import JournalEntry
from attunement.web.practices.models import Draft
from attunement.web.privacy import registry
from attunement.web.privacy.registry import when
from attunement.web.vault.models import with_cipher

FORMAT = "attunement-export"
VERSION = 1
THERAPISTS = "attunement.web.therapists"
# What a therapist's page showed, in the words of the privacy page.
SCOPE_NAMES: dict[str, str | Promise] = {
    "couple_report": _("scale scores and the couple report"),
    "checkin_trends": _("check-in trends"),
    "practice_activity": _("practice activity"),
    "entries": _("journal entries you shared with them"),
}
# The most recent reads shown on the page; the export has every one.
READS_SHOWN = 50

Json = dict[str, Any]


class ConsentNotFound(LookupError):
    """No such open consent of this person: withdrawn, missing and someone else's look alike."""


class TokenNotFound(LookupError):
    """No such API token of this person: revoked, missing and someone else's look alike."""


def _therapists() -> ModuleType | None:
    """The therapist workspace's services, when the workspace is installed."""
    if not apps.is_installed(THERAPISTS):
        return None
    from attunement.web.therapists import services as therapists

    return therapists


# What is shared, with whom


@dataclass(frozen=True)
class Consent:
    """One open consent the person gave a therapist."""

    id: int
    therapist: str
    scopes: list[str | Promise]
    since: datetime
    entries: int  # journal entries shared with this therapist


@dataclass(frozen=True)
class Read:
    """One read of the person's data by a therapist."""

    therapist: str
    what: str
    scopes: list[str | Promise]
    at: datetime


@dataclass(frozen=True)
class Overview:
    partner: User | None
    instruments: list[Instrument]  # whose scale scores the partner sees (check-ins apart)
    checkins_shared: bool
    entries: list[JournalEntry]  # journal entries the partner can read
    messages: list[Draft]  # practice messages sent to the partner
    consents: list[Consent]
    reads: list[Read]  # the most recent first, at most READS_SHOWN
    reads_in_all: int
    api_tokens: list[ApiToken]  # newest first; never their secrets


def overview(person: User) -> Overview:
    couple = couples.active_couple(person)
    partner = couples.partner_of(person)
    shared = couples.shared_instruments(person)
    entries: list[JournalEntry] = []
    messages: list[Draft] = []
    if couple is not None:
        entries = with_cipher(
            person.pk,
            JournalEntry.objects.filter(
                owner=person, shared_with_partner=True, shared_in=couple
            ).order_by("-shared_at", "-pk"),
        )
        messages = with_cipher(
            person.pk,
            Draft.objects.filter(owner=person, sent_in=couple).order_by("-sent_at", "-pk"),
        )
    all_reads = _reads(person)
    return Overview(
        partner=partner,
        instruments=[instrument(i) for i in shared if i != checkins.INSTRUMENT],
        checkins_shared=checkins.INSTRUMENT in shared,
        entries=entries,
        messages=messages,
        consents=consents(person),
        reads=all_reads[:READS_SHOWN],
        reads_in_all=len(all_reads),
        api_tokens=list(person.api_tokens.order_by("-created", "-pk")),
    )


def consents(person: User) -> list[Consent]:
    """The person's open consents to therapists, newest first."""
    therapists = _therapists()
    if therapists is None:
        return []
    from attunement.web.therapists.models import SharedEntry

    found = []
    for grant in therapists.grants_for(person):
        found.append(
            Consent(
                id=grant.pk,
                therapist=grant.case.therapist.display_name,
                scopes=[SCOPE_NAMES.get(s.value, s.value) for s in sorted(grant.scopes)],
                since=grant.created,
                entries=SharedEntry.objects.filter(grant=grant).count(),
            )
        )
    return found


def withdraw_consent(person: User, grant_id: int) -> None:
    """Withdraw one of the person's consents at once (ConsentNotFound if it is not theirs)."""
    therapists = _therapists()
    if therapists is None:
        raise ConsentNotFound
    try:
        therapists.revoke(person, grant_id)
    except therapists.GrantNotFound:
        raise ConsentNotFound from None


def revoke_token(person: User, token_id: int) -> None:
    """Revoke one of the person's API tokens at once (TokenNotFound if it is not theirs)."""
    deleted, _ = accounts_policy.TOKEN.visible(person).filter(pk=token_id).delete()
    if not deleted:
        raise TokenNotFound


def _reads(person: User) -> list[Read]:
    if _therapists() is None:
        return []
    from attunement.web.therapists import audit

    return [
        Read(
            therapist=event.therapist_name,
            what=event.get_what_display(),
            scopes=[SCOPE_NAMES.get(s, s) for s in event.scope_list],
            at=event.at,
        )
        for event in audit.audit_for(person)
    ]


# Export


def export(person: User) -> Json:
    """Everything the person owns, ready for json.dumps; docs/privacy.md describes each part."""
    found: Json = _materialise(export_parts(person))
    return found


def stream(person: User) -> Iterator[str]:
    """The export as JSON text, written piece by piece: the long lists never sit in memory whole.

    The same document as `json.dumps(export(person), ensure_ascii=False, indent=2)`.
    """
    return _json_chunks(export_parts(person), 0)


# The parts of the export in the order of the document (docs/privacy.md), each with its
# value when no installed app exports it. A part not listed here comes after these.
LAYOUT: dict[str, Any] = {
    "account": None,
    "api_tokens": [],
    "sessions": [],
    "couples": [],
    "invitations": [],
    "answers": [],
    "scores": {},
    "journal": [],
    "practice_drafts": [],
    "practice_replies": [],
    "practice_log": [],
    "checkins": [],
    "checkin_reminder": None,
    "screenings": [],
    "writing_signals": [],
    "messages_paused_since": None,
    "therapist_consents": [],
    "therapist_reads": [],
    "therapist_workspace": None,
}


def export_parts(person: User) -> Json:
    """The export, its long lists (journal, check-ins) left as iterators read in chunks.

    Each part comes from the app that keeps it (see `registry`).
    """
    parts = registry.exporters()
    document: Json = {"format": FORMAT, "version": VERSION, "exported_at": when(timezone.now())}
    for key, absent in LAYOUT.items():
        exporter = parts.pop(key, None)
        document[key] = absent if exporter is None else exporter(person)
    for key, exporter in parts.items():
        document[key] = exporter(person)
    return document


def _materialise(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _materialise(item) for key, item in value.items()}
    if isinstance(value, list | GeneratorType):
        return [_materialise(item) for item in value]
    return value


def _json_chunks(value: Any, depth: int) -> Iterator[str]:
    """JSON for `value` as json.dumps(indent=2) writes it, a dict entry or list item at a time."""
    inner, outer = "\n" + "  " * (depth + 1), "\n" + "  " * depth
    if isinstance(value, dict) and value:
        yield "{"
        for index, (key, item) in enumerate(value.items()):
            yield ("," if index else "") + inner + json.dumps(key, ensure_ascii=False) + ": "
            yield from _json_chunks(item, depth + 1)
        yield outer + "}"
    elif isinstance(value, list | GeneratorType):
        empty = True
        for item in value:
            yield ("[" if empty else ",") + inner
            yield from _json_chunks(item, depth + 1)
            empty = False
        yield "[]" if empty else outer + "]"
    else:
        text = json.dumps(value, ensure_ascii=False, indent=2)
        yield text.replace("\n", outer)


# Deleting the account


def delete_account(person: User) -> None:
    """Delete the person and everything of theirs; their partner's own data is left as it is.

    In one transaction, each app's registered step in order (`registry.Step`): their
    encryption key first (every word they wrote is then unreadable, in any copy of the
    database too), their open consents are withdrawn as the workspace withdraws them,
    their couple ends as on unpairing (both partners' sharing with it), their sessions
    end and the rows that name only their address go (a sign-up waiting for its link,
    failed sign-in attempts); then every row of theirs goes, cascading from the account.
    A couple nobody is left in goes too.
    """
    with transaction.atomic():
        transaction.on_commit(empty_write_ahead_log)
        afterwards = [after for erase in registry.erasers() if (after := erase(person))]
        person.delete()
        for after in afterwards:
            after()


def empty_write_ahead_log() -> None:
    """On SQLite, fold the write-ahead log into the database file and empty it.

    The log keeps earlier copies of changed pages (a deleted person's words among them)
    until it is checkpointed and reset; the database file itself is overwritten at once
    (secure_delete). Best effort: a reader still busy with old pages leaves it for later.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
