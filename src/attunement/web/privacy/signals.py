"""Signal receivers, connected in PrivacyConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.http import HttpRequest

from attunement.web.accounts.models import User, UserSession
from attunement.web.privacy import sessions


@receiver(user_logged_in, dispatch_uid="attunement-privacy-sign-in")
def record_sign_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        sessions.record_sign_in(request, user)


@receiver(user_logged_out, dispatch_uid="attunement-privacy-sign-out")
def forget_signed_out(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        sessions.forget(request.session.session_key)


@receiver(post_delete, sender=UserSession, dispatch_uid="attunement-privacy-session-deleted")
def forget_deleted_session(sender: Any, instance: UserSession, **kwargs: Any) -> None:
    """However a stored session goes (signed out, expired and cleared), its record goes too."""
    sessions.forget(instance.session_key)


@receiver(connection_created, dispatch_uid="attunement-sqlite-secure-delete")
def overwrite_deleted_rows(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """On SQLite, deleted rows are overwritten with zeros rather than left in free pages.

    Without it, the database file keeps the bytes of deleted rows until they happen to
    be reused, so "deleted" would not mean gone from the file. PostgreSQL reclaims dead
    rows by (auto)vacuum and has no such setting (docs/privacy.md).
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
