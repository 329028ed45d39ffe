"""The message coach over JSON: the same analysis as `attunement coach --json` and the pages."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field, StringConstraints

from attunement.coach import analyze
from attunement.web.accounts.auth import api_auth
from attunement.web.accounts.models import User
from attunement.web.assessments import rescreen
from attunement.web.core import limits
from attunement.web.practices import services

router = Router(auth=api_auth, tags=["practices"])

Text = Annotated[str, StringConstraints(min_length=1, max_length=services.ORIGINAL_MAX_LENGTH)]


class CoachIn(Schema):
    text: Text


class PatternOut(Schema):
    label: str
    start: int = Field(description="Index of the first character of the span in the text.")
    end: int = Field(description="Index just after the span's last character.")
    explanation: str


class CoachOut(Schema):
    labels: list[str]
    tone: str = Field(description="protective, connective, mixed or neutral")
    patterns: list[PatternOut]
    reframe: str | None
    help: list[str] = Field(
        description="Concerns whose crisis words the text contains (suicide_risk, "
        "partner_violence): show the writer, and only the writer, where to find help."
    )


class Detail(Schema):
    detail: str


class ValidationErrors(Schema):
    detail: list[dict[str, Any]]


@router.post(
    "/coach",
    response={200: CoachOut, 400: Detail, 401: Detail, 403: Detail, 422: ValidationErrors},
    throttle=[limits.Throttle("api_write"), limits.Throttle("coach")],
)
def coach(request: HttpRequest, payload: CoachIn) -> dict[str, object]:
    """Analyse a message: patterns with their spans, why they matter, a reframe. Nothing is kept."""
    found = analyze(payload.text).to_dict()
    person = request.user
    assert isinstance(person, User)  # behind api_auth
    found["help"] = sorted(rescreen.notice(person, payload.text))
    return found
