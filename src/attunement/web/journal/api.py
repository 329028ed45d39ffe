"""The reflection journal over JSON: my entries, always; my partner's, only those shared with me."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import P, QueryEx, Router, Schema, Status
from ninja.errors import HttpError
from ninja.throttling import BaseThrottle
from pydantic import AfterValidator, Field, StrictInt, StringConstraints

from attunement.practices import prompts
from attunement.web.accounts.auth import api_auth
from attunement.web.accounts.models import User
from attunement.web.core import api_text, limits, people
from attunement.web.core.api_schemas import Detail, Refusal, ValidationErrors
from attunement.web.couples import services as couples
from attunement.web.couples.models import Couple
from attunement.web.journal import paging, policy, services
from attunement.web.journal.models import JournalEntry
from attunement.web.vault import crypto

router = Router(auth=api_auth, tags=["journal"])
# Writing an entry counts against both the API's and the journal's limits.
WRITING: list[BaseThrottle] = [limits.Throttle("api_write"), limits.Throttle("journal_write")]

NO_ENTRY = "No such journal entry."


def _known_prompt(prompt_id: str) -> str:
    try:
        prompts.get(prompt_id)
    except prompts.UnknownPrompt:  # a LookupError; pydantic reports only ValueErrors as 422
        raise ValueError(f"{prompt_id!r} is not one of the journal's prompts") from None
    return prompt_id


def _list_prompts(schema: dict[str, Any]) -> None:
    schema["enum"] = [p.id for p in prompts.prompts()]


PromptId = Annotated[
    str, Field(min_length=1, max_length=40, json_schema_extra=_list_prompts),
    AfterValidator(_known_prompt),
]  # fmt: skip
Title = Annotated[
    str, StringConstraints(max_length=services.TITLE_MAX_LENGTH), AfterValidator(api_text.trimmed)
]
Body = Annotated[
    str,
    StringConstraints(min_length=1, max_length=services.BODY_MAX_LENGTH),
    AfterValidator(api_text.not_blank),
]


SearchQuery = QueryEx[
    str,
    P(
        max_length=services.QUERY_MAX_LENGTH,
        description="Only entries containing every word of this (in title, body or prompt), "
        "ignoring case.",
    ),
]


def _known_cursor(cursor: str) -> str:
    paging.decode(cursor)  # BadCursor is a ValueError: a 422 naming the parameter
    return cursor


CursorQuery = QueryEx[
    Annotated[str, Field(max_length=200), AfterValidator(_known_cursor)] | None,
    P(description="The `next` cursor of the previous page; leave it out for the newest."),
]


class EntryIn(Schema):
    prompt: PromptId | None = Field(
        None, description="The id of a prompt from GET /api/journal/prompts; null to write freely."
    )
    title: Title = Field("", description="Optional.")
    body: Body = Field(description="The reflection itself; at most 20,000 characters.")
    version: StrictInt | None = Field(
        None,
        description="On an update: the `version` of the entry you edited. If it was saved since, "
        "the update is refused with 409 and the current entry. Leave it out to overwrite.",
    )


class PromptOut(Schema):
    id: str
    title: str
    question: str
    why: str
    follow_ups: list[str]


class EntryOut(Schema):
    id: int
    prompt: str | None = Field(description="The prompt's id, or null for free writing.")
    question: str | None = Field(description="The prompt's question, while it still exists.")
    title: str
    body: str
    readable: bool = Field(
        description="False if the entry can no longer be decrypted (its key was deleted); "
        "title and body are then empty."
    )
    created: datetime
    updated: datetime
    version: int = Field(
        description="Send it back with an update to refuse overwriting a newer save."
    )
    shared_with_partner: bool
    shared_at: datetime | None


class EntriesPage(Schema):
    entries: list[EntryOut] = Field(description="Newest first, at most 50.")
    next: str | None = Field(
        description="The address of the next (older) page, or null on the last. A search page "
        "looks through at most 500 entries, so it can hold fewer than 50 and still have a next."
    )


class EditConflictOut(Schema):
    detail: str
    current: EntryOut = Field(description="The entry as it is now saved.")


class SharedEntryOut(Schema):
    id: int
    author: str = Field(description="My partner's display name.")
    prompt: str | None
    question: str | None
    title: str
    body: str
    created: datetime
    updated: datetime
    shared_at: datetime | None


class SharedPage(Schema):
    entries: list[SharedEntryOut] = Field(description="Newest share first, at most 50.")
    next: str | None = Field(description="The address of the next page, or null on the last.")


def _find(me: User, entry_id: int) -> JournalEntry:
    entry = policy.ENTRY.find(me, entry_id)
    if entry is None:  # someone else's is answered like a missing one
        raise HttpError(404, NO_ENTRY)
    return entry


def _text(entry: JournalEntry) -> tuple[str, str, bool]:
    try:
        return entry.title, entry.body, True
    except crypto.Unreadable:
        return "", "", False


def _out(entry: JournalEntry, couple: Couple | None) -> EntryOut:
    title, body, readable = _text(entry)
    guide = entry.guide
    shared = services.is_shared(entry, couple)
    return EntryOut(
        id=entry.pk,
        prompt=entry.prompt or None,
        question=guide.question if guide else None,
        title=title,
        body=body,
        readable=readable,
        created=entry.created,
        updated=entry.updated,
        shared_with_partner=shared,
        shared_at=entry.shared_at if shared else None,
        version=services.version(entry),
    )


def _shared_out(entry: JournalEntry, author: User) -> SharedEntryOut:
    guide = entry.guide
    return SharedEntryOut(
        id=entry.pk,
        author=author.display_name,
        prompt=entry.prompt or None,
        question=guide.question if guide else None,
        title=entry.title,
        body=entry.body,
        created=entry.created,
        updated=entry.updated,
        shared_at=entry.shared_at,
    )


def _fields(payload: EntryIn) -> dict[str, str]:
    return {"prompt": payload.prompt or "", "title": payload.title, "body": payload.body}


@router.get("", response={200: EntriesPage, 401: Detail, 422: ValidationErrors})
def entries(request: HttpRequest, q: SearchQuery = "", cursor: CursorQuery = None) -> EntriesPage:
    """My entries, newest first, a page at a time: follow `next` for older ones.

    Searching decrypts them one by one: it is private, not fast.
    """
    me = people.person(request)
    couple = couples.active_couple(me)
    found, after = services.entries_page(me, q, cursor)
    return EntriesPage(
        entries=[_out(e, couple) for e in found],
        next=_next(request, {"q": q, "cursor": after} if q else {"cursor": after}, after),
    )


def _next(request: HttpRequest, query: dict[str, str | None], after: str | None) -> str | None:
    return f"{request.path}?{urlencode(query)}" if after else None


@router.post(
    "",
    response={201: EntryOut, 400: Detail, 401: Detail, 403: Detail, 422: ValidationErrors},
    throttle=WRITING,
)
def create_entry(request: HttpRequest, payload: EntryIn) -> Status[EntryOut]:
    """Write a new entry. It is private to me until I share it."""
    me = people.person(request)
    entry = services.write(me, **_fields(payload))
    return Status(201, _out(entry, couples.active_couple(me)))


@router.get("/prompts", response={200: list[PromptOut], 401: Detail})
def journal_prompts(request: HttpRequest) -> list[PromptOut]:
    """The guided prompts, in the order they are suggested."""
    people.person(request)
    return [
        PromptOut(id=p.id, title=p.title, question=p.question, why=p.why,
                  follow_ups=list(p.follow_ups))
        for p in prompts.prompts()
    ]  # fmt: skip


@router.get("/shared", response={200: SharedPage, 401: Detail, 422: ValidationErrors})
def shared_entries(request: HttpRequest, cursor: CursorQuery = None) -> SharedPage:
    """The entries my partner shares with me, newest share first; empty when I'm not paired."""
    me = people.person(request)
    partner = couples.partner_of(me)
    if partner is None:
        return SharedPage(entries=[], next=None)
    found, after = services.shared_page(me, cursor)
    return SharedPage(
        entries=[_shared_out(e, partner) for e in found],
        next=_next(request, {"cursor": after}, after),
    )


