"""The practices over JSON: the message coach (as `attunement coach --json`) and my drafts.

A draft is mine alone: anyone else's is answered exactly like a missing one. Sending a
draft to the partner stays on the pages, where the safety rules around it are shown.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import AfterValidator, Field, StrictInt, StringConstraints

from attunement.coach import analyze, unreadable
from attunement.practices import flows
from attunement.web.accounts.auth import api_auth
from attunement.web.accounts.models import User
from attunement.web.assessments import rescreen
from attunement.web.core import api_text, limits, people
from attunement.web.core.api_schemas import Detail, ValidationErrors
from attunement.web.couples import services as couples
from attunement.web.practices import policy, services
from attunement.web.practices.models import Draft
from attunement.web.vault import crypto

router = Router(auth=api_auth, tags=["practices"])

NO_DRAFT = "No such draft."

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
    help_quiet: list[str] = Field(
        description="Those of `help` raised only faintly (by the learned model, not far past "
        "its threshold): a quiet pointer to the same help will do; the others get it in full."
    )
    unfamiliar: bool = Field(
        description="True when the coach found no pattern in a text mostly in words it has "
        "not learned (it reads English): say that, rather than that nothing was found."
    )


@router.post(
    "/coach",
    response={200: CoachOut, 400: Detail, 401: Detail, 403: Detail, 422: ValidationErrors},
    throttle=[limits.Throttle("api_write"), limits.Throttle("coach")],
)
def coach(request: HttpRequest, payload: CoachIn) -> dict[str, object]:
    """Analyse a message: patterns with their spans, why they matter, a reframe. Nothing is kept."""
    analysis = analyze(payload.text)
    found = analysis.to_dict()
    reading = rescreen.notice(people.person(request), payload.text)
    found["help"] = sorted(reading.concerns)
    found["help_quiet"] = sorted(reading.quiet)
    found["unfamiliar"] = unreadable(analysis)
    return found


# Drafts


def _known_flow(flow_id: str) -> str:
    try:
        flows.get(flow_id)
    except flows.UnknownFlow:  # a LookupError; pydantic reports only ValueErrors as 422
        raise ValueError(f"{flow_id!r} is not one of the guided practices") from None
    return flow_id


def _list_flows(schema: dict[str, Any]) -> None:
    schema["enum"] = [f.id for f in flows.flows()]


FlowId = Annotated[
    str, Field(min_length=1, max_length=40, json_schema_extra=_list_flows),
    AfterValidator(_known_flow),
]  # fmt: skip
Original = Annotated[
    str,
    StringConstraints(max_length=services.ORIGINAL_MAX_LENGTH),
    AfterValidator(api_text.trimmed),
]
Answer = Annotated[
    str, StringConstraints(max_length=services.ANSWER_MAX_LENGTH), AfterValidator(api_text.trimmed)
]
Message = Annotated[
    str,
    StringConstraints(min_length=1, max_length=services.MESSAGE_MAX_LENGTH),
    AfterValidator(api_text.not_blank),
]
Version = Field(
    None,
    description="The `version` of the draft you edited. If the draft was saved since (on "
    "another device, say), nothing is saved and the answer is 409 with the current draft. "
    "Leave it out to save regardless.",
)


class DraftIn(Schema):
    flow: FlowId
    original: Original = Field("", description="Optional: the message the practice starts from.")


class AnswerIn(Schema):
    answer: Answer = Field(description="The answer to this step; empty clears it.")
    version: StrictInt | None = Version


class MessageIn(Schema):
    message: Message = Field(description="The message in my own words; keeping it finishes "
                             "the practice. It is not sent.")  # fmt: skip
    version: StrictInt | None = Version


class DraftOut(Schema):
    id: int
    flow: str
    readable: bool = Field(
        description="False when the draft can no longer be decrypted (its key was deleted); "
        "its text is then empty."
    )
    original: str
    answers: dict[str, str] = Field(description="Step id -> answer, for the steps answered.")
    message: str = Field(description="The kept message; empty until it is kept.")
    composed: str = Field(description="The answers put together: a first version to rewrite.")
    created: datetime
    updated: datetime
    finished: datetime | None = Field(description="When the message was first kept.")
    sent_to_partner: bool
    version: int = Field(description="Send it back with a save to refuse overwriting a newer one.")


class DraftConflictOut(Schema):
    detail: str
    current: DraftOut = Field(description="The draft as it is now saved.")


def _find(me: User, draft_id: int) -> Draft:
    draft = policy.DRAFT.find(me, draft_id)
    if draft is None:  # someone else's is answered like a missing one
        raise HttpError(404, NO_DRAFT)
    return draft


def _out(draft: Draft, me: User) -> DraftOut:
    try:
        original, answers, message = draft.original, draft.answers, draft.message
        readable = True
    except crypto.Unreadable:
        original, answers, message, readable = "", {}, "", False
    guide = draft.guide
    return DraftOut(
        id=draft.pk,
        flow=draft.flow,
        readable=readable,
        original=original,
        answers=answers,
        message=message,
        composed=flows.compose(guide, answers) if guide and readable else "",
        created=draft.created,
        updated=draft.updated,
        finished=draft.finished,
        sent_to_partner=services.is_sent(draft, couples.active_couple(me)),
        version=services.version(draft),
    )


def _conflict(conflict: services.EditConflict, me: User) -> Status[DraftConflictOut]:
    detail = _("This draft was changed since that version; nothing was saved.")
    return Status(409, DraftConflictOut(detail=detail, current=_out(conflict.current, me)))


@router.get("/drafts", response={200: list[DraftOut], 401: Detail})
def drafts(request: HttpRequest) -> list[DraftOut]:
    """My drafts, most recently saved first."""
    me = people.person(request)
    return [_out(d, me) for d in services.drafts(me)]


@router.post(
    "/drafts",
    response={201: DraftOut, 400: Detail, 401: Detail, 403: Detail, 422: ValidationErrors},
)
def start_draft(request: HttpRequest, payload: DraftIn) -> Status[DraftOut]:
    """Start a guided practice: a new, empty draft, private to me."""
    me = people.person(request)
    return Status(201, _out(services.start(me, payload.flow, payload.original), me))


@router.get("/drafts/{draft_id}", response={200: DraftOut, 401: Detail, 404: Detail,
                                            422: ValidationErrors})  # fmt: skip
def draft(request: HttpRequest, draft_id: int) -> DraftOut:
    """One of my drafts. Anyone else's is answered exactly like a missing one."""
    me = people.person(request)
    return _out(_find(me, draft_id), me)


