"""Sign-up, sign-in, sign-out, password reset, timeouts and the account page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.test import Client
from django.utils import timezone

from attunement.web.accounts.models import ApiToken, PendingSignup, User, UserSession, hash_secret

from .conftest import PASSWORD, client_for

NEW_PASSWORD = "a quiet walk by the river"
SIGNUP = {"email": "robin@example.org", "display_name": "Robin", "password": NEW_PASSWORD}
LINK = re.compile(r"http://\S+?(/accounts/\S+/)")


def emailed_path(message: mail.EmailMessage) -> str:
    """The path of the first link in an email's text."""
    match = LINK.search(str(message.body))
    assert match is not None, message.body
    return match.group(1)


def sign_in(client: Client, email: str, password: str = PASSWORD, **extra: str):
    data = {"username": email, "password": password}
    return client.post("/accounts/login/", data, **extra)


def without_csrf(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def is_signed_in(client: Client) -> bool:
    return client.get("/accounts/").status_code == 200


# Sign-up


def test_the_signup_page_asks_for_email_name_and_password(db):
    response = Client().get("/accounts/signup/")
    assert response.status_code == 200
    for field in (b'name="email"', b'name="display_name"', b'name="password"'):
        assert field in response.content


def test_signing_up_emails_a_link_that_creates_the_account_and_signs_in(db):
    client = Client()
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/sent/"
    assert not User.objects.filter(email="robin@example.org").exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["robin@example.org"]

    link = emailed_path(mail.outbox[0])
    assert client.get(link).status_code == 200
    assert not User.objects.filter(email="robin@example.org").exists()

    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == "/"
    robin = User.objects.get(email="robin@example.org")
    assert robin.display_name == "Robin"
    assert robin.check_password(NEW_PASSWORD)
    assert int(client.session[SESSION_KEY]) == robin.pk
    assert not PendingSignup.objects.exists()


def test_a_pending_signup_keeps_only_hashes_of_the_password_and_the_token(db):
    Client().post("/accounts/signup/", SIGNUP)
    token = emailed_path(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1]
    pending = PendingSignup.objects.get()
    assert pending.password != NEW_PASSWORD
    assert check_password(NEW_PASSWORD, pending.password)
    assert pending.token_hash == hash_secret(token)
    assert token not in pending.token_hash


def test_the_signup_address_is_stored_in_lower_case(db):
    Client().post("/accounts/signup/", {**SIGNUP, "email": "Robin@Example.ORG"})
    assert PendingSignup.objects.get().email == "robin@example.org"


def test_the_signup_link_works_once(db):
    client = Client()
    client.post("/accounts/signup/", SIGNUP)
    link = emailed_path(mail.outbox[0])
    client.post(link)
    assert Client().get(link).status_code == 404
    assert Client().post(link).status_code == 404
    assert User.objects.filter(email="robin@example.org").count() == 1


def test_the_signup_link_expires_after_a_day(db, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    Client().post("/accounts/signup/", SIGNUP)
    link = emailed_path(mail.outbox[0])
    time_machine.shift(timedelta(hours=24, seconds=1))
    assert Client().post(link).status_code == 404
    assert not User.objects.filter(email="robin@example.org").exists()


def test_a_made_up_signup_link_is_not_found(db):
    response = Client().get("/accounts/signup/confirm/not-a-real-token/")
    assert response.status_code == 404
    assert b"This link no longer works" in response.content


def test_a_second_signup_replaces_the_first_link(db):
    Client().post("/accounts/signup/", SIGNUP)
    Client().post("/accounts/signup/", {**SIGNUP, "display_name": "Robin B"})
    first, second = (emailed_path(message) for message in mail.outbox)
    assert Client().post(first).status_code == 404
    Client().post(second)
    assert User.objects.get(email="robin@example.org").display_name == "Robin B"


def test_signing_up_with_a_taken_address_looks_the_same_and_creates_nothing(alex):
    new = Client().post("/accounts/signup/", SIGNUP, follow=True)
    taken = Client().post("/accounts/signup/", {**SIGNUP, "email": alex.email}, follow=True)

    assert taken.redirect_chain == new.redirect_chain
    assert taken.status_code == new.status_code == 200
    assert taken.content == new.content
    assert User.objects.filter(email=alex.email).count() == 1
    assert not PendingSignup.objects.filter(email=alex.email).exists()
    assert User.objects.get(email=alex.email).display_name == "Alex"


def test_signing_up_with_a_taken_address_emails_its_owner_to_sign_in_or_reset(alex):
    Client().post("/accounts/signup/", {**SIGNUP, "email": "ALEX@example.org"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alex@example.org"]
    assert "already has one" in str(message.body)
    assert "/accounts/login/" in str(message.body)
    assert "/accounts/password-reset/" in str(message.body)
    assert "/accounts/signup/confirm/" not in str(message.body)


def test_confirming_after_the_address_was_taken_creates_no_second_account(db):
    client = Client()
    client.post("/accounts/signup/", SIGNUP)
    link = emailed_path(mail.outbox[0])
    User.objects.create_user("robin@example.org", PASSWORD, display_name="Other")

    response = client.post(link, follow=True)
    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert SESSION_KEY not in client.session
    assert User.objects.get(email="robin@example.org").display_name == "Other"
    assert not PendingSignup.objects.exists()


@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("short pass", "too short"),
        ("password1234", "too common"),
        ("robin@example.org", "too similar"),
        ("", "This field is required"),
    ],
)
def test_a_weak_password_is_refused_with_a_clear_error(db, password, error):
    response = Client().post("/accounts/signup/", {**SIGNUP, "password": password})
    assert response.status_code == 200
    assert any(error in message for message in response.context["form"].errors["password"])
    assert error in response.content.decode()
    assert not mail.outbox
    assert not PendingSignup.objects.exists()


def test_a_long_password_needs_no_digits_capitals_or_symbols(db):
    Client().post("/accounts/signup/", {**SIGNUP, "password": "every morning we walk"})
    assert PendingSignup.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "not-an-address"), ("email", ""), ("display_name", ""), ("display_name", "x" * 61)],
)
def test_bad_signup_fields_are_reported_on_the_field(db, field, value):
    response = Client().post("/accounts/signup/", {**SIGNUP, field: value})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not mail.outbox


