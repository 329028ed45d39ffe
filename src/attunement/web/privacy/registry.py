"""What each app keeps of a person, registered by the app itself, for export and deletion.

Each app that stores something of a person has a `privacy.py` module; the
privacy app imports every installed app's module when Django is ready
(`collect`), and each registers, in its own words:

- `@exports("key")`: a function giving that part of the person's export
  (JSON-ready; a long list may be a generator, read a chunk at a time);
- `@erases(Step.X)`: a function run, in order of its step, before the person's
  rows are deleted; it may return a function to run after they are gone.

Rows that point at the person by a foreign key go with the account whatever
registers; a model that needs more (a key to forget, a partner to unpair, a row
naming the person's address) registers it here, in its own app.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from django.utils.module_loading import autodiscover_modules

from attunement.web.vault import crypto

if TYPE_CHECKING:
    from attunement.web.accounts.models import User

CHUNK = 200  # rows read at a time for the export's long lists
Exporter = Callable[["User"], Any]
Eraser = Callable[["User"], Callable[[], None] | None]


class Step(IntEnum):
    """The order of deletion; within a step, the order of registration."""

    KEY = 0  # the encryption key first: no copy of anything written can be read after
    CONSENTS = 1  # consents to therapists withdrawn, as the person would withdraw them
    COUPLE = 2  # unpaired, as on unpairing
    SIGN_IN = 3  # sessions and the rows that name the person's address


_exporters: dict[str, Exporter] = {}
_erasers: list[tuple[Step, Eraser]] = []


def exports(key: str) -> Callable[[Exporter], Exporter]:
    """Register the function giving the `key` part of a person's export."""

    def register(exporter: Exporter) -> Exporter:
        if key in _exporters and _exporters[key] is not exporter:
            raise ValueError(f"two apps export {key!r}")
        _exporters[key] = exporter
        return exporter

    return register


def erases(step: Step) -> Callable[[Eraser], Eraser]:
    """Register a function run at `step` when a person deletes their account."""

    def register(eraser: Eraser) -> Eraser:
        if (step, eraser) not in _erasers:
            _erasers.append((step, eraser))
        return eraser

    return register


def collect() -> None:
    """Import every installed app's `privacy` module, so that each registers its parts."""
    autodiscover_modules("privacy")


def exporters() -> dict[str, Exporter]:
    return dict(_exporters)


def erasers() -> list[Eraser]:
    return [eraser for _, eraser in sorted(_erasers, key=lambda found: found[0])]


# Helpers for the parts: the export's way of writing a moment, a day and sealed words.


def when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def day(value: date) -> str:
    return value.isoformat()


def opened(read: Callable[[], Any]) -> Any:
    """A decrypted field, or None when the person's key cannot open it."""
    try:
        return read()
    except crypto.Unreadable:
        return None
