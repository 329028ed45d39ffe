"""The JSON API: the same actions as the pages, over the same core functions."""

from __future__ import annotations

import errno
import logging
import sqlite3
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, Throttled
from ninja.parser import Parser

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
        """The answers any operation can give besides its own, so the schema says so.

        Every operation can meet a full disk (503); every write can be refused for going
        over a rate limit (429); every operation with a request body can be sent one over
        the size limit (413). Each is `{"detail": ...}` in JSON (see `answer_in_json`).
        """
        schema = super().get_openapi_schema(*args, **kwargs)
        for item in schema["paths"].values():
            for method, operation in item.items():
                responses = operation["responses"]
                if method in WRITES:
                    responses.setdefault("429", TOO_MANY_RESPONSE)
                if "requestBody" in operation:
                    responses.setdefault("413", TOO_LARGE_RESPONSE)
                responses.setdefault("503", OUT_OF_SPACE_RESPONSE)
        return schema


def _detail_response(description: str) -> dict[str, Any]:
    schema = {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    }
    return {"description": description, "content": {"application/json": {"schema": schema}}}


TOO_MANY_RESPONSE = _detail_response(
    "Too many requests in a short while; try again after Retry-After seconds."
)
TOO_LARGE_RESPONSE = _detail_response(
    "The request body is larger than the server accepts (DATA_UPLOAD_MAX_MEMORY_SIZE); "
    "nothing was saved."
)
OUT_OF_SPACE_RESPONSE = _detail_response(
    "The server is out of storage space; nothing was saved. Try again later."
)


class NulCharacter(ValueError):
    """A JSON string holds U+0000, which no text column of PostgreSQL can store."""

    def __init__(self, where: list[str | int]) -> None:
        super().__init__(where)
        self.where = where


def _refuse_nul(value: Any, where: list[str | int]) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise NulCharacter(where)
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key, where)
            _refuse_nul(item, [*where, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_nul(item, [*where, index])


class StrictParser(Parser):
    """JSON bodies, refused whole if any string or key holds the NUL character.

    SQLite would keep such text and PostgreSQL would fail on it, so the refusal is made
    here, once, for every operation and both databases alike.
    """

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        _refuse_nul(data, ["body"])
        return data


api = AttunementAPI(
    title="Attunement API",
    version="1",
    description=(
        "Accounts, pairing, private answers, scores, sharing, the couple report, "
        "the reflection journal, practice drafts and the message coach."
    ),
    urls_namespace="api",
    parser=StrictParser(),
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


@api.exception_handler(HttpError)
def bad_request(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja's own refusals; a NUL character is a 422 naming where it was, like any field."""
    cause = exc.__cause__
    if isinstance(cause, NulCharacter):
        problem = {
            "loc": cause.where,
            "msg": _("Text may not hold the NUL character (\\u0000); it cannot be stored."),
            "type": "nul_character",
        }
        return api.create_response(request, {"detail": [problem]}, status=422)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


logger = logging.getLogger(__name__)
# PostgreSQL's SQLSTATE for "disk full".
DISK_FULL = "53100"


def out_of_space(error: BaseException) -> bool:
    """Whether the database or the disk under it is full (SQLite, PostgreSQL or a file write)."""
    if isinstance(error, OSError):
        return error.errno == errno.ENOSPC
    if isinstance(error, DatabaseError | sqlite3.DatabaseError):
        cause = error.__cause__
        return (
            "database or disk is full" in str(error) or getattr(cause, "sqlstate", "") == DISK_FULL
        )
    return False


@api.exception_handler(Exception)
def answer_in_json(request: HttpRequest, error: Exception) -> HttpResponse:
    """A full disk is 503 and a body over the size limit 413, both in JSON; the rest go on."""
    if out_of_space(error):
        logger.error("out of space: %s %s: %s", request.method, request.path, error)
        detail = _("The server is out of storage space. Nothing was saved; try again later.")
        return api.create_response(request, {"detail": detail}, status=503)
    if isinstance(error, RequestDataTooBig):
        logger.warning("request body too large: %s %s", request.method, request.path)
        detail = _("The request is larger than the server accepts.")
        return api.create_response(request, {"detail": detail}, status=413)
    raise error  # Django's own handling: logged with its traceback, then a 500
