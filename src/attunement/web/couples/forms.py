from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from attunement.web.couples import services


def shareable_choices() -> list[tuple[str, str]]:
    return [(i.id, i.title) for i in services.shareable_instruments()]


class SharingForm(forms.Form):
    # Safety screens are not among the choices, so the form rejects them like any unknown value.
    instruments = forms.MultipleChoiceField(
        choices=shareable_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Share the scale scores of"),
    )
