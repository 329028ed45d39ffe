"""The couple models: couples, memberships, invitations, shares; leaving a couple on deletion."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attunement.web.accounts.models import hash_secret

if TYPE_CHECKING:
    from attunement.web.accounts.models import User

INVITATION_LIFETIME = timedelta(hours=48)


class Couple(models.Model):
    """Two paired people. Ending the couple (unpairing) ends all sharing at once."""

    created = models.DateTimeField(default=timezone.now)
    ended = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("couple")

    def __str__(self) -> str:
        return f"couple {self.pk}"

    def end(self) -> None:
        """Unpair: every share of either partner ends at once, with the couple."""
        with transaction.atomic():
            self.shares.all().delete()
            self.members.filter(active=True).update(active=False)
            self.ended = timezone.now()
            self.save(update_fields=["ended"])


class Membership(models.Model):
    """A person's place in a couple; a person is in at most one active couple."""

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    joined = models.DateTimeField(default=timezone.now)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(active=True), name="one_active_couple"
            )
        ]


# Invitation tokens are hashed like every other secret the app hands out.
hash_token = hash_secret


class Invitation(models.Model):
    """An invitation link. Only the SHA-256 of the random token is stored."""

    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()
    redeemed = models.DateTimeField(null=True, blank=True)
    redeemed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"invitation {self.pk}"

    @classmethod
    def issue(cls, inviter: User) -> tuple[Invitation, str]:
        """A new invitation and its token; the token is shown once and never stored."""
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        invitation = cls.objects.create(
            inviter=inviter, token_hash=hash_token(token), created=now,
            expires=now + INVITATION_LIFETIME,
        )  # fmt: skip
        return invitation, token

    @property
    def usable(self) -> bool:
        return not self.redeemed and not self.revoked and timezone.now() < self.expires


class Share(models.Model):
    """One person's choice to share one instrument's scale scores with their partner."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="shares")
    instrument = models.CharField(max_length=40)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "couple", "instrument"], name="one_share_per_instrument"
            )
        ]
