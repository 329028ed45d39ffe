"""Score one person's answers to one instrument.

Bad input never scores half-way: the answers are checked whole first, and the
first problem found raises one AnswerError naming instrument, item and value.
The rules themselves (asked, required, keyed, combined) are `rules.evaluate`'s,
shared with batch scoring; this module adds the words for each problem.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

from attunement.errors import NO_VALUE, AnswerError
from attunement.instruments import library, rules
from attunement.instruments.model import Band, Condition, Instrument, Scale, Source


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
    _, outcome = _checked(instrument, answers)
    scored: dict[str, ScaleScore] = {}
    for scale in instrument.scales:
        found = outcome.scales[scale.id]
        if found.short and scale.optional:
            continue  # an optional scale is simply left out when too few items were answered
        if found.short:
            raise _too_few(instrument, scale, outcome.keyed, int(found.answered))
        ours_only = _ours_only(instrument, scale, outcome.keyed, found.value)
        scored[scale.id] = ScaleScore(scale, found.value, int(found.answered), ours_only)
    return Score(instrument, scored)


def check_answers(instrument: Instrument, answers: Mapping[str, object]) -> dict[str, int]:
    """The answers as {item id: int}, or AnswerError for the first thing wrong."""
    return _checked(instrument, answers)[0]


def _checked(
    instrument: Instrument, answers: Mapping[str, object]
) -> tuple[dict[str, int], rules.Outcome[float, bool]]:
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
        item = instrument.item(item_id)
        if not item.accepts(value):
            raise AnswerError(
                name, item_id, value, f"out of range {item.scale.min}–{item.scale.max}"
            )
        clean[item_id] = value
    values = [float(clean.get(i, math.nan)) for i in instrument.item_ids]
    outcome = rules.evaluate(instrument, values, rules.ONE)
    for item, unasked, unanswered in zip(
        instrument.items, outcome.unasked, outcome.unanswered, strict=True
    ):
        if unasked and item.ask_if is not None:
            reason = f"answered, but it is only asked when {condition_text(item.ask_if)}"
            raise AnswerError(name, item.id, clean[item.id], reason)
        if unanswered:
            raise AnswerError(name, item.id, NO_VALUE, "is required but was not answered")
    return clean, outcome


def condition_text(condition: Condition) -> str:
    parts = [
        f"item {item!r} is {' or '.join(str(v) for v in sorted(values))}"
        for item, values in condition.tests
    ]
    return (" or " if condition.mode == "any" else " and ").join(parts)


def _too_few(instrument: Instrument, scale: Scale, keyed: list[float], got: int) -> AnswerError:
    missing = [i for i in scale.items if math.isnan(keyed[instrument.positions[i]])]
    return AnswerError(
        instrument.id,
        missing[0],
        NO_VALUE,
        f"not answered; scale {scale.id!r} needs at least {scale.min_answered} of "
        f"{len(scale.items)} items, got {got} (missing: {', '.join(missing)})",
    )


def _ours_only(instrument: Instrument, scale: Scale, keyed: list[float], value: float) -> bool:
    """Whether a `max` scale's value comes from its own (unpublished) items alone."""
    if not scale.ours_items:
        return False
    published = [keyed[instrument.positions[i]] for i in scale.items if i not in scale.ours_items]
    present = [v for v in published if not math.isnan(v)]
    return not present or value > max(present)
