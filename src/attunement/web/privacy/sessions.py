"""Each person's signed-in sessions: recorded at sign-in, touched while in use, ended one by one.

Django keeps sessions in the database (`accounts.UserSession`), keyed by a secret (the
cookie's value) and indexed by person. Beside each one a person signs in to,
`SignedInSession` keeps the SHA-256 of that key, a coarse device description and two
times, so the privacy page can list them. Ending one looks through the person's own
live session keys for the one with that hash: the secret itself is never stored twice.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from attunement.web.accounts.models import User, UserSession, hash_secret
from attunement.web.privacy import policy
from attunement.web.privacy.devices import describe
from attunement.web.privacy.models import SignedInSession

# Kept in the session itself: when the person signed in (Unix time), so a record made
# again after the key changes (a password change renews it) keeps its start ...
SINCE = "privacy_since"
# ... and which key hash was last recorded when, so most requests need no query.
SEEN = "privacy_seen"
# "Last seen" is recorded at most once a minute.
TOUCH_SECONDS = 60


class SessionNotFound(LookupError):
    """No such session of this person: ended, missing and someone else's look alike."""


def key_hash(session_key: str) -> str:
    return hash_secret(session_key)


def record_sign_in(request: HttpRequest, user: User) -> None:
    """Note a new session just after sign-in (the key has been renewed by then)."""
    session = request.session
    if not session.session_key:
        return
    now = timezone.now()
    session[SINCE] = int(now.timestamp())
    SignedInSession.objects.update_or_create(
        key_hash=key_hash(session.session_key),
        defaults={"user": user, "device": _device(request), "created": now, "last_seen": now},
    )
    _mark(session, now)


def touch(request: HttpRequest, user: User) -> None:
    """Record that the session is in use: once a minute at most, and again if its key changed."""
    session = request.session
    if not session.session_key:
        return
    hashed = key_hash(session.session_key)
    now = timezone.now()
    mark = session.get(SEEN)
    if (
        isinstance(mark, list)
        and len(mark) == 2
        and mark[0] == hashed
        and isinstance(mark[1], int)
        and now.timestamp() - mark[1] < TOUCH_SECONDS
    ):
        return
    if not SignedInSession.objects.filter(key_hash=hashed, user=user).update(last_seen=now):
        since = session.get(SINCE)
        started = datetime.fromtimestamp(since, UTC) if isinstance(since, int) else now
        SignedInSession.objects.get_or_create(
            key_hash=hashed,
            defaults={"user": user, "device": _device(request), "created": started,
                      "last_seen": now},
        )  # fmt: skip
    _mark(session, now)


def forget(session_key: str | None) -> None:
    """The session has ended (signed out, expired and cleared, or ended from elsewhere)."""
    if session_key:
        SignedInSession.objects.filter(key_hash=key_hash(session_key)).delete()


def live(user: User) -> list[SignedInSession]:
    """The person's sessions that can still be used, most recently used first.

    A session unused for longer than the idle limit, or older than the longest a
    session may last, is over (the next request with it signs out); its record goes.
    """
    now = timezone.now()
    idle = timedelta(seconds=settings.SESSION_IDLE_SECONDS + TOUCH_SECONDS)
    oldest = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    mine = policy.SESSION.visible(user)
    mine.filter(Q(last_seen__lt=now - idle) | Q(created__lt=now - oldest)).delete()
    return list(mine.order_by("-last_seen", "-pk"))


def is_current(record: SignedInSession, session_key: str | None) -> bool:
    return bool(session_key) and record.key_hash == key_hash(session_key or "")


def find(user: User, session_id: int) -> SignedInSession:
    record = policy.SESSION.find(user, session_id)
    if record is None:
        raise SessionNotFound
    return record


def end(record: SignedInSession) -> None:
    """Sign the session out: its stored session is deleted, so its next request is anonymous.

    Only the hash is recorded, so the person's own live sessions are hashed in turn
    until one matches; nobody else's session is ever looked at.
    """
    theirs = UserSession.objects.filter(user_id=record.user_id, expire_date__gt=timezone.now())
    for session_key in theirs.values_list("session_key", flat=True):
        if key_hash(session_key) == record.key_hash:
            UserSession.objects.filter(session_key=session_key).delete()
            break
    record.delete()


def _device(request: HttpRequest) -> str:
    return describe(request.headers.get("User-Agent", ""))[:60]


def _mark(session: SessionBase, now: datetime) -> None:
    session[SEEN] = [key_hash(session.session_key or ""), int(now.timestamp())]
