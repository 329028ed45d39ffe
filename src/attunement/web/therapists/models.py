"""The therapist workspace: therapists, their cases, clients' consent, and the audit of reads.

A therapist is a person an operator marked as one; their second factor's secret is
encrypted at rest like journal text. A case is one couple or one client. Each client
holds a Grant: their own consent, per scope, revocable at once. Every read of a
client's data by a therapist leaves an AuditEvent the client can see.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attunement.consent import Scope
from attunement.web.journal.models import JournalEntry
from attunement.web.vault import crypto
from attunement.web.vault.models import SealedRecord

INVITATION_LIFETIME = timedelta(days=7)


class Therapist(SealedRecord):
    """A person who may use the therapist workspace, once their second factor is set up."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="therapist"
    )
    created = models.DateTimeField(default=timezone.now)
    active = models.BooleanField(default=True)
    sealed_totp_secret = models.TextField(default="", editable=False)
    # Set when the first code from the person's app matched: from then on the secret is in use.
    totp_confirmed = models.DateTimeField(null=True, blank=True)
    # The last time step a code was accepted for: a code works once.
    totp_last_step = models.BigIntegerField(default=0)
    totp_failures = models.PositiveSmallIntegerField(default=0)
    totp_paused_until = models.DateTimeField(null=True, blank=True)

    totp_secret = crypto.EncryptedText("sealed_totp_secret")

    class Meta:
        verbose_name = _("therapist")

    def __str__(self) -> str:
        return f"therapist {self.pk}"


class BackupCode(models.Model):
    """A one-time code for signing in without the app, kept only as a SHA-256 hash."""

    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="backup_codes")
    hashed = models.CharField(max_length=64)
    created = models.DateTimeField(default=timezone.now)
    used = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("backup code")

    def __str__(self) -> str:
        return f"backup code {self.pk}"


class Case(models.Model):
    """One couple or one client in a therapist's caseload."""

    class Kind(models.TextChoices):
        COUPLE = "couple", _("A couple")
        SINGLE = "single", _("One client")

    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cases"
    )
    # The therapist's own name for the case; clients do not see it.
    label = models.CharField(_("your name for this case"), max_length=80)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.COUPLE)
    created = models.DateTimeField(default=timezone.now)
    ended = models.DateTimeField(null=True, blank=True)
    # The caseload's order, from the clients' granted check-ins and scores, kept until it
    # goes stale: a new day, a new check-in or answer, or a change of consent clears `status_on`.
    status_on = models.DateField(null=True, blank=True)
    attention = models.PositiveSmallIntegerField(default=0)
    support_level = models.CharField(max_length=30, blank=True, default="")
    # What the couple report alone calls for, to explain `support_level` beside the check-ins.
    report_level = models.CharField(max_length=30, blank=True, default="")
    not_on_track = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("case")
        indexes = [
            models.Index(fields=["therapist", "ended", "-attention", "label"], name="case_order")
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("therapists:case", args=[self.pk])

    @property
    def places(self) -> int:
        return 2 if self.kind == self.Kind.COUPLE else 1


class CaseInvitation(models.Model):
    """A link to join one case, valid for a week. Only the SHA-256 of its token is stored."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()
    revoked = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("case invitation")

    def __str__(self) -> str:
        return f"case invitation {self.pk}"


class Grant(models.Model):
    """One client's place in a case and their consent, scope by scope, for themselves only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="grants")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="therapist_grants"
    )
    couple_report = models.BooleanField(default=False)
    checkin_trends = models.BooleanField(default=False)
    practice_activity = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)
    changed = models.DateTimeField(default=timezone.now)
    # Withdrawn by the client or ended with the case: from then on it grants nothing.
    revoked = models.DateTimeField(null=True, blank=True)
    # The scopes the client took back (comma-separated), so the therapist can be told which.
    withdrawn = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        verbose_name = _("consent")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person"],
                condition=models.Q(revoked__isnull=True),
                name="one_open_grant_per_case",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked__isnull=True)
                | models.Q(couple_report=False, checkin_trends=False, practice_activity=False),
                name="revoked_grants_nothing",
            ),
        ]

    def __str__(self) -> str:
        return f"consent {self.pk}"

    @property
    def scopes(self) -> frozenset[Scope]:
        if self.revoked is not None:
            return frozenset()
        return frozenset(s for s in Scope if getattr(self, s.value))

    @property
    def withdrawn_scopes(self) -> list[str]:
        taken_back = set(self.withdrawn.split(","))
        return [s.value for s in Scope if s.value in taken_back]

    def note_withdrawn(self, kept: frozenset[Scope]) -> None:
        """Remember the scopes granted until now and not in `kept`; granting one again clears it."""
        dropped = {s.value for s in self.scopes - kept}
        still = set(self.withdrawn_scopes) - {s.value for s in kept}
        self.withdrawn = ",".join(s.value for s in Scope if s.value in dropped | still)


class SessionDate(models.Model):
    """A day the therapist met the case, so a summary can say what changed since."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("session date")
        constraints = [
            models.UniqueConstraint(fields=["case", "held_on"], name="one_session_a_day")
        ]

    def __str__(self) -> str:
        return self.held_on.isoformat()


class SharedEntry(models.Model):
    """A journal entry its author chose to let the therapist of one case read."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="+")
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="shared_entries")
    shared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("entry shared with a therapist")
        constraints = [
            models.UniqueConstraint(fields=["entry", "grant"], name="one_share_per_therapist")
        ]

    def __str__(self) -> str:
        return f"shared entry {self.pk}"


class AuditEvent(models.Model):
    """One read of a client's data by a therapist: who, whose, what, when."""

    class What(models.TextChoices):
        DASHBOARD = "dashboard", _("caseload overview")
        CASE = "case", _("case page")
        SUMMARY = "summary", _("session summary")
        PDF = "pdf", _("session summary as PDF")

    # Kept when the therapist's account goes: the client's record of who read what stays.
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    therapist_name = models.CharField(max_length=60)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="audit_events"
    )
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, related_name="+")
    what = models.CharField(max_length=20, choices=What.choices)
    # The scopes whose data the page showed, comma-separated, plus "entries" for shared entries.
    scopes = models.CharField(max_length=100)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("therapist read")
        indexes = [models.Index(fields=["subject", "-at"], name="audit_subject_newest")]

    def __str__(self) -> str:
        return f"audit event {self.pk}"

    @property
    def scope_list(self) -> list[str]:
        return [s for s in self.scopes.split(",") if s]
