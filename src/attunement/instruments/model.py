"""The shape of an instrument, as loaded from its YAML file."""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property, reduce
from typing import Any, TypeVar, cast

T = TypeVar("T")  # one answer (an int, bool or float), or an array of them, one per row


class Method(StrEnum):
    MEAN = "mean"
    SUM = "sum"
    MAX = "max"


class Source(StrEnum):
    PUBLISHED = "published"
    OURS = "ours"


class LicenceStatus(StrEnum):
    OPEN = "open"  # published with an explicit grant or as a public work
    FREE_USE = "free_use"  # authors describe it as free to use; no formal licence
    NO_GRANT = "no_grant"  # circulated for research; no explicit grant found
    OURS = "ours"  # written by the Attunement team, MIT licensed


@dataclass(frozen=True)
class ResponseScale:
    id: str
    min: int
    max: int
    labels: Mapping[int, str] = field(default_factory=dict)

    def label(self, value: int) -> str:
        return self.labels.get(value, str(value))


@dataclass(frozen=True)
class Condition:
    """An item is asked when any (or all) of its tests hold: `{item, in: [values]}`."""

    mode: str  # "any" or "all"
    tests: tuple[tuple[str, frozenset[int]], ...]

    def holds(self, answers: Mapping[str, int]) -> bool:
        return self.decide([answers.get(item) in values for item, values in self.tests])

    def decide(self, hits: Sequence[T]) -> T:
        """Any or all of the tests' results (bools, or arrays of bools one per row)."""
        join = operator.or_ if self.mode == "any" else operator.and_
        return reduce(join, hits)

    @property
    def items(self) -> tuple[str, ...]:
        return tuple(item for item, _ in self.tests)


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    scale: ResponseScale
    reverse: bool = False
    required: bool = False
    ask_if: Condition | None = None
    if_not_asked: int | None = None
    section: str = ""

    def keyed(self, value: T) -> T:
        """The value as it enters a scale: reverse-keyed items are flipped (arrays too)."""
        if not self.reverse:
            return value
        return cast(T, self.scale.min + self.scale.max - cast(Any, value))

    def accepts(self, value: T) -> T:
        """Whether the value lies on the item's response scale (arrays: per row)."""
        number = cast(Any, value)
        return cast(T, (self.scale.min <= number) & (number <= self.scale.max))


@dataclass(frozen=True)
class Band:
    min: float
    max: float
    label: str
    source: Source
    note: str = ""

    def contains(self, value: float, top: float) -> bool:
        # Bands are half-open [min, max); a band reaching the top of the range includes it.
        return self.min <= value < self.max or (value == self.max == top)


@dataclass(frozen=True)
class Scale:
    id: str
    title: str
    items: tuple[str, ...]
    method: Method
    min_answered: int
    range: tuple[float, float]
    bands: tuple[Band, ...] = ()
    description: str = ""
    optional: bool = False  # too few answers leave it unscored instead of failing the whole
    validated: bool = True  # False: our own, unvalidated score, for reflection only
    # Our own items in a `max` scale whose bands are published: a value reached
    # through these items alone is reported under a threshold of ours.
    ours_items: tuple[str, ...] = ()

    def band_for(self, value: float) -> Band | None:
        return next((b for b in self.bands if b.contains(value, self.range[1])), None)


@dataclass(frozen=True)
class Screen:
    """Marks a safety screen: which scale makes it positive, and which makes it acute."""

    concern: str
    positive_scale: str
    acute_scale: str | None = None


@dataclass(frozen=True)
class Licence:
    status: LicenceStatus
    note: str


@dataclass(frozen=True)
class Instrument:
    id: str
    title: str
    short_title: str
    citation: str
    licence: Licence
    instructions: str
    response_scales: Mapping[str, ResponseScale]
    items: tuple[Item, ...]
    scales: tuple[Scale, ...]
    missing_codes: frozenset[int] = frozenset()
    screen: Screen | None = None
    notes: str = ""
    validated: bool = True

    def item(self, item_id: str) -> Item:
        return self._items_by_id[item_id]

    def scale(self, scale_id: str) -> Scale:
        return next(s for s in self.scales if s.id == scale_id)

    @cached_property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)

    @cached_property
    def positions(self) -> dict[str, int]:
        """Each item's place in `items`: answers given one per item follow this order."""
        return {item_id: j for j, item_id in enumerate(self.item_ids)}

    @cached_property
    def _items_by_id(self) -> dict[str, Item]:
        return {i.id: i for i in self.items}
