"""Drafts written in the guided flows, and the log of practices done without one.

Every word a person writes here is encrypted with their own data key, exactly like
the journal (see `attunement.web.vault.crypto`): the answers to each step, the
message they made of them, the complaint they started from, and any note.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attunement.practices import catalogue, flows
from attunement.web.couples.models import Couple
from attunement.web.vault import crypto
from attunement.web.vault.models import SealedRecord


class Draft(SealedRecord):
    """One pass through a flow: the answers so far, then the message made of them."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_drafts"
    )
    flow = models.CharField(_("practice"), max_length=40)
    sealed_answers = models.TextField(default="", editable=False)
    sealed_message = models.TextField(default="", editable=False)
    sealed_original = models.TextField(default="", editable=False)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)
    # When the person kept the message: from then on it counts as practised.
    finished = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Sending belongs to one couple: unpairing ends it, like sharing a journal entry.
    sent_in = models.ForeignKey(
        Couple, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The partner marked it read (their own note: the author is never shown it)...
    read_at = models.DateTimeField(null=True, blank=True)
    # ...and chose to let the author know, which the author then sees.
    read_told_at = models.DateTimeField(null=True, blank=True)

    answers_text = crypto.EncryptedText("sealed_answers")
    message = crypto.EncryptedText("sealed_message")
    original = crypto.EncryptedText("sealed_original")

    class Meta:
        ordering = ["-updated", "-pk"]
        verbose_name = _("practice draft")
        indexes = [models.Index(fields=["owner", "-updated"], name="draft_owner_newest")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sent_in__isnull=True) | models.Q(sent_at__isnull=False),
                name="draft_sent_since",
            )
        ]

    def __str__(self) -> str:
        return f"practice draft {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("practices:draft", args=[self.pk])

    @property
    def guide(self) -> flows.Flow | None:
        """The flow the draft was written in, while the flow file still has it."""
        try:
            return flows.get(self.flow)
        except flows.UnknownFlow:
            return None

    @property
    def answers(self) -> dict[str, str]:
        raw = self.answers_text
        found: Any = json.loads(raw) if raw else {}
        return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}

    def set_answers(self, answers: dict[str, str]) -> None:
        self.answers_text = json.dumps(answers, ensure_ascii=False, sort_keys=True)


class Reply(SealedRecord):
    """An answer to a message the partner sent, written with the listener's guide.

    Its three parts are encrypted with the replying person's key, like a draft. The
    partner reads it under "From your partner" while the couple lasts.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_replies"
    )
    to = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="replies")
    sealed_acknowledge = models.TextField(default="", editable=False)
    sealed_reflect = models.TextField(default="", editable=False)
    sealed_ask = models.TextField(default="", editable=False)
    sent_at = models.DateTimeField(default=timezone.now)
    sent_in = models.ForeignKey(
        Couple, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Marked read by the person it answers: their own note, never shown to the writer.
    read_at = models.DateTimeField(null=True, blank=True)

    acknowledge = crypto.EncryptedText("sealed_acknowledge")
    reflect = crypto.EncryptedText("sealed_reflect")
    ask = crypto.EncryptedText("sealed_ask")

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"reply {self.pk}"


class PracticeLog(SealedRecord):
    """ "I practised this": a practice done away from the screen, with an optional note."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_log"
    )
    practice = models.CharField(_("practice"), max_length=40)
    done = models.DateTimeField(default=timezone.now)
    sealed_note = models.TextField(default="", editable=False)

    note = crypto.EncryptedText("sealed_note")

    class Meta:
        ordering = ["-done", "-pk"]
        verbose_name = _("practice log entry")
        verbose_name_plural = _("practice log entries")
        indexes = [models.Index(fields=["owner", "-done"], name="practice_log_owner_newest")]

    def __str__(self) -> str:
        return f"practice log entry {self.pk}"

    @property
    def title(self) -> str:
        known = catalogue().get(self.practice)
        return known.title if known else self.practice


class MessagePause(models.Model):
    """A person's choice not to see messages from their partner for now; deleting it resumes.

    An ordinary setting anyone may use: the partner's sending works as before, and
    what was sent is shown again, all of it, once the pause ends.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_pause"
    )
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pause of messages")

    def __str__(self) -> str:
        return f"message pause {self.pk}"
