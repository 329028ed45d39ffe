"""A person's practice drafts, replies, log and message pause in their export, decrypted."""

from __future__ import annotations

from typing import Any

from attunement.web.accounts.models import User
from attunement.web.practices import services
from attunement.web.practices.models import Draft, MessagePause, PracticeLog, Reply
from attunement.web.privacy.registry import exports, opened, when
from attunement.web.vault.models import with_cipher


@exports("practice_drafts")
def drafts(person: User) -> list[dict[str, Any]]:
    return [_draft(d) for d in reversed(services.drafts(person))]


@exports("practice_replies")
def replies(person: User) -> list[dict[str, Any]]:
    found = with_cipher(person.pk, Reply.objects.filter(owner=person).order_by("sent_at", "pk"))
    return [_reply(r) for r in found]


@exports("practice_log")
def log(person: User) -> list[dict[str, Any]]:
    return [_logged(p) for p in reversed(services.log_entries(person))]


@exports("messages_paused_since")
def messages_paused_since(person: User) -> str | None:
    return when(MessagePause.objects.filter(user=person).values_list("since", flat=True).first())


def _draft(draft: Draft) -> dict[str, Any]:
    return {
        "id": draft.pk,
        "flow": draft.flow,
        "original": opened(lambda: draft.original),
        "answers": opened(lambda: draft.answers),
        "message": opened(lambda: draft.message),
        "created": when(draft.created),
        "updated": when(draft.updated),
        "finished": when(draft.finished),
        "sent_at": when(draft.sent_at),
        # Sent within the current couple: the partner can read it now.
        "visible_to_partner": draft.sent_in_id is not None,
    }


def _reply(reply: Reply) -> dict[str, Any]:
    return {
        "id": reply.pk,
        "acknowledge": opened(lambda: reply.acknowledge),
        "reflect": opened(lambda: reply.reflect),
        "ask": opened(lambda: reply.ask),
        "sent_at": when(reply.sent_at),
        "visible_to_partner": reply.sent_in_id is not None,
    }


def _logged(done: PracticeLog) -> dict[str, Any]:
    return {
        "id": done.pk,
        "practice": done.practice,
        "done": when(done.done),
        "note": opened(lambda: done.note),
    }
