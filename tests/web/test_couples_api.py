"""Pairing and sharing over the JSON API at /api/couple."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from attunement.web.accounts.models import ApiToken
from attunement.web.api import api
from attunement.web.couples import services
from attunement.web.couples.models import Couple, Invitation, Share, hash_token
from web.conftest import client_for

ENDPOINTS = [
    ("get", "/api/couple"),
    ("get", "/api/couple/invitations"),
    ("post", "/api/couple/invitations"),
    ("delete", "/api/couple/invitations/1"),
    ("post", "/api/couple/join"),
    ("post", "/api/couple/unpair"),
    ("get", "/api/couple/sharing"),
    ("put", "/api/couple/sharing"),
]


def call(client: Client, method: str, path: str, body: object = None):
    if body is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, body, content_type="application/json")


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_every_endpoint_needs_a_signed_in_person(method, path, db):
    assert call(client_for(None), method, path).status_code == 401


@pytest.mark.parametrize(("method", "path"), [e for e in ENDPOINTS if e[0] != "get"])
def test_a_session_without_csrf_token_cannot_change_anything(method, path, alex):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alex)
    assert call(client, method, path, {}).status_code == 403


def test_a_script_can_use_a_bearer_token(alex):
    _, secret = ApiToken.issue(alex, "script")
    response = Client().post("/api/couple/invitations", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 201


def declared(path: str, method: str) -> set[int]:
    return set(api.get_openapi_schema()["paths"][path][method]["responses"])


def test_every_endpoint_declares_its_error_responses():
    assert {401, 403, 409} <= declared("/api/couple/invitations", "post")
    assert {401, 403, 404} <= declared("/api/couple/invitations/{invitation_id}", "delete")
    assert {400, 401, 403, 404, 409, 422} <= declared("/api/couple/join", "post")
    assert {400, 401, 403, 409, 422} <= declared("/api/couple/sharing", "put")


# The couple


def test_an_unpaired_person_is_told_so(alex):
    response = client_for(alex).get("/api/couple")
    assert response.json() == {
        "paired": False,
        "partner_name": None,
        "since": None,
        "shared_instruments": [],
    }


def test_a_paired_person_sees_their_partners_name_and_what_they_share(alex, couple):
    services.set_sharing(alex, ["csi4"])
    body = client_for(alex).get("/api/couple").json()
    assert body["paired"] is True
    assert body["partner_name"] == "Sam"
    assert body["shared_instruments"] == ["csi4"]


# Invitations


def test_creating_an_invitation_returns_the_token_once_with_its_link(alex):
    client = client_for(alex)
    created = client.post("/api/couple/invitations")
    assert created.status_code == 201
    body = created.json()
    assert body["link"] == f"http://testserver/couple/join/{body['token']}/"
    assert Invitation.objects.get().token_hash == hash_token(body["token"])
    listed = client.get("/api/couple/invitations").json()
    assert [i["id"] for i in listed] == [body["id"]]
    assert "token" not in listed[0]


def test_an_invitation_expires_48_hours_after_it_is_made(alex):
    body = client_for(alex).post("/api/couple/invitations").json()
    invitation = Invitation.objects.get(pk=body["id"])
    assert invitation.expires - invitation.created == timedelta(hours=48)


def test_a_paired_person_cannot_create_an_invitation(alex, couple):
    response = client_for(alex).post("/api/couple/invitations")
    assert response.status_code == 409
    assert response.json()["code"] == "already_paired"
    assert not Invitation.objects.exists()


def test_withdrawing_an_invitation_makes_it_unusable(alex):
    invitation, token = services.invite(alex)
    response = client_for(alex).delete(f"/api/couple/invitations/{invitation.pk}")
    assert response.status_code == 204
    assert services.open_invitation(token) is None


def test_someone_elses_invitation_is_404_exactly_like_a_missing_one(alex, casey):
    invitation, token = services.invite(alex)
    theirs = client_for(casey).delete(f"/api/couple/invitations/{invitation.pk}")
    missing = client_for(casey).delete(f"/api/couple/invitations/{invitation.pk + 1000}")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    assert services.open_invitation(token) == invitation


def test_nobody_lists_anyone_elses_invitations(alex, casey):
    services.invite(alex)
    assert client_for(casey).get("/api/couple/invitations").json() == []


# Joining


def test_joining_pairs_the_invitee_with_the_inviter(alex, sam):
    _, token = services.invite(alex)
    response = client_for(sam).post("/api/couple/join", {"token": token}, "application/json")
    assert response.status_code == 200
    assert response.json()["partner_name"] == "Alex"
    assert services.partner_of(alex) == sam


def test_a_token_works_only_once(alex, sam, casey):
    _, token = services.invite(alex)
    client_for(sam).post("/api/couple/join", {"token": token}, "application/json")
    response = client_for(casey).post("/api/couple/join", {"token": token}, "application/json")
    assert response.status_code == 404
    assert services.partner_of(casey) is None


def test_an_expired_token_is_404(alex, sam):
    _, token = services.invite(alex)
    with time_machine.travel(timezone.now() + timedelta(hours=48, seconds=1)):
        response = client_for(sam).post("/api/couple/join", {"token": token}, "application/json")
    assert response.status_code == 404
    assert not Couple.objects.exists()


def test_an_unknown_token_is_404_like_a_used_one(alex, sam, casey):
    _, token = services.invite(alex)
    client_for(sam).post("/api/couple/join", {"token": token}, "application/json")
    used = client_for(casey).post("/api/couple/join", {"token": token}, "application/json")
    unknown = client_for(casey).post("/api/couple/join", {"token": "x" * 43}, "application/json")
    assert used.status_code == unknown.status_code == 404
    assert used.json() == unknown.json()


def test_the_inviter_cannot_join_their_own_invitation(alex):
    _, token = services.invite(alex)
    response = client_for(alex).post("/api/couple/join", {"token": token}, "application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "own_invitation"
    assert not Couple.objects.exists()


def test_an_already_paired_person_cannot_join(olive, casey, other_couple):
    _, token = services.invite(olive)
    response = client_for(casey).post("/api/couple/join", {"token": token}, "application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "already_paired"
    assert services.partner_of(olive) is None


@pytest.mark.parametrize("token", ["", "short", "has spaces in it but is long enough", "x" * 101])
def test_a_malformed_token_is_422(token, sam):
    response = client_for(sam).post("/api/couple/join", {"token": token}, "application/json")
    assert response.status_code == 422


# Unpairing


def test_unpairing_ends_the_couple_and_every_share(alex, sam, couple):
    services.set_sharing(alex, ["csi4"])
    services.set_sharing(sam, ["ucla3"])
    response = client_for(sam).post("/api/couple/unpair")
    assert response.status_code == 200
    assert response.json()["paired"] is False
    assert not Share.objects.exists()
    assert services.partner_of(alex) is None


def test_unpairing_without_a_partner_is_409(alex):
    response = client_for(alex).post("/api/couple/unpair")
    assert response.status_code == 409
    assert response.json()["code"] == "not_paired"


# Sharing


def test_the_sharing_list_never_offers_a_safety_screen(alex, couple):
    body = client_for(alex).get("/api/couple/sharing").json()
    offered = [i["id"] for i in body["shareable"]]
    assert "csi4" in offered
    assert "hark" not in offered
    assert "asq" not in offered
    assert body == {"paired": True, "instruments": [], "shareable": body["shareable"]}


def test_putting_instruments_shares_exactly_those(alex, sam, couple):
    client = client_for(alex)
    client.put("/api/couple/sharing", {"instruments": ["csi4", "ucla3"]}, "application/json")
    response = client.put("/api/couple/sharing", {"instruments": ["ucla3"]}, "application/json")
    assert response.status_code == 200
    assert response.json()["instruments"] == ["ucla3"]
    assert services.shared_scores_visible_to(sam) == ["ucla3"]


@pytest.mark.parametrize("instrument_id", ["hark", "asq", "diary", ""])
def test_sharing_a_screen_or_unknown_instrument_is_422(instrument_id, alex, couple):
    body = {"instruments": ["csi4", instrument_id]}
    response = client_for(alex).put("/api/couple/sharing", body, "application/json")
    assert response.status_code == 422
    assert not Share.objects.exists()


def test_sharing_without_a_partner_is_409(alex):
    body = {"instruments": ["csi4"]}
    response = client_for(alex).put("/api/couple/sharing", body, "application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "not_paired"


def test_the_openapi_schema_lists_the_shareable_instruments():
    schema = api.get_openapi_schema()["components"]["schemas"]["SharingIn"]
    assert "hark" not in schema["properties"]["instruments"]["items"]["enum"]
    assert "csi4" in schema["properties"]["instruments"]["items"]["enum"]
