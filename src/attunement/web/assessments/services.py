"""The Connection Check for one person: their stored answers, pages, progress, scores and screens.

Everything about what is asked and how it scores comes from the core
(`attunement.instruments`, `attunement.safety`); this module only stores and
pages it. Answers are read and written for one owner at a time, never by id.

Within a request (see `snapshots`), a person's answers are read once into a `Snapshot`
that every function here reads from, with the scores worked out from them; saving a
page forgets it, so what is read after a save is read afresh.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.db import transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone

from attunement import safety
from attunement.errors import AnswerError, UnknownInstrument
from attunement.instruments import library
from attunement.instruments.model import Instrument
from attunement.instruments.scoring import Score, check_answers, score
from attunement.web.accounts.models import User
from attunement.web.assessments.models import Answer
from attunement.web.assessments.paging import (
    Given,
    Page,
    Part,
    Progress,
    asked,
    complete,
    pages,
    prune,
)
from attunement.web.core import derived

# Sent inside the transaction that saves a page of answers, with `owner`: scores may change.
answers_saved = Signal()


# The battery


def battery() -> list[Instrument]:
    """The core battery in asking order: safety screens first."""
    return library.asking_order(library.battery()["core"])


def instrument(instrument_id: str) -> Instrument:
    """An instrument of the battery; UnknownInstrument for anything else."""
    ids = library.battery()["core"]
    if instrument_id not in ids:
        raise UnknownInstrument(instrument_id, ids)
    return library.get(instrument_id)


def first_part() -> list[str]:
    """The instruments after which the person sees a first result, in asking order."""
    return [i.id for i in library.asking_order(library.first_result())]


def part_number(chosen: Instrument) -> int:
    return [i.id for i in battery()].index(chosen.id) + 1


# Stored answers


@dataclass
class Snapshot:
    """One person's usable answers per instrument of the battery, as read once."""

    answers: dict[str, Given]
    saved: dict[str, datetime]  # when each instrument's answers were last saved

    @cached_property
    def scored(self) -> dict[str, Score]:
        """Scores on every complete instrument that can be scored, screens included."""
        return _scored_answers(self.answers)


# The snapshots of the current request, by person id; None outside `snapshots`.
_current: ContextVar[dict[int, Snapshot] | None] = ContextVar("answer_snapshots", default=None)


@contextmanager
def snapshots() -> Iterator[None]:
    """Read each person's answers at most once inside this block (one request)."""
    token = _current.set({})
    try:
        yield
    finally:
        _current.reset(token)


def snapshot(user: User) -> Snapshot:
    """The person's answers: this request's snapshot, or a fresh read outside one."""
    kept = _current.get()
    if kept is None:
        return _read_snapshot(user)
    if user.pk not in kept:
        kept[user.pk] = _read_snapshot(user)
    return kept[user.pk]


def _read_snapshot(user: User) -> Snapshot:
    """The person's usable answers and when each instrument's were last saved: one query."""
    stored: dict[str, dict[str, int | None]] = {}
    saved: dict[str, datetime] = {}
    rows = Answer.objects.filter(owner=user).only("instrument", "item", "value", "updated")
    for row in rows:
        stored.setdefault(row.instrument, {})[row.item] = row.value
        if row.instrument not in saved or row.updated > saved[row.instrument]:
            saved[row.instrument] = row.updated
    answers = {i.id: _usable(i, stored.get(i.id, {})) for i in battery()}
    return Snapshot(answers, saved)


def _forget(user: User) -> None:
    kept = _current.get()
    if kept is not None:
        kept.pop(user.pk, None)


def answers_for(user: User, instrument_id: str) -> Given:
    """The person's usable answers to one instrument, in item order."""
    instrument(instrument_id)  # UnknownInstrument for anything outside the battery
    return dict(snapshot(user).answers[instrument_id])


def _read(user: User, chosen: Instrument) -> Given:
    """The person's usable answers to one instrument, read now (for a write)."""
    rows = Answer.objects.filter(owner=user, instrument=chosen.id)
    return _usable(chosen, {a.item: a.value for a in rows})


