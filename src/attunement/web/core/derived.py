"""What pages derive from stable inputs (scores, findings, rendered reports), kept in the cache.

A cached value is keyed by everything it may depend on: the person, their partner and
couple, both display names, both people's `data_version` (moved on by `changed` whenever
answers, shares, check-ins or the reminder change), the language and the code's
version. So a change shows at once: the next request looks under a new key, and old
entries simply expire. Django's default cache holds them: Redis when REDIS_URL is set
(shared by every process), local memory otherwise (the embedded default, one process).
Since the versions live in the database, even separate local-memory caches never serve
a stale value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.utils import translation

from attunement import __version__
from attunement.web.accounts.models import User
from attunement.web.couples.models import Couple, Membership

T = TypeVar("T")
TIMEOUT = 60 * 60  # a day's unused entries are gone within the hour


@dataclass(frozen=True)
class Circle:
    """The person with their active couple and partner, read in one query."""

    person: User
    couple: Couple | None
    partner: User | None


def circle(person: User) -> Circle:
    """The person's couple and partner (one query), remembered on the person for the request."""
    found: Circle | None = getattr(person, "_attunement_circle", None)
    if found is not None:
        return found
    members = list(
        Membership.objects.filter(
            couple__members__user=person, couple__members__active=True, active=True
        )
        .select_related("user", "couple")
        .order_by("pk")
    )
    couple = members[0].couple if members else None
    partner = next((m.user for m in members if m.user_id != person.pk), None)
    found = Circle(person, couple, partner)
    person._attunement_circle = found  # type: ignore[attr-defined]
    return found


def key(kind: str, found: Circle, extra: Sequence[object] = ()) -> str:
    people = [found.person, found.partner]
    parts = [
        kind,
        __version__,
        settings.ATTUNEMENT_CACHE_VERSION,
        translation.get_language() or "",
        found.couple.pk if found.couple else None,
        *[(p.pk, p.data_version, p.display_name) if p else None for p in people],
        *extra,
    ]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:40]
    return f"attunement:{kind}:{found.person.pk}:{digest}"


def remember(kind: str, found: Circle, compute: Callable[[], T], extra: Sequence[object] = ()) -> T:
    """The cached value for this circle (and `extra`), computed and kept on a miss."""
    name = key(kind, found, extra)
    value: T | None = cache.get(name)
    if value is None:
        value = compute()
        cache.set(name, value, TIMEOUT)
    return value


def changed(*people: User | None) -> None:
    """Something these people's pages derive from changed: move their versions on."""
    ids = [p.pk for p in people if p is not None]
    User.objects.filter(pk__in=ids).update(data_version=F("data_version") + 1)
    for person in people:
        if person is not None:
            person.refresh_from_db(fields=["data_version"])
