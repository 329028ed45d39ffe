"""Keeping and rotating the encryption keys: shredding one person's, re-wrapping them all."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction

from attunement.files import write_atomically
from attunement.web.accounts.models import User
from attunement.web.vault import crypto
from attunement.web.vault.models import KeyCheck, UserKey, installation_key


def forget_key(owner: User) -> None:
    """Delete the person's key: everything they wrote becomes unreadable at once."""
    UserKey.objects.filter(user=owner).delete()


def rotate_key() -> tuple[int, int, Path]:
    """Wrap every data key with a new key file, keeping the old key as <file>.old.

    Returns (re-wrapped, unreadable, old key file). The database and the key file
    change together: if either fails, the transaction rolls back. Keys that the
    current key cannot open (damaged rows) are left as they are and counted.
    """
    path = Path(settings.ATTUNEMENT_KEY_FILE)
    old_path = path.with_name(path.name + ".old")
    new = crypto.new_key()
    done = unreadable = 0
    with transaction.atomic():
        KeyCheck.objects.select_for_update().filter(pk=1).first()
        kek = installation_key()
        for key in UserKey.objects.select_for_update().order_by("pk"):
            try:
                data_key = crypto.unwrap(kek, key.wrapped, key.user_id)
            except crypto.DecryptionError:
                unreadable += 1
                continue
            key.wrapped = crypto.wrap(new, data_key, key.user_id)
            key.save(update_fields=["wrapped"])
            done += 1
        KeyCheck.objects.update_or_create(pk=1, defaults={"sealed": crypto.check_value(new)})
        write_atomically(old_path, crypto.key_file_text(kek))
        write_atomically(path, crypto.key_file_text(new))
    return done, unreadable, old_path
