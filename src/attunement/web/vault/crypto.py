"""Encryption at rest for what people write: a data key per person, wrapped by a key file.

Each person's text is encrypted with their own random AES-256-GCM data key. That key
is stored only wrapped, with the installation's key-encryption key (KEK): 32 random
bytes in a file outside the database and apart from SECRET_KEY (`ATTUNEMENT_KEY_FILE`).
Every ciphertext is bound to its owner, record and field as associated data, so a
ciphertext copied to another row, column or person fails to decrypt. So:

- a copy of the database alone reads as random tokens, never as text;
- deleting a person's wrapped key makes everything they wrote unreadable at once
  (crypto-shredding);
- a decryption failure always raises `DecryptionError`: never ciphertext, never "".

This module holds the cryptography and the key file; which key the database expects
is checked in `models.KeyCheck`. docs/practices.md describes the design and its limits.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any, Protocol, overload

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.exceptions import ImproperlyConfigured

from attunement.errors import AttunementError

KEY_BYTES = 32
NONCE_BYTES = 12
# A version prefix on every token, so the format can change without guessing.
PREFIX = "v1."
CHECK_LABEL = b"attunement-kek-check"


class DecryptionError(Exception):
    """Text this installation cannot decrypt: its key is gone or wrong, or the token was altered."""

    # Templates check `entry.readable` and say the entry can't be read; a stray
    # `{{ entry.title }}` must not fail the page. Python code always gets the exception.
    silent_variable_failure = True


# The name the pages and API catch.
Unreadable = DecryptionError


class EncryptionKeyError(AttunementError, ImproperlyConfigured):
    """The key file is missing, unreadable or not the key this database was encrypted with."""


# Ciphers


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def seal(key: bytes, plaintext: bytes, aad: str) -> str:
    """Plaintext encrypted and authenticated with the key, bound to `aad`, as ASCII text."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, plaintext, aad.encode("utf-8"))
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(key: bytes, token: str, aad: str) -> bytes:
    """The plaintext of a `seal` token made with this key and `aad`, or DecryptionError."""
    if not token.startswith(PREFIX):
        raise DecryptionError("not an encrypted value this version can read")
    try:
        raw = base64.urlsafe_b64decode(token[len(PREFIX) :].encode("ascii"))
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad.encode("utf-8"))
    except (InvalidTag, ValueError, binascii.Error, UnicodeEncodeError) as exc:
        raise DecryptionError("the text was encrypted with another key, or altered") from exc


def encrypt(key: bytes, text: str, aad: str) -> str:
    return seal(key, text.encode("utf-8"), aad)


def decrypt(key: bytes, token: str, aad: str) -> str:
    try:
        return unseal(key, token, aad).decode("utf-8")
    except UnicodeDecodeError as exc:  # authentic but not text: not something we wrote
        raise DecryptionError("the decrypted value is not text") from exc


def field_aad(owner_id: int, model: str, record_pk: object, field: str) -> str:
    """What a field's ciphertext is bound to: copied anywhere else, it fails to decrypt."""
    return f"{owner_id}:{model}:{record_pk}:{field}"


def wrap(kek: bytes, data_key: bytes, user_id: int) -> str:
    """A person's data key encrypted with the installation's key, bound to the person."""
    return seal(kek, data_key, f"attunement-user-key:{user_id}")


def unwrap(kek: bytes, wrapped: str, user_id: int) -> bytes:
    data_key = unseal(kek, wrapped, f"attunement-user-key:{user_id}")
    if len(data_key) != KEY_BYTES:
        raise DecryptionError("the wrapped data key has the wrong length")
    return data_key


def check_value(kek: bytes) -> str:
    """A value only this KEK opens: stored in the database so a wrong key file is noticed."""
    return seal(kek, CHECK_LABEL, CHECK_LABEL.decode("ascii"))


def opens(kek: bytes, check: str) -> bool:
    try:
        return unseal(kek, check, CHECK_LABEL.decode("ascii")) == CHECK_LABEL
    except DecryptionError:
        return False


# The key file


def read_key_file(path: Path) -> bytes | None:
    """The KEK in the file, or None if there is no file; EncryptionKeyError if it is damaged."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise EncryptionKeyError(f"cannot read the encryption key file {path}: {exc}") from exc
    try:
        key = base64.urlsafe_b64decode(text.encode("ascii"))
    except (ValueError, binascii.Error):
        key = b""
    if len(key) != KEY_BYTES:
        raise EncryptionKeyError(
            f"the encryption key file {path} does not hold a key "
            f"(expected {KEY_BYTES} bytes in base64, as `attunement serve` writes it)"
        )
    return key


def key_file_text(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode("ascii") + "\n"


def create_key_file(path: Path, key: bytes) -> bool:
    """Write a new key file readable by its owner only; False if one appeared meanwhile.

    Never overwrites: the file is written in full under another name, then linked
    into place, which fails if another process got there first.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="ascii") as stream:
            stream.write(key_file_text(key))
            stream.flush()
            os.fsync(stream.fileno())
        os.link(temporary, path)
    except FileExistsError:
        return False
    finally:
        Path(temporary).unlink(missing_ok=True)
    return True


# Encrypted model fields


class Sealed(Protocol):
    """A model instance whose text columns are encrypted with its owner's data key."""

    pk: Any
    owner_id: int

    def cipher(self) -> bytes: ...


class EncryptedText:
    """Plain text in Python, only a token bound to owner, record and field in its column.

    class Entry(models.Model):
        sealed_body = models.TextField()
        body = EncryptedText("sealed_body")

    entry.body = "what I noticed"   # sealed_body holds "v1.…"
    entry.body                      # "what I noticed", or DecryptionError

    A record without a primary key yet keeps the text in memory until `seal_pending`
    (called by the model's `save`) can bind it to the new row.
    """

    def __init__(self, column: str) -> None:
        self.column = column
        self.name = column

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> EncryptedText: ...

    @overload
    def __get__(self, instance: Sealed, owner: type[Any]) -> str: ...

    def __get__(self, instance: Sealed | None, owner: type[Any]) -> EncryptedText | str:
        if instance is None:
            return self
        pending = _pending(instance)
        if self.name in pending:
            return pending[self.name]
        token: str = getattr(instance, self.column)
        return decrypt(instance.cipher(), token, self.aad(instance))

    def __set__(self, instance: Sealed, value: str) -> None:
        if instance.pk is None:
            _pending(instance)[self.name] = value
            return
        setattr(instance, self.column, encrypt(instance.cipher(), value, self.aad(instance)))

    def aad(self, instance: Sealed) -> str:
        label: str = instance._meta.label_lower  # type: ignore[attr-defined]
        return field_aad(instance.owner_id, label, instance.pk, self.name)


def seal_pending(instance: Sealed) -> list[str]:
    """Encrypt text set before the record had a primary key; returns the columns changed."""
    pending: dict[str, str] = instance.__dict__.pop("_sealed_pending", {})
    for name, value in pending.items():
        setattr(instance, name, value)
    return [getattr(type(instance), name).column for name in pending]


def sealed_fields(model: type[Any]) -> list[str]:
    """The names of a model's encrypted attributes."""
    return [
        name
        for klass in model.__mro__
        for name, value in vars(klass).items()
        if isinstance(value, EncryptedText)
    ]


def has_pending(instance: object) -> bool:
    return bool(instance.__dict__.get("_sealed_pending"))


def _pending(instance: object) -> dict[str, str]:
    found: dict[str, str] = instance.__dict__.setdefault("_sealed_pending", {})
    return found