def test_signup_emails_are_neutral_and_come_as_text_and_html(alex):
    Client().post("/accounts/signup/", SIGNUP)
    Client().post("/accounts/signup/", {**SIGNUP, "email": alex.email})
    for message in mail.outbox:
        assert message.subject == "Your Attunement link"
        html = message.alternatives[0][0]
        for text in (message.subject, str(message.body), str(html)):
            for word in ("partner", "relationship", "couple", "safety", "Robin", "Alex"):
                assert word not in text


def test_the_sent_page_points_at_the_terminal_only_with_the_console_email_backend(db, settings):
    hint = b"attunement serve"
    assert hint not in Client().get("/accounts/signup/sent/").content
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert hint in Client().get("/accounts/signup/sent/").content
    assert hint in Client().get("/accounts/password-reset/sent/").content


def test_a_signed_in_person_is_sent_home_from_the_signup_page(alex):
    response = client_for(alex).get("/accounts/signup/")
    assert response.status_code == 302
    assert response["Location"] == "/"


# Sign-in


def test_signing_in_with_the_right_password_works_in_any_letter_case(alex):
    client = Client()
    response = sign_in(client, "Alex@Example.org")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert int(client.session[SESSION_KEY]) == alex.pk


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(alex):
    wrong = sign_in(Client(), "alex@example.org", "not the password at all")
    unknown = sign_in(Client(), "nobody@example.org", "not the password at all")

    assert wrong.status_code == unknown.status_code == 200
    errors = wrong.context["form"].non_field_errors()
    assert errors == unknown.context["form"].non_field_errors()
    assert "do not match" in errors[0]
    same_address = without_csrf(unknown.content).replace(b"nobody@", b"alex@")
    assert without_csrf(wrong.content) == same_address


