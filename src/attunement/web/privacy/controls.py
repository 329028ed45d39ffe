"""Two controls every person has: stop sharing everything at once, and pause messages.

Each stands for ordinary actions and does exactly what they do, nothing more: the
first is every unshare a person could make by hand (each questionnaire and the
check-ins, each journal entry, each message sent), the second is a setting that
keeps the partner's messages out of sight until it is switched off. The pages
offer both to everyone; after a positive partner-violence screen they are also
offered, prominently, on that person's own private pages. Either way the
partner sees what the ordinary actions would show them, and never why.
"""

from __future__ import annotations

from django.db import transaction

from attunement.web.accounts.models import User
from attunement.web.couples import services as couples
from attunement.web.journal import services as journal
from attunement.web.journal.models import JournalEntry
from attunement.web.practices import services as practices
from attunement.web.practices.models import Draft


def shares_anything(person: User) -> bool:
    """Whether the partner can see anything of the person's right now."""
    couple = couples.active_couple(person)
    if couple is None:
        return False
    return (
        bool(couples.shared_instruments(person))
        or JournalEntry.objects.filter(owner=person, shared_in=couple).exists()
        or Draft.objects.filter(owner=person, sent_in=couple).exists()
    )


def stop_sharing_everything(person: User) -> None:
    """Unshare every questionnaire, the check-ins, every journal entry and every sent message."""
    with transaction.atomic():
        if couples.active_couple(person) is not None:
            couples.set_sharing(person, [])
        shared = JournalEntry.objects.filter(owner=person, shared_with_partner=True)
        for entry_id in shared.values_list("pk", flat=True):
            journal.unshare(person, entry_id)
        sent = Draft.objects.filter(owner=person, sent_at__isnull=False)
        for draft_id in sent.values_list("pk", flat=True):
            practices.withdraw(person, draft_id)


def pause_messages(person: User, paused: bool) -> None:
    """Switch the person's pause of messages from their partner on or off."""
    practices.set_messages_paused(person, paused)


def offered(person: User, afraid: bool) -> dict[str, bool]:
    """What a page needs to offer the controls: only after the person's own partner-violence
    screen (`afraid`), and only while they are paired."""
    if not afraid or couples.active_couple(person) is None:
        return {"controls": False}
    return {
        "controls": True,
        "sharing": shares_anything(person),
        "messages_paused": practices.messages_paused(person),
    }
