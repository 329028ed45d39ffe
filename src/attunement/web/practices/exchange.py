"""The message loop: what arrived from the partner, replies, "I've read it", and the notice.

A person paired with someone reads the messages their partner sent (practices.received)
and the replies their partner wrote to their own messages. They may mark each read,
which stays their own note, or mark it read *and* let the partner know, which the
partner then sees. They may reply with the listener's guide; the reply is encrypted
with their key, like a draft, and the partner reads it under "From your partner".

While something is unread, home shows a neutral "Something from your partner"; and
a person who asked for it gets a neutral email when something arrives. Neither
appears for a person whose own safety screen is positive (their couple exercises are
paused), nor for anyone unpaired. Nothing here depends on the *partner's* screens.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attunement.web.accounts.models import User
from attunement.web.couples import services as couples
from attunement.web.couples.models import Couple
from attunement.web.practices import policy
from attunement.web.practices.models import Draft, Reply
from attunement.web.practices.services import (
    ANSWER_MAX_LENGTH,
    DraftNotFound,
    PracticeError,
    messages_paused,
    notify,
    received,
    screened,
)
from attunement.web.vault.models import with_cipher

REPLY_PARTS = ("acknowledge", "reflect", "ask")


@dataclass(frozen=True)
class Inbox:
    """What a person's partner sent them: messages, and replies to their own messages."""

    messages: list[Draft]
    replies: list[Reply]


def inbox(viewer: User) -> Inbox:
    return Inbox(received(viewer), replies_to(viewer))


def replies_to(viewer: User) -> list[Reply]:
    """The partner's replies to the viewer's messages, in the current couple, newest first."""
    partner = couples.partner_of(viewer)
    if partner is None or messages_paused(viewer):
        return []
    found = policy.REPLY.visible(viewer)
    return [r for r in with_cipher(partner.pk, found.select_related("to")) if r.readable]


def has_new(viewer: User) -> bool:
    """Whether home shows "Something from your partner": anything unread, while not paused."""
    return unread_in(viewer, couples.active_couple(viewer), screened=screened(viewer))


def unread_in(viewer: User, couple: Couple | None, *, screened: bool) -> bool:
    """`has_new`, for a page that already knows the viewer's couple and whether they are screened.

    `screened` is the viewer's own screens only; the partner's never count.
    """
    if couple is None or screened or messages_paused(viewer):
        return False
    unread = policy.RECEIVED.visible(viewer).filter(read_at__isnull=True)
    return unread.exists() or policy.REPLY.visible(viewer).filter(read_at__isnull=True).exists()


def _received(viewer: User, draft_id: int) -> Draft:
    """A message the partner sent the viewer; anything else is DraftNotFound."""
    draft = policy.RECEIVED.find(viewer, draft_id)
    if draft is None:
        raise DraftNotFound
    return draft


def mark_read(viewer: User, draft_id: int, *, tell: bool) -> Draft:
    """Mark a received message read; with `tell`, the partner sees that it was read."""
    with transaction.atomic():
        draft = _received(viewer, draft_id)
        now = timezone.now()
        draft.read_at = draft.read_at or now
        if tell:
            draft.read_told_at = draft.read_told_at or now
        draft.save(update_fields=["read_at", "read_told_at"])
    return draft


def mark_reply_read(viewer: User, reply_id: int) -> None:
    """Mark a reply to one of the viewer's messages read: the viewer's own note."""
    found = policy.REPLY.visible(viewer).filter(pk=reply_id)
    if not found.exists():
        raise DraftNotFound
    found.filter(read_at__isnull=True).update(read_at=timezone.now())


def reply(viewer: User, draft_id: int, parts: dict[str, str]) -> Reply:
    """Answer a received message with the listener's guide; the partner reads it."""
    texts = {name: parts.get(name, "").strip() for name in REPLY_PARTS}
    if not any(texts.values()):
        raise PracticeError(_("Write at least one part of your reply first."))
    if any(len(text) > ANSWER_MAX_LENGTH for text in texts.values()):
        raise PracticeError(
            _("Each part of a reply can be at most %(n)s characters.")
            % {"n": f"{ANSWER_MAX_LENGTH:,}"}
        )
    with transaction.atomic():
        draft = _received(viewer, draft_id)
        now = timezone.now()
        answer = Reply(owner=viewer, to=draft, sent_at=now, sent_in=draft.sent_in)
        for name, text in texts.items():
            setattr(answer, name, text)
        answer.save()
        if draft.read_at is None:
            draft.read_at = now
            draft.save(update_fields=["read_at"])
    notify(draft.owner)
    return answer
