"""The instrument file format, declared: the source of truth for docs/instruments.md.

Each model is one kind of mapping in the file: its fields, their types, which
are required, their allowed values, and (`extra="forbid"`) that no other key
is allowed. `Says` gives the problem a reader reports for a value that does not
fit. `loader` checks every field against these declarations in document order
and adds the checks that relate fields to one another (scales naming existing
items, reverse keys on a valid range, `ask_if` naming earlier items, bands
inside the range and not overlapping); `InstrumentSpec.model_validate` accepts
every shipped file.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    StringConstraints,
)

from attunement.datafiles import Says
from attunement.instruments.model import LicenceStatus, Method, Source

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
STRICT_TEXT = StringConstraints(strict=True, strip_whitespace=True, min_length=1)

Text = Annotated[str, STRICT_TEXT, Says("must be non-empty text")]
Flag = Annotated[StrictBool, Says("must be true or false", none_is_missing=False)]
WholeNumber = Annotated[StrictInt, Says("must be a whole number")]
Number = Annotated[StrictInt | StrictFloat, Says("must be a number")]
# Item ids are text; YAML reads `1` as a number, so whole numbers are accepted too.
ItemId = Annotated[
    StrictInt | Annotated[str, STRICT_TEXT],
    AfterValidator(str),
    Says("is required (text such as '1' or 'A2')"),
]


def _one_of(values: str) -> Says:
    message = "{value!r} is not one of " + values
    return Says(message, missing=message)


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class LicenceSpec(_Spec):
    status: Annotated[LicenceStatus, _one_of(", ".join(s.value for s in LicenceStatus))]
    note: Text


class ResponseScaleSpec(_Spec):
    """Whole numbers from `min` to `max` (min below max), some of them labelled."""

    min: Annotated[StrictInt, Says("both are required whole numbers")]
    max: Annotated[StrictInt, Says("both are required whole numbers")]
    labels: dict[StrictInt, Text] = Field(default_factory=dict)


class ConditionTest(_Spec):
    """One test of `ask_if`: the earlier item's answer is one of `in`."""

    item: ItemId
    in_: list[StrictInt] = Field(alias="in", min_length=1)


# `{any: [tests]}` or `{all: [tests]}`: exactly one key.
AskIf = Annotated[
    dict[Literal["any", "all"], Annotated[list[ConditionTest], Field(min_length=1)]],
    Field(min_length=1, max_length=1),
]


class ItemSpec(_Spec):
    id: ItemId
    text: Text
    scale: str | None = None  # required when the file has several response scales
    reverse: Flag = False
    required: Flag = False
    ask_if: AskIf | None = None
    if_not_asked: StrictInt | None = None  # only with ask_if; a value on the item's scale
    section: Text = ""


class BandSpec(_Spec):
    """Values from `min` (included) to `max` (excluded; the top of the range included)."""

    min: Annotated[Number, Says("need numbers with min below max")]
    max: Annotated[Number, Says("need numbers with min below max")]
    label: Text
    source: Annotated[
        Source, Says("must be 'published' or 'ours'", missing="must be 'published' or 'ours'")
    ]
    note: Text = ""


class ScaleSpec(_Spec):
    id: ItemId
    title: Text = ""  # defaults to the id
    items: Annotated[list[ItemId], Field(min_length=1)]
    method: Annotated[Method, _one_of(", ".join(m.value for m in Method))]
    min_answered: StrictInt | None = None  # 1 to the number of items; default all
    bands: list[BandSpec] = Field(default_factory=list)
    description: Text = ""
    optional: Flag = False
    # Absent: the instrument's `validated`. Written without a value, it is an error.
    validated: Annotated[
        StrictBool | None, Says("must be true or false", none_is_missing=False)
    ] = None
    ours_items: Annotated[list[ItemId], Field(min_length=1)] | None = None  # only for max


class ScreenSpec(_Spec):
    concern: Text
    positive_scale: StrictStr  # the id of a scale in the file
    acute_scale: StrictStr | None = None  # the id of a scale in the file


class InstrumentSpec(_Spec):
    """A whole instrument file."""

    id: Annotated[
        str,
        StringConstraints(strict=True, strip_whitespace=True, min_length=1, pattern=ID_PATTERN),
        Says(
            "must be non-empty text",
            by_error=(
                (
                    "string_pattern_mismatch",
                    "use lower-case letters, digits and underscores, e.g. 'csi4'",
                ),
            ),
        ),
    ]
    title: Text
    short_title: Text = ""  # defaults to the id
    citation: Text
    licence: LicenceSpec
    instructions: Text
    response_scales: Annotated[dict[str, ResponseScaleSpec], Field(min_length=1)]
    items: Annotated[list[ItemSpec], Field(min_length=1)]
    scales: Annotated[list[ScaleSpec], Field(min_length=1)]
    missing_codes: Annotated[
        list[StrictInt], Says("must be a list of whole numbers", none_is_missing=False)
    ] = Field(default_factory=list)
    screen: ScreenSpec | None = None
    notes: Text = ""
    validated: Flag = True
