"""The repair practices' rules, which the pages and the JSON API both follow.

A draft belongs to its author. The author fills in the flow's steps (each answer
saved as soon as it is given, so nothing written is lost), then keeps the message
made of them, and may send it to their partner, and withdraw it again. Someone
else's draft is treated exactly like one that does not exist.

A person whose own safety screen was positive is not offered sending for the
joint flows (vulnerability, accountability): `may_send` says so, and `send`
refuses. Nothing about this reaches the partner: the partner's pages depend only
on what was actually sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from attunement.errors import AttunementError
from attunement.practices import Practice, catalogue, flows
from attunement.web.accounts import emails
from attunement.web.accounts.models import User
from attunement.web.assessments import rescreen
from attunement.web.assessments import services as assessments
from attunement.web.couples import services as couples
from attunement.web.couples.models import Couple
from attunement.web.journal.models import JournalEntry
from attunement.web.practices import policy
from attunement.web.practices.models import Draft, MessagePause, PracticeLog
from attunement.web.reports.services import own_view, report_for
from attunement.web.vault.models import with_cipher

ANSWER_MAX_LENGTH = flows.ANSWER_MAX_LENGTH
MESSAGE_MAX_LENGTH = flows.MESSAGE_MAX_LENGTH
# What a person writes in the coach before turning it into a feedback wheel.
ORIGINAL_MAX_LENGTH = 10_000
NOTE_MAX_LENGTH = 2_000

NotPaired = couples.NotPaired


PARTNER_VIOLENCE = "partner_violence"


class DraftNotFound(LookupError):
    """No such draft for this person: missing and someone else's look alike."""


class PracticeError(AttunementError, ValueError):
    """A request the practice rules refuse, with a message the person can act on."""


# Reading


def find(owner: User, draft_id: int) -> Draft:
    draft = policy.DRAFT.find(owner, draft_id)
    if draft is None:
        raise DraftNotFound
    return draft


def drafts(owner: User) -> list[Draft]:
    """The person's drafts, most recently touched first."""
    return with_cipher(owner.pk, Draft.objects.filter(owner=owner))


def received(viewer: User) -> list[Draft]:
    """Messages the viewer's partner sent them in their current couple, newest first.

    None while the viewer has paused messages; all of them again once they resume.
    """
    if messages_paused(viewer):
        return []
    partner = couples.partner_of(viewer)
    if partner is None:
        return []
    sent = policy.RECEIVED.visible(viewer).order_by("-sent_at", "-pk")
    return [d for d in with_cipher(partner.pk, sent) if d.readable]


def messages_paused(viewer: User) -> bool:
    return MessagePause.objects.filter(user=viewer).exists()


def set_messages_paused(viewer: User, paused: bool) -> None:
    """An ordinary setting: the partner can send as before; the viewer just does not see it."""
    if paused:
        MessagePause.objects.get_or_create(user=viewer)
    else:
        MessagePause.objects.filter(user=viewer).delete()


def is_sent(draft: Draft, couple: Couple | None) -> bool:
    """Whether the partner can read the draft now: sent within the current couple."""
    return couple is not None and draft.sent_in_id == couple.pk


def screened(owner: User) -> bool:
    """Whether any of the person's own safety screens is positive. Never about the partner."""
    return any(outcome.positive for outcome in assessments.screen_outcomes(owner))


def afraid(owner: User) -> bool:
    """Whether the person's own partner-violence screen is positive. Never about the partner."""
    return any(o.concern == PARTNER_VIOLENCE for o in assessments.screen_outcomes(owner))


def may_send(owner: User, flow: flows.Flow) -> bool:
    """Whether the flow offers sending to this person (paired, and not paused for safety).

    After a positive partner-violence screen no flow offers sending, the feedback
    wheel included: raising a hurt with a partner one is afraid of can make things worse.
    """
    if couples.active_couple(owner) is None:
        return False
    if afraid(owner):
        return False
    return not (flow.joint and screened(owner))


# Writing


def start(owner: User, flow_id: str, original: str = "") -> Draft:
    """A new draft in the flow, optionally holding the message it starts from."""
    flows.get(flow_id)  # UnknownFlow for anything else
    if len(original) > ORIGINAL_MAX_LENGTH:
        raise PracticeError(
            _("The message is too long to carry over: at most %(n)s characters.")
            % {"n": f"{ORIGINAL_MAX_LENGTH:,}"}
        )
    now = timezone.now()
    draft = Draft(owner=owner, flow=flow_id, created=now, updated=now)
    draft.original = original.strip()
    draft.set_answers({})
    draft.message = ""
    draft.save()
    rescreen.notice(owner, original)
    return draft