@router.put(
    "/drafts/{draft_id}/answers/{step_id}",
    response={200: DraftOut, 400: Detail, 401: Detail, 403: Detail, 404: Detail,
              409: DraftConflictOut, 422: ValidationErrors},
)  # fmt: skip
def save_answer(
    request: HttpRequest, draft_id: int, step_id: str, payload: AnswerIn
) -> DraftOut | Status[DraftConflictOut]:
    """Save my answer to one step of a draft (the step's id, from its practice).

    With `version`, a save from a stale copy is refused (409) with the current draft.
    """
    me = people.person(request)
    found = _find(me, draft_id)
    step = next((s for s in found.guide.steps if s.id == step_id), None) if found.guide else None
    if step is None:
        raise HttpError(404, _("This practice has no such step."))
    try:
        saved = services.answer(found, step, payload.answer, based_on=payload.version)
    except services.EditConflict as conflict:
        return _conflict(conflict, me)
    except services.DraftNotFound:
        raise HttpError(404, NO_DRAFT) from None
    except services.PracticeError as refusal:
        raise HttpError(400, str(refusal)) from None
    return _out(saved, me)


@router.put(
    "/drafts/{draft_id}/message",
    response={200: DraftOut, 400: Detail, 401: Detail, 403: Detail, 404: Detail,
              409: DraftConflictOut, 422: ValidationErrors},
)  # fmt: skip
def keep_message(
    request: HttpRequest, draft_id: int, payload: MessageIn
) -> DraftOut | Status[DraftConflictOut]:
    """Keep the message of a draft, in my own words; from then on the practice counts as done.

    With `version`, a save from a stale copy is refused (409) with the current draft.
    """
    me = people.person(request)
    try:
        kept = services.keep(_find(me, draft_id), payload.message, based_on=payload.version)
    except services.EditConflict as conflict:
        return _conflict(conflict, me)
    except services.DraftNotFound:
        raise HttpError(404, NO_DRAFT) from None
    except services.PracticeError as refusal:
        raise HttpError(400, str(refusal)) from None
    return _out(kept, me)
