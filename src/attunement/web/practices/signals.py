"""Signal receivers, connected in PracticesConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from attunement.web.couples.models import Couple
from attunement.web.practices.models import Draft, Reply


@receiver(post_save, sender=Couple, dispatch_uid="attunement-practices-unpair")
def end_sending_with_the_couple(sender: Any, instance: Couple, **kwargs: Any) -> None:
    """When a couple ends, the partner no longer sees anything sent within it."""
    if instance.ended is not None:
        Draft.objects.filter(sent_in=instance).update(sent_in=None)
        Reply.objects.filter(sent_in=instance).update(sent_in=None)
