"""The JSON API's error bodies, one definition each, for every app's router.

Each is a component of the published OpenAPI schema under its class name, so the
names are part of the API: `Detail` and `Message` have the same shape, but
operations name one or the other and keep doing so. The classes carry no
docstring, since ninja would publish it as the schema's description, except
`ValidationProblem`, whose docstring is its published description.
"""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class Detail(Schema):  # an error in one sentence
    detail: str


class Message(Schema):  # the same, as the accounts and assessments routers name it
    detail: str


class Refusal(Schema):  # a request refused for the state things are in (409)
    detail: str
    code: str = Field(
        description=(
            "Why, as one word. Pairing: already_paired, not_paired, own_invitation or "
            "too_many_invitations; sharing a journal entry: not_paired."
        )
    )


class ValidationErrors(Schema):  # a request the schema rejects: ninja's list of problems
    detail: list[dict[str, Any]]


class ValidationProblem(Schema):
    """A request the schema rejects (ninja's list of problems), or one the scoring rules reject."""

    detail: str | list[dict[str, Any]]
