"""Keeps each signed-in session's "last seen" time, for the privacy page's list of sessions."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from attunement.web.core import people
from attunement.web.privacy import sessions

Handler = Callable[[HttpRequest], HttpResponse]


def track_sessions(get_response: Handler) -> Handler:
    """Note that the signed-in session is in use (at most once a minute, see `sessions.touch`)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        person = people.person_or_none(request)
        if person is not None:
            sessions.touch(request, person)
        return get_response(request)

    return middleware
