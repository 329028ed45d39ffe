"""The privacy app's own part of a person's export: their signed-in sessions."""

from __future__ import annotations

from typing import Any

from attunement.web.accounts.models import User
from attunement.web.privacy import sessions as signed_in
from attunement.web.privacy.registry import exports, when


@exports("sessions")
def sessions(person: User) -> list[dict[str, Any]]:
    return [
        {"device": s.device, "signed_in": when(s.created), "last_seen": when(s.last_seen)}
        for s in signed_in.live(person)
    ]
