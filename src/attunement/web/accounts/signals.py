"""Signal receivers, connected in AccountsConfig.ready()."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone


@receiver(user_logged_in, dispatch_uid="attunement-absolute-session-expiry")
def cap_session_lifetime(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """A session ends SESSION_COOKIE_AGE after sign-in, however active it stays.

    An expiry given as a date is kept as it is when the session is saved again, so
    activity (which the idle timeout relies on) does not push it later.
    """
    if request is None or not hasattr(request, "session"):
        return
    request.session.set_expiry(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE))
