from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from attunement.web.checkins import services
from attunement.web.checkins.models import Reminder


class ReminderForm(forms.Form):
    enabled = forms.BooleanField(label=_("Email me a weekly reminder"), required=False)
    weekday = forms.TypedChoiceField(
        label=_("Day"), choices=Reminder.WEEKDAYS, coerce=int, initial=6
    )
    hour = forms.TypedChoiceField(
        label=_("Time"),
        choices=[(h, f"{h:02d}:00") for h in range(24)],
        coerce=int,
        initial=19,
    )
    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        choices=lambda: [(z, z) for z in services.time_zones()],
        initial="UTC",
        error_messages={
            "invalid_choice": _("Choose a time zone from the list, e.g. Europe/Paris.")
        },
    )
