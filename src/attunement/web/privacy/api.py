"""Everything the signed-in person owns, over JSON: the privacy page's download, for scripts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Router

from attunement.web.accounts.auth import api_auth
from attunement.web.core import people
from attunement.web.core.api_schemas import Detail
from attunement.web.privacy import services

router = Router(auth=api_auth, tags=["privacy"])


@router.get("/export", response={200: dict[str, Any], 401: Detail})
def export_data(request: HttpRequest) -> StreamingHttpResponse:
    """Everything you own, exactly as the privacy page's download (see docs/privacy.md).

    Your own writing comes decrypted; of your partner's, only their display name.
    """
    chunks = services.stream(people.person(request))  # written as it is read
    return StreamingHttpResponse(chunks, content_type="application/json; charset=utf-8")
