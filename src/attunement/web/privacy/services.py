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

Each app's own services are used where they exist, so the rules of what is whose
live in one place. The therapist workspace is optional: without it installed there
are simply no consents and no reads.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime
from types import GeneratorType, ModuleType
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from attunement.instruments.library import get as instrument
from attunement.instruments.model import Instrument
from attunement.web.accounts.models import ApiToken, PendingSignup, User, end_sessions
from attunement.web.assessments import services as assessments
from attunement.web.assessments.models import Answer, Screening, WritingSignal
from attunement.web.checkins import services as checkins
from attunement.web.checkins.models import CheckIn, Reminder
from attunement.web.couples import services as couples
from attunement.web.couples.models import Couple, Invitation, Membership, Share
from attunement.web.journal import services as journal
from attunement.web.journal.models import JournalEntry
from attunement.web.practices import services as practices
from attunement.web.practices.models import Draft, MessagePause, PracticeLog, Reply
from attunement.web.privacy import sessions
from attunement.web.vault import crypto
from attunement.web.vault import services as vault
from attunement.web.vault.models import UserKey, with_cipher

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
CHUNK = 200  # rows read at a time for the export's long lists


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
    deleted, _ = ApiToken.objects.filter(pk=token_id, user=person).delete()
    if not deleted:
        raise TokenNotFound


def _reads(person: User) -> list[Read]:
    therapists = _therapists()
    if therapists is None:
        return []
    return [
        Read(
            therapist=event.therapist_name,
            what=event.get_what_display(),
            scopes=[SCOPE_NAMES.get(s, s) for s in event.scope_list],
            at=event.at,
        )
        for event in therapists.audit_for(person)
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


def export_parts(person: User) -> Json:
    """The export, its long lists (journal, check-ins) left as iterators read in chunks."""
    couple = couples.active_couple(person)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _when(timezone.now()),
        "account": {
            "id": person.pk,
            "email": person.email,
            "display_name": person.display_name,
            "date_joined": _when(person.date_joined),
            "last_login": _when(person.last_login),
            "is_staff": person.is_staff,
            "email_on_message": person.email_on_message,
        },
        "api_tokens": [
            {"name": t.name, "created": _when(t.created), "last_used": _when(t.last_used)}
            for t in person.api_tokens.order_by("created", "pk")
        ],
        "sessions": [
            {"device": s.device, "signed_in": _when(s.created), "last_seen": _when(s.last_seen)}
            for s in sessions.live(person)
        ],
        "couples": _couples(person),
        "invitations": [
            {
                "created": _when(i.created),
                "expires": _when(i.expires),
                "redeemed": _when(i.redeemed),
                "revoked": _when(i.revoked),
            }
            for i in Invitation.objects.filter(inviter=person).order_by("created", "pk")
        ],
        "answers": [
            {
                "instrument": a.instrument,
                "item": a.item,
                "value": a.value,
                "updated": _when(a.updated),
            }
            for a in Answer.objects.filter(owner=person).order_by("instrument", "item", "pk")
        ],
        "scores": {
            instrument_id: found.values()
            for instrument_id, found in assessments.scores_for(person).items()
        },
        "journal": (_entry(e, couple) for e in _journal_oldest_first(person)),
        "practice_drafts": [_draft(d) for d in reversed(practices.drafts(person))],
        "practice_replies": [_reply(r) for r in _replies(person)],
        "practice_log": [_logged(p) for p in reversed(practices.log_entries(person))],
        "checkins": (
            {
                "taken": _when(c.taken),
                "day": _day(c.day),
                "answers": c.answers,
                "csi4": c.csi4,
                "connection": c.connection,
            }
            for c in CheckIn.objects.filter(owner=person)
            .order_by("taken", "pk")
            .iterator(chunk_size=CHUNK)
        ),
        "checkin_reminder": _reminder(person),
        "screenings": [
            {
                "instrument": r.instrument,
                "taken": _when(r.taken),
                "positive": r.positive,
                "acute": r.acute,
                "answers": r.answers,
            }
            for r in Screening.objects.filter(owner=person)
        ],
        "writing_signals": [
            {"concern": w.concern, "seen": _when(w.seen)}
            for w in WritingSignal.objects.filter(owner=person).order_by("concern")
        ],
        "messages_paused_since": _when(
            MessagePause.objects.filter(user=person).values_list("since", flat=True).first()
        ),
        **_therapist_parts(person),
    }


def _journal_oldest_first(person: User) -> Iterator[JournalEntry]:
    rows = JournalEntry.objects.filter(owner=person).order_by("created", "pk")
    try:
        cipher: bytes | None = UserKey.cipher_for(person.pk, create=False)
    except crypto.Unreadable:
        cipher = None  # each entry reports itself unreadable
    for entry in rows.iterator(chunk_size=CHUNK):
        yield entry.use_cipher(cipher) if cipher is not None else entry


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


def _couples(person: User) -> list[Json]:
    found = []
    memberships = Membership.objects.filter(user=person).select_related("couple")
    for membership in memberships.order_by("joined", "pk"):
        couple = membership.couple
        other = Membership.objects.filter(couple=couple).exclude(user=person).first()
        shares = Share.objects.filter(owner=person, couple=couple).order_by("instrument")
        found.append(
            {
                "joined": _when(membership.joined),
                "active": membership.active,
                "ended": _when(couple.ended),
                # The partner's display name, and nothing else of theirs.
                "partner": other.user.display_name if other else None,
                "shared_with_partner": [
                    {"instrument": s.instrument, "since": _when(s.created)} for s in shares
                ],
            }
        )
    return found


