"""Keeping the workspace true to what happened elsewhere in the app.

- A new or deleted check-in, or newly saved answers, make the owner's cases' caseload
  status out of date.
- When two people pair, neither may go on being the other's client: a partner who
  is a therapist would see through the workspace what the couple's own sharing
  keeps private. Any such consent is withdrawn at once.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from attunement.web.accounts.models import User
from attunement.web.assessments.services import answers_saved
from attunement.web.checkins.models import CheckIn
from attunement.web.couples.models import Couple
from attunement.web.couples.services import paired
from attunement.web.therapists import services


@receiver([post_save, post_delete], sender=CheckIn, dispatch_uid="attunement-therapists-checkin")
def checkin_changed(sender: Any, instance: CheckIn, **kwargs: Any) -> None:
    services.stale_for_person(instance.owner_id)


@receiver(answers_saved, dispatch_uid="attunement-therapists-answers")
def answers_changed(sender: Any, owner: User, **kwargs: Any) -> None:
    services.stale_for_person(owner.pk)


@receiver(paired, sender=Couple, dispatch_uid="attunement-therapists-paired")
def partners_are_not_clients(
    sender: Any, couple: Couple, members: tuple[User, User], **kwargs: Any
) -> None:
    first, second = members
    services.withdraw_between_partners(first, second)
