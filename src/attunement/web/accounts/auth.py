"""API authentication: the browser's session (with CSRF), or a bearer token for scripts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from attunement.web.accounts.models import ApiToken, hash_secret


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user").filter(token_hash=hash_secret(token)).first()
        )
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used=timezone.now())
        request.user = found.user
        return found.user


class SignedInSessionAuth(SessionAuth):
    """The browser's session, with its CSRF check, tried only when someone is signed in.

    A call from nobody, a write included, hears 401, not a complaint about CSRF.
    """

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


class BrowserSessionAuth(SignedInSessionAuth):
    """The session, as above; not tried for a request carrying a token.

    A script with a wrong or revoked token must hear 401, not a CSRF complaint.
    """

    def __call__(self, request: HttpRequest) -> Any:
        if "HTTP_AUTHORIZATION" in request.META:
            return None
        return super().__call__(request)


# Every API route that needs a person uses this: a bearer token, else the session.
api_auth = [TokenAuth(), BrowserSessionAuth()]
# Routes only a signed-in browser may use (making a token).
browser_auth = SignedInSessionAuth()
