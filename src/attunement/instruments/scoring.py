"""Score one person's answers to one instrument.

Bad input never scores half-way: the answers are checked whole first, and the
first problem found raises one AnswerError naming instrument, item and value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from attunement.errors import NO_VALUE, AnswerError
from attunement.instruments import library
from attunement.instruments.model import Band, Condition, Instrument, Method, Scale, Source


@dataclass(frozen=True)
class ScaleScore:
    scale: Scale
    value: float
    answered: int
    ours_only: bool = False  # the value comes from the scale's `ours_items` alone

    @property
    def band(self) -> Band | None:
        """The band of the value; a published band reached only through our items is ours."""
        band = self.scale.band_for(self.value)
        if band is None or not self.ours_only or band.source is not Source.PUBLISHED:
            return band
        items = ", ".join(self.scale.ours_items)
        return replace(band, source=Source.OURS, note=f"reached only through our item(s) {items}")


@dataclass(frozen=True)
class Score:
    instrument: Instrument
    scales: dict[str, ScaleScore]

    def values(self) -> dict[str, float]:
        return {scale_id: s.value for scale_id, s in self.scales.items()}

    @property
    def screen_positive(self) -> bool:
        screen = self.instrument.screen
        return screen is not None and self.scales[screen.positive_scale].value > 0

    @property
    def screen_acute(self) -> bool:
        screen = self.instrument.screen
        return bool(screen and screen.acute_scale and self.scales[screen.acute_scale].value > 0)


def score(instrument: Instrument | str, answers: Mapping[str, object]) -> Score:
    """Score `answers` ({item id: value}) on every scale of `instrument`.

    >>> score("ucla3", {"1": 2, "2": 1, "3": 3}).values()
    {'total': 6.0}
    """
    if isinstance(instrument, str):
        instrument = library.get(instrument)
    clean = check_answers(instrument, answers)
    keyed = effective_values(instrument, clean)
    scored = {s.id: _score_scale(instrument, s, keyed) for s in instrument.scales}
    return Score(instrument, {i: found for i, found in scored.items() if found is not None})


def check_answers(instrument: Instrument, answers: Mapping[str, object]) -> dict[str, int]:
    """The answers as {item id: int}, or AnswerError for the first thing wrong."""
    name = instrument.id
    if not isinstance(answers, Mapping):
        raise AnswerError(name, None, NO_VALUE, "answers must be a mapping of item id to number")
    clean: dict[str, int] = {}
    for item_id, value in answers.items():
        if not isinstance(item_id, str) or item_id not in instrument.item_ids:
            raise AnswerError(name, str(item_id), value, "unknown item")
        if value is None:
            continue  # an explicit "not answered"
        if isinstance(value, bool) or not isinstance(value, int):
            raise AnswerError(name, item_id, value, "wrong type: answers are whole numbers")
        scale = instrument.item(item_id).scale
        if not scale.min <= value <= scale.max:
            raise AnswerError(name, item_id, value, f"out of range {scale.min}–{scale.max}")
        clean[item_id] = value
    for item in instrument.items:
        asked = item.ask_if is None or item.ask_if.holds(clean)
        if item.ask_if is not None and not asked and item.id in clean:
            reason = f"answered, but it is only asked when {condition_text(item.ask_if)}"
            raise AnswerError(name, item.id, clean[item.id], reason)
        if asked and item.required and item.id not in clean:
            raise AnswerError(name, item.id, NO_VALUE, "is required but was not answered")
    return clean


def condition_text(condition: Condition) -> str:
    parts = [
        f"item {item!r} is {' or '.join(str(v) for v in sorted(values))}"
        for item, values in condition.tests
    ]
    return (" or " if condition.mode == "any" else " and ").join(parts)


def effective_values(instrument: Instrument, clean: Mapping[str, int]) -> dict[str, int]:
    """Keyed values as they enter scales: reverse keys applied, unasked items defaulted."""
    keyed: dict[str, int] = {}
    for item in instrument.items:
        if item.id in clean:
            keyed[item.id] = item.keyed(clean[item.id])
        elif item.if_not_asked is not None and item.ask_if and not item.ask_if.holds(clean):
            keyed[item.id] = item.keyed(item.if_not_asked)
    return keyed


def _score_scale(
    instrument: Instrument, scale: Scale, keyed: Mapping[str, int]
) -> ScaleScore | None:
    values = [keyed[i] for i in scale.items if i in keyed]
    if len(values) < scale.min_answered and scale.optional:
        return None  # an optional scale is simply left out when too few items were answered
    if len(values) < scale.min_answered:
        missing = [i for i in scale.items if i not in keyed]
        raise AnswerError(
            instrument.id,
            missing[0],
            NO_VALUE,
            f"not answered; scale {scale.id!r} needs at least {scale.min_answered} of "
            f"{len(scale.items)} items, got {len(values)} (missing: {', '.join(missing)})",
        )
    value = combine(scale.method, values, len(scale.items))
    return ScaleScore(scale, value, len(values), _ours_only(scale, keyed, value))


def _ours_only(scale: Scale, keyed: Mapping[str, int], value: float) -> bool:
    """Whether a `max` scale's value comes from its own (unpublished) items alone."""
    if not scale.ours_items:
        return False
    published = [keyed[i] for i in scale.items if i in keyed and i not in scale.ours_items]
    return not published or value > max(published)


def combine(method: Method, values: list[int], item_count: int) -> float:
    """Mean, max, or sum; a sum with allowed missing items is prorated from the mean."""
    if method is Method.MAX:
        return float(max(values))
    mean = sum(values) / len(values)
    return mean * item_count if method is Method.SUM else mean
