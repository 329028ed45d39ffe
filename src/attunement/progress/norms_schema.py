"""The norms file format (norms.yaml), declared as pydantic models.

`NormsFileSpec` maps instrument ids to scale ids to a `NormSpec`; each number
in it is a `NormValueSpec` that says whether it is published (with its source)
or ours (with the reason). `reliable_change` checks each field against these
declarations and adds what relates fields to one another (a number's range
depends on what it is; a published number needs a source, ours a reason).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, RootModel, StrictFloat, StrictInt, StringConstraints

from attunement.datafiles import Says
from attunement.instruments.model import Source

PUBLISHED_OR_OURS = "must be 'published' or 'ours'"
HIGHER_OR_LOWER = "must be 'higher' or 'lower'"
NON_EMPTY = "must be non-empty text"


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NormValueSpec(_Spec):
    """A number: reliability in 0–1, sd above 0, a cut-off anywhere (all exclusive)."""

    value: StrictInt | StrictFloat
    status: Annotated[Source, Says(PUBLISHED_OR_OURS, missing=PUBLISHED_OR_OURS)]
    # Read as text (whitespace collapsed): `source` is required when published,
    # `reason` when ours.
    source: str = ""
    reason: str = ""
    note: str = ""


class NormSpec(_Spec):
    title: Annotated[
        str,
        StringConstraints(strict=True, strip_whitespace=True, min_length=1),
        Says(NON_EMPTY, missing=NON_EMPTY),
    ]
    better: Annotated[Literal["higher", "lower"], Says(HIGHER_OR_LOWER, missing=HIGHER_OR_LOWER)]
    reliability: NormValueSpec
    sd: NormValueSpec
    cutoff: NormValueSpec | None = None


class NormsFileSpec(RootModel[dict[str, dict[str, NormSpec]]]):
    """The whole file: instrument id -> scale id -> norm."""
