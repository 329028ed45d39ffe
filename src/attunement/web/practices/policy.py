"""Who may use a practice record: drafts and logs are their author's; a sent message is
answered by the partner it was sent to, and a reply is read by the one it answers."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from attunement.web.accounts.models import User
from attunement.web.core.policy import Rule, owned_by
from attunement.web.couples import services as couples
from attunement.web.practices.models import Draft, PracticeLog, Reply


def _received(viewer: User) -> QuerySet[Draft]:
    in_my_couple = Q(sent_in__members__user=viewer, sent_in__members__active=True)
    return Draft.objects.filter(in_my_couple).exclude(owner=viewer)


def _was_sent_to(viewer: User, draft: Draft) -> bool:
    couple = couples.active_couple(viewer)
    return couple is not None and draft.sent_in_id == couple.pk and draft.owner_id != viewer.pk


def _replies_to(viewer: User) -> QuerySet[Reply]:
    in_my_couple = Q(sent_in__members__user=viewer, sent_in__members__active=True)
    return Reply.objects.filter(in_my_couple, to__owner=viewer).exclude(owner=viewer)


def _answers(viewer: User, reply: Reply) -> bool:
    couple = couples.active_couple(viewer)
    return (
        couple is not None
        and reply.sent_in_id == couple.pk
        and reply.to.owner_id == viewer.pk
        and reply.owner_id != viewer.pk
    )


# Open, edit, send, withdraw and delete a draft: its author (sent or not).
DRAFT = owned_by("practices.draft", Draft)
# Read, mark read and reply to a sent message: the partner it was sent to, in that couple.
RECEIVED = Rule("practices.received", _received, _was_sent_to)
# Read and mark read a reply: the author of the message it answers, in that couple.
REPLY = Rule("practices.reply", _replies_to, _answers)
# See and delete a logged practice: whoever logged it.
LOG = owned_by("practices.log", PracticeLog)

RULES = (DRAFT, RECEIVED, REPLY, LOG)
