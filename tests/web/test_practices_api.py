"""Practice drafts over JSON: mine only, saved step by step, and never overwritten unseen."""

from __future__ import annotations

import json

from django.test import Client

from attunement.practices import flows
from attunement.web.practices import services
from attunement.web.practices.models import Draft
from attunement.web.vault import services as vault
from web.conftest import client_for
from web.test_journal import CANARY, rows_containing

WHEEL = flows.get("feedback_wheel")


def send(client: Client, method: str, path: str, body: object = None):
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, path, data, content_type="application/json")


def test_a_draft_is_started_answered_and_kept_through_the_api(alex):
    client = client_for(alex)
    started = send(client, "POST", "/api/practices/drafts", {"flow": "feedback_wheel"})
    assert started.status_code == 201
    draft = started.json()
    assert (draft["answers"], draft["message"], draft["finished"]) == ({}, "", None)

    path = f"/api/practices/drafts/{draft['id']}"
    saved = send(client, "PUT", f"{path}/answers/saw", {"answer": "  you left early  "})
    assert saved.status_code == 200
    assert saved.json()["answers"] == {"saw": "you left early"}
    assert "What I noticed was that you left early." in saved.json()["composed"]
    kept = send(client, "PUT", f"{path}/message", {"message": "I missed you tonight."})
    assert kept.status_code == 200
    assert kept.json()["message"] == "I missed you tonight." and kept.json()["finished"]
    assert kept.json()["sent_to_partner"] is False  # keeping never sends
    assert [d["id"] for d in client.get("/api/practices/drafts").json()] == [draft["id"]]


def test_a_stale_answer_is_409_with_the_current_draft_and_nothing_is_saved(alex):
    client = client_for(alex)
    draft = services.start(alex, "feedback_wheel")
    path = f"/api/practices/drafts/{draft.pk}"
    version = client.get(path).json()["version"]
    laptop = {"answer": "from the laptop", "version": version}
    assert send(client, "PUT", f"{path}/answers/saw", laptop).status_code == 200

    phone = {"answer": "from the phone", "version": version}
    response = send(client, "PUT", f"{path}/answers/saw", phone)

    assert response.status_code == 409
    assert response.json()["current"]["answers"] == {"saw": "from the laptop"}
    assert "nothing was saved" in response.json()["detail"]
    assert client.get(path).json()["answers"] == {"saw": "from the laptop"}
    fresh = {**phone, "version": response.json()["current"]["version"]}
    assert send(client, "PUT", f"{path}/answers/saw", fresh).json()["answers"] == {
        "saw": "from the phone"
    }


def test_a_stale_message_is_409_with_the_current_draft(alex):
    client = client_for(alex)
    draft = services.start(alex, "feedback_wheel")
    path = f"/api/practices/drafts/{draft.pk}"
    version = client.get(path).json()["version"]
    services.keep(services.find(alex, draft.pk), "Kept on the laptop.")

    response = send(client, "PUT", f"{path}/message", {"message": "Mine.", "version": version})

    assert response.status_code == 409
    assert response.json()["current"]["message"] == "Kept on the laptop."
    assert Draft.objects.get(pk=draft.pk).message == "Kept on the laptop."


def test_without_a_version_a_save_goes_through_and_keeps_the_other_steps(alex):
    client = client_for(alex)
    draft = services.start(alex, "feedback_wheel")
    services.answer(draft, WHEEL.step(1), "first step")
    path = f"/api/practices/drafts/{draft.pk}"

    response = send(client, "PUT", f"{path}/answers/feel", {"answer": "lonely"})

    assert response.status_code == 200
    assert response.json()["answers"] == {"saw": "first step", "feel": "lonely"}


def test_an_empty_answer_clears_the_step(alex):
    draft = services.start(alex, "feedback_wheel")
    services.answer(draft, WHEEL.step(1), "first step")
    path = f"/api/practices/drafts/{draft.pk}/answers/saw"
    assert send(client_for(alex), "PUT", path, {"answer": " "}).json()["answers"] == {}


def test_someone_else_s_draft_and_a_step_the_practice_lacks_are_not_found(alex, sam, couple):
    draft = services.start(alex, "feedback_wheel")
    path = f"/api/practices/drafts/{draft.pk}"
    missing = f"/api/practices/drafts/{draft.pk + 1000}"
    for method, suffix, body in [
        ("GET", "", None),
        ("PUT", "/answers/saw", {"answer": "mine now"}),
        ("PUT", "/message", {"message": "mine now"}),
    ]:
        theirs = send(client_for(sam), method, path + suffix, body)
        nothing = send(client_for(sam), method, missing + suffix, body)
        assert theirs.status_code == 404
        assert (theirs.status_code, theirs.content) == (nothing.status_code, nothing.content)
    lacking = send(client_for(alex), "PUT", f"{path}/answers/habit", {"answer": "x"})
    assert lacking.status_code == 404
    assert Draft.objects.get(pk=draft.pk).answers == {}


def test_bad_input_is_refused_by_name_and_nothing_is_saved(alex):
    client = client_for(alex)
    draft = services.start(alex, "feedback_wheel")
    path = f"/api/practices/drafts/{draft.pk}"
    too_long = {"answer": "x" * (flows.ANSWER_MAX_LENGTH + 1)}
    for method, where, body in [
        ("POST", "/api/practices/drafts", {"flow": "no_such_flow"}),
        ("PUT", f"{path}/answers/saw", too_long),
        ("PUT", f"{path}/message", {"message": "  "}),
        ("PUT", f"{path}/message", {"message": "fine", "version": "yesterday"}),
        ("PUT", f"{path}/message", {"message": "fine", "version": "5"}),
        ("PUT", f"{path}/answers/saw", {"answer": "x", "version": True}),
    ]:
        response = send(client, method, where, body)
        assert response.status_code == 422, (where, body)
    assert "no_such_flow" in json.dumps(
        send(client, "POST", "/api/practices/drafts", {"flow": "no_such_flow"}).json()
    )
    assert Draft.objects.count() == 1
    assert (Draft.objects.get().answers, Draft.objects.get().message) == ({}, "")


def test_an_unreadable_draft_says_so_and_refuses_changes(alex):
    draft = services.start(alex, "feedback_wheel")
    services.answer(draft, WHEEL.step(1), "locked away")
    vault.forget_key(alex)
    client = client_for(alex)
    path = f"/api/practices/drafts/{draft.pk}"

    found = client.get(path).json()
    refused = send(client, "PUT", f"{path}/answers/saw", {"answer": "again"})

    assert (found["readable"], found["answers"], found["composed"]) == (False, {}, "")
    assert refused.status_code == 400 and "can no longer be read" in refused.json()["detail"]


def test_what_the_api_writes_is_stored_only_as_ciphertext(alex):
    client = client_for(alex)
    draft = send(client, "POST", "/api/practices/drafts", {"flow": "feedback_wheel"}).json()
    path = f"/api/practices/drafts/{draft['id']}"
    send(client, "PUT", f"{path}/answers/saw", {"answer": f"{CANARY} answer"})
    send(client, "PUT", f"{path}/message", {"message": f"{CANARY} message"})
    assert rows_containing(CANARY) == []


def test_the_published_schema_states_the_limits_and_the_conflict(db):
    document = Client().get("/api/openapi.json").json()
    fields = document["components"]["schemas"]["AnswerIn"]["properties"]
    assert fields["answer"]["maxLength"] == flows.ANSWER_MAX_LENGTH
    operation = document["paths"]["/api/practices/drafts/{draft_id}/message"]["put"]
    assert "409" in operation["responses"]
