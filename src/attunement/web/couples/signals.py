"""Signal receivers, connected in CouplesConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from attunement.web.accounts.models import User
from attunement.web.couples.models import Couple


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="attunement-couples-unpair")
def unpair_deleted_account(sender: Any, instance: User, **kwargs: Any) -> None:
    """A deleted account is unpaired first, so its partner is left unpaired, seeing nothing."""
    for couple in Couple.objects.filter(members__user=instance, members__active=True):
        couple.end()
