"""The couple report over JSON, as docs/report-json.md documents it."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from attunement.insight import render as report_render
from attunement.web.accounts.auth import api_auth
from attunement.web.core import people
from attunement.web.reports.services import report_for

router = Router(auth=api_auth, tags=["report"])


@router.get("", response={200: dict[str, Any], 401: dict[str, str]})
def report(request: HttpRequest) -> dict[str, Any]:
    """My view of the couple report, as documented in docs/report-json.md."""
    return report_render.to_dict(report_for(people.person(request)))
