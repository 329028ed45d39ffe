"""The account API: who am I, and API tokens."""

from __future__ import annotations

import pytest
from django.test import Client

from attunement.web.accounts.models import ApiToken, hash_secret

from .conftest import client_for


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_me_answers_with_the_signed_in_person(alex):
    response = client_for(alex).get("/api/account")
    assert response.status_code == 200
    assert response.json() == {"id": alex.pk, "email": "alex@example.org", "display_name": "Alex"}


def test_me_needs_authentication(db):
    response = Client().get("/api/account")
    assert response.status_code == 401


def test_an_api_answer_is_never_stored_by_the_browser(alex):
    assert "no-store" in client_for(alex).get("/api/account")["Cache-Control"]


def test_creating_a_token_returns_its_secret_once(alex):
    client = client_for(alex)
    response = client.post(
        "/api/account/tokens", {"name": "backup"}, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "backup"
    assert ApiToken.objects.get(pk=body["id"]).token_hash == hash_secret(body["secret"])

    listed = client.get("/api/account/tokens").json()
    assert [token["name"] for token in listed] == ["backup"]
    assert "secret" not in listed[0]


def test_a_token_works_and_stops_working_once_revoked(alex):
    token, secret = ApiToken.issue(alex, "script")
    response = Client().get("/api/account", headers=bearer(secret))
    assert response.status_code == 200
    assert response.json()["email"] == "alex@example.org"
    token.refresh_from_db()
    assert token.last_used is not None

    response = Client().delete(f"/api/account/tokens/{token.pk}", headers=bearer(secret))
    assert response.status_code == 204
    assert Client().get("/api/account", headers=bearer(secret)).status_code == 401


def test_a_made_up_token_is_refused(db):
    assert Client().get("/api/account", headers=bearer("att_made_up")).status_code == 401


def test_a_token_cannot_create_more_tokens(alex):
    _, secret = ApiToken.issue(alex, "script")
    response = Client().post(
        "/api/account/tokens",
        {"name": "another"},
        content_type="application/json",
        headers=bearer(secret),
    )
    assert response.status_code == 401
    assert ApiToken.objects.count() == 1


def test_creating_a_token_from_the_browser_needs_the_csrf_token(alex):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alex)
    response = client.post("/api/account/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


# The limit holds for the name as sent: 60 characters after a line break are 61.
@pytest.mark.parametrize("name", ["", "   ", "x" * 61, "\r" + "*" * 60])
def test_a_token_name_must_be_short_and_not_blank(alex, name):
    response = client_for(alex).post(
        "/api/account/tokens", {"name": name}, content_type="application/json"
    )
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_someone_elses_token_is_not_found_like_a_missing_one(alex, sam):
    theirs, _ = ApiToken.issue(sam, "sam's script")
    client = client_for(alex)
    other = client.delete(f"/api/account/tokens/{theirs.pk}")
    missing = client.delete(f"/api/account/tokens/{theirs.pk + 1000}")
    assert other.status_code == missing.status_code == 404
    assert other.content == missing.content
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_the_schema_declares_the_error_answers(db):
    paths = Client().get("/api/openapi.json").json()["paths"]
    assert set(paths["/api/account/tokens"]["post"]["responses"]) == {
        "201",
        "400",
        "401",
        "403",
        "413",
        "422",
        "429",
        "503",
    }
    assert set(paths["/api/account/tokens/{token_id}"]["delete"]["responses"]) >= {"401", "404"}
    schema = Client().get("/api/openapi.json").json()["components"]["schemas"]["TokenIn"]
    assert schema["properties"]["name"]["maxLength"] == 60
