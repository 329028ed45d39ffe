"""Pairing and sharing over JSON: the same rules as the pages, through the same services."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import AfterValidator, Field

from attunement.web.accounts.auth import api_auth
from attunement.web.accounts.models import User
from attunement.web.core import people
from attunement.web.core.api_schemas import Detail, Refusal, ValidationErrors
from attunement.web.couples import services

router = Router(auth=api_auth, tags=["couple"])

NO_INVITATION = "No usable invitation."


class CoupleOut(Schema):
    paired: bool
    partner_name: str | None = Field(None, description="The partner's display name.")
    since: datetime | None = None
    shared_instruments: list[str] = Field(
        description="Instruments whose scale scores I share with my partner."
    )


class InvitationOut(Schema):
    id: int
    created: datetime
    expires: datetime


class NewInvitationOut(InvitationOut):
    token: str = Field(description="Shown only in this response; only its hash is stored.")
    link: str


class JoinIn(Schema):
    token: str = Field(
        min_length=16, max_length=services.TOKEN_MAX_LENGTH, pattern=r"^[A-Za-z0-9_-]+$"
    )


def _shareable(instrument_id: str) -> str:
    if instrument_id not in {i.id for i in services.shareable_instruments()}:
        raise ValueError(f"{instrument_id!r} is not an instrument that can be shared")
    return instrument_id


def _list_shareable(schema: dict[str, Any]) -> None:
    schema["enum"] = [i.id for i in services.shareable_instruments()]


ShareableId = Annotated[
    str, Field(min_length=1, max_length=40, json_schema_extra=_list_shareable),
    AfterValidator(_shareable),
]  # fmt: skip


class SharingIn(Schema):
    instruments: list[ShareableId] = Field(max_length=50)


class InstrumentOut(Schema):
    id: str
    title: str


class SharingOut(Schema):
    paired: bool
    instruments: list[str] = Field(description="Shared with my partner: scale scores only.")
    shareable: list[InstrumentOut] = Field(description="Every instrument that can be shared.")


def _couple(me: User) -> CoupleOut:
    couple = services.active_couple(me)
    partner = services.partner_of(me)
    return CoupleOut(
        paired=couple is not None,
        partner_name=partner.display_name if partner else None,
        since=couple.created if couple else None,
        shared_instruments=services.shared_instruments(me),
    )


def _sharing(me: User) -> SharingOut:
    return SharingOut(
        paired=services.active_couple(me) is not None,
        instruments=services.shared_instruments(me),
        shareable=[InstrumentOut(id=i.id, title=i.title) for i in services.shareable_instruments()],
    )


def _refusal(refusal: services.PairingRefused) -> Status[Refusal]:
    return Status(409, Refusal(detail=str(refusal), code=refusal.code))


@router.get("", response={200: CoupleOut, 401: Detail})
def couple(request: HttpRequest) -> CoupleOut:
    """Whether I'm paired, my partner's display name and what I share."""
    return _couple(people.person(request))


@router.get("/invitations", response={200: list[InvitationOut], 401: Detail})
def invitations(request: HttpRequest) -> list[InvitationOut]:
    """My invitation links that can still be used (without their tokens, which aren't stored)."""
    return [
        InvitationOut.model_validate(i) for i in services.open_invitations(people.person(request))
    ]


@router.post(
    "/invitations",
    response={201: NewInvitationOut, 401: Detail, 403: Detail, 409: Refusal},
)
def create_invitation(request: HttpRequest) -> Status[NewInvitationOut] | Status[Refusal]:
    """A new invitation link, valid once for 48 hours. The token is returned this once."""
    try:
        invitation, token = services.invite(people.person(request))
    except services.PairingRefused as refusal:
        return _refusal(refusal)
    link = request.build_absolute_uri(services.invitation_path(token))
    out = NewInvitationOut(
        id=invitation.pk,
        created=invitation.created,
        expires=invitation.expires,
        token=token,
        link=link,
    )
    return Status(201, out)


@router.delete(
    "/invitations/{invitation_id}",
    response={204: None, 401: Detail, 403: Detail, 404: Detail, 422: ValidationErrors},
)
def revoke_invitation(request: HttpRequest, invitation_id: int) -> Status[None]:
    """Withdraw one of my open links. Anyone else's link is answered exactly like a missing one."""
    try:
        services.revoke(people.person(request), invitation_id)
    except services.InvitationNotFound:
        raise HttpError(404, NO_INVITATION) from None
    return Status(204, None)


@router.post(
    "/join",
    response={200: CoupleOut, 400: Detail, 401: Detail, 403: Detail, 404: Detail, 409: Refusal,
              422: ValidationErrors},
)  # fmt: skip
def join(request: HttpRequest, payload: JoinIn) -> CoupleOut | Status[Refusal]:
    """Accept an invitation: pairs me with the inviter. Unusable tokens all answer 404."""
    me = people.person(request)
    try:
        services.redeem(me, payload.token)
    except services.InvitationNotFound:
        raise HttpError(404, NO_INVITATION) from None
    except services.PairingRefused as refusal:
        return _refusal(refusal)
    return _couple(me)


@router.post("/unpair", response={200: CoupleOut, 401: Detail, 403: Detail, 409: Refusal})
def unpair(request: HttpRequest) -> CoupleOut | Status[Refusal]:
    """End my couple. Every share, mine and my partner's, ends with it."""
    me = people.person(request)
    try:
        services.unpair(me)
    except services.PairingRefused as refusal:
        return _refusal(refusal)
    return _couple(me)


@router.get("/sharing", response={200: SharingOut, 401: Detail})
def sharing(request: HttpRequest) -> SharingOut:
    """What I share with my partner, and what could be shared. Safety screens never can."""
    return _sharing(people.person(request))


@router.put(
    "/sharing",
    response={200: SharingOut, 400: Detail, 401: Detail, 403: Detail, 409: Refusal,
              422: ValidationErrors},
)  # fmt: skip
def set_sharing(request: HttpRequest, payload: SharingIn) -> SharingOut | Status[Refusal]:
    """Share exactly these instruments' scale scores; unknown ids and safety screens are 422."""
    me = people.person(request)
    try:
        services.set_sharing(me, payload.instruments)
    except services.PairingRefused as refusal:
        return _refusal(refusal)
    return _sharing(me)
