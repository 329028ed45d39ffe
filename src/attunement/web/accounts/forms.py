"""The account forms: sign-up, sign-in, passwords, display name, notices, API tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from axes.utils import reset as reset_login_failures
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UsernameField,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from attunement.web.accounts import emails
from attunement.web.accounts.models import User, revoke_access

if TYPE_CHECKING:
    BaseSetPasswordForm = SetPasswordForm[User]
else:
    BaseSetPasswordForm = SetPasswordForm

# The same words whether the address has no account or the password is wrong.
LOGIN_FAILED = _(
    "That email address and password do not match. Check them and try again, "
    "or reset your password."
)


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    display_name = forms.CharField(
        label=_("Your name"),
        help_text=_("The name your partner will see if you invite them."),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = password_validation.password_validators_help_text_html()

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password:
            person = User(email=data.get("email", ""), display_name=data.get("display_name", ""))
            try:
                password_validation.validate_password(password, person)
            except ValidationError as error:
                self.add_error("password", error)
        return data


class LoginForm(AuthenticationForm):
    """Django's login form on the email address; axes reads the `username` field.

    No autofocus, here or elsewhere: the quick exit stays first in keyboard order.
    """

    username = UsernameField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
    )
    error_messages = {**AuthenticationForm.error_messages, "invalid_login": LOGIN_FAILED}

    def clean_username(self) -> str:
        # One spelling per address, so changing the case does not buy more attempts.
        return str(self.cleaned_data["username"]).strip().lower()


class PasswordResetRequestForm(PasswordResetForm):
    """Django's reset request, sending our own neutral email with a link on SITE_URL."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        emails.send_password_reset(to_email, context["uid"], context["token"])


class NewPasswordForm(BaseSetPasswordForm):
    """A new password signs out every device, revokes API tokens and lifts a sign-in pause."""

    def save(self, commit: bool = True) -> User:
        user = super().save(commit)
        revoke_access(user)
        reset_login_failures(username=user.email)
        return user


class ChangePasswordForm(PasswordChangeForm):
    """Django's form, without autofocus."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].widget.attrs.pop("autofocus", None)


class DisplayNameForm(forms.Form):
    display_name = forms.CharField(
        label=_("Your name"),
        help_text=_("The name your partner sees."),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        help_text=_("So you can recognise it later, for example the script that will use it."),
        max_length=60,
    )


class NoticeForm(forms.Form):
    email_on_message = forms.BooleanField(
        label=_("Email me when my partner sends me something"),
        help_text=_(
            "The email only says there is something new, nothing more, and no names. Off unless "
            "you turn it on."
        ),
        required=False,
    )
