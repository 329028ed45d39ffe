"""The JSON API: the same actions as the pages, over the same core functions."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import Throttled

from attunement.web.accounts.api import router as accounts_router
from attunement.web.assessments.api import router as assessments_router
from attunement.web.core import limits
from attunement.web.couples.api import router as couples_router
from attunement.web.journal.api import router as journal_router
from attunement.web.practices.api import router as practices_router
from attunement.web.privacy.api import router as privacy_router
from attunement.web.reports.api import router as reports_router

WRITES = {"put", "post", "patch", "delete"}


class AttunementAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """Every write can be refused for going over a rate limit: the schema says so."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for item in schema["paths"].values():
            for method, operation in item.items():
                if method in WRITES:
                    operation["responses"].setdefault("429", TOO_MANY_RESPONSE)
        return schema


TOO_MANY_RESPONSE = {
    "description": "Too many requests in a short while; try again after Retry-After seconds.",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {"type": "string"}},
                "required": ["detail"],
            }
        }
    },
}

api = AttunementAPI(
    title="Attunement API",
    version="1",
    description=(
        "Accounts, pairing, private answers, scores, sharing, the couple report, "
        "the reflection journal and the message coach."
    ),
    urls_namespace="api",
    # Every write, per person (or per network address before sign-in).
    throttle=[limits.Throttle("api_write")],
)


@api.exception_handler(Throttled)
def too_many(request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = api.create_response(request, {"detail": str(limits.TOO_MANY)}, status=429)
    if exc.wait:
        response["Retry-After"] = str(int(exc.wait))
    return response


api.add_router("/account", accounts_router)
api.add_router("/couple", couples_router)
api.add_router("/answers", assessments_router)
api.add_router("/report", reports_router)
api.add_router("/journal", journal_router)
api.add_router("/practices", practices_router)
api.add_router("/privacy", privacy_router)
