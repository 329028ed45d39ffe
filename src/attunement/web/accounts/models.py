"""The account models: users (signed in by email), API tokens, pending sign-ups, sessions."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SIGNUP_LINK_LIFETIME = timedelta(hours=24)
NEXT_MAX_LENGTH = 300


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("an email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. Staff users are operators of the installation."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("name shown to your partner"), max_length=60)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Moves on whenever the person's answers, shares, check-ins or reminder change, so
    # anything cached from them (attunement.web.core.derived) is looked up afresh.
    data_version = models.PositiveBigIntegerField(default=0, editable=False)
    # A neutral email when the partner sends something; off unless the person turns it on.
    email_on_message = models.BooleanField(_("email me when something new arrives"), default=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.email


class ApiToken(models.Model):
    """A token for scripts using the JSON API. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=60)
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    last_used = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        """A new token; the secret is returned once and never stored."""
        secret = "att_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, token_hash=hash_secret(secret)), secret


class PendingSignup(models.Model):
    """A sign-up waiting for its emailed link. Only hashes of the password and token are kept."""

    email = models.EmailField(db_index=True)
    display_name = models.CharField(max_length=60)
    password = models.CharField(max_length=128)
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()
    # Where to go once the account exists (say, an invitation's page): a path on this site.
    next = models.CharField(max_length=NEXT_MAX_LENGTH, blank=True, default="")

    def __str__(self) -> str:
        return self.email

    @classmethod
    def start(
        cls, email: str, display_name: str, password_hash: str, next: str = ""
    ) -> tuple[PendingSignup, str]:
        """A pending sign-up replacing earlier ones for the address; the token is returned once."""
        now = timezone.now()
        cls.objects.filter(models.Q(expires__lte=now) | models.Q(email=email)).delete()
        token = secrets.token_urlsafe(32)
        pending = cls.objects.create(
            email=email,
            display_name=display_name,
            password=password_hash,
            token_hash=hash_secret(token),
            expires=now + SIGNUP_LINK_LIFETIME,
            next=next,
        )
        return pending, token

    @classmethod
    def find(cls, token: str) -> PendingSignup | None:
        return cls.objects.filter(token_hash=hash_secret(token), expires__gt=timezone.now()).first()

    def complete(self) -> User | None:
        """Create the account, unless the address has one by now. The link works once either way."""
        user = User(email=self.email, display_name=self.display_name, password=self.password)
        with transaction.atomic():
            self.delete()
            if User.objects.filter(email__iexact=user.email).exists():
                return None
            try:
                with transaction.atomic():
                    user.save()
            except IntegrityError:  # the same link, confirmed twice at once
                return None
        return user


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class UserSession(AbstractBaseSession):
    """Django's stored session, with the signed-in person beside it (None before sign-in).

    `accounts.session_store` fills `user` on every save, so a person's sessions are
    found by an indexed column instead of by decoding every session in the database.
    """

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="stored_sessions"
    )

    class Meta:
        verbose_name = _("stored session")
        verbose_name_plural = _("stored sessions")

    def __str__(self) -> str:
        return f"stored session of user {self.user_id}"

    @classmethod
    def get_session_store_class(cls) -> type[Any]:
        from attunement.web.accounts.session_store import SessionStore

        return SessionStore


def end_sessions(user: User, keep: str | None = None) -> int:
    """Delete every stored session of this person (except `keep`); returns how many."""
    mine = UserSession.objects.filter(user=user).exclude(session_key=keep or "")
    deleted, _ = mine.delete()
    return deleted


def revoke_access(user: User, keep: str | None = None) -> None:
    """End every stored session of this person but `keep`, and revoke all their API tokens.

    What a new password (changed or reset) and "sign out everywhere" do: whoever knew
    the old one keeps no way in, by browser or by script.
    """
    with transaction.atomic():
        end_sessions(user, keep)
        user.api_tokens.all().delete()
