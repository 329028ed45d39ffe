"""The safety screens over time, for one person: their history, when to ask again, resuming.

The rule itself is in the core (`attunement.safety.rescreen`); this module only
feeds it the person's own records and keeps what they answer. Every function
reads and writes one person's records: nothing here looks at a partner, so a
partner's pages cannot depend on it.

A positive re-screen takes effect at once. A negative one is kept in the history,
and takes the place of the person's earlier (positive) answers only when they
choose to resume couple work (`resume`): nothing locks for good, and nothing
lifts behind their back either.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone

from attunement import safety
from attunement.instruments.model import Instrument
from attunement.safety import crisis, rescreen
from attunement.web.accounts.models import User
from attunement.web.assessments import paging, services
from attunement.web.assessments.models import Answer, Screening, WritingSignal
from attunement.web.checkins import services as checkins

Given = paging.Given


def screens() -> list[Instrument]:
    """The battery's safety screens, in asking order."""
    return [i for i in services.battery() if i.screen is not None]


def concern_of(chosen: Instrument) -> str:
    assert chosen.screen is not None
    return chosen.screen.concern


def record(user: User, chosen: Instrument, given: Mapping[str, int | None]) -> Screening:
    """Keep one completed screen in the person's history, with what it found."""
    outcome = services.screen_outcome(chosen, given)
    return Screening.objects.create(
        owner=user,
        instrument=chosen.id,
        taken=timezone.now(),
        positive=bool(outcome and outcome.positive),
        acute=bool(outcome and outcome.acute),
        answers=dict(given),
    )


@dataclass(frozen=True)
class Standing:
    """One person's screens as they stand, read in two queries and then asked several things.

    A page that needs the re-screening rule, the clear re-screens waiting and whether a
    screen is positive reads the screening and answer tables once, not once per question.
    """

    rows: tuple[Screening, ...]  # every screening of a battery screen, oldest first
    answers: Mapping[str, Given]  # the current usable answers, per screen
    answered: Mapping[str, datetime]  # when each screen's answers were last saved

    def outcome(self, chosen: Instrument) -> safety.ScreenOutcome | None:
        return services.screen_outcome(chosen, self.answers[chosen.id])

    @property
    def screened(self) -> bool:
        """Whether any of the person's own screens is positive now (`practices.screened`)."""
        return any((found := self.outcome(i)) is not None and found.positive for i in screens())


def standing(user: User) -> Standing:
    """The person's screenings and current screen answers (from the request's snapshot)."""
    chosen = screens()
    ids = [i.id for i in chosen]
    snapshot = services.snapshot(user)
    return Standing(
        rows=tuple(Screening.objects.filter(owner=user, instrument__in=ids)),
        answers={i.id: snapshot.answers[i.id] for i in chosen},
        answered={i: when for i, when in snapshot.saved.items() if i in ids},
    )


def history(user: User, known: Standing | None = None) -> list[rescreen.Screening]:
    """Every time the person answered a screen, oldest first, as the core rule reads it.

    Screens answered before the history was kept count from their answers' time.
    """
    found = known or standing(user)
    concerns = {i.id: concern_of(i) for i in screens()}
    rows = found.rows
    taken = [rescreen.Screening(concerns[r.instrument], r.taken, r.positive, r.acute) for r in rows]
    kept = {r.instrument for r in rows}
    for chosen in screens():
        if chosen.id not in kept:
            taken.extend(_from_answers(found, chosen))
    return sorted(taken, key=lambda s: s.taken)


def _from_answers(found: Standing, chosen: Instrument) -> list[rescreen.Screening]:
    if not paging.complete(chosen, found.answers[chosen.id]):
        return []
    outcome = found.outcome(chosen)
    positive, acute = bool(outcome and outcome.positive), bool(outcome and outcome.acute)
    when = found.answered.get(chosen.id)
    return [rescreen.Screening(concern_of(chosen), when, positive, acute)]  # type: ignore[arg-type]


def note_writing(user: User, concerns: Iterable[str]) -> None:
    """Remember when crisis words for these concerns appeared in what the person wrote."""
    now = timezone.now()
    for concern in concerns:
        WritingSignal.objects.update_or_create(owner=user, concern=concern, defaults={"seen": now})


def notice(user: User, *texts: str) -> crisis.Reading:
    """Look for crisis words in what the person just wrote, and remember when; what was
    found, over all the texts. Only what a text says plainly (`crisis.Reading.plain`)
    brings the screens back: a faint signal from the model alone gets a quiet pointer to
    help, and would otherwise ask the screens again after one ordinary message in six."""
    read = crisis.read_batch(texts)
    found = crisis.Reading(
        frozenset(c for r in read for c in r.concerns), frozenset(c for r in read for c in r.plain)
    )
    note_writing(user, found.plain)
    return found


def due(user: User, known: Standing | None = None) -> rescreen.Due | None:
    """Whether (and why) the person's screens are to be offered again now."""
    writing = dict(
        WritingSignal.objects.filter(owner=user).values_list("concern", "seen"),
    )
    now = timezone.now()
    # The deterioration rule reads the 8 weeks before today (UTC, or the latest check-in's
    # day if later): the check-in window, 26 weeks back from today, holds all of them.
    own = checkins.as_progress(checkins.recent(user, now.astimezone(UTC).date()))
    return rescreen.due(history(user, known), now, checkins=own, writing=writing)


def due_screens(user: User, known: Standing | None = None) -> list[Instrument]:
    """The screens to offer again now, in asking order (empty when none is due)."""
    found = due(user, known)
    if found is None:
        return []
    return [i for i in screens() if concern_of(i) in found.concerns]


def take(user: User, chosen: Instrument, given: Given) -> Screening:
    """Keep a re-screen's answers; a positive one, or one that changes nothing, applies at once."""
    row = record(user, chosen, given)
    current = services.screen_outcome(chosen, services.answers_for(user, chosen.id))
    if row.positive or current is None or not current.positive:
        apply(user, chosen, row)
    return row


def apply(user: User, chosen: Instrument, row: Screening) -> None:
    """Make a screening's answers the person's current answers to that screen."""
    values = {item.id: row.answers[item.id] for item in chosen.items if item.id in row.answers}
    with transaction.atomic():
        Answer.objects.filter(owner=user, instrument=chosen.id).delete()
        services.save_page(user, chosen, values)


def waiting(user: User, known: Standing | None = None) -> list[tuple[Instrument, Screening]]:
    """Clear re-screens not yet in effect: the latest answer is no, the current one still yes."""
    state = known or standing(user)
    found = []
    for chosen in screens():
        latest = next((r for r in reversed(state.rows) if r.instrument == chosen.id), None)
        current = state.outcome(chosen)
        if latest and not latest.positive and current is not None and current.positive:
            found.append((chosen, latest))
    return found


def resume(user: User) -> int:
    """The person chose to resume couple work: their clear re-screens take effect; how many."""
    found = waiting(user)
    for chosen, row in found:
        apply(user, chosen, row)
    return len(found)
