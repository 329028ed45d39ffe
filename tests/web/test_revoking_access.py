"""A new password, changed or reset, locks out every other way in: sessions and API tokens.

Also how stored sessions are found by person (never by decoding everyone's), and the
privacy page's list of API tokens.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from attunement.web.accounts.models import ApiToken, UserSession, end_sessions
from web.conftest import PASSWORD, client_for, make_user
from web.test_accounts import NEW_PASSWORD, emailed_path, is_signed_in, reset_password, sign_in
from web.test_privacy import text_of

CHANGE = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}


def api_status(secret: str) -> int:
    return Client().get("/api/account", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code


def signed_in(email: str) -> Client:
    client = Client()
    assert sign_in(client, email).status_code == 302
    return client


def test_changing_the_password_revokes_every_token_and_signs_out_other_devices(alex, sam):
    here, elsewhere, partner = signed_in(alex.email), signed_in(alex.email), signed_in(sam.email)
    _token, secret = ApiToken.issue(alex, "backup script")
    _theirs, sams_secret = ApiToken.issue(sam, "sam's script")
    assert api_status(secret) == 200

    response = here.post("/accounts/password/", CHANGE, follow=True)

    assert "API tokens no longer work" in text_of(response)
    assert api_status(secret) == 401
    assert not ApiToken.objects.filter(user=alex).exists()
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)
    assert is_signed_in(partner)
    assert api_status(sams_secret) == 200
    assert list(UserSession.objects.filter(user=alex)) == [
        UserSession.objects.get(session_key=here.session.session_key)
    ]


def test_resetting_the_password_revokes_every_token_and_signs_out_every_device(alex, sam):
    elsewhere, partner = signed_in(alex.email), signed_in(sam.email)
    _token, secret = ApiToken.issue(alex, "backup script")
    _theirs, sams_secret = ApiToken.issue(sam, "sam's script")

    reset_password(alex.email, NEW_PASSWORD)

    alex.refresh_from_db()
    assert alex.check_password(NEW_PASSWORD)
    assert api_status(secret) == 401
    assert not is_signed_in(elsewhere)
    assert not UserSession.objects.filter(user=alex).exists()
    assert is_signed_in(partner)
    assert api_status(sams_secret) == 200


def test_a_failed_password_change_revokes_nothing(alex):
    here, elsewhere = signed_in(alex.email), signed_in(alex.email)
    _token, secret = ApiToken.issue(alex, "backup script")
    here.post("/accounts/password/", {**CHANGE, "old_password": "not my password at all"})
    assert api_status(secret) == 200
    assert is_signed_in(elsewhere)


def test_a_stored_session_names_its_person_only_once_signed_in(alex):
    client = Client()
    client.post("/accounts/password-reset/", {"email": alex.email})
    client.get(emailed_path(mail.outbox[-1]))
    # Django's reset view keeps its token in an anonymous session: no person yet.
    assert UserSession.objects.filter(user=None).exists()
    sign_in(client, alex.email)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert UserSession.objects.get(session_key=key).user == alex


def test_ending_a_persons_sessions_reads_only_theirs(alex, monkeypatch):
    """The same queries however many sessions others have; nobody's session is decoded."""

    def queries_with(others: int) -> list[str]:
        for n in range(others):
            signed_in(make_user(f"person{others}-{n}@example.org", f"P{n}").email)
        signed_in(alex.email)
        with CaptureQueriesContext(connection) as captured:
            assert end_sessions(alex) == 1
        return [q["sql"] for q in captured.captured_queries]

    monkeypatch.setattr(SessionBase, "decode", refuse_to_decode)
    few, many = queries_with(1), queries_with(12)
    assert len(few) == len(many)
    reads = [sql for sql in many if sql.startswith("SELECT") and "accounts_usersession" in sql]
    assert reads
    assert all('"user_id" = ' in sql for sql in reads)


def refuse_to_decode(self: SessionBase, session_data: str) -> dict[str, object]:
    raise AssertionError("a stored session was decoded")


def test_ending_a_persons_sessions_leaves_everyone_elses(alex, sam):
    partner = signed_in(sam.email)
    signed_in(alex.email)
    end_sessions(alex)
    assert is_signed_in(partner)


# API tokens on the privacy page


def test_the_privacy_page_lists_tokens_without_their_secrets(alex):
    token, secret = ApiToken.issue(alex, "backup script")
    client = client_for(alex)
    client.get("/api/account", HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.get("/privacy/")
    page = text_of(response)
    assert "backup script" in page
    assert f'action="/privacy/tokens/{token.pk}/revoke/"' in page
    assert secret not in page
    assert token.token_hash not in page
    assert "Never" not in page  # it has been used


def test_a_person_without_tokens_is_told_so(alex):
    assert "You have no API tokens" in text_of(client_for(alex).get("/privacy/"))


def test_revoking_a_token_from_the_privacy_page_refuses_it_at_once(alex):
    token, secret = ApiToken.issue(alex, "backup script")
    _other, kept = ApiToken.issue(alex, "phone script")
    response = client_for(alex).post(f"/privacy/tokens/{token.pk}/revoke/", follow=True)
    assert response.redirect_chain[-1][0] == "/privacy/"
    assert "That API token is revoked" in text_of(response)
    assert api_status(secret) == 401
    assert api_status(kept) == 200


@pytest.mark.parametrize("method", ["get", "post"])
def test_someone_elses_token_cannot_be_revoked_from_the_privacy_page(alex, sam, method):
    token, secret = ApiToken.issue(alex, "backup script")
    response = getattr(client_for(sam), method)(f"/privacy/tokens/{token.pk}/revoke/")
    assert response.status_code == (405 if method == "get" else 404)
    assert api_status(secret) == 200
