"""The signed-in person's account and API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import AfterValidator, StringConstraints

from attunement.web.accounts import policy
from attunement.web.accounts.auth import api_auth, browser_auth
from attunement.web.accounts.models import ApiToken, User
from attunement.web.core import api_text, people
from attunement.web.core.api_schemas import Message, ValidationErrors

router = Router(tags=["account"])


class Account(Schema):
    id: int
    email: str
    display_name: str


class TokenIn(Schema):
    name: Annotated[
        str, StringConstraints(min_length=1, max_length=60), AfterValidator(api_text.not_blank)
    ]


class Token(Schema):
    id: int
    name: str
    created: datetime
    last_used: datetime | None


class NewToken(Token):
    secret: str


@router.get("", auth=api_auth, response={200: Account, 401: Message})
def me(request: HttpRequest) -> User:
    """The signed-in person."""
    return people.person(request)


@router.get("/tokens", auth=api_auth, response={200: list[Token], 401: Message})
def list_tokens(request: HttpRequest) -> list[ApiToken]:
    """Your API tokens (never their secrets)."""
    return list(people.person(request).api_tokens.order_by("-created"))


@router.post(
    "/tokens",
    auth=browser_auth,
    response={201: NewToken, 400: Message, 401: Message, 403: Message, 422: ValidationErrors},
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status[NewToken]:
    """A new token, from a signed-in browser only. The secret is in this answer and nowhere else."""
    token, secret = ApiToken.issue(people.person(request), payload.name)
    new = NewToken(
        id=token.pk, name=token.name, created=token.created, last_used=None, secret=secret
    )
    return Status(201, new)


@router.delete(
    "/tokens/{token_id}",
    auth=api_auth,
    response={204: None, 401: Message, 403: Message, 404: Message, 422: ValidationErrors},
)
def revoke_token(request: HttpRequest, token_id: int) -> Status[None]:
    """Revoke one of your tokens. Someone else's token is "not found", like a missing one."""
    deleted, _ = policy.TOKEN.visible(people.person(request)).filter(pk=token_id).delete()
    if not deleted:
        raise Http404
    return Status(204, None)