def _entry(entry: JournalEntry, couple: Couple | None) -> Json:
    shared = journal.is_shared(entry, couple)
    return {
        "id": entry.pk,
        "prompt": entry.prompt or None,
        "title": _open(lambda: entry.title),
        "body": _open(lambda: entry.body),
        "created": _when(entry.created),
        "updated": _when(entry.updated),
        "shared_with_partner": shared,
        "shared_at": _when(entry.shared_at) if shared else None,
    }


def _draft(draft: Draft) -> Json:
    return {
        "id": draft.pk,
        "flow": draft.flow,
        "original": _open(lambda: draft.original),
        "answers": _open(lambda: draft.answers),
        "message": _open(lambda: draft.message),
        "created": _when(draft.created),
        "updated": _when(draft.updated),
        "finished": _when(draft.finished),
        "sent_at": _when(draft.sent_at),
        # Sent within the current couple: the partner can read it now.
        "visible_to_partner": draft.sent_in_id is not None,
    }


def _replies(person: User) -> list[Reply]:
    return with_cipher(person.pk, Reply.objects.filter(owner=person).order_by("sent_at", "pk"))


def _reply(reply: Reply) -> Json:
    return {
        "id": reply.pk,
        "acknowledge": _open(lambda: reply.acknowledge),
        "reflect": _open(lambda: reply.reflect),
        "ask": _open(lambda: reply.ask),
        "sent_at": _when(reply.sent_at),
        "visible_to_partner": reply.sent_in_id is not None,
    }


def _logged(done: PracticeLog) -> Json:
    return {
        "id": done.pk,
        "practice": done.practice,
        "done": _when(done.done),
        "note": _open(lambda: done.note),
    }


def _reminder(person: User) -> Json | None:
    reminder = Reminder.objects.filter(user=person).first()
    if reminder is None:
        return None
    return {
        "enabled": reminder.enabled,
        "weekday": reminder.weekday,
        "hour": reminder.hour,
        "time_zone": reminder.time_zone,
        "last_sent": _when(reminder.last_sent),
    }


def _therapist_parts(person: User) -> Json:
    """Consents given and reads of the person's data; and, for a therapist, their workspace."""
    therapists = _therapists()
    if therapists is None:
        return {"therapist_consents": [], "therapist_reads": [], "therapist_workspace": None}
    from attunement.web.therapists.models import Case, Grant, SharedEntry, Therapist

    grants = Grant.objects.filter(person=person).select_related("case__therapist")
    consents = [
        {
            "therapist": grant.case.therapist.display_name,
            "scopes": sorted(s.value for s in grant.scopes),
            "given": _when(grant.created),
            "changed": _when(grant.changed),
            "withdrawn": _when(grant.revoked),
            "journal_entries_shared": sorted(
                SharedEntry.objects.filter(grant=grant).values_list("entry_id", flat=True)
            ),
        }
        for grant in grants.order_by("created", "pk")
    ]
    reads = [
        {"therapist": e.therapist_name, "what": e.what, "scopes": e.scope_list, "at": _when(e.at)}
        for e in reversed(therapists.audit_for(person))
    ]
    workspace = None
    profile = Therapist.objects.filter(owner=person).first()
    if profile is not None:
        # The therapist's own notes on their cases. Their clients' data is the clients' own.
        workspace = {
            "since": _when(profile.created),
            "active": profile.active,
            "cases": [
                {
                    "label": case.label,
                    "kind": case.kind,
                    "created": _when(case.created),
                    "ended": _when(case.ended),
                    "session_dates": sorted(_day(s.held_on) for s in case.sessions.all()),
                }
                for case in Case.objects.filter(therapist=person).order_by("created", "pk")
            ],
        }
    return {
        "therapist_consents": consents,
        "therapist_reads": reads,
        "therapist_workspace": workspace,
    }


def _open(read: Callable[[], Any]) -> Any:
    """A decrypted field, or None when the person's key cannot open it."""
    try:
        return read()
    except crypto.Unreadable:
        return None


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _day(day: date) -> str:
    return day.isoformat()


# Deleting the account


def delete_account(person: User) -> None:
    """Delete the person and everything of theirs; their partner's own data is left as it is.

    In one transaction: their encryption key first (every word they wrote is then
    unreadable, in any copy of the database too), their open consents are withdrawn
    as the workspace withdraws them, their couple ends as on unpairing (both
    partners' sharing with it), their sessions end, and then every row of theirs goes:
    cascading from the account, plus those that name only their address (a sign-up
    waiting for its link, failed sign-in attempts). A couple nobody is left in goes too.
    """
    email = person.email
    with transaction.atomic():
        transaction.on_commit(empty_write_ahead_log)
        vault.forget_key(person)
        therapists = _therapists()
        if therapists is not None:
            for grant in therapists.grants_for(person):
                with suppress(therapists.GrantNotFound):
                    therapists.revoke(person, grant.pk)
        with suppress(couples.NotPaired):
            couples.unpair(person)
        their_couples = list(
            Membership.objects.filter(user=person).values_list("couple_id", flat=True)
        )
        end_sessions(person)
        PendingSignup.objects.filter(email__iexact=email).delete()
        for attempts in (AccessAttempt, AccessFailureLog, AccessLog):
            attempts.objects.filter(username__iexact=email).delete()
        person.delete()
        Couple.objects.filter(pk__in=their_couples, members__isnull=True).delete()


def empty_write_ahead_log() -> None:
    """On SQLite, fold the write-ahead log into the database file and empty it.

    The log keeps earlier copies of changed pages (a deleted person's words among them)
    until it is checkpointed and reset; the database file itself is overwritten at once
    (secure_delete). Best effort: a reader still busy with old pages leaves it for later.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
