"""Account emails. Each is a subject / text / html triple under templates/accounts/emails/.

They stay neutral: someone else may see the inbox, so they say nothing about
relationships, partners or how anyone answered.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from attunement.web.accounts.models import SIGNUP_LINK_LIFETIME


def absolute_url(path: str) -> str:
    """A link for an email, on the site's configured public address (never the Host header)."""
    return settings.SITE_URL.rstrip("/") + path


def send(name: str, to: str, context: dict[str, Any]) -> None:
    prefix = f"accounts/emails/{name}"
    subject = "".join(render_to_string(f"{prefix}-subject.txt", context).splitlines())
    message = EmailMultiAlternatives(
        subject.strip(), render_to_string(f"{prefix}-body.txt", context), to=[to]
    )
    message.attach_alternative(render_to_string(f"{prefix}-body.html", context), "text/html")
    message.send()


def send_signup_link(to: str, token: str) -> None:
    link = absolute_url(reverse("accounts:signup_confirm", args=[token]))
    send("signup-link", to, {"link": link, "lifetime": SIGNUP_LINK_LIFETIME})


def send_account_exists(to: str) -> None:
    """Sent instead of a sign-up link when the address already has an account."""
    context = {
        "login_link": absolute_url(reverse("accounts:login")),
        "reset_link": absolute_url(reverse("accounts:password_reset")),
    }
    send("account-exists", to, context)


def send_password_reset(to: str, uidb64: str, token: str) -> None:
    kwargs = {"uidb64": uidb64, "token": token}
    link = absolute_url(reverse("accounts:password_reset_confirm", kwargs=kwargs))
    send("password-reset", to, {"link": link, "lifetime": settings.PASSWORD_RESET_TIMEOUT})


def send_checkin_reminder(to: str) -> None:
    """The weekly reminder a person asked for; it says nothing about them or their partner."""
    context = {
        "link": absolute_url(reverse("checkins:index")),
        "settings_link": absolute_url(reverse("checkins:reminder")),
    }
    send("checkin-reminder", to, context)


def send_something_new(to: str) -> None:
    """Sent, if the person asked for it, when their partner sends them something; says no more."""
    context = {
        "link": absolute_url(reverse("core:home")),
        "settings_link": absolute_url(reverse("accounts:settings")),
    }
    send("something-new", to, context)
