"""The safety resource file format (resources.yaml), declared: docs/safety.md describes it.

Each model is one kind of mapping in the file, with its fields' types, which
are required, their allowed values and (`extra="forbid"`) no other keys.
`resources` checks each field against these declarations in the order of the
file and adds what relates fields to one another (every required group and
message present, a message showing only known groups, at least one way to
reach a service, dates written as YYYY-MM-DD).
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StrictStr

from attunement.datafiles import Says


def _words(value: int | str) -> str:
    """Text with its runs of white space made single spaces; a number is read as its digits."""
    words = " ".join(str(value).split())
    if not words:
        raise ValueError("empty")
    return words


# YAML reads an unquoted 112 as a number: whole numbers are accepted as text.
Words = Annotated[StrictInt | StrictStr, AfterValidator(_words), Says("must be non-empty text")]
Texts = Annotated[
    list[Annotated[StrictStr, AfterValidator(_words)]],
    Says("must be a list of non-empty texts", none_is_missing=False),
]
STATUS = "{value!r} is not one of verified, unverified"


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LabelsSpec(_Spec):
    """How each way of reaching a service is introduced ("Call", "Text", "Web")."""

    phone: Words
    text: Words
    web: Words


class CheckSpec(_Spec):
    status: Annotated[Literal["verified", "unverified"], Says(STATUS, missing=STATUS)]
    date: datetime.date  # YYYY-MM-DD; read by `resources` (YAML gives a date or text)
    source: Words


class EntrySpec(_Spec):
    """One service; at least one of phone, text and web."""

    name: Words
    region: Words
    description: Words
    checked: CheckSpec
    # The ways to reach it: at least one.
    phone: Words = ""
    text: Words = ""
    web: Words = ""


class GroupSpec(_Spec):
    title: Words
    entries: Annotated[list[EntrySpec], Field(min_length=1)]


class SafetyPlanSpec(_Spec):
    title: Words
    intro: Words
    steps: Texts = Field(default_factory=list)  # required when the plan is given


class MessageSpec(_Spec):
    title: Words
    before: Texts = Field(default_factory=list)
    show: Texts = Field(default_factory=list)  # resource groups, or "safety_plan"
    after: Texts = Field(default_factory=list)


class MessageKindsSpec(_Spec):
    positive: MessageSpec | None = None
    acute: MessageSpec | None = None


class ResourceFileSpec(_Spec):
    """The whole file: required groups and messages are listed in `resources`."""

    labels: LabelsSpec
    resources: dict[str, GroupSpec]
    safety_plan: SafetyPlanSpec
    messages: dict[str, MessageKindsSpec]
