"""Cross-cutting rules for every request: session limits and private pages."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext_lazy as _

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


def api_errors_in_json(get_response: Handler) -> Handler:
    """Every answer under /api/ is JSON: errors made outside the API's views are rewritten.

    Django answers an unknown URL, a wrong method or a server error with an HTML page
    (or a plain-text one); a script should always get `{"detail": ...}`.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if not request.path.startswith("/api/") or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        detail = API_ERRORS.get(response.status_code, API_ERRORS[500])
        rewritten = JsonResponse({"detail": str(detail)}, status=response.status_code)
        for header, value in response.items():  # Allow, Cache-Control, the security headers...
            if header.lower() not in ("content-type", "content-length"):
                rewritten[header] = value
        rewritten.cookies = response.cookies
        return rewritten

    return middleware


API_ERRORS = {
    400: _("The request could not be understood."),
    401: _("Sign in, or send an API token."),
    403: _("You may not do that."),
    404: _("Not found."),
    405: _("This address does not accept that method."),
    413: _("The request is larger than the server accepts."),
    500: _("Something went wrong on the server. Nothing was changed that was not saved."),
}


class WithoutTraceback(logging.Filter):
    """Log the record's message alone, dropping the traceback attached to it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True
