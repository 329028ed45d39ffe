"""Reliable change, the early-warning rules over weekly check-ins, and their messages."""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from attunement.insight import SupportLevel
from attunement.instruments.library import get
from attunement.instruments.model import Source
from attunement.progress import (
    Change,
    CheckIn,
    Flag,
    Outcome,
    early_warning,
    early_warning_today,
    message,
    messages_for,
    norm,
    outcome,
    partner_flags,
    rci,
    reliable_change,
    se_diff,
    weeks,
)
from attunement.progress.reliable_change import (
    NORMS_FILE,
    Norm,
    NormsFileError,
    Value,
    classify,
    load_norms,
)
from attunement.progress.warning import (
    BELOW_CUTOFF_WEEKS,
    MAX_GAP_DAYS,
    RAISING,
    SAME_WEEK_DAYS,
    STALE_DAYS,
    WINDOW_DAYS,
    consecutive,
    cutoff,
    raised,
    support_floor,
)

MONDAY = date(2025, 3, 3)
CSI4 = norm("csi4", "total")


def series(*totals: float | None, start: date = MONDAY, step: int = 7) -> list[CheckIn]:
    """Weekly check-ins from `start`; None leaves that week out."""
    return [
        CheckIn(start + timedelta(days=step * i), total)
        for i, total in enumerate(totals)
        if total is not None
    ]


def day_after(checkins: list[CheckIn]) -> date:
    return checkins[-1].date + timedelta(days=1)


def synthetic(*, higher_is_better: bool = True, cut: float | None = 10.0) -> Norm:
    """A norm whose SE_diff is exactly 1: SD 1, reliability 0.5."""
    line = Value(cut, Source.OURS, reason="test") if cut is not None else None
    return Norm(
        "test",
        "total",
        "Test",
        higher_is_better,
        Value(0.5, Source.OURS, reason="test"),
        Value(1.0, Source.OURS, reason="test"),
        line,
    )


