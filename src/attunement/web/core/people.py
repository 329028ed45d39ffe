"""Who is asking: the signed-in request type and the one lookup of the person behind a request.

A view that only signed-in people reach (behind ``login_required``, ``partner_required``)
declares ``request: SignedInRequest`` and reads ``request.user``, typed as the project's
`User`; the therapist decorators hand a `TherapistRequest`, the same with the therapist.
Code holding a plain `HttpRequest` — an API operation behind ``api_auth``, a middleware,
a template tag — asks `person(request)`, or `person_or_none` where visitors come too.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import HttpError

from attunement.web.accounts.models import User


class SignedInRequest(HttpRequest):
    """A request from a signed-in person, as ``login_required`` lets it through to a view."""

    user: User


def person(request: HttpRequest) -> User:
    """The signed-in person behind a request.

    API operations run only behind ``api_auth``, which answers 401 to nobody signed in;
    this answers the same, should it ever be reached without.
    """
    found = person_or_none(request)
    if found is None:
        raise HttpError(401, "Unauthorized")
    return found


def person_or_none(request: HttpRequest) -> User | None:
    """The signed-in person, or None for a visitor (on a page open to everyone)."""
    return request.user if isinstance(request.user, User) else None