def _all_answers(user: User) -> dict[str, Given]:
    return snapshot(user).answers


def _answers_of(people: list[int]) -> dict[int, dict[str, Given]]:
    """Each person's usable answers per instrument of the battery, in one query."""
    found: dict[int, dict[str, dict[str, int | None]]] = {p: {} for p in people}
    rows = Answer.objects.filter(owner_id__in=people).only(
        "owner_id", "instrument", "item", "value"
    )
    for row in rows:
        found[row.owner_id].setdefault(row.instrument, {})[row.item] = row.value
    return {
        person: {i.id: _usable(i, given.get(i.id, {})) for i in battery()}
        for person, given in found.items()
    }


def _usable(chosen: Instrument, stored: Mapping[str, int | None]) -> Given:
    """Drop answers the instrument file no longer allows, so they are asked again (like `take`)."""
    given: Given = {}
    for item in chosen.items:
        if item.id not in stored:
            continue
        value = stored[item.id]
        if value is None and item.required:
            continue
        if value is not None and not item.scale.min <= value <= item.scale.max:
            continue
        given[item.id] = value
    prune(chosen, given, keep=set())
    return given


def save_page(user: User, chosen: Instrument, values: Mapping[str, int | None]) -> Given:
    """Save some answers to one instrument, all or nothing; return every answer it now has.

    Raises AnswerError, and saves nothing, when the core rejects them: an unknown
    item, a value out of range, a required item among `values` left unanswered,
    or an answer to an item the other answers do not ask.
    """
    _forget(user)
    with transaction.atomic():
        given = {**_read(user, chosen), **values}
        submitted = {item_id for item_id, value in values.items() if value is not None}
        prune(chosen, given, keep=submitted)
        check_answers(_requiring_only(chosen, set(values)), given)
        now = timezone.now()
        mine = Answer.objects.filter(owner=user, instrument=chosen.id)
        mine.exclude(item__in=list(given)).delete()
        Answer.objects.bulk_create(
            [
                Answer(owner=user, instrument=chosen.id, item=i, value=given[i], updated=now)
                for i in values
                if i in given
            ],
            update_conflicts=True,
            unique_fields=["owner", "instrument", "item"],
            update_fields=["value", "updated"],
        )
        derived.changed(user)
        answers_saved.send(sender=Answer, owner=user)
    _forget(user)
    return {item_id: given[item_id] for item_id in chosen.item_ids if item_id in given}


def _requiring_only(chosen: Instrument, item_ids: set[str]) -> Instrument:
    """The instrument as the core should check a partial save: only these items must be answered.

    Items on later pages are not answered yet, which is not an error until the
    person reaches them.
    """
    items = tuple(
        item if item.id in item_ids else dataclasses.replace(item, required=False)
        for item in chosen.items
    )
    return dataclasses.replace(chosen, items=items)


# Pages


def page(user: User, chosen: Instrument, number: int) -> Page | None:
    found = pages(chosen, answers_for(user, chosen.id))
    return found[number - 1] if 1 <= number <= len(found) else None


def following_page(user: User, current: Page) -> Page | None:
    """The page after `current` in the battery, as the answers now stand."""
    answers = _all_answers(user)
    found = pages(current.instrument, answers[current.instrument.id])
    if current.number < len(found):
        return found[current.number]
    order = battery()
    for chosen in order[order.index(current.instrument) + 1 :]:
        later = pages(chosen, answers[chosen.id])
        if later:
            return later[0]
    return None


def preceding_page(user: User, current: Page) -> Page | None:
    """The page before `current` in the battery, as the answers now stand."""
    answers = _all_answers(user)
    if current.number > 1:
        return pages(current.instrument, answers[current.instrument.id])[current.number - 2]
    order = battery()
    for chosen in reversed(order[: order.index(current.instrument)]):
        earlier = pages(chosen, answers[chosen.id])
        if earlier:
            return earlier[-1]
    return None


