"""A person's answers, scores, safety screenings and writing signals in their export."""

from __future__ import annotations

from typing import Any

from attunement.web.accounts.models import User
from attunement.web.assessments import services
from attunement.web.assessments.models import Answer, Screening, WritingSignal
from attunement.web.privacy.registry import exports, when


@exports("answers")
def answers(person: User) -> list[dict[str, Any]]:
    return [
        {"instrument": a.instrument, "item": a.item, "value": a.value, "updated": when(a.updated)}
        for a in Answer.objects.filter(owner=person).order_by("instrument", "item", "pk")
    ]


@exports("scores")
def scores(person: User) -> dict[str, dict[str, float]]:
    return {
        instrument_id: found.values()
        for instrument_id, found in services.scores_for(person).items()
    }


@exports("screenings")
def screenings(person: User) -> list[dict[str, Any]]:
    return [
        {
            "instrument": r.instrument,
            "taken": when(r.taken),
            "positive": r.positive,
            "acute": r.acute,
            "answers": r.answers,
        }
        for r in Screening.objects.filter(owner=person)
    ]


@exports("writing_signals")
def writing_signals(person: User) -> list[dict[str, Any]]:
    return [
        {"concern": w.concern, "seen": when(w.seen)}
        for w in WritingSignal.objects.filter(owner=person).order_by("concern")
    ]
