"""Everything the signed-in person owns, over JSON: the privacy page's download, for scripts."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from ninja import Router, Schema

from attunement.web.accounts.auth import api_auth
from attunement.web.accounts.models import User
from attunement.web.privacy import services

router = Router(auth=api_auth, tags=["privacy"])


class Detail(Schema):
    detail: str


@router.get("/export", response={200: dict[str, Any], 401: Detail})
def export_data(request: HttpRequest) -> dict[str, Any]:
    """Everything you own, exactly as the privacy page's download (see docs/privacy.md).

    Your own writing comes decrypted; of your partner's, only their display name.
    """
    return services.export(cast(User, request.user))
