"""Cross-cutting rules for every request: session limits and private pages."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

Handler = Callable[[HttpRequest], HttpResponse]


def session_timeouts(get_response: Handler) -> Handler:
    """End a signed-in session after a period without activity (the cookie age is the cap)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get("last_seen", now)
            if now - last > settings.SESSION_IDLE_SECONDS:
                logout(request)
            else:
                request.session["last_seen"] = now
        return get_response(request)

    return middleware


def private_pages(get_response: Handler) -> Handler:
    """Pages of a signed-in person are never stored by the browser or a proxy."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if request.user.is_authenticated or request.path.startswith(("/accounts/", "/api/")):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response

    return middleware
