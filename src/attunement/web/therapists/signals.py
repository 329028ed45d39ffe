"""A new or deleted check-in makes its owner's cases' caseload status out of date."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from attunement.web.checkins.models import CheckIn
from attunement.web.therapists import services


@receiver([post_save, post_delete], sender=CheckIn, dispatch_uid="attunement-therapists-checkin")
def checkin_changed(sender: Any, instance: CheckIn, **kwargs: Any) -> None:
    services.stale_for_person(instance.owner_id)