def test_five_failures_pause_signing_in_for_that_address_from_that_address(alex):
    client = Client()
    for _ in range(4):
        assert sign_in(client, alex.email, "wrong wrong wrong").status_code == 200
    paused = sign_in(client, alex.email, "wrong wrong wrong")
    assert paused.status_code == 429

    response = sign_in(client, alex.email)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    assert b"15 minutes" in response.content
    assert b"reset your password" in response.content


def test_the_pause_page_is_the_same_whether_or_not_the_address_has_an_account(alex):
    for email in (alex.email, "nobody@example.org"):
        for _ in range(5):
            sign_in(Client(), email, "wrong wrong wrong")
    known = sign_in(Client(), alex.email, "wrong wrong wrong")
    unknown = sign_in(Client(), "nobody@example.org", "wrong wrong wrong")
    assert known.status_code == unknown.status_code == 429
    assert known.content == unknown.content


def test_a_pause_does_not_stop_the_partner_or_another_network(alex, sam, couple):
    for _ in range(5):
        sign_in(Client(), alex.email, "wrong wrong wrong")

    assert sign_in(Client(), sam.email).status_code == 302
    assert sign_in(Client(), alex.email, REMOTE_ADDR="10.0.0.2").status_code == 302
    assert sign_in(Client(), alex.email).status_code == 429


def test_changing_the_letter_case_does_not_buy_more_attempts(alex):
    for email in ("alex@example.org", "ALEX@example.org", "Alex@Example.org", "aLeX@example.org"):
        sign_in(Client(), email, "wrong wrong wrong")
    assert sign_in(Client(), "ALEX@EXAMPLE.ORG", "wrong wrong wrong").status_code == 429