class EditConflict(Exception):
    """The draft changed (on another device, say) since the version the save started from."""

    def __init__(self, current: Draft) -> None:
        super().__init__("the draft was changed since you opened it")
        self.current = current


def version(draft: Draft) -> int:
    """The draft's version: when its answers or message last changed, in microseconds."""
    return int(draft.updated.timestamp() * 1_000_000)


def answer(draft: Draft, step: flows.Step, text: str, based_on: int | None = None) -> Draft:
    """Keep the answer to one step (empty clears it), at once.

    With `based_on`, only if nobody saved the draft since that version. The other
    steps' answers are taken from the database, never from the caller's copy, so a
    save never undoes another step saved meanwhile.
    """
    text = text.strip()
    if len(text) > ANSWER_MAX_LENGTH:
        raise PracticeError(
            _("That answer is too long: at most %(n)s characters for one step.")
            % {"n": f"{ANSWER_MAX_LENGTH:,}"}
        )
    with transaction.atomic():
        current = _current(draft, based_on)
        answers = current.answers
        if text:
            answers[step.id] = text
        else:
            answers.pop(step.id, None)
        draft.set_answers(answers)
        draft.updated = _next_update(current)
        draft.save(update_fields=["sealed_answers", "updated"])
    rescreen.notice(draft.owner, text)
    return draft


def keep(draft: Draft, message: str, based_on: int | None = None) -> Draft:
    """Keep the message the person made: from now on the practice counts as done.

    With `based_on`, only if nobody saved the draft since that version.
    """
    message = message.strip()
    if not message:
        raise PracticeError(_("Write the message first: an empty message is not kept."))
    if len(message) > MESSAGE_MAX_LENGTH:
        raise PracticeError(
            _("The message is too long: at most %(n)s characters.")
            % {"n": f"{MESSAGE_MAX_LENGTH:,}"}
        )
    with transaction.atomic():
        current = _current(draft, based_on)
        draft.message = message
        draft.updated = _next_update(current)
        draft.finished = current.finished or draft.updated
        draft.save(update_fields=["sealed_message", "updated", "finished"])
    rescreen.notice(draft.owner, message)
    return draft


def _current(draft: Draft, based_on: int | None) -> Draft:
    """The draft as saved now, locked until the transaction ends; EditConflict if it moved on."""
    locked = Draft.objects.select_for_update().filter(pk=draft.pk)
    found = with_cipher(draft.owner_id, locked)
    if not found:
        raise DraftNotFound  # deleted meanwhile, on another device
    current = found[0]
    if not current.readable:
        raise PracticeError(_("This draft can no longer be read, so it cannot be changed."))
    if based_on is not None and version(current) != based_on:
        raise EditConflict(current)
    return current


def _next_update(current: Draft) -> datetime:
    # Strictly later than the saved version, so two saves in one clock tick differ.
    return max(timezone.now(), current.updated + timedelta(microseconds=1))


def send(owner: User, draft_id: int) -> Draft:
    """Let the partner read the kept message until it is withdrawn or the couple ends."""
    with transaction.atomic():
        draft = find(owner, draft_id)
        couple = couples.active_couple(owner)
        if couple is None:
            raise NotPaired
        if not draft.readable:
            raise PracticeError(_("This draft can no longer be read, so it cannot be sent."))
        flow = draft.guide
        if flow is None or not may_send(owner, flow):
            raise PracticeError(_("This practice is one to keep for yourself for now."))
        if draft.finished is None or not draft.message.strip():
            raise PracticeError(_("Keep the message first, then you can send it."))
        newly = not is_sent(draft, couple)
        if newly:
            draft.sent_in, draft.sent_at = couple, timezone.now()
            # Sent afresh: whether it was read is about this sending only.
            draft.read_at = draft.read_told_at = None
            draft.save(update_fields=["sent_in", "sent_at", "read_at", "read_told_at"])
        partner = couples.partner_of(owner)
    if newly and partner is not None:
        notify(partner)
    return draft


def notify(recipient: User) -> None:
    """The neutral email about something new, if the recipient asked for it.

    Never while the recipient is unpaired, has paused messages from their partner, or
    their own screen pauses couple exercises.
    """
    recipient.refresh_from_db(fields=["email_on_message", "is_active"])
    if not recipient.email_on_message or not recipient.is_active:
        return
    if couples.active_couple(recipient) is None or screened(recipient):
        return
    if messages_paused(recipient):
        return
    emails.send_something_new(recipient.email)