def next_page(user: User) -> Page | None:
    """Where to resume: the first page with a question not yet answered, or None when done."""
    answers = _all_answers(user)
    for chosen in battery():
        given = answers[chosen.id]
        for found in pages(chosen, given):
            if any(item.id not in given for item in found.items):
                return found
    return None


def ends_first_part(user: User, current: Page, following: Page | None) -> bool:
    """Whether going on from `current` to `following` leaves the first part, all of it answered.

    That is the moment for a first result: the safety screens, satisfaction,
    attachment and communication are done, and the rest of the battery deepens it.
    """
    first = first_part()
    if current.instrument.id not in first or (following and following.instrument.id in first):
        return False
    answers = _all_answers(user)
    return all(complete(library.get(i), answers[i]) for i in first)


def first_result_only(progress: Progress) -> bool:
    """The first part is done and the rest of the battery is still to come."""
    first = first_part()
    return not progress.complete and all(
        p.complete for p in progress.parts if p.instrument.id in first
    )


def progress(user: User) -> Progress:
    """Answered (or skipped) and askable questions, per part and across the battery."""
    answers = _all_answers(user)
    parts = []
    for number, chosen in enumerate(battery(), start=1):
        given = answers[chosen.id]
        askable = [i.id for i in chosen.items if asked(i, given)]
        answered = sum(i in given for i in askable)
        parts.append(Part(chosen, number, answered, len(askable)))
    return Progress(tuple(parts))


# Scores and screens


def _scored(user: User) -> dict[str, Score]:
    return snapshot(user).scored


def _scored_answers(answers: Mapping[str, Given]) -> dict[str, Score]:
    found: dict[str, Score] = {}
    for chosen in battery():
        given = answers[chosen.id]
        if not complete(chosen, given):
            continue
        try:
            found[chosen.id] = score(chosen, given)
        except AnswerError:
            continue  # complete, but too many skips to score
    return found


def scores_for(user: User) -> dict[str, Score]:
    """The person's scores on each complete questionnaire; safety screens are never among them.

    Screens are left out so that nothing built on scores (sharing, reports) can
    carry them: their outcomes come only from `screen_outcomes`.
    """
    return {i: s for i, s in _scored(user).items() if s.instrument.screen is None}


def scores_of(people: list[int]) -> dict[int, dict[str, Score]]:
    """`scores_for` for several people (by id) at once, in one query."""
    return {
        person: {i: s for i, s in _scored_answers(given).items() if s.instrument.screen is None}
        for person, given in _answers_of(people).items()
    }


def unscorable(user: User) -> list[Instrument]:
    """Complete questionnaires with too many questions skipped to work out their scores."""
    answers = _all_answers(user)
    scored = _scored(user)
    return [
        i
        for i in battery()
        if i.screen is None and i.id not in scored and complete(i, answers[i.id])
    ]


def screen_outcomes(user: User) -> list[safety.ScreenOutcome]:
    """What the person's complete safety screens call for, in asking order (empty when nothing)."""
    answers = _all_answers(user)
    found = (screen_outcome(i, answers[i.id]) for i in battery() if i.screen is not None)
    return [outcome for outcome in found if outcome is not None]


def screen_outcome(
    chosen: Instrument, given: Mapping[str, int | None]
) -> safety.ScreenOutcome | None:
    """What one screen calls for, once it is complete; None for anything else."""
    if chosen.screen is None or not complete(chosen, given):
        return None
    try:
        return safety.evaluate(score(chosen, given))
    except AnswerError:
        return None


def acute(outcomes: list[safety.ScreenOutcome]) -> safety.ScreenOutcome | None:
    """The outcome that stops the questionnaire, if any."""
    return next((o for o in outcomes if o.acute), None)


def concerns() -> list[str]:
    """The concerns the battery's screens can raise."""
    return [i.screen.concern for i in battery() if i.screen is not None]


def help_url(outcome: safety.ScreenOutcome) -> str:
    """The private help page, one address for every screen.

    Its content follows the person's own results. Addresses end up in browser history,
    logs and Referer headers, so they must not say which screen called for help.
    """
    return reverse("assessments:help")
