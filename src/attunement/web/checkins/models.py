"""Weekly check-ins and each person's reminder schedule."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CheckIn(models.Model):
    """One weekly pulse: the item answers (private to the person) and the two scores."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins"
    )
    taken = models.DateTimeField(default=timezone.now)
    # The calendar day in the person's own time zone when they answered.
    day = models.DateField()
    # Item answers: never shown to anyone but the person, never shared, never served.
    answers = models.JSONField(default=dict)
    csi4 = models.FloatField(null=True, blank=True)
    connection = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["taken", "pk"]
        verbose_name = _("check-in")
        indexes = [
            models.Index(fields=["owner", "taken"], name="checkin_owner_taken"),
            # The pages read a range of days: the window and a year of monthly summaries.
            models.Index(fields=["owner", "day"], name="checkin_owner_day"),
        ]

    def __str__(self) -> str:
        return f"check-in {self.pk}"


class Reminder(models.Model):
    """When the person wants a reminder email: a weekday and hour in their own time zone.

    Off until the person switches it on: an email from Attunement in a shared
    inbox can itself be a risk, so nobody gets one without asking for it.
    """

    WEEKDAYS = [
        (0, _("Monday")),
        (1, _("Tuesday")),
        (2, _("Wednesday")),
        (3, _("Thursday")),
        (4, _("Friday")),
        (5, _("Saturday")),
        (6, _("Sunday")),
    ]

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkin_reminder"
    )
    enabled = models.BooleanField(default=False)
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS, default=6)
    hour = models.PositiveSmallIntegerField(default=19)
    time_zone = models.CharField(max_length=64, default="UTC")
    last_sent = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("check-in reminder")
        constraints = [
            models.CheckConstraint(condition=models.Q(hour__lte=23), name="reminder_hour_of_day"),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="reminder_weekday"),
        ]

    def __str__(self) -> str:
        return f"check-in reminder {self.pk}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")