def withdraw(owner: User, draft_id: int) -> Draft:
    """The partner can no longer read it, at once. Withdrawing an unsent draft changes nothing."""
    draft = find(owner, draft_id)
    draft.sent_in, draft.sent_at = None, None
    draft.save(update_fields=["sent_in", "sent_at"])
    return draft


def delete(owner: User, draft_id: int) -> None:
    deleted, _count = policy.DRAFT.visible(owner).filter(pk=draft_id).delete()
    if not deleted:
        raise DraftNotFound


def log(owner: User, practice_id: str, note: str = "") -> PracticeLog:
    """Record that the person did a practice, with an optional private note."""
    if practice_id not in catalogue():
        raise PracticeError(_("There is no such practice."))
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise PracticeError(
            _("The note is too long: at most %(n)s characters.") % {"n": f"{NOTE_MAX_LENGTH:,}"}
        )
    entry = PracticeLog(owner=owner, practice=practice_id, done=timezone.now())
    entry.note = note
    entry.save()
    return entry


def unlog(owner: User, log_id: int) -> None:
    deleted, _count = policy.LOG.visible(owner).filter(pk=log_id).delete()
    if not deleted:
        raise DraftNotFound


# The plan


@dataclass(frozen=True)
class PlanItem:
    practice: Practice
    url: str  # where to do it: a flow, the journal, the coach, or the practice's own page
    paused: bool  # a joint exercise, not offered while the person's own screen is positive


@dataclass(frozen=True)
class Activity:
    """One practice done, for the person's own history."""

    when: datetime
    practice: str
    title: str
    what: str
    url: str


def practice_url(practice_id: str) -> str:
    """Where a practice is done in the app."""
    if practice_id in {f.id for f in flows.flows()}:
        return reverse("practices:flow", args=[practice_id])
    special = {
        "reflection_journal": "journal:new",
        "message_coach": "practices:coach",
        "weekly_checkin": "checkins:index",
        "find_support": "core:support",
        "individual_support": "core:support",
        # Not a practice "between the two of you": the support page has the services to ask.
        "safety_plan": "core:support",
    }
    if practice_id in special:
        return reverse(special[practice_id])
    return reverse("practices:practice", args=[practice_id])


def practice_links() -> dict[str, str]:
    """Every catalogue practice and where to do it, for the report's links."""
    return {practice_id: practice_url(practice_id) for practice_id in catalogue()}


def plan(owner: User) -> list[PlanItem]:
    """The practices the person's report recommends, in report order, each once."""
    view = report_for(owner)
    if not any(f.practices for f in view.findings):
        # Paired, but too little shared for a joint report: plan from the person's own scores.
        view = own_view(owner)
    known = catalogue()
    careful = screened(owner)
    joint = {f.id for f in flows.flows() if f.joint}
    seen: dict[str, PlanItem] = {}
    for finding in view.findings:
        for practice_id in finding.practices:
            if practice_id in seen or practice_id not in known:
                continue
            paused = careful and practice_id in joint
            seen[practice_id] = PlanItem(known[practice_id], practice_url(practice_id), paused)
    return list(seen.values())


def history(owner: User) -> list[Activity]:
    """What the person practised and when, newest first: kept drafts, journal entries, the log."""
    known = catalogue()
    found: list[Activity] = []
    for draft in Draft.objects.filter(owner=owner, finished__isnull=False):
        title = known[draft.flow].title if draft.flow in known else draft.flow
        what = _("sent to your partner") if draft.sent_in_id else _("kept for yourself")
        when = draft.finished or draft.updated  # always set: the query asks for finished ones
        found.append(Activity(when, draft.flow, title, what, draft.get_absolute_url()))
    for entry in JournalEntry.objects.filter(owner=owner).only("pk", "created", "owner"):
        found.append(
            Activity(
                entry.created,
                "reflection_journal",
                known["reflection_journal"].title,
                _("a journal entry"),
                entry.get_absolute_url(),
            )
        )
    for done in PracticeLog.objects.filter(owner=owner):
        found.append(Activity(done.done, done.practice, done.title, _("marked as practised"), ""))
    found.sort(key=lambda a: a.when, reverse=True)
    return found


def log_entries(owner: User) -> list[PracticeLog]:
    return with_cipher(owner.pk, PracticeLog.objects.filter(owner=owner))
