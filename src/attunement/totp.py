"""Time-based one-time passwords (RFC 6238), as authenticator apps make them, via pyotp.

A shared secret (20 random bytes, written in base32) and the current time give a
6-digit code that changes every 30 seconds: HMAC-SHA1 over the number of 30-second
steps since the Unix epoch, truncated as in HOTP (RFC 4226). pyotp computes the codes
and the otpauth:// address; this module adds what it leaves to us: which step a code
belongs to, so that it is accepted once, and clear errors for a bad secret. A code is accepted for
the current step and one step either side, so a clock a little off still works, and
never for a step at or before the last one accepted, so a code seen over someone's
shoulder cannot be used again.

    >>> secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # "12345678901234567890"
    >>> code_at(secret, 59)
    '287082'
    >>> verify(secret, "287082", at=59)
    1
    >>> verify(secret, "287082", at=59, last_step=1) is None
    True
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets

import pyotp
import pyotp.utils

STEP_SECONDS = 30
DIGITS = 6
# Steps either side of now that still count: 30 s of clock drift each way.
WINDOW = 1
SECRET_BYTES = 20  # 160 bits, the length RFC 4226 recommends for HMAC-SHA1
ALGORITHMS = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}


class SecretError(ValueError):
    """A secret that is not base32 text of a usable key."""


def new_secret() -> str:
    """A random secret in base32 without padding (32 characters), as apps expect it."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=")


def decode_secret(secret: str) -> bytes:
    """The key bytes of a base32 secret; spaces, lower case and missing padding are allowed."""
    text = "".join(secret.split()).upper()
    if not text:
        raise SecretError("the secret is empty")
    try:
        key = base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        raise SecretError("the secret is not base32 (letters A-Z and digits 2-7)") from None
    if len(key) < 10:
        raise SecretError(f"the secret is {len(key)} bytes; at least 10 are needed")
    return key


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, algorithm: str = "SHA1") -> str:
    """The HOTP value of a counter (RFC 4226 section 5.3), zero-padded to `digits`."""
    if counter < 0:
        raise ValueError(f"the counter must not be negative, got {counter}")
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown algorithm {algorithm!r}; use one of {', '.join(ALGORITHMS)}")
    secret = base64.b32encode(key).decode("ascii")
    return pyotp.HOTP(secret, digits=digits, digest=ALGORITHMS[algorithm]).at(counter)


def time_step(at: float, *, step: int = STEP_SECONDS) -> int:
    """How many whole steps have passed since the Unix epoch at time `at` (seconds)."""
    return int(at // step)


def code_at(
    secret: str,
    at: float,
    *,
    digits: int = DIGITS,
    algorithm: str = "SHA1",
    step: int = STEP_SECONDS,
) -> str:
    """The code an authenticator app shows at time `at` (seconds since the epoch)."""
    return hotp(decode_secret(secret), time_step(at, step=step), digits=digits, algorithm=algorithm)


def verify(
    secret: str,
    code: str,
    *,
    at: float,
    last_step: int | None = None,
    window: int = WINDOW,
) -> int | None:
    """The step a 6-digit code belongs to, if it is valid at `at`; None if it is not.

    Valid means: it matches the current step or one within `window` of it, and that
    step is later than `last_step` (the last one accepted), so a code works once.
    Spaces in the code are ignored; anything but six digits is simply not valid.
    """
    given = "".join(code.split())
    if len(given) != DIGITS or not given.isascii() or not given.isdigit():
        return None
    key = decode_secret(secret)
    now = time_step(at)
    found = None
    # Every candidate is compared, so the time taken says nothing about which one matched.
    for candidate in range(now - window, now + window + 1):
        if candidate < 0 or (last_step is not None and candidate <= last_step):
            continue
        if pyotp.utils.strings_equal(hotp(key, candidate), given) and found is None:
            found = candidate
    return found


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from a QR code (Key Uri Format)."""
    decode_secret(secret)  # refuse to hand out a secret no app could use
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=account, issuer_name=issuer
    )
