"""API authentication: the browser's session (with CSRF), or a bearer token for scripts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, django_auth

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


# Every API route that needs a person uses this: session first, then a token.
api_auth = [TokenAuth(), django_auth]
