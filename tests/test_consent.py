"""Consent scopes and `serve`: what is served is exactly what was granted, for any grants."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attunement import consent
from attunement.consent import SCOPES, Scope

people = st.lists(st.integers(min_value=1, max_value=10_000), min_size=0, max_size=4, unique=True)
grants = people.flatmap(
    lambda found: st.fixed_dictionaries({p: st.frozensets(st.sampled_from(SCOPES)) for p in found})
)


def greedy(scope: Scope, calls: list[tuple[Scope, tuple[int, ...]]]) -> consent.Reader[int, str]:
    """A reader that answers for more people than it was asked about."""

    def read(asked):
        calls.append((scope, tuple(asked)))
        return {p: f"{scope}:{p}" for p in [*asked, 0, 99_999]}

    return read


@given(grants)
def test_exactly_the_granted_scopes_and_people_are_served(granted):
    calls: list[tuple[Scope, tuple[int, ...]]] = []
    served = consent.serve(granted, {s: greedy(s, calls) for s in SCOPES})

    assert consent.pairs(served) == consent.granted_pairs(granted)
    assert set(served) == {s for scopes in granted.values() for s in scopes}
    for scope, asked in calls:
        assert set(asked) == {p for p, scopes in granted.items() if scope in scopes}
    for scope, found in served.items():
        assert all(value == f"{scope}:{p}" for p, value in found.items())


@given(grants)
def test_a_reader_is_never_called_for_a_scope_nobody_granted(granted):
    calls: list[tuple[Scope, tuple[int, ...]]] = []
    consent.serve(granted, {s: greedy(s, calls) for s in SCOPES})
    assert {scope for scope, _ in calls} == {s for scopes in granted.values() for s in scopes}


def test_a_person_a_reader_has_nothing_for_is_left_out():
    served = consent.serve(
        {1: {Scope.CHECKIN_TRENDS}, 2: {Scope.CHECKIN_TRENDS}},
        {Scope.CHECKIN_TRENDS: lambda asked: {1: "trend"}},
    )
    assert served == {Scope.CHECKIN_TRENDS: {1: "trend"}}


def test_scopes_are_parsed_and_unknown_ones_named():
    assert consent.parse(["couple_report", "checkin_trends"]) == {
        Scope.COUPLE_REPORT,
        Scope.CHECKIN_TRENDS,
    }
    with pytest.raises(consent.UnknownScope, match="unknown scope 'item_answers'"):
        consent.parse(["couple_report", "item_answers"])


def test_there_are_exactly_three_scopes():
    assert [s.value for s in SCOPES] == ["couple_report", "checkin_trends", "practice_activity"]
