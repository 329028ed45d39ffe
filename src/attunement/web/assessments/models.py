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