def test_a_pause_ends_after_the_cool_off(alex, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    for _ in range(5):
        sign_in(Client(), alex.email, "wrong wrong wrong")

    time_machine.shift(timedelta(minutes=14))
    assert sign_in(Client(), alex.email).status_code == 429
    time_machine.shift(timedelta(minutes=1, seconds=1))
    assert sign_in(Client(), alex.email).status_code == 302


def test_trying_again_during_a_pause_does_not_make_it_longer(alex, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    for _ in range(5):
        sign_in(Client(), alex.email, "wrong wrong wrong")
    for _ in range(3):
        time_machine.shift(timedelta(minutes=5))
        sign_in(Client(), alex.email, "wrong wrong wrong")

    time_machine.shift(timedelta(seconds=1))
    assert sign_in(Client(), alex.email).status_code == 302


def test_resetting_the_password_ends_the_pause(alex):
    for _ in range(5):
        sign_in(Client(), alex.email, "wrong wrong wrong")

    reset_password(alex.email, NEW_PASSWORD)
    assert sign_in(Client(), alex.email, NEW_PASSWORD).status_code == 302


def test_a_signed_in_person_is_sent_on_from_the_login_page(alex):
    response = client_for(alex).get("/accounts/login/")
    assert response.status_code == 302


def test_signing_in_returns_to_the_page_asked_for_but_never_off_site(alex):
    inside = Client().post(
        "/accounts/login/?next=/accounts/", {"username": alex.email, "password": PASSWORD}
    )
    assert inside["Location"] == "/accounts/"
    data = {"username": alex.email, "password": PASSWORD, "next": "https://evil.example/"}
    outside = Client().post("/accounts/login/", data)
    assert outside["Location"] == "/"


# Sign-out and timeouts


def test_signing_out_ends_the_session_on_the_server(alex):
    client = Client()
    sign_in(client, alex.email)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not UserSession.objects.filter(session_key=cookie).exists()

    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert not is_signed_in(replay)


def test_signing_out_needs_a_post(alex):
    client = client_for(alex)
    assert client.get("/accounts/logout/").status_code == 405
    assert is_signed_in(client)


def test_an_idle_session_ends_after_the_idle_limit(alex, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    client = Client()
    sign_in(client, alex.email)
    assert is_signed_in(client)

    time_machine.shift(settings.SESSION_IDLE_SECONDS - 60)
    assert is_signed_in(client)
    time_machine.shift(settings.SESSION_IDLE_SECONDS + 1)
    response = client.get("/accounts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_active_session_still_ends_at_the_absolute_limit(alex, time_machine, settings):
    settings.SESSION_COOKIE_AGE = 60 * 60
    time_machine.move_to(timezone.now(), tick=False)
    client = Client()
    sign_in(client, alex.email)
    for _ in range(3):
        time_machine.shift(timedelta(minutes=19))
        assert is_signed_in(client)

    time_machine.shift(timedelta(minutes=4))
    assert not is_signed_in(client)


# Password reset


def reset_password(email: str, password: str) -> Client:
    """Ask for a reset link, follow it and choose `password`; returns the browser used."""
    client = Client()
    client.post("/accounts/password-reset/", {"email": email})
    link = emailed_path(mail.outbox[-1])
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})
    return client


def test_asking_for_a_password_reset_always_gives_the_same_answer(alex):
    known = Client().post("/accounts/password-reset/", {"email": alex.email}, follow=True)
    unknown = Client().post("/accounts/password-reset/", {"email": "x@example.org"}, follow=True)
    assert (
        known.redirect_chain == unknown.redirect_chain == [("/accounts/password-reset/sent/", 302)]
    )
    assert known.content == unknown.content
    assert [message.to for message in mail.outbox] == [["alex@example.org"]]


def test_the_password_reset_email_is_neutral_and_links_to_this_site(alex):
    Client().post("/accounts/password-reset/", {"email": "ALEX@example.org"})
    message = mail.outbox[0]
    assert message.subject == "Your Attunement password link"
    assert settings.SITE_URL + "/accounts/password-reset/" in str(message.body)
    assert "text/html" in [kind for _, kind in message.alternatives]
    assert "partner" not in str(message.body)


def test_a_password_reset_link_sets_a_new_password(alex):
    reset_password(alex.email, NEW_PASSWORD)
    alex.refresh_from_db()
    assert alex.check_password(NEW_PASSWORD)
    assert sign_in(Client(), alex.email, PASSWORD).status_code == 200
    assert sign_in(Client(), alex.email, NEW_PASSWORD).status_code == 302


def test_a_password_reset_link_works_once(alex):
    client = Client()
    client.post("/accounts/password-reset/", {"email": alex.email})
    link = emailed_path(mail.outbox[0])
    reset_password(alex.email, NEW_PASSWORD)
    response = client.get(link, follow=True)
    assert b"This link no longer works" in response.content


def test_a_password_reset_refuses_a_weak_password(alex):
    reset_password(alex.email, "short")
    alex.refresh_from_db()
    assert alex.check_password(PASSWORD)


def test_a_password_reset_signs_out_every_other_session(alex):
    elsewhere = Client()
    sign_in(elsewhere, alex.email)
    reset_password(alex.email, NEW_PASSWORD)
    assert not is_signed_in(elsewhere)
    assert not UserSession.objects.filter(
        session_key=elsewhere.cookies[settings.SESSION_COOKIE_NAME].value
    ).exists()


# The account page


@pytest.mark.parametrize(
    "path", ["/accounts/", "/accounts/login/", "/accounts/signup/", "/accounts/password-reset/"]
)
def test_account_pages_are_never_stored_by_the_browser(db, path):
    assert "no-store" in Client().get(path)["Cache-Control"]


def test_the_account_page_of_a_signed_in_person_is_never_stored(alex):
    assert "no-store" in client_for(alex).get("/accounts/")["Cache-Control"]


def test_no_account_page_moves_the_focus_past_the_quick_exit(alex):
    pages = ["/accounts/login/", "/accounts/signup/", "/accounts/password-reset/"]
    for page in pages:
        assert b"autofocus" not in Client().get(page).content
    assert b"autofocus" not in client_for(alex).get("/accounts/").content


def test_the_account_page_needs_a_signed_in_person(db):
    response = Client().get("/accounts/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/"


def test_the_account_page_shows_the_name_and_tokens(alex):
    ApiToken.issue(alex, "laptop script")
    response = client_for(alex).get("/accounts/")
    assert response.status_code == 200
    assert b"alex@example.org" in response.content
    assert b"laptop script" in response.content


def test_changing_the_name_shown_to_a_partner(alex):
    response = client_for(alex).post("/accounts/name/", {"display_name": "Lex"})
    assert response.status_code == 302
    alex.refresh_from_db()
    assert alex.display_name == "Lex"


def test_an_empty_name_is_refused(alex):
    response = client_for(alex).post("/accounts/name/", {"display_name": "  "})
    assert response.status_code == 200
    assert "display_name" in response.context["name_form"].errors
    alex.refresh_from_db()
    assert alex.display_name == "Alex"


def test_changing_the_password_keeps_this_session_and_ends_the_others(alex):
    here, elsewhere = Client(), Client()
    sign_in(here, alex.email)
    sign_in(elsewhere, alex.email)
    data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}

    response = here.post("/accounts/password/", data)
    assert response.status_code == 302
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)
    assert UserSession.objects.count() == 1


def test_changing_the_password_needs_the_current_one(alex):
    data = {"old_password": "a wrong guess!", "new_password1": NEW_PASSWORD}
    response = client_for(alex).post("/accounts/password/", {**data, "new_password2": NEW_PASSWORD})
    assert response.status_code == 200
    assert "old_password" in response.context["password_form"].errors
    alex.refresh_from_db()
    assert alex.check_password(PASSWORD)


def test_a_new_token_is_shown_once_and_stored_only_as_a_hash(alex):
    client = client_for(alex)
    response = client.post("/accounts/tokens/", {"name": "backup script"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.encode() in response.content
    token = ApiToken.objects.get(user=alex)
    assert token.token_hash == hash_secret(secret)
    assert secret.encode() not in client.get("/accounts/").content


def test_a_token_needs_a_name(alex):
    response = client_for(alex).post("/accounts/tokens/", {"name": ""})
    assert "name" in response.context["token_form"].errors
    assert not ApiToken.objects.exists()


def test_revoking_a_token(alex):
    token, _ = ApiToken.issue(alex, "old script")
    response = client_for(alex).post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_someone_elses_token_cannot_be_revoked(alex, sam):
    token, _ = ApiToken.issue(sam, "sam's script")
    response = client_for(alex).post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_signing_out_everywhere_ends_every_session_and_revokes_tokens(alex, sam):
    here, elsewhere, partner = Client(), Client(), Client()
    sign_in(here, alex.email)
    sign_in(elsewhere, alex.email)
    sign_in(partner, sam.email)
    ApiToken.issue(alex, "script")
    ApiToken.issue(sam, "script")

    response = here.post("/accounts/sign-out-everywhere/")
    assert response.status_code == 302
    assert not is_signed_in(here)
    assert not is_signed_in(elsewhere)
    assert is_signed_in(partner)
    assert list(ApiToken.objects.values_list("user", flat=True)) == [sam.pk]
    user_ids = {session.get_decoded().get(SESSION_KEY) for session in UserSession.objects.all()}
    assert str(alex.pk) not in user_ids


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/name/",
        "/accounts/password/",
        "/accounts/tokens/",
        "/accounts/sign-out-everywhere/",
    ],
)
def test_account_changes_need_a_post(alex, path):
    assert client_for(alex).get(path).status_code == 405