def test_the_progress_core_never_imports_django():
    code = (
        "import sys, attunement.progress, attunement.charts.trend; "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "False"


# --- Reliable change: the formula, by hand ---


def test_se_diff_is_sd_times_root_2_times_root_of_1_minus_r():
    # 5 × √2 × √0.06 = 5 × √0.12 = 1.7320508…
    assert se_diff(5.0, 0.94) == pytest.approx(1.7320508, abs=1e-7)
    assert se_diff(1.0, 0.5) == 1.0
    assert se_diff(10.0, 0.0) == pytest.approx(10 * math.sqrt(2))


@pytest.mark.parametrize(
    ("pre", "post", "expected"),
    [
        (10, 14, 2.3094011),  # 4 / 1.7320508
        (17, 12, -2.8867513),  # -5 / 1.7320508
        (13, 13, 0.0),
        (12, 15, 1.7320508),  # 3 points: not reliable
    ],
)
def test_the_rci_is_the_change_over_se_diff_for_the_csi4(pre, post, expected):
    assert rci(pre, post, sd=5.0, reliability=0.94) == pytest.approx(expected, abs=1e-7)
    assert reliable_change(pre, post, CSI4).rci == pytest.approx(expected, abs=1e-7)


@pytest.mark.parametrize(("sd", "reliability"), [(0, 0.9), (-1, 0.9), (5, 1.0), (5, -0.1)])
def test_impossible_norms_are_refused(sd, reliability):
    with pytest.raises(ValueError, match="need SD > 0"):
        se_diff(sd, reliability)


@pytest.mark.parametrize(
    ("index", "higher_is_better", "change"),
    [
        (1.96, True, Change.IMPROVED),
        (-1.96, True, Change.DETERIORATED),
        (1.9599, True, Change.NO_RELIABLE_CHANGE),
        (-1.9599, True, Change.NO_RELIABLE_CHANGE),
        (0.0, True, Change.NO_RELIABLE_CHANGE),
        (1.96, False, Change.DETERIORATED),
        (-1.96, False, Change.IMPROVED),
        (3.0, False, Change.DETERIORATED),
    ],
)
def test_exactly_1_96_is_reliable_and_the_better_direction_decides(index, higher_is_better, change):
    assert classify(index, higher_is_better=higher_is_better) is change


def test_a_change_of_exactly_1_96_se_diff_is_reliable_despite_rounding():
    step = 1.96 * CSI4.se_diff  # 3.3948…, not exactly representable
    assert reliable_change(10, 10 + step, CSI4).change is Change.IMPROVED
    assert reliable_change(10 + step, 10, CSI4).change is Change.DETERIORATED
    assert reliable_change(0, 1.96, synthetic()).change is Change.IMPROVED
    assert reliable_change(0, 1.95, synthetic()).change is Change.NO_RELIABLE_CHANGE


def test_on_the_csi4_four_points_are_reliable_and_three_are_not():
    assert CSI4.threshold == pytest.approx(3.3948196, abs=1e-6)
    assert reliable_change(17, 13, CSI4).change is Change.DETERIORATED
    assert reliable_change(17, 14, CSI4).change is Change.NO_RELIABLE_CHANGE
    assert reliable_change(9, 13, CSI4).change is Change.IMPROVED


@pytest.mark.parametrize(
    ("pre", "post", "expected"),
    [
        (10, 15, Outcome.RECOVERED),  # reliable, and from below 13.5 to above it
        (9, 13.5, Outcome.RECOVERED),  # exactly on the cut-off is the healthy side
        (6, 11, Outcome.IMPROVED),  # reliable, still below
        (14, 19, Outcome.IMPROVED),  # reliable, already above
        (12, 15, Outcome.UNCHANGED),  # crosses, but 3 points is not reliable
        (15, 12, Outcome.UNCHANGED),
        (16, 12, Outcome.DETERIORATED),
        (21, 16, Outcome.DETERIORATED),
    ],
)
def test_jacobson_truax_categories_for_the_csi4(pre, post, expected):
    assert outcome(pre, post, CSI4) is expected


def test_when_lower_is_better_recovery_crosses_downwards():
    lower = synthetic(higher_is_better=False, cut=10.0)

    assert outcome(12, 9, lower) is Outcome.RECOVERED
    assert outcome(9, 6, lower) is Outcome.IMPROVED
    assert outcome(6, 9, lower) is Outcome.DETERIORATED


def test_an_outcome_needs_a_cut_off():
    with pytest.raises(ValueError, match="no cut-off"):
        outcome(1, 5, synthetic(cut=None))


# --- The norms file ---


def test_the_csi4_reliability_is_published_and_cites_funk_and_rogge():
    reliability = CSI4.reliability

    assert reliability.value == 0.94
    assert reliability.status is Source.PUBLISHED
    assert "Funk JL, Rogge RD" in reliability.source
    assert "2007" in reliability.source


def test_the_csi4_sd_is_ours_and_says_why():
    assert CSI4.sd.status is Source.OURS
    assert "could not confirm" in CSI4.sd.reason
    assert not CSI4.published  # one number behind it is ours


def test_the_norms_cut_off_is_the_instruments_published_cut_off():
    assert CSI4.cutoff is not None
    assert CSI4.cutoff.status is Source.PUBLISHED
    assert cutoff() == 13.5
    for instrument in ("csi4", "checkin"):
        band = get(instrument).scale("total").bands[0]
        assert (band.max, band.source) == (cutoff(), Source.PUBLISHED)


def test_the_check_in_total_shares_the_csi4_norms():
    total = norm("checkin", "total")

    assert (total.reliability, total.sd, total.cutoff) == (CSI4.reliability, CSI4.sd, CSI4.cutoff)
    assert total.higher_is_better


def test_every_connection_number_is_ours_conservative_and_explained():
    connection = norm("checkin", "connection")

    assert connection.reliability.status is Source.OURS
    assert connection.sd.status is Source.OURS
    assert connection.reliability.value <= 0.70
    assert connection.reliability.reason and connection.sd.reason
    assert connection.cutoff is None


def test_every_number_says_published_with_a_source_or_ours_with_a_reason():
    for found in load_norms(NORMS_FILE).values():
        for value in (found.reliability, found.sd, found.cutoff):
            if value is None:
                continue
            if value.status is Source.PUBLISHED:
                assert value.source
            else:
                assert value.status is Source.OURS and value.reason


def test_a_broken_norms_file_lists_every_problem(tmp_path):
    path = tmp_path / "norms.yaml"
    path.write_text(
        "x:\n"
        "  total:\n"
        "    title: X\n"
        "    better: up\n"
        "    reliability: {value: 1.2, status: published, source: somewhere}\n"
        "    sd: {value: 4, status: published}\n"
        "    colour: red\n"
    )

    with pytest.raises(NormsFileError) as excinfo:
        load_norms(path)

    message = str(excinfo.value)
    assert "4 problems" in message
    assert "better: must be 'higher' or 'lower'" in message
    assert "x/total reliability: value: must be a number between 0 and 1" in message
    assert "x/total sd: source: is required when the status is 'published'" in message
    assert "colour: unknown field" in message


def test_a_norms_file_that_is_not_yaml_says_where(tmp_path):
    path = tmp_path / "norms.yaml"
    path.write_text("x: [1, 2\n")

    with pytest.raises(NormsFileError, match="not valid YAML at line"):
        load_norms(path)


def test_an_unknown_norm_names_the_known_ones():
    with pytest.raises(LookupError, match="known: csi4/total"):
        norm("csi4", "nope")


# --- Weeks, gaps and consecutive check-ins ---


def test_a_check_in_less_than_5_days_after_the_weeks_first_joins_that_week():
    found = weeks(series(10, 11, 12, 13, step=4))  # days 0, 4, 8, 12

    assert [w.opened for w in found] == [MONDAY, MONDAY + timedelta(days=8)]
    assert [w.csi4 for w in found] == [11, 13]  # the later answer stands


def test_weeks_sort_the_check_ins_by_date():
    found = weeks(list(reversed(series(10, 12, 14))))

    assert [w.csi4 for w in found] == [10, 12, 14]


@pytest.mark.parametrize(
    ("days", "expected"),
    [(5, True), (7, True), (10, True), (11, False), (14, False)],
)
def test_weeks_5_to_10_days_apart_are_consecutive(days, expected):
    first, second = weeks([CheckIn(MONDAY, 12), CheckIn(MONDAY + timedelta(days=days), 12)])

    assert consecutive(first, second) is expected
    assert (SAME_WEEK_DAYS, MAX_GAP_DAYS) == (5, 10)


@pytest.mark.parametrize(
    ("checkins", "run"),
    [
        (series(12, 12, 12), 3),
        (series(15, 12, 12), 2),
        (series(12, 12, 12, 15), 0),  # the run must end with the latest week
        (series(12, 12, 12, 12, 12), 5),
        (series(12, None, 12, 12), 2),  # a missed week breaks the run
        (series(12, 12, 12, step=10), 3),  # 10 days apart still counts
        (series(12, 12, 12, step=11), 1),  # 11 days apart does not
        (series(12, 12, 12, 12, 12, 12, step=4), 3),  # twice a week: three weeks
        (series(13.5, 13.5, 13.5), 0),  # exactly on the cut-off is not below it
    ],
)
def test_below_cutoff_weeks_counts_consecutive_weeks_ending_with_the_latest(checkins, run):
    flags = partner_flags("a", checkins, today=day_after(checkins))

    assert flags.below_cutoff_weeks == run
    assert (Flag.BELOW_CUTOFF in flags.flags) is (run >= BELOW_CUTOFF_WEEKS)


# --- The window, time and staleness (time is always an argument) ---


def test_only_the_last_8_weeks_count_and_the_first_of_them_is_the_baseline():
    checkins = series(5, 18, 18, 18, 18, 18, 18, 18, 14)  # 9 weekly check-ins
    today = checkins[-1].date

    flags = partner_flags("a", checkins, today=today)

    assert WINDOW_DAYS == 56
    assert len(flags.weeks) == 8  # the check-in 56 days ago has left the window
    assert flags.csi4 is not None
    assert (flags.csi4.pre, flags.csi4.post) == (18, 14)
    assert flags.reliable_deterioration
    assert not flags.reliable_improvement  # 5 -> 14 would have been, had 5 still counted


def test_a_check_in_55_days_old_is_still_in_the_window():
    checkins = [CheckIn(MONDAY, 18), CheckIn(MONDAY + timedelta(days=55), 14)]

    assert len(partner_flags("a", checkins, today=checkins[-1].date).weeks) == 2
    later = checkins[-1].date + timedelta(days=1)
    assert len(partner_flags("a", checkins, today=later).weeks) == 1


@pytest.mark.parametrize(("days", "stale"), [(0, False), (13, False), (14, True), (40, True)])
def test_no_check_in_for_14_days_is_stale(days, stale):
    checkins = series(16, 16)
    today = checkins[-1].date + timedelta(days=days)

    flags = partner_flags("a", checkins, today=today)

    assert STALE_DAYS == 14
    assert flags.days_since_last == days
    assert flags.stale is stale
    assert (Flag.STALE in flags.flags) is stale


def test_someone_who_never_checked_in_has_no_flags():
    flags = partner_flags("a", [], today=MONDAY)

    assert flags.flags == ()
    assert flags.days_since_last is None
    assert flags.csi4 is None


def test_one_check_in_is_not_a_change():
    flags = partner_flags("a", series(4), today=MONDAY)

    assert flags.csi4 is None
    assert flags.flags == ()  # one low week is not a pattern


def test_a_check_in_after_today_is_an_error():
    with pytest.raises(ValueError, match="after today"):
        partner_flags("a", series(15, 15), today=MONDAY)


@pytest.mark.parametrize(
    "checkin",
    [
        CheckIn(MONDAY, 22),
        CheckIn(MONDAY, -1),
        CheckIn(MONDAY, math.nan),
        CheckIn(MONDAY, 15, connection=4.5),
    ],
)
def test_scores_outside_their_range_are_errors(checkin):
    with pytest.raises(ValueError, match="outside"):
        partner_flags("a", [checkin], today=MONDAY)


def test_the_wrapper_uses_the_date_where_the_person_lives():
    checkins = [CheckIn(date(2025, 2, 27), 16)]
    series_ = {"a": checkins}
    with time_machine.travel(datetime(2025, 3, 12, 23, 30, tzinfo=UTC), tick=False):
        in_london = early_warning_today(series_, tz=UTC)
        in_athens = early_warning_today(series_, tz=timezone(timedelta(hours=2)))

    assert in_london.partners["a"].days_since_last == 13
    assert not in_london.partners["a"].stale
    assert in_athens.partners["a"].days_since_last == 14  # already 13 March there
    assert in_athens.partners["a"].stale


def test_the_wrapper_moves_with_the_clock():
    checkins = {"a": series(16, 16)}
    with time_machine.travel(datetime(2025, 3, 12, 9, 0, tzinfo=UTC), tick=False):
        fresh = early_warning_today(checkins)
    with time_machine.travel(datetime(2025, 3, 31, 9, 0, tzinfo=UTC), tick=False):
        old = early_warning_today(checkins)

    assert Flag.STALE not in fresh.partners["a"].flags
    assert Flag.STALE in old.partners["a"].flags


# --- Per-partner change flags ---


@pytest.mark.parametrize(
    ("totals", "flag"),
    [
        ((17, 16, 13), Flag.RELIABLE_DETERIORATION),  # 4 points down
        ((12, 14, 16), Flag.RELIABLE_IMPROVEMENT),  # 4 points up
        ((17, 16, 15), Flag.NOT_ON_TRACK),  # 2 points down: RCI -1.15, not yet reliable
    ],
)
def test_each_change_flag_follows_baseline_to_latest(totals, flag):
    checkins = series(*totals)

    flags = partner_flags("a", checkins, today=checkins[-1].date)

    assert flags.flags == (flag,)


def test_improving_while_still_below_the_cut_off_for_three_weeks_keeps_both_flags():
    checkins = series(9, 11, 13)

    flags = partner_flags("a", checkins, today=checkins[-1].date)

    assert flags.flags == (Flag.RELIABLE_IMPROVEMENT, Flag.BELOW_CUTOFF)


def test_a_dip_that_recovered_is_not_a_deterioration():
    checkins = series(17, 11, 16)

    assert partner_flags("a", checkins, today=checkins[-1].date).flags == ()


def test_not_on_track_needs_three_weeks():
    checkins = series(17, 15)

    assert partner_flags("a", checkins, today=checkins[-1].date).flags == ()


def test_a_reliable_drop_in_connection_alone_is_only_not_on_track():
    checkins = [
        CheckIn(MONDAY, 16, connection=3.0),
        CheckIn(MONDAY + timedelta(days=7), 16, connection=2.0),
        CheckIn(MONDAY + timedelta(days=14), 16, connection=1.0),
    ]

    flags = partner_flags("a", checkins, today=checkins[-1].date)

    assert flags.connection is not None
    assert flags.connection.change is Change.DETERIORATED
    assert flags.flags == (Flag.NOT_ON_TRACK,)
    assert early_warning({"a": checkins}, today=MONDAY + timedelta(days=14)).support_level is (
        SupportLevel.SELF_GUIDED
    )


def test_connection_change_uses_the_weeks_that_have_a_connection_score():
    checkins = [
        CheckIn(MONDAY, 16, connection=1.0),
        CheckIn(MONDAY + timedelta(days=7), 16),
        CheckIn(MONDAY + timedelta(days=14), 16, connection=3.0),
    ]

    flags = partner_flags("a", checkins, today=checkins[-1].date)

    assert flags.connection is not None
    assert (flags.connection.pre, flags.connection.post) == (1.0, 3.0)
    assert flags.connection.change is Change.IMPROVED


# --- Divergence ---


def couple(a: list[CheckIn], b: list[CheckIn], **kwargs):
    today = max(a[-1].date, b[-1].date)
    return early_warning({"a": a, "b": b}, today=today, **kwargs)


def test_partners_diverge_when_the_gap_between_them_grows_reliably():
    found = couple(series(15, 17, 19), series(15, 13, 11, start=MONDAY + timedelta(days=2)))

    assert found.divergence is not None
    assert (found.divergence.gap_before, found.divergence.gap_now) == (0, 8)
    assert found.divergence.threshold == pytest.approx(4.8010, abs=1e-4)  # 1.96 × √2 × SE_diff
    assert found.diverging
    assert found.couple_flags == (Flag.DIVERGING,)


def test_a_gap_that_grows_by_less_than_the_threshold_is_not_divergence():
    found = couple(series(15, 17), series(15, 11))  # gap 0 -> 6 would be; 0 -> 4 is not

    assert found.diverging
    assert not couple(series(15, 17), series(15, 13)).diverging


def test_opposite_reliable_changes_that_close_a_gap_are_not_divergence():
    found = couple(series(8, 13), series(18, 13))  # both change reliably, towards each other

    assert found.partners["a"].reliable_improvement
    assert found.partners["b"].reliable_deterioration
    assert not found.diverging


def test_divergence_needs_two_weeks_from_each_partner():
    found = couple(series(15, 19), series(11))

    assert found.divergence is None
    assert not found.diverging


def test_one_partner_alone_has_no_couple_flags():
    found = early_warning({"a": series(15, 19)}, today=MONDAY + timedelta(days=7))

    assert found.couple_flags == ()
    assert found.divergence is None


@pytest.mark.parametrize("count", [0, 3])
def test_an_early_warning_is_for_one_or_two_partners(count):
    with pytest.raises(ValueError, match="one or two partners"):
        early_warning({str(i): [] for i in range(count)}, today=MONDAY)


# --- The support level (the rule table in docs/progress.md) ---

STEADY = series(17, 17, 17)
DROP = series(18, 17, 14)  # reliable drop, not below for long
LOW = series(13, 13, 13)  # three weeks below, no change
DROP_AND_LOW = series(18, 13, 13, 13)  # both
UP = series(15, 17, 20)  # reliable improvement
DOWN = series(15, 14, 12)  # 3 points down: neither reliable nor three weeks below


SELF, CONSIDER, RECOMMEND = (
    SupportLevel.SELF_GUIDED,
    SupportLevel.CONSIDER_SUPPORT,
    SupportLevel.RECOMMEND_PROFESSIONAL,
)
DROPPED, STAYED_LOW = "reliable_deterioration", "below_cutoff"


@pytest.mark.parametrize(
    ("a", "b", "level", "reasons"),
    [
        (STEADY, STEADY, SELF, ()),
        (DROP, STEADY, CONSIDER, (f"a:{DROPPED}",)),
        (STEADY, LOW, CONSIDER, (f"b:{STAYED_LOW}",)),
        (UP, DOWN, CONSIDER, ("diverging",)),
        (DROP, LOW, RECOMMEND, (f"a:{DROPPED}", f"b:{STAYED_LOW}")),
        (DROP_AND_LOW, STEADY, RECOMMEND, (f"a:{DROPPED}", f"a:{STAYED_LOW}")),
        (UP, STEADY, SELF, ()),
    ],
)
def test_the_rule_table_sets_the_support_level(a, b, level, reasons):
    found = couple(a, b)

    assert found.support_level is level
    assert found.reasons == reasons


def test_a_solo_partner_can_raise_the_level_too():
    found = early_warning({"a": LOW}, today=LOW[-1].date)

    assert found.support_level is SupportLevel.CONSIDER_SUPPORT


@pytest.mark.parametrize("current", list(SupportLevel))
def test_check_ins_raise_the_support_level_and_never_lower_it(current):
    calm = couple(STEADY, STEADY, current=current)
    worried = couple(DROP, LOW, current=current)

    assert calm.support_level is current
    assert worried.support_level.rank == max(current.rank, SupportLevel.RECOMMEND_PROFESSIONAL.rank)


def test_check_ins_never_set_the_urgent_level_themselves():
    worst = couple(DROP_AND_LOW, DROP_AND_LOW)

    assert worst.support_level is SupportLevel.RECOMMEND_PROFESSIONAL
    assert support_floor(list(worst.partners.values()), diverging=True) is not (
        SupportLevel.URGENT_INDIVIDUAL
    )


def test_only_deterioration_staying_below_and_divergence_raise_the_level():
    assert set(RAISING) == {Flag.RELIABLE_DETERIORATION, Flag.BELOW_CUTOFF, Flag.DIVERGING}


# --- Messages ---


@pytest.mark.parametrize("flag", list(Flag))
def test_every_flag_has_a_kind_message(flag):
    found = message(flag, weeks=4)

    assert found.title and len(found.text) > 80
    assert "{" not in found.text
    for harsh in ("fault", "blame", "failure", "you should", "must"):
        assert harsh not in found.text.lower()


@pytest.mark.parametrize("flag", RAISING)
def test_every_flag_that_raises_the_level_points_to_support_and_says_this_is_not_therapy(flag):
    found = message(flag)

    assert found.support
    assert "support page" in found.text
    assert "not therapy" in found.text


def test_the_below_cutoff_message_says_how_many_weeks():
    assert "For 4 weeks in a row" in message(Flag.BELOW_CUTOFF, weeks=4).text


def test_a_partner_reads_their_own_flags_then_the_couple_flag():
    found = couple(DROP_AND_LOW, STEADY)
    mine = messages_for(found.partners["a"], diverging=True)

    assert [m.flag for m in mine] == [
        Flag.RELIABLE_DETERIORATION,
        Flag.BELOW_CUTOFF,
        Flag.DIVERGING,
    ]
    assert "For 3 weeks in a row" in mine[1].text
    assert messages_for(found.partners["b"]) == []


# --- Properties ---

totals = st.integers(min_value=0, max_value=21)
gaps = st.integers(min_value=1, max_value=15)


@st.composite
def checkins(draw) -> list[CheckIn]:
    values = draw(st.lists(totals, min_size=0, max_size=12))
    steps = draw(st.lists(gaps, min_size=len(values), max_size=len(values)))
    day, found = MONDAY, []
    for value, step in zip(values, steps, strict=True):
        day += timedelta(days=step)
        found.append(CheckIn(day, value))
    return found


TODAY = MONDAY + timedelta(days=200)


@given(checkins(), checkins())
def test_swapping_partners_swaps_their_flags_and_keeps_the_couples(first, second):
    forward = early_warning({"a": first, "b": second}, today=TODAY)
    backward = early_warning({"a": second, "b": first}, today=TODAY)

    assert forward.partners["a"].flags == backward.partners["b"].flags
    assert forward.partners["b"].flags == backward.partners["a"].flags
    assert forward.couple_flags == backward.couple_flags
    assert forward.support_level is backward.support_level


@given(
    st.integers(min_value=14, max_value=21),
    st.floats(min_value=0, max_value=4),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=5, max_value=10),
)
def test_a_series_that_does_not_change_never_flags(total, connection, count, step):
    steady = [CheckIn(MONDAY + timedelta(days=step * i), total, connection) for i in range(count)]
    today = steady[-1].date

    found = early_warning({"a": steady, "b": steady}, today=today)

    assert all(p.flags == () for p in found.partners.values())
    assert found.couple_flags == ()
    assert found.support_level is SupportLevel.SELF_GUIDED


@given(st.floats(0, 21), st.floats(0, 21))
def test_the_rci_is_antisymmetric(pre, post):
    forward, backward = reliable_change(pre, post, CSI4), reliable_change(post, pre, CSI4)

    assert forward.rci == pytest.approx(-backward.rci)
    assert forward.reliable is backward.reliable


@given(st.sampled_from(list(SupportLevel)), st.sampled_from(list(SupportLevel)))
def test_raising_never_lowers(current, floor):
    assert raised(current, floor).rank == max(current.rank, floor.rank)
