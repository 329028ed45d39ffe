"""What a therapist may read: consent scopes, and serving exactly what was granted (pure Python).

A client grants a therapist any subset of three scopes, for themselves only; in a
couple each partner decides separately. `serve` is the one place a therapist's
page gets client data from: it asks each scope's reader for exactly the people
who granted that scope, and keeps only what comes back for them. A scope nobody
granted is not in the result at all, and its reader is never called.

    >>> granted = {"alex": {Scope.CHECKIN_TRENDS}, "sam": set()}
    >>> serve(granted, {Scope.CHECKIN_TRENDS: lambda people: {p: [12, 14] for p in people}})
    {<Scope.CHECKIN_TRENDS: 'checkin_trends'>: {'alex': [12, 14]}}
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from enum import StrEnum
from typing import TypeVar


class Scope(StrEnum):
    # Scale scores of completed questionnaires and the report built from them; never
    # item answers, never safety screens.
    COUPLE_REPORT = "couple_report"
    # Weekly check-in scores over time and the early-warning flags worked out from them.
    CHECKIN_TRENDS = "checkin_trends"
    # Which practices were done and when, and how many journal entries: counts and dates only.
    PRACTICE_ACTIVITY = "practice_activity"


SCOPES: tuple[Scope, ...] = tuple(Scope)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

Reader = Callable[[Sequence[K]], Mapping[K, V]]


class UnknownScope(ValueError):
    def __init__(self, names: Sequence[str]) -> None:
        self.names = tuple(names)
        known = ", ".join(SCOPES)
        super().__init__(f"unknown scope {', '.join(map(repr, names))}; the scopes are {known}")


def parse(names: Iterable[str]) -> frozenset[Scope]:
    """Scope names as scopes; UnknownScope names every name that is not one."""
    given = list(names)
    unknown = [name for name in given if name not in SCOPES]
    if unknown:
        raise UnknownScope(unknown)
    return frozenset(Scope(name) for name in given)


def serve(
    granted: Mapping[K, Collection[Scope]], readers: Mapping[Scope, Reader[K, V]]
) -> dict[Scope, dict[K, V]]:
    """Per scope, per person who granted it, what that scope's reader gives for them.

    People are asked for in the order of `granted`. A person the reader has nothing
    for is left out; anything a reader returns for someone it was not asked about is
    dropped, so a faulty reader cannot widen what is served.
    """
    served: dict[Scope, dict[K, V]] = {}
    for scope in SCOPES:
        people = [person for person, scopes in granted.items() if scope in scopes]
        if not people or scope not in readers:
            continue
        found = readers[scope](people)
        served[scope] = {person: found[person] for person in people if person in found}
    return served


def pairs(served: Mapping[Scope, Mapping[K, object]]) -> set[tuple[Scope, K]]:
    """Every (scope, person) that something was served for."""
    return {(scope, person) for scope, found in served.items() for person in found}


def granted_pairs(granted: Mapping[K, Collection[Scope]]) -> set[tuple[Scope, K]]:
    """Every (scope, person) that was granted."""
    return {(scope, person) for person, scopes in granted.items() for scope in scopes}
