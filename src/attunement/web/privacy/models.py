"""The person's signed-in sessions, as their privacy page lists them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SignedInSession(models.Model):
    """One browser session of a person: when it started, when it was last used, and on what.

    Only the SHA-256 of the session key is kept, so nothing here can be used to take
    a session over. The device is a coarse description ("Firefox on Android"), never
    the browser's full User-Agent header, and no network address is kept.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    device = models.CharField(max_length=60)
    created = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen", "-pk"]
        verbose_name = _("signed-in session")
        indexes = [models.Index(fields=["user", "-last_seen"], name="session_user_last_seen")]

    def __str__(self) -> str:
        return f"signed-in session {self.pk}"
