"""A person's check-ins (read in chunks) and reminder settings in their export."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from attunement.web.accounts.models import User
from attunement.web.checkins.models import CheckIn, Reminder
from attunement.web.privacy.registry import CHUNK, day, exports, when


@exports("checkins")
def checkins(person: User) -> Iterator[dict[str, Any]]:
    return (
        {
            "taken": when(c.taken),
            "day": day(c.day),
            "answers": c.answers,
            "csi4": c.csi4,
            "connection": c.connection,
        }
        for c in CheckIn.objects.filter(owner=person)
        .order_by("taken", "pk")
        .iterator(chunk_size=CHUNK)
    )


@exports("checkin_reminder")
def reminder(person: User) -> dict[str, Any] | None:
    found = Reminder.objects.filter(user=person).first()
    if found is None:
        return None
    return {
        "enabled": found.enabled,
        "weekday": found.weekday,
        "hour": found.hour,
        "time_zone": found.time_zone,
        "last_sent": when(found.last_sent),
    }
