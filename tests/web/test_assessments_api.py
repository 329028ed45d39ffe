"""The answers API: my own progress, answers and scores; never anyone else's."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from attunement.instruments import library
from attunement.web.accounts.models import ApiToken
from attunement.web.assessments import services
from attunement.web.assessments.models import Answer

from .conftest import client_for

ALL_NO_HARK = {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0}
ALL_NO_ASQ = {"1": 0, "2": 0, "3": 0, "4": 0}


def put(client: Client, instrument_id: str, answers: object, **extra: str):
    body = json.dumps({"answers": answers})
    return client.put(
        f"/api/answers/{instrument_id}", body, content_type="application/json", **extra
    )


def stored(person, instrument_id):
    rows = Answer.objects.filter(owner=person, instrument=instrument_id)
    return {row.item: row.value for row in rows}


def answer_screens(person) -> None:
    services.save_page(person, library.get("hark"), ALL_NO_HARK)
    services.save_page(person, library.get("asq"), ALL_NO_ASQ)


# Progress


def test_progress_lists_every_part_in_asking_order_with_counts(alex):
    services.save_page(alex, library.get("hark"), ALL_NO_HARK)
    body = client_for(alex).get("/api/answers").json()
    assert [p["instrument"] for p in body["parts"]] == [i.id for i in services.battery()]
    assert body["parts"][0] == {
        "instrument": "hark",
        "title": library.get("hark").title,
        "part": 1,
        "answered": 5,
        "askable": 5,
        "complete": True,
    }
    assert body["answered"] == 5
    assert body["next_page"] == "/check/asq/1/"


# Reading answers


def test_my_answers_to_a_part_come_back_in_item_order(alex):
    services.save_page(alex, library.get("csi4"), {"4": 2, "1": 3})
    body = client_for(alex).get("/api/answers/csi4").json()
    assert body["answers"] == {"1": 3, "4": 2}
    assert list(body["answers"]) == ["1", "4"]
    assert body["complete"] is False
    assert body["asked"] == ["1", "2", "3", "4"]


def test_an_unknown_part_is_not_found(alex):
    client = client_for(alex)
    assert client.get("/api/answers/nothing").status_code == 404
    assert put(client, "nothing", {"1": 1}).status_code == 404


# Saving answers


def test_put_saves_the_answers_and_returns_every_answer_of_the_part(alex):
    client = client_for(alex)
    put(client, "csi4", {"1": 3, "2": 2})
    response = put(client, "csi4", {"4": None, "3": 4})
    assert response.status_code == 200
    assert response.json()["answers"] == {"1": 3, "2": 2, "3": 4, "4": None}
    assert list(response.json()["answers"]) == ["1", "2", "3", "4"]
    assert response.json()["complete"] is True
    assert stored(alex, "csi4") == {"1": 3, "2": 2, "3": 4, "4": None}


@pytest.mark.parametrize(
    ("instrument_id", "answers", "message"),
    [
        ("hark", {"H": 7}, "hark: item 'H' (value 7): out of range 0–1"),
        ("hark", {"H": 0, "A": None}, "hark: item 'A': is required but was not answered"),
        ("csi4", {"9": 1}, "csi4: item '9' (value 1): unknown item"),
        ("asq", {**ALL_NO_ASQ, "5": 1}, "asq: item '5' (value 1): answered, but it is only"),
    ],
)
def test_a_bad_answer_is_422_with_the_scoring_rules_message_and_saves_nothing(
    alex, instrument_id, answers, message
):
    response = put(client_for(alex), instrument_id, answers)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(message)
    assert stored(alex, instrument_id) == {}


def test_one_bad_answer_saves_none_of_the_good_ones_beside_it(alex):
    services.save_page(alex, library.get("csi4"), {"1": 3})
    response = put(client_for(alex), "csi4", {"1": 5, "2": 4, "3": 42})
    assert response.status_code == 422
    assert stored(alex, "csi4") == {"1": 3}


@pytest.mark.parametrize("value", ["3", True, 2.5, [1]])
def test_an_answer_that_is_not_a_whole_number_is_422(alex, value):
    response = put(client_for(alex), "csi4", {"1": value})
    assert response.status_code == 422
    assert stored(alex, "csi4") == {}


@pytest.mark.parametrize("answers", [[1, 2], "all", {"x" * 21: 1}, {"bad id": 1}])
def test_a_body_of_the_wrong_shape_is_422(alex, answers):
    assert put(client_for(alex), "csi4", answers).status_code == 422


def test_saving_a_no_after_a_yes_drops_the_answer_to_a_question_no_longer_asked(alex):
    client = client_for(alex)
    put(client, "asq", {**ALL_NO_ASQ, "1": 1})
    put(client, "asq", {"5": 0})
    response = put(client, "asq", {"1": 0})
    assert response.json()["answers"] == ALL_NO_ASQ
    assert "5" not in response.json()["asked"]


def test_completing_a_positive_screen_points_to_the_private_help_page(alex):
    response = put(client_for(alex), "hark", {**ALL_NO_HARK, "R": 1})
    assert response.json()["help_page"] == "/check/help/"


def test_a_negative_screen_points_nowhere(alex):
    response = put(client_for(alex), "hark", ALL_NO_HARK)
    assert response.json()["help_page"] is None


def test_after_an_acute_screen_only_the_screens_can_be_saved(alex):
    client = client_for(alex)
    put(client, "asq", {**ALL_NO_ASQ, "4": 1})
    assert put(client, "asq", {"5": 1}).json()["help_page"] == "/check/help/"
    response = put(client, "csi4", {"1": 3})
    assert response.status_code == 403
    assert "/check/help/" in response.json()["detail"]
    assert stored(alex, "csi4") == {}


# Scores


def test_scores_are_listed_for_complete_questionnaires_only(alex):
    answer_screens(alex)
    services.save_page(alex, library.get("csi4"), {"1": 5, "2": 4, "3": 4, "4": 4})
    services.save_page(alex, library.get("ucla3"), {"1": 1})
    body = client_for(alex).get("/api/answers/scores").json()
    assert [s["instrument"] for s in body] == ["csi4"]
    assert body[0]["scales"] == [
        {
            "id": "total",
            "title": "Relationship satisfaction",
            "value": 17.0,
            "min": 0.0,
            "max": 21.0,
            "band": "no notable dissatisfaction",
            "band_source": "published",
            "description": library.get("csi4").scale("total").description,
        }
    ]


def test_safety_screens_are_never_among_the_scores(alex):
    services.save_page(alex, library.get("hark"), {**ALL_NO_HARK, "H": 1})
    services.save_page(alex, library.get("asq"), ALL_NO_ASQ)
    assert client_for(alex).get("/api/answers/scores").json() == []


# Who may read and write


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/answers"),
        ("get", "/api/answers/scores"),
        ("get", "/api/answers/csi4"),
        ("put", "/api/answers/csi4"),
    ],
)
def test_every_endpoint_needs_a_signed_in_person_or_a_token(db, method, path):
    client = Client()
    response = put(client, "csi4", {"1": 2}) if method == "put" else client.get(path)
    assert response.status_code == 401


def test_a_token_reads_and_writes_its_own_persons_answers(alex):
    _, secret = ApiToken.issue(alex, "script")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert put(client, "csi4", {"1": 2}).status_code == 200
    assert client.get("/api/answers/csi4").json()["answers"] == {"1": 2}
    assert stored(alex, "csi4") == {"1": 2}


def test_a_browser_session_needs_the_csrf_token_to_save(alex):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alex)
    assert put(client, "csi4", {"1": 2}).status_code == 403
    assert stored(alex, "csi4") == {}


def test_another_persons_client_never_reads_my_answers_or_scores(alex, sam, couple):
    answer_screens(alex)
    services.save_page(alex, library.get("csi4"), {"1": 5, "2": 4, "3": 4, "4": 4})
    client = client_for(sam)
    assert client.get("/api/answers/csi4").json()["answers"] == {}
    assert client.get("/api/answers/hark").json()["answers"] == {}
    assert client.get("/api/answers/scores").json() == []
    assert client.get("/api/answers").json()["answered"] == 0


def test_another_persons_token_writes_only_to_its_own_person(alex, sam):
    services.save_page(alex, library.get("csi4"), {"1": 5})
    _, secret = ApiToken.issue(sam, "script")
    put(Client(HTTP_AUTHORIZATION=f"Bearer {secret}"), "csi4", {"1": 0})
    assert stored(alex, "csi4") == {"1": 5}
    assert stored(sam, "csi4") == {"1": 0}


def test_another_persons_private_help_page_is_not_found(alex, sam, couple):
    services.save_page(alex, library.get("hark"), {**ALL_NO_HARK, "A": 1})
    assert client_for(alex).get("/check/help/").status_code == 200
    assert client_for(sam).get("/check/help/").status_code == 404
