from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Self, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.db.models import QuerySet
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attunement.practices import prompts
from attunement.web.couples.models import Couple
from attunement.web.journal import crypto

logger = logging.getLogger(__name__)

BACK_IT_UP = (
    "Created the encryption key at {path}. "
    "Back it up: without it, encrypted journal entries cannot be read."
)


class KeyCheck(models.Model):
    """One row that only the right key file opens, so a wrong key is caught at start-up."""

    sealed = models.TextField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("encryption key check")

    def __str__(self) -> str:
        return "encryption key check"


class UserKey(models.Model):
    """A person's journal data key, stored only wrapped. Deleting it shreds their entries."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_key"
    )
    wrapped = models.TextField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("journal key")

    def __str__(self) -> str:
        return f"journal key {self.pk}"

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


class JournalEntry(SealedRecord):
    """A private reflection. Title and body are stored encrypted with the owner's key."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_entries"
    )
    prompt = models.CharField(_("prompt"), max_length=40, blank=True, default="")
    sealed_title = models.TextField(default="", editable=False)
    sealed_body = models.TextField(editable=False)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)
    shared_with_partner = models.BooleanField(default=False)
    shared_at = models.DateTimeField(null=True, blank=True)
    # Sharing belongs to one couple: unpairing ends it, and pairing again starts private.
    shared_in = models.ForeignKey(
        Couple, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    title = crypto.EncryptedText("sealed_title")
    body = crypto.EncryptedText("sealed_body")

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        indexes = [models.Index(fields=["owner", "-created"], name="journal_owner_newest")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shared_with_partner=False) | models.Q(shared_at__isnull=False),
                name="journal_shared_since",
            )
        ]

    def __str__(self) -> str:
        return f"journal entry {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("journal:entry", args=[self.pk])

    @property
    def guide(self) -> prompts.Prompt | None:
        """The prompt the entry was written on, while the prompt file still has it."""
        try:
            return prompts.get(self.prompt) if self.prompt else None
        except prompts.UnknownPrompt:
            return None


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


@receiver(post_save, sender=Couple, dispatch_uid="attunement-journal-unpair")
def end_shares_with_the_couple(sender: Any, instance: Couple, **kwargs: Any) -> None:
    """When a couple ends, every entry shared in it is private again."""
    if instance.ended is not None:
        JournalEntry.objects.filter(shared_in=instance).update(
            shared_with_partner=False, shared_at=None, shared_in=None
        )


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
    or different key is an EncryptionKeyError: a new key would lock every entry away.
    """
    path = Path(settings.ATTUNEMENT_KEY_FILE)
    kek = crypto.read_key_file(path)
    created = False
    if kek is None:
        if KeyCheck.objects.exists() or UserKey.objects.exists():
            raise crypto.EncryptionKeyError(
                f"the database holds encrypted journal entries but the encryption key file "
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
            f"the encryption key in {path} is not the key this database's journal entries "
            f"were encrypted with; restore the right key file from your backup{hint} "
            "and start again"
        )


def _unwraps(kek: bytes, key: UserKey) -> bool:
    try:
        crypto.unwrap(kek, key.wrapped, key.user_id)
    except crypto.DecryptionError:
        return False
    return True
