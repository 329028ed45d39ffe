"""A journal entry, sealed with its author's key; ending a couple ends the entries shared in it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attunement.practices import prompts
from attunement.web.couples.models import Couple
from attunement.web.vault import crypto
from attunement.web.vault.models import SealedRecord


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
