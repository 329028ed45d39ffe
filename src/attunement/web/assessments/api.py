"""Answers and scores over JSON: the person's own, always; nobody else's, ever."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from pydantic import StrictInt

from attunement.errors import AnswerError, UnknownInstrument
from attunement.instruments.model import Instrument
from attunement.instruments.scoring import Score
from attunement.web.accounts.auth import api_auth
from attunement.web.assessments import paging, services
from attunement.web.core import people
from attunement.web.core.api_schemas import Message, ValidationProblem

router = Router(auth=api_auth, tags=["answers"])

ItemId = Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_.-]+$")]
Value = Annotated[StrictInt, Field(ge=-999, le=999)]


class PartOut(Schema):
    instrument: str
    title: str
    part: int
    answered: int
    askable: int
    complete: bool


class ProgressOut(Schema):
    answered: int
    askable: int
    complete: bool
    parts: list[PartOut]
    next_page: str | None = Field(None, description="Where the pages would carry on.")


class AnswersIn(Schema):
    answers: dict[ItemId, Value | None] = Field(
        ...,
        max_length=200,
        description="Item id to value; null skips an item that is not required. "
        "Items left out keep their saved answers.",
        # Keys outside the item-id pattern are refused, so the document must say so.
        json_schema_extra={"additionalProperties": False},
    )


class AnswersOut(Schema):
    instrument: str
    answers: dict[str, int | None]
    asked: list[str] = Field(..., description="The items asked, given these answers.")
    complete: bool
    help_page: str | None = Field(
        None, description="For a completed safety screen that calls for help: the private page."
    )


class ScaleOut(Schema):
    id: str
    title: str
    value: float
    min: float
    max: float
    band: str | None
    band_source: str | None = Field(None, description="published, or ours")
    description: str


class ScoreOut(Schema):
    instrument: str
    title: str
    validated: bool
    scales: list[ScaleOut]


@router.get("", response={200: ProgressOut, 401: Message})
def progress(request: HttpRequest) -> ProgressOut:
    """How far I am through each part of the Connection Check."""
    person = people.person(request)
    found = services.progress(person)
    following = services.next_page(person)
    parts = [
        PartOut(
            instrument=p.instrument.id,
            title=p.instrument.title,
            part=p.number,
            answered=p.answered,
            askable=p.askable,
            complete=p.complete,
        )
        for p in found.parts
    ]
    return ProgressOut(
        answered=found.answered,
        askable=found.askable,
        complete=found.complete,
        parts=parts,
        next_page=_page_url(following) if following else None,
    )


@router.get("/scores", response={200: list[ScoreOut], 401: Message})
def scores(request: HttpRequest) -> list[ScoreOut]:
    """My scores on each complete questionnaire (safety screens are not scores)."""
    return [_score_out(s) for s in services.scores_for(people.person(request)).values()]


@router.get("/{instrument_id}", response={200: AnswersOut, 401: Message, 404: Message})
def answers(request: HttpRequest, instrument_id: str) -> AnswersOut | Status[Message]:
    """My answers to one part."""
    try:
        chosen = services.instrument(instrument_id)
    except UnknownInstrument:
        return _not_found(instrument_id)
    return _answers_out(chosen, services.answers_for(people.person(request), chosen.id))


@router.put(
    "/{instrument_id}",
    response={
        200: AnswersOut,
        400: Message,
        401: Message,
        403: Message,
        404: Message,
        422: ValidationProblem,
    },
)
def save(
    request: HttpRequest, instrument_id: str, payload: AnswersIn
) -> AnswersOut | Status[Message] | Status[ValidationProblem]:
    """Save some of my answers to one part, all or nothing."""
    person = people.person(request)
    try:
        chosen = services.instrument(instrument_id)
    except UnknownInstrument:
        return _not_found(instrument_id)
    stopped = services.acute(services.screen_outcomes(person))
    if stopped and chosen.screen is None:
        page = services.help_url(stopped)
        return Status(
            403, Message(detail=f"The questions have stopped. Please get help now: {page}")
        )
    try:
        given = services.save_page(person, chosen, payload.answers)
    except AnswerError as error:
        return Status(422, ValidationProblem(detail=str(error)))
    return _answers_out(chosen, given)


def _not_found(instrument_id: str) -> Status[Message]:
    return Status(
        404, Message(detail=f"No questionnaire {instrument_id!r} in the Connection Check.")
    )


def _answers_out(chosen: Instrument, given: dict[str, int | None]) -> AnswersOut:
    outcome = services.screen_outcome(chosen, given)
    return AnswersOut(
        instrument=chosen.id,
        answers=given,
        asked=[i.id for i in chosen.items if paging.asked(i, given)],
        complete=paging.complete(chosen, given),
        help_page=services.help_url(outcome) if outcome else None,
    )


def _page_url(page: paging.Page) -> str:
    return reverse("assessments:page", args=[page.instrument.id, page.number])


def _score_out(found: Score) -> ScoreOut:
    scales = [
        ScaleOut(
            id=s.scale.id,
            title=s.scale.title,
            value=s.value,
            min=s.scale.range[0],
            max=s.scale.range[1],
            band=s.band.label if s.band else None,
            band_source=str(s.band.source) if s.band else None,
            description=s.scale.description,
        )
        for s in found.scales.values()
    ]
    return ScoreOut(
        instrument=found.instrument.id,
        title=found.instrument.title,
        validated=found.instrument.validated,
        scales=scales,
    )
