"""When the safety screens are offered again: every trigger, with the clock frozen."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from attunement.progress import CheckIn
from attunement.safety.rescreen import Due, Reason, Screening, due, latest

TAKEN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday morning
PV, SR = "partner_violence", "suicide_risk"


def clear(concern: str = PV, taken: datetime = TAKEN) -> Screening:
    return Screening(concern, taken, positive=False)


def both_clear(taken: datetime = TAKEN) -> list[Screening]:
    return [clear(PV, taken), clear(SR, taken)]


def at(delta: timedelta):
    return time_machine.travel(TAKEN + delta, tick=False)


def test_nothing_is_due_right_after_clear_screens():
    with at(timedelta(days=1)):
        assert due(both_clear()) is None


def test_a_screen_never_answered_is_left_to_the_battery():
    with at(timedelta(days=365)):
        assert due([]) is None


def test_clear_screens_are_offered_again_after_four_weeks():
    with at(timedelta(days=27, hours=23)):
        assert due(both_clear()) is None
    with at(timedelta(weeks=4)):
        assert due(both_clear()) == Due((PV, SR), (Reason.PERIODIC,))


def test_a_positive_partner_violence_screen_is_followed_up_after_two_weeks():
    history = [Screening(PV, TAKEN, positive=True), clear(SR)]
    with at(timedelta(days=13)):
        assert due(history) is None
    with at(timedelta(weeks=2)):
        assert due(history) == Due((PV,), (Reason.FOLLOW_UP,))


def test_a_positive_suicide_screen_is_followed_up_after_two_weeks():
    history = [clear(PV), Screening(SR, TAKEN, positive=True)]
    with at(timedelta(days=13, hours=23)):
        assert due(history) is None
    with at(timedelta(days=14)):
        assert due(history) == Due((SR,), (Reason.FOLLOW_UP,))


def test_an_acute_suicide_screen_is_offered_again_after_24_hours():
    history = [clear(PV), Screening(SR, TAKEN, positive=True, acute=True)]
    with at(timedelta(hours=23, minutes=59)):
        assert due(history) is None
    with at(timedelta(hours=24)):
        assert due(history) == Due((SR,), (Reason.FOLLOW_UP,))


def test_only_the_latest_answer_to_a_screen_counts():
    acute = Screening(SR, TAKEN, positive=True, acute=True)
    history = [acute, clear(SR, TAKEN + timedelta(days=1))]
    assert latest(history)[SR].positive is False
    with at(timedelta(days=3)):
        assert due(history) is None


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (TAKEN - timedelta(minutes=1), None),  # before the screen: already behind it
        (TAKEN + timedelta(hours=2), Due((PV,), (Reason.WRITING,))),
    ],
)
def test_crisis_words_written_after_a_screen_offer_it_again(written, expected):
    with at(timedelta(days=2)):
        assert due(both_clear(), writing={PV: written}) == expected


def test_crisis_words_about_suicide_offer_the_suicide_screen():
    with at(timedelta(days=2)):
        found = due(both_clear(), writing={SR: TAKEN + timedelta(days=1)})
    assert found == Due((SR,), (Reason.WRITING,))


def falling() -> list[CheckIn]:
    """Two weekly check-ins, the second reliably lower than the first."""
    return [CheckIn(date(2026, 3, 2), 18), CheckIn(date(2026, 3, 9), 9)]


def low_weeks() -> list[CheckIn]:
    """Three weeks in a row below the CSI-4 cut-off, with no reliable drop."""
    return [CheckIn(date(2026, 3, d), 12) for d in (2, 9, 16)]


@pytest.mark.parametrize("series", [falling(), low_weeks()], ids=["reliable drop", "3 low weeks"])
def test_a_deterioration_after_the_screen_offers_both_screens(series):
    with at(timedelta(days=15)):
        assert due(both_clear(), checkins=series) == Due((PV, SR), (Reason.DETERIORATION,))


def test_a_deterioration_already_there_when_the_screen_was_answered_does_not_count():
    screened_after = both_clear(datetime(2026, 3, 16, 20, 0, tzinfo=UTC))
    with time_machine.travel(datetime(2026, 3, 17, tzinfo=UTC), tick=False):
        assert due(screened_after, checkins=low_weeks()) is None


def test_steady_check_ins_do_not_offer_the_screens():
    steady = [CheckIn(date(2026, 3, d), 17) for d in (2, 9, 16)]
    with at(timedelta(days=15)):
        assert due(both_clear(), checkins=steady) is None


def test_reasons_come_together_in_a_fixed_order():
    history = [Screening(PV, TAKEN, positive=True), clear(SR)]
    with at(timedelta(weeks=5)):
        found = due(history, writing={PV: TAKEN + timedelta(days=1)}, checkins=falling())
    assert found == Due(
        (PV, SR), (Reason.FOLLOW_UP, Reason.WRITING, Reason.DETERIORATION, Reason.PERIODIC)
    )


def test_the_rule_reads_the_time_it_is_given():
    assert due(both_clear(), now=TAKEN + timedelta(weeks=4)) == Due((PV, SR), (Reason.PERIODIC,))
