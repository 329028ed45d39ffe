"""The account's part of a person's export, and what deleting it ends: sessions, sign-in records."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog

from attunement.web.accounts.models import PendingSignup, User, end_sessions
from attunement.web.privacy.registry import Step, erases, exports, when


@exports("account")
def account(person: User) -> dict[str, Any]:
    return {
        "id": person.pk,
        "email": person.email,
        "display_name": person.display_name,
        "date_joined": when(person.date_joined),
        "last_login": when(person.last_login),
        "is_staff": person.is_staff,
        "email_on_message": person.email_on_message,
    }


@exports("api_tokens")
def api_tokens(person: User) -> list[dict[str, Any]]:
    return [
        {"name": t.name, "created": when(t.created), "last_used": when(t.last_used)}
        for t in person.api_tokens.order_by("created", "pk")
    ]


@erases(Step.SIGN_IN)
def sign_out(person: User) -> None:
    """End every session; forget a sign-up waiting for its link and failed sign-ins by address."""
    email = person.email
    end_sessions(person)
    PendingSignup.objects.filter(email__iexact=email).delete()
    for attempts in (AccessAttempt, AccessFailureLog, AccessLog):
        attempts.objects.filter(username__iexact=email).delete()
