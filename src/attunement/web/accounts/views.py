"""The account pages: sign-up and its confirmation link, sign-in, and the settings page's forms."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from attunement.web.accounts import emails, policy
from attunement.web.accounts.forms import (
    ChangePasswordForm,
    DisplayNameForm,
    LoginForm,
    NoticeForm,
    SignupForm,
    TokenForm,
)
from attunement.web.accounts.models import (
    NEXT_MAX_LENGTH,
    ApiToken,
    PendingSignup,
    User,
    revoke_access,
)
from attunement.web.core import limits
from attunement.web.core.people import SignedInRequest

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def start_signup(email: str, display_name: str, password: str, next: str = "") -> None:
    """Email a sign-up link, or a note that the address already has an account.

    Both paths hash the password and send one email, so neither the page nor its
    timing tells the visitor whether the address is known. `next` is kept with the
    pending sign-up, not put in the email, so the email stays neutral.
    """
    password_hash = make_password(password)
    if User.objects.filter(email__iexact=email).exists():
        emails.send_account_exists(email)
        return
    _pending, token = PendingSignup.start(email, display_name, password_hash, next)
    emails.send_signup_link(email, token)


def safe_next(request: HttpRequest, value: str | None) -> str:
    """`value` if it is a path on this site that fits a pending sign-up, else ""."""
    if not value or len(value) > NEXT_MAX_LENGTH or not value.startswith("/"):
        return ""
    allowed = url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return value if allowed else ""


@require_http_methods(["GET", "POST"])
@limits.limited("signup_address", limits.by_address)
@limits.limited("signup_email", limits.by_email)
def signup(request: HttpRequest) -> HttpResponse:
    next_path = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_path or "core:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        start_signup(**form.cleaned_data, next=next_path)
        return redirect("accounts:signup_sent")
    context = {"form": form, "next": next_path, "login_url": with_next("accounts:login", next_path)}
    return render(request, "accounts/signup.html", context)


def with_next(name: str, next_path: str) -> str:
    """The named page's address, carrying `next` along when there is one."""
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_path})}" if next_path else url


class SignInView(auth_views.LoginView):
    """Django's sign-in, whose "create an account" link keeps the `next` address."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["signup_url"] = with_next(
            "accounts:signup", safe_next(self.request, context.get("next"))
        )
        return context


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_sent.html")


@require_http_methods(["GET", "POST"])
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners follow links); POST creates the account."""
    pending = PendingSignup.find(token)
    if pending is None:
        return render(request, "accounts/signup_link_invalid.html", status=404)
    if request.method == "GET":
        return render(request, "accounts/signup_confirm.html")
    next_path = safe_next(request, pending.next)
    user = pending.complete()
    if user is None:
        messages.info(request, _("This email address already has an account. Please sign in."))
        return redirect(with_next("accounts:login", next_path))
    login(request, user, backend=MODEL_BACKEND)
    return redirect(next_path or "core:home")


def _settings_page(request: SignedInRequest, **forms: Any) -> HttpResponse:
    context = {
        "name_form": DisplayNameForm(initial={"display_name": request.user.display_name}),
        "password_form": ChangePasswordForm(request.user),
        "token_form": TokenForm(),
        "notice_form": NoticeForm(initial={"email_on_message": request.user.email_on_message}),
        "tokens": request.user.api_tokens.order_by("-created"),
        **forms,
    }
    return render(request, "accounts/settings.html", context)


@login_required
def account_settings(request: SignedInRequest) -> HttpResponse:
    return _settings_page(request)


@login_required
@require_POST
def change_name(request: SignedInRequest) -> HttpResponse:
    form = DisplayNameForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, name_form=form)
    request.user.display_name = form.cleaned_data["display_name"]
    request.user.save(update_fields=["display_name"])
    messages.success(request, _("Your name has been changed."))
    return redirect("accounts:settings")


@login_required
@require_POST
def change_notices(request: SignedInRequest) -> HttpResponse:
    form = NoticeForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, notice_form=form)
    request.user.email_on_message = form.cleaned_data["email_on_message"]
    request.user.save(update_fields=["email_on_message"])
    messages.success(request, _("Your email choice is saved."))
    return redirect("accounts:settings")


@login_required
@require_POST
def change_password(request: SignedInRequest) -> HttpResponse:
    form = ChangePasswordForm(request.user, request.POST)
    if not form.is_valid():
        return _settings_page(request, password_form=form)
    user = form.save()
    update_session_auth_hash(request, user)
    revoke_access(user, keep=request.session.session_key)
    messages.success(
        request,
        _(
            "Your password has been changed. Your other devices are signed out and your "
            "API tokens no longer work."
        ),
    )
    return redirect("accounts:settings")


@login_required
@require_POST
def create_token(request: SignedInRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, token_form=form)
    token, secret = ApiToken.issue(request.user, form.cleaned_data["name"])
    return render(request, "accounts/token_created.html", {"token": token, "secret": secret})


@login_required
@require_POST
def revoke_token(request: SignedInRequest, token_id: int) -> HttpResponse:
    token = policy.TOKEN.find(request.user, token_id)
    if token is None:
        raise Http404
    token.delete()
    messages.success(request, _("The token has been revoked."))
    return redirect("accounts:settings")


@login_required
@require_POST
def sign_out_everywhere(request: SignedInRequest) -> HttpResponse:
    """End every session of this person, this one included, and revoke their API tokens."""
    revoke_access(request.user)
    logout(request)
    messages.success(request, _("You have been signed out everywhere."))
    return redirect("accounts:login")
