"""What the Connection Check keeps: each answer, each safety screening, crisis words noticed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Answer(models.Model):
    """One person's answer to one item. Private to its author, always."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    instrument = models.CharField(max_length=40)
    item = models.CharField(max_length=20)
    value = models.SmallIntegerField(null=True)  # null: skipped
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "instrument", "item"], name="one_answer_per_item"
            )
        ]
        indexes = [models.Index(fields=["owner", "instrument"])]

    def __str__(self) -> str:
        return f"{self.instrument}/{self.item}"


class Screening(models.Model):
    """One time a person answered a safety screen: when, what it found, and the answers.

    The history the re-screening rule reads (`attunement.safety.rescreen`). Private
    to its owner like every answer: never shared, never counted for anyone else.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    instrument = models.CharField(max_length=40)
    taken = models.DateTimeField(default=timezone.now)
    positive = models.BooleanField(default=False)
    acute = models.BooleanField(default=False)
    # The answers given that time: a negative re-screen takes effect only when the
    # person chooses to resume couple work, and then these become their answers.
    answers = models.JSONField(default=dict)

    class Meta:
        ordering = ["taken", "pk"]
        indexes = [models.Index(fields=["owner", "instrument", "taken"])]

    def __str__(self) -> str:
        return f"{self.instrument} screening {self.pk}"


class WritingSignal(models.Model):
    """When crisis words for a concern last appeared in what the person wrote. Never the words."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    concern = models.CharField(max_length=40)
    seen = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "concern"], name="one_signal_per_concern")
        ]

    def __str__(self) -> str:
        return f"{self.concern} signal {self.pk}"
