"""Account template helpers: a duration in words, and the hint that e-mail goes to the console."""

from __future__ import annotations

import math
from datetime import timedelta

from django import template
from django.conf import settings
from django.utils.translation import ngettext

register = template.Library()

CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"


@register.filter
def duration(value: timedelta | int) -> str:
    """A length of time in words: `timedelta(minutes=15)` → "15 minutes", 3600 → "1 hour"."""
    seconds = value.total_seconds() if isinstance(value, timedelta) else value
    minutes = max(1, math.ceil(seconds / 60))
    if minutes % 60:
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    hours = minutes // 60
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


@register.inclusion_tag("accounts/_console_email_hint.html")
def console_email_hint() -> dict[str, bool]:
    """Where to find an email when the installation prints them instead of sending them."""
    return {"printed": settings.EMAIL_BACKEND == CONSOLE_BACKEND}