@router.get(
    "/{entry_id}", response={200: EntryOut, 401: Detail, 404: Detail, 422: ValidationErrors}
)
def entry(request: HttpRequest, entry_id: int) -> EntryOut:
    """One of my entries. Anyone else's is answered exactly like a missing one."""
    me = people.person(request)
    return _out(_find(me, entry_id), couples.active_couple(me))


@router.put(
    "/{entry_id}",
    response={200: EntryOut, 400: Detail, 401: Detail, 403: Detail, 404: Detail,
              409: EditConflictOut, 422: ValidationErrors},
    throttle=WRITING,
)  # fmt: skip
def update_entry(
    request: HttpRequest, entry_id: int, payload: EntryIn
) -> EntryOut | Status[EditConflictOut]:
    """Replace one of my entries' prompt, title and body (fields left out are cleared).

    With `version`, a save from a stale copy is refused (409) with the current entry.
    """
    me = people.person(request)
    couple = couples.active_couple(me)
    try:
        found = services.revise(_find(me, entry_id), **_fields(payload), based_on=payload.version)
    except services.EditConflict as conflict:
        detail = _("This entry was changed since that version; nothing was saved.")
        return Status(409, EditConflictOut(detail=detail, current=_out(conflict.current, couple)))
    return _out(found, couple)


@router.delete(
    "/{entry_id}",
    response={204: None, 401: Detail, 403: Detail, 404: Detail, 422: ValidationErrors},
)
def delete_entry(request: HttpRequest, entry_id: int) -> Status[None]:
    """Delete one of my entries for good."""
    try:
        services.delete(people.person(request), entry_id)
    except services.EntryNotFound:
        raise HttpError(404, NO_ENTRY) from None
    return Status(204, None)


@router.post(
    "/{entry_id}/share",
    response={200: EntryOut, 401: Detail, 403: Detail, 404: Detail, 409: Refusal,
              422: ValidationErrors},
)  # fmt: skip
def share_entry(request: HttpRequest, entry_id: int) -> EntryOut | Status[Refusal]:
    """Let my partner read this entry until I unshare it or we unpair. 409 when I'm not paired."""
    me = people.person(request)
    try:
        found = services.share(me, entry_id)
    except services.EntryNotFound:
        raise HttpError(404, NO_ENTRY) from None
    except services.NotPaired as refusal:
        return Status(409, Refusal(detail=str(refusal), code=refusal.code))
    return _out(found, couples.active_couple(me))


@router.post(
    "/{entry_id}/unshare",
    response={200: EntryOut, 401: Detail, 403: Detail, 404: Detail, 422: ValidationErrors},
)
def unshare_entry(request: HttpRequest, entry_id: int) -> EntryOut:
    """Make this entry private again, at once."""
    me = people.person(request)
    try:
        found = services.unshare(me, entry_id)
    except services.EntryNotFound:
        raise HttpError(404, NO_ENTRY) from None
    return _out(found, couples.active_couple(me))
