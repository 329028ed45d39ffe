"""One reading of a person's answers per request, however many parts of the page need them."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from attunement.web.assessments import services


def answers_snapshot(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Let the assessment services keep each person's answers for the rest of the request."""

    def middleware(request: HttpRequest) -> HttpResponse:
        with services.snapshots():
            return get_response(request)

    return middleware
