"""Each scoring rule of an instrument, written once for one person and for many rows.

`evaluate` applies an instrument's rules (which items are asked and which are
required, reverse keys, the default of an unasked item, how many answers a
scale needs, mean, sum or max, a sum prorated from the mean) to one value per
item. A value is a float (one person's answer, for `scoring`) or an array of
floats, one per row (a CSV of answers, for `batch`); NaN means "not answered".
The operations that differ between the two kinds come from an `Ops`; the
model's `Item.keyed`, `Item.accepts` and `Condition.decide` serve both kinds.

The rules say what holds; the words of an error are `scoring`'s alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar, cast

from attunement.instruments.model import Condition, Instrument, Item, Method

V = TypeVar("V")  # a value: one float, or one float per row
B = TypeVar("B")  # a flag: one bool, or one bool per row


class Ops(Protocol[V, B]):
    """What the rules need, for one kind of value, beyond `&`, `|` and arithmetic."""

    def absent(self, value: V) -> B: ...

    def negate(self, flag: B) -> B: ...

    def isin(self, value: V, allowed: frozenset[int]) -> B: ...

    def where(self, flag: B, then: float, otherwise: V) -> V: ...

    def count(self, values: Sequence[V]) -> V: ...  # how many are present

    def total(self, values: Sequence[V]) -> V: ...  # sum of those present; 0 if none

    def highest(self, values: Sequence[V]) -> V: ...  # max of those present; NaN if none

    def divide(self, total: V, count: V) -> V: ...  # NaN where count is 0


@dataclass(frozen=True)
class ScaleOutcome(Generic[V, B]):
    value: V  # meaningless where `short`
    answered: V  # how many of its items have a value
    short: B  # fewer than `min_answered` of its items have a value


@dataclass(frozen=True)
class Outcome(Generic[V, B]):
    """What the rules make of the answers, per item (in instrument order) and per scale."""

    unasked: list[B | None]  # answered although not asked; None: the item is always asked
    unanswered: list[B | None]  # required and asked, but not answered; None: not required
    keyed: list[V]  # values as they enter scales: reverse keys applied, unasked defaults
    scales: dict[str, ScaleOutcome[V, B]]


def evaluate(instrument: Instrument, answers: Sequence[V], ops: Ops[V, B]) -> Outcome[V, B]:
    """Apply every rule to `answers`: one value per item, in instrument order, NaN if none.

    Each value must already be on its item's scale (`Item.accepts`) or NaN.
    """
    position = instrument.positions
    unasked: list[B | None] = []
    unanswered: list[B | None] = []
    keyed: list[V] = []
    for item, value in zip(instrument.items, answers, strict=True):
        absent: Any = ops.absent(value)
        asked = None if item.ask_if is None else holds(item.ask_if, answers, position, ops)
        unasked.append(None if asked is None else ops.negate(absent | asked))
        if not item.required:
            unanswered.append(None)
        else:
            unanswered.append(absent if asked is None else absent & asked)
        keyed.append(_keyed(item, value, absent, asked, ops))
    scales: dict[str, ScaleOutcome[V, B]] = {}
    for scale in instrument.scales:
        values = [keyed[position[i]] for i in scale.items]
        answered: Any = ops.count(values)
        value = combine(scale.method, values, answered, len(scale.items), ops)
        scales[scale.id] = ScaleOutcome(value, answered, answered < scale.min_answered)
    return Outcome(unasked, unanswered, keyed, scales)


def holds(
    condition: Condition, answers: Sequence[V], position: dict[str, int], ops: Ops[V, B]
) -> B:
    """Whether an `ask_if` condition holds for answers given one per item."""
    return condition.decide(
        [ops.isin(answers[position[item]], values) for item, values in condition.tests]
    )


def combine(method: Method, values: Sequence[V], answered: V, item_count: int, ops: Ops[V, B]) -> V:
    """Mean, max, or sum; a sum with allowed missing items is prorated from the mean."""
    if method is Method.MAX:
        return ops.highest(values)
    mean: Any = ops.divide(ops.total(values), answered)
    return cast(V, mean * item_count if method is Method.SUM else mean)


def _keyed(item: Item, value: V, absent: Any, asked: B | None, ops: Ops[V, B]) -> V:
    """The value as it enters a scale; an unasked, unanswered item takes its default."""
    keyed = item.keyed(value)
    if item.if_not_asked is None or asked is None:
        return keyed
    return ops.where(absent & ops.negate(asked), item.keyed(item.if_not_asked), keyed)


class OneAnswer:
    """`Ops` for one person's answers: a float per item, NaN where not answered."""

    def absent(self, value: float) -> bool:
        return math.isnan(value)

    def negate(self, flag: bool) -> bool:
        return not flag

    def isin(self, value: float, allowed: frozenset[int]) -> bool:
        return value in allowed

    def where(self, flag: bool, then: float, otherwise: float) -> float:
        return then if flag else otherwise

    def count(self, values: Sequence[float]) -> float:
        return float(sum(not math.isnan(v) for v in values))

    def total(self, values: Sequence[float]) -> float:
        return float(sum(v for v in values if not math.isnan(v)))

    def highest(self, values: Sequence[float]) -> float:
        return max((v for v in values if not math.isnan(v)), default=math.nan)

    def divide(self, total: float, count: float) -> float:
        return total / count if count else math.nan


ONE = OneAnswer()
