"""`rotate_encryption_key`: a new key file; every person's data key wrapped with it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from attunement.web.vault import crypto, services


class Command(BaseCommand):
    help = (
        "Replace the encryption key file with a new key and wrap every person's data key "
        "with it. The old key is kept as <key file>.old. Encrypted text itself is not touched."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done, unreadable, old = services.rotate_key()
        except crypto.EncryptionKeyError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Re-wrapped {done} data keys with a new encryption key in "
            f"{settings.ATTUNEMENT_KEY_FILE}. Back it up now."
        )
        self.stdout.write(
            f"The previous key is kept in {old} until you delete it: "
            "anyone with it and an older database backup can read that backup's encrypted text."
        )
        if unreadable:
            self.stderr.write(
                f"{unreadable} data keys could not be opened with the previous key "
                "(damaged rows); they were left as they were."
            )
