"""The therapist's second factor: a TOTP app, set up once, asked for in every new session.

The secret is made here, shown once on the set-up page, and stored encrypted with
the therapist's own data key (like journal text). A code is accepted once (the
step it belongs to is remembered) and after FAILURE_LIMIT wrong codes in a row,
codes are refused for PAUSE. A session that passed the check is marked; the mark
names the person and when their app was confirmed, so it ends with the session
(sign-out, time-outs) and with a reset of the second factor.

Backup codes stand in for the app when it is not at hand: BACKUP_CODES of them are
made when the app is set up (and again on request), shown once, stored only as
hashes, and each works once. A wrong one counts towards the pause like a wrong code.
"""

from __future__ import annotations

import secrets
import time
from datetime import datetime, timedelta

import segno
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils import timezone

from attunement import totp
from attunement.web.accounts.models import hash_secret
from attunement.web.therapists.models import BackupCode, Therapist
from attunement.web.vault import crypto
from attunement.web.vault.models import UserKey

ISSUER = "Attunement"
SESSION_KEY = "therapist_second_factor"
FAILURE_LIMIT = 5
PAUSE = timedelta(minutes=15)
BACKUP_CODES = 10
# No 0/o, 1/l/i: the codes are read off paper. Ten of 31 characters are about 50 bits.
BACKUP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
BACKUP_LENGTH = 10


class Paused(Exception):
    """Too many wrong codes in a row: codes are not checked until the pause ends."""

    def __init__(self, until: datetime) -> None:
        self.until = until
        super().__init__(f"too many wrong codes; try again after {until.isoformat()}")


class Unreadable(Exception):
    """The stored secret cannot be decrypted (its owner's key is gone): an operator resets it."""


def pending_secret(therapist: Therapist) -> str:
    """The secret to set up, made on first call and kept until a code confirms it."""
    if therapist.totp_confirmed is not None:
        raise ValueError("the second factor is already set up; an operator can reset it")
    if therapist.sealed_totp_secret:
        try:
            return therapist.totp_secret
        except crypto.Unreadable:
            pass  # not in use yet: a new one replaces it
    store_secret(therapist, totp.new_secret())
    return therapist.totp_secret


def store_secret(therapist: Therapist, secret: str) -> None:
    """Encrypt and keep a secret; storing it may make the owner's data key."""
    therapist.use_cipher(UserKey.cipher_for(therapist.owner_id))
    therapist.totp_secret = secret
    therapist.save(update_fields=["sealed_totp_secret"])


def setup_uri(therapist: Therapist, account: str) -> str:
    return totp.provisioning_uri(pending_secret(therapist), account=account, issuer=ISSUER)


def qr_svg(uri: str, label: str) -> str:
    """The address as a QR code: an SVG with no style attributes (the pages' CSP allows none)."""
    code = segno.make(uri, error="m")
    svg = code.svg_inline(scale=4, dark="#000", light="#fff", svgclass="totp-qr", lineclass=None)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_attribute(label)}" ', 1)


def confirm(therapist: Therapist, code: str, at: float | None = None) -> bool:
    """Finish setting up: the first code from the app switches the second factor on."""
    if therapist.totp_confirmed is not None:
        return False
    if not _accept(therapist, code, time.time() if at is None else at):
        return False
    therapist.totp_confirmed = timezone.now()
    therapist.save(update_fields=["totp_confirmed"])
    return True


def check(therapist: Therapist, code: str, at: float | None = None) -> bool:
    """Whether a code from the therapist's app is good now; Paused after too many misses."""
    if therapist.totp_confirmed is None:
        return False
    return _accept(therapist, code, time.time() if at is None else at)


def _accept(therapist: Therapist, code: str, at: float) -> bool:
    now = timezone.now()
    with transaction.atomic():
        current = Therapist.objects.select_for_update().get(pk=therapist.pk)
        if current.totp_paused_until is not None and current.totp_paused_until > now:
            raise Paused(current.totp_paused_until)
        if is_backup_code(code):
            return _use_backup_code(current, code, now)
        try:
            secret = current.totp_secret
        except crypto.Unreadable:
            raise Unreadable from None
        step = totp.verify(secret, code, at=at, last_step=current.totp_last_step)
        if step is None:
            _failed(current, now)
            return False
        # Conditional, so the same code sent twice at once is accepted only once.
        taken = Therapist.objects.filter(pk=current.pk, totp_last_step__lt=step).update(
            totp_last_step=step, totp_failures=0, totp_paused_until=None
        )
    therapist.totp_last_step = step
    return taken == 1


def _failed(current: Therapist, now: datetime) -> None:
    failures = current.totp_failures + 1
    paused = now + PAUSE if failures >= FAILURE_LIMIT else None
    Therapist.objects.filter(pk=current.pk).update(
        totp_failures=0 if paused else failures, totp_paused_until=paused
    )


def _use_backup_code(current: Therapist, code: str, now: datetime) -> bool:
    # Conditional on being unused, so one code sent twice at once is accepted only once.
    taken = BackupCode.objects.filter(
        therapist=current, hashed=hash_secret(normal_backup_code(code)), used__isnull=True
    ).update(used=now)
    if not taken:
        _failed(current, now)
        return False
    Therapist.objects.filter(pk=current.pk).update(totp_failures=0, totp_paused_until=None)
    return True


# Backup codes


def new_backup_codes(therapist: Therapist) -> list[str]:
    """BACKUP_CODES fresh codes, to show once; every earlier code stops working."""
    codes = [_backup_code() for _ in range(BACKUP_CODES)]
    with transaction.atomic():
        BackupCode.objects.filter(therapist=therapist).delete()
        BackupCode.objects.bulk_create(
            BackupCode(therapist=therapist, hashed=hash_secret(normal_backup_code(code)))
            for code in codes
        )
    return codes


def backup_codes_left(therapist: Therapist) -> int:
    return BackupCode.objects.filter(therapist=therapist, used__isnull=True).count()


def is_backup_code(code: str) -> bool:
    """Whether the text has a backup code's shape (app codes are six digits)."""
    text = normal_backup_code(code)
    return len(text) == BACKUP_LENGTH and all(c in BACKUP_ALPHABET for c in text)


def normal_backup_code(code: str) -> str:
    """A code as typed, in the form that is hashed: no spaces or dashes, lower case."""
    return "".join(code.split()).replace("-", "").lower()


def _backup_code() -> str:
    code = "".join(secrets.choice(BACKUP_ALPHABET) for _ in range(BACKUP_LENGTH))
    return f"{code[:5]}-{code[5:]}"


def reset(therapist: Therapist) -> None:
    """Forget the app and the backup codes: the therapist sets up anew at the next visit."""
    BackupCode.objects.filter(therapist=therapist).delete()
    therapist.sealed_totp_secret = ""
    therapist.totp_confirmed = None
    therapist.totp_last_step = 0
    therapist.totp_failures = 0
    therapist.totp_paused_until = None
    therapist.save()


def mark_verified(session: SessionBase, therapist: Therapist) -> None:
    # A new session key as the session gains a privilege, so an old key is worth less.
    session.cycle_key()
    session[SESSION_KEY] = session_mark(therapist)


def is_verified(session: SessionBase, therapist: Therapist) -> bool:
    mark = session.get(SESSION_KEY)
    return therapist.totp_confirmed is not None and mark == session_mark(therapist)


def session_mark(therapist: Therapist) -> list[object]:
    """What a session holds once it passed: who, and which set-up of their app."""
    confirmed = therapist.totp_confirmed.isoformat() if therapist.totp_confirmed else ""
    return [therapist.owner_id, confirmed]


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
