"""The form on which a person chooses which of their scores their partner sees."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from attunement.instruments.model import Instrument


class SharingForm(forms.Form):
    # Only the offered questionnaires are choices: safety screens never are, so the
    # form rejects them like any unknown value.
    instruments = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Share the scale scores of"),
    )

    def __init__(self, *args: Any, offered: Sequence[Instrument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["instruments"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(i.id, i.title) for i in offered]
