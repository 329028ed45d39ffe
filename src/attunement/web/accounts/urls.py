"""The account pages' addresses: sign-up, sign-in and out, password reset, settings."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from attunement.web.accounts import views
from attunement.web.accounts.forms import NewPasswordForm, PasswordResetRequestForm
from attunement.web.core import limits

# Each reset request sends an email: counted per network address and per email address.
reset_request = limits.limited("reset_address", limits.by_address)(
    limits.limited("reset_email", limits.by_email)(
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetRequestForm,
            template_name="accounts/password_reset.html",
            success_url=reverse_lazy("accounts:password_reset_sent"),
        )
    )
)

app_name = "accounts"
urlpatterns = [
    path("", views.account_settings, name="settings"),
    path("name/", views.change_name, name="change_name"),
    path("password/", views.change_password, name="change_password"),
    path("emails/", views.change_notices, name="change_notices"),
    path("tokens/", views.create_token, name="create_token"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup_sent"),
    path("signup/confirm/<str:token>/", views.signup_confirm, name="signup_confirm"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", reset_request, name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=NewPasswordForm,
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
