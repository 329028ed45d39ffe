"""The installation's encryption keys: the key check, each person's data key, sealed records.

Text people write is encrypted with their own data key (`UserKey`), wrapped by the
installation's key file; `KeyCheck` notices a wrong key file at start-up. Feature apps
store encrypted text by subclassing `SealedRecord`; `crypto` holds the cryptography.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Self, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attunement.web.vault import crypto

logger = logging.getLogger(__name__)

BACK_IT_UP = (
    "Created the encryption key at {path}. "
    "Back it up: without it, nothing encrypted with it can be read."
)


class KeyCheck(models.Model):
    """One row that only the right key file opens, so a wrong key is caught at start-up."""

    sealed = models.TextField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "journal_keycheck"  # made by the journal app, which held the keys first
        verbose_name = _("encryption key check")

    def __str__(self) -> str:
        return "encryption key check"


class UserKey(models.Model):
    """A person's data key, stored only wrapped. Deleting it shreds everything they wrote."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="encryption_key"
    )
    wrapped = models.TextField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "journal_userkey"  # made by the journal app, which held the keys first
        verbose_name = _("encryption key")

    def __str__(self) -> str:
        return f"encryption key {self.pk}"

    @classmethod
    def cipher_for(cls, user_id: int, *, create: bool = True) -> bytes:
        """The person's data key; it is made on first use when `create` (for writing).

        Reading never makes a key: a person whose key was deleted (shredded) has
        nothing readable, and a new key must not pretend otherwise.
        """
        kek = installation_key()
        found = cls.objects.filter(user_id=user_id).first()
        if found is None and not create:
            raise crypto.DecryptionError("this person's encryption key is gone")
        if found is None:
            with transaction.atomic():
                # Hold the check row: a rotation cannot commit between reading the key and
                # wrapping with it, which would leave this key wrapped with the old one.
                KeyCheck.objects.select_for_update().filter(pk=1).first()
                kek = installation_key()
                found, _made = cls.objects.get_or_create(
                    user_id=user_id,
                    defaults={"wrapped": crypto.wrap(kek, crypto.new_key(), user_id)},
                )
        return crypto.unwrap(kek, found.wrapped, user_id)


class SealedRecord(models.Model):
    """A record of one owner's whose text columns are encrypted with the owner's data key.

    Subclasses have an `owner` foreign key and `crypto.EncryptedText` attributes. Set
    the text through those attributes (not as constructor arguments): each assignment
    encrypts, each read decrypts.
    """

    owner_id: int
    _cipher: bytes | None = None

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not crypto.has_pending(self):
            super().save(*args, **kwargs)
            return
        # The ciphertext is bound to the record's id, which a new row gets only on insert.
        self.cipher()  # a new record may make its owner's key: fetch it while still new
        with transaction.atomic():
            super().save(*args, **kwargs)
            columns = crypto.seal_pending(self)
            if columns:
                super().save(update_fields=columns)

    def cipher(self) -> bytes:
        if self._cipher is None:
            # A stored record is only ever read or re-sealed with the key it was sealed with.
            writing_new = self.pk is None or crypto.has_pending(self)
            self._cipher = UserKey.cipher_for(self.owner_id, create=writing_new)
        return self._cipher

    def use_cipher(self, cipher: bytes) -> Self:
        """Decrypt with a cipher already fetched, so a list costs one key lookup, not one each."""
        self._cipher = cipher
        return self

    @property
    def readable(self) -> bool:
        """Whether every encrypted field opens with the owner's key."""
        try:
            for name in crypto.sealed_fields(type(self)):
                getattr(self, name)
        except crypto.Unreadable:
            return False
        return True


Sealed = TypeVar("Sealed", bound=SealedRecord)


def with_cipher(owner_id: int, records: QuerySet[Sealed]) -> list[Sealed]:
    """One owner's records, each set to decrypt with the owner's key fetched once."""
    found = list(records)
    if not found:
        return []
    try:
        cipher = UserKey.cipher_for(owner_id, create=False)
    except crypto.Unreadable:
        return found  # each record reports itself unreadable
    return [record.use_cipher(cipher) for record in found]


# The installation's key-encryption key


def installation_key() -> bytes:
    """The key-encryption key, made on a new installation (and logged so it is backed up)."""
    kek, created = load_installation_key()
    if created:
        logger.warning(BACK_IT_UP.format(path=settings.ATTUNEMENT_KEY_FILE))
    return kek


def load_installation_key() -> tuple[bytes, bool]:
    """The key in settings.ATTUNEMENT_KEY_FILE, checked against the database; (key, created).

    While nothing is encrypted, a missing file is created. Once anything is, a missing
    or different key is an EncryptionKeyError: a new key would lock everything away.
    """
    path = Path(settings.ATTUNEMENT_KEY_FILE)
    kek = crypto.read_key_file(path)
    created = False
    if kek is None:
        if KeyCheck.objects.exists() or UserKey.objects.exists():
            raise crypto.EncryptionKeyError(
                f"the database holds encrypted data but the encryption key file "
                f"{path} is missing; restore it from your backup (or set ATTUNEMENT_KEY_FILE "
                "to where it is) and start again"
            )
        created = crypto.create_key_file(path, crypto.new_key())
        kek = crypto.read_key_file(path)  # ours, or another process's made meanwhile
        if kek is None:
            raise crypto.EncryptionKeyError(f"the encryption key file {path} vanished")
    _check(path, kek)
    return kek, created


def _check(path: Path, kek: bytes) -> None:
    check = KeyCheck.objects.filter(pk=1).first()
    if check is None:
        # Keys wrapped before the check existed must open with this key too.
        sample = UserKey.objects.order_by("pk").first()
        if sample is None or _unwraps(kek, sample):
            check, _made = KeyCheck.objects.get_or_create(
                pk=1, defaults={"sealed": crypto.check_value(kek)}
            )
    if check is None or not crypto.opens(kek, check.sealed):
        old = path.with_name(path.name + ".old")
        hint = f" (or {old}, if a key rotation was interrupted)" if old.exists() else ""
        raise crypto.EncryptionKeyError(
            f"the encryption key in {path} is not the key this database's data "
            f"was encrypted with; restore the right key file from your backup{hint} "
            "and start again"
        )


def _unwraps(kek: bytes, key: UserKey) -> bool:
    try:
        crypto.unwrap(kek, key.wrapped, key.user_id)
    except crypto.DecryptionError:
        return False
    return True
