"""Signal receivers, connected in JournalConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from attunement.web.couples.models import Couple
from attunement.web.journal.models import JournalEntry


@receiver(post_save, sender=Couple, dispatch_uid="attunement-journal-unpair")
def end_shares_with_the_couple(sender: Any, instance: Couple, **kwargs: Any) -> None:
    """When a couple ends, every entry shared in it is private again."""
    if instance.ended is not None:
        JournalEntry.objects.filter(shared_in=instance).update(
            shared_with_partner=False, shared_at=None, shared_in=None
        )
