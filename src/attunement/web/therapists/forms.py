"""The workspace forms: second factor, new case, a client's scopes, sessions, shared entries."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attunement.consent import Scope
from attunement.web.accounts.models import User
from attunement.web.therapists import twofactor
from attunement.web.therapists.models import Case
from attunement.web.therapists.services import LABEL_MAX_LENGTH

SCOPE_LABELS = {
    Scope.COUPLE_REPORT: _("Couple report: my scale scores and the report built from them"),
    Scope.CHECKIN_TRENDS: _("Check-in trends: my weekly check-in scores and their flags"),
    Scope.PRACTICE_ACTIVITY: _("Practice activity: which practices I did and when"),
}

# Short names, for lists such as the record of what a therapist read.
SCOPE_NAMES = {
    Scope.COUPLE_REPORT.value: _("couple report"),
    Scope.CHECKIN_TRENDS.value: _("check-in trends"),
    Scope.PRACTICE_ACTIVITY.value: _("practice activity"),
    "entries": _("journal entries you shared"),
}


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split())
        if len(code) != 6 or not code.isascii() or not code.isdigit():
            raise forms.ValidationError(_("Enter the 6 digits your app shows, without letters."))
        return code


class SecondFactorForm(forms.Form):
    """A code from the app, or one of the backup codes in its place."""

    code = forms.CharField(
        label=_("6-digit code from your authenticator app, or a backup code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split())
        is_app_code = len(code) == 6 and code.isascii() and code.isdigit()
        if not is_app_code and not twofactor.is_backup_code(code):
            raise forms.ValidationError(
                _("Enter the 6 digits your app shows, or a backup code such as abcde-fghjk.")
            )
        return code


class PasswordForm(forms.Form):
    """The person's password again, before something that shows secrets."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, person: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not self.person.check_password(password):
            raise forms.ValidationError(
                _("That is not your password. Your backup codes are unchanged."),
                code="wrong_password",
            )
        return password


class CaseForm(forms.Form):
    label = forms.CharField(
        label=_("Your name for this case"),
        max_length=LABEL_MAX_LENGTH,
        help_text=_("Only you see it. Initials are enough."),
        error_messages={"required": _("Give the case a name, such as the clients' initials.")},
    )
    kind = forms.ChoiceField(
        label=_("Who are you inviting?"),
        choices=Case.Kind.choices,
        initial=Case.Kind.COUPLE,
        widget=forms.RadioSelect,
    )


class ScopesForm(forms.Form):
    # Unknown values are refused like any invalid choice, so nothing is saved half-way.
    scopes = forms.MultipleChoiceField(
        label=_("What you allow"),
        choices=[(scope.value, label) for scope, label in SCOPE_LABELS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class SessionForm(forms.Form):
    held_on = forms.DateField(
        label=_("Date of the session"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_held_on(self) -> date:
        held_on: date = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("A session date cannot be in the future."))
        return held_on


class EntryShareForm(forms.Form):
    grant = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
