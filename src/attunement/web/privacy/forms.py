"""The form that confirms deleting an account: the password and the typed words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from attunement.web.accounts.models import User

# What the person types to show they mean it, compared ignoring case and extra spaces.
CONFIRMATION = "delete my account"
NOT_CONFIRMED = _("Type the words “delete my account” exactly. Nothing has been deleted.")


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        error_messages={"required": _("Enter your password. Nothing has been deleted.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirmation = forms.CharField(
        label=_("Type “delete my account” to confirm"),
        max_length=100,
        error_messages={"required": NOT_CONFIRMED, "max_length": NOT_CONFIRMED},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )

    def __init__(self, person: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not self.person.check_password(password):
            raise forms.ValidationError(
                _("That is not your password. Nothing has been deleted."), code="wrong_password"
            )
        return password

    def clean_confirmation(self) -> str:
        typed = " ".join(str(self.cleaned_data["confirmation"]).split()).casefold()
        if typed != CONFIRMATION:
            raise forms.ValidationError(NOT_CONFIRMED, code="not_confirmed")
        return typed
