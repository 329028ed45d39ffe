"""Encryption at rest for journal text: one data key per person, wrapped by the installation.

Each person's entries are encrypted with their own random Fernet key (AES-128-CBC
with HMAC-SHA256). That key is stored only wrapped: encrypted with a key derived
by HKDF-SHA256 from Django's SECRET_KEY. So:

- a copy of the database alone reads as random tokens, never as text;
- deleting a person's wrapped key makes everything they wrote unreadable at once,
  even in copies of the entry rows (crypto-shredding);
- rotating SECRET_KEY needs the old key in SECRET_KEY_FALLBACKS until every
  wrapped key has been re-wrapped (`rewrap`); docs/practices.md has the steps.

This module holds the cryptography only; the key's storage is `models.UserKey`.
"""

from __future__ import annotations

import base64
from typing import Any, Protocol, overload

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

# Fixed, public labels: they keep this derived key apart from any other use of SECRET_KEY.
SALT = b"attunement.journal"
INFO = b"attunement journal: wraps per-person data keys, v1"


class Unreadable(Exception):
    """Text this installation can no longer decrypt: its key was deleted, or SECRET_KEY changed."""

    # In a template, an unreadable entry renders as empty text instead of failing the page.
    silent_variable_failure = True


def new_data_key() -> bytes:
    return Fernet.generate_key()


def wrap(data_key: bytes) -> str:
    """A data key encrypted with the installation's current wrapping key, as ASCII text."""
    return _wrapping_keys().encrypt(data_key).decode("ascii")


def unwrap(wrapped: str) -> Fernet:
    """The cipher for a wrapped data key, wrapped with SECRET_KEY or one of its fallbacks."""
    try:
        return Fernet(_wrapping_keys().decrypt(wrapped.encode("ascii")))
    except (InvalidToken, ValueError) as exc:
        raise Unreadable("the key was wrapped with a secret key this server no longer has") from exc


def rewrap(wrapped: str) -> str:
    """The same data key, wrapped again with the current SECRET_KEY (after a rotation)."""
    try:
        return _wrapping_keys().rotate(wrapped.encode("ascii")).decode("ascii")
    except (InvalidToken, ValueError) as exc:
        raise Unreadable("the key was wrapped with a secret key this server no longer has") from exc


def encrypt(cipher: Fernet, text: str) -> str:
    return cipher.encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(cipher: Fernet, token: str) -> str:
    try:
        return cipher.decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as exc:
        raise Unreadable("this text was encrypted with a key that no longer exists") from exc


def _wrapping_keys() -> MultiFernet:
    # Read at call time, never at import: settings may differ (tests, rotation).
    secrets = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return MultiFernet([_derive(secret) for secret in secrets])


def _derive(secret: str | bytes) -> Fernet:
    raw = secret.encode("utf-8") if isinstance(secret, str) else secret
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=SALT, info=INFO).derive(raw)
    return Fernet(base64.urlsafe_b64encode(key))


class Sealed(Protocol):
    """A model instance whose text columns are encrypted with its owner's key."""

    def cipher(self) -> Fernet: ...


class EncryptedText:
    """Plain text in Python, only a Fernet token in the database column it names.

    class Entry(models.Model):
        sealed_body = models.TextField()
        body = EncryptedText("sealed_body")

    entry.body = "what I noticed"   # sealed_body holds "gAAAAAB..."
    entry.body                      # "what I noticed", or Unreadable
    """

    def __init__(self, column: str) -> None:
        self.column = column

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> EncryptedText: ...

    @overload
    def __get__(self, instance: Sealed, owner: type[Any]) -> str: ...

    def __get__(self, instance: Sealed | None, owner: type[Any]) -> EncryptedText | str:
        if instance is None:
            return self
        token: str = getattr(instance, self.column)
        return decrypt(instance.cipher(), token) if token else ""

    def __set__(self, instance: Sealed, value: str) -> None:
        setattr(instance, self.column, encrypt(instance.cipher(), value))
