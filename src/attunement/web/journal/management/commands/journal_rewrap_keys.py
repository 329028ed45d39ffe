from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from attunement.web.journal import services


class Command(BaseCommand):
    help = (
        "Re-wrap every journal key with the current SECRET_KEY, after a rotation that "
        "left the old key in SECRET_KEY_FALLBACKS. Entries themselves are not touched."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done, unreadable = services.rewrap_keys()
        self.stdout.write(f"Re-wrapped {done} journal keys.")
        if unreadable:
            self.stderr.write(
                f"{unreadable} keys were wrapped with a secret key that is neither SECRET_KEY "
                "nor in SECRET_KEY_FALLBACKS; their entries cannot be read until it is restored."
            )
