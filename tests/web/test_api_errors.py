"""Every answer under /api/ is JSON: wrong methods, nobody signed in, a full disk, huge bodies."""

from __future__ import annotations

import errno
import logging
import sqlite3

import pytest
from django.db import OperationalError
from django.test import Client

from attunement.web.journal import services as journal

from .conftest import client_for


def json_detail(response) -> str:
    assert response["Content-Type"].startswith("application/json"), response.content
    return response.json()["detail"]


def test_a_method_a_route_does_not_take_is_405_in_json(alex):
    response = client_for(alex).delete("/api/account")

    assert response.status_code == 405
    assert json_detail(response)
    assert "GET" in response["Allow"]


def test_an_unknown_api_address_is_404_in_json(db):
    response = Client().get("/api/no/such/thing")

    assert response.status_code == 404
    assert json_detail(response)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/account", None),
        ("put", "/api/couple/sharing", {"instruments": ["csi4"]}),
        ("post", "/api/journal", {"body": "x"}),
        ("post", "/api/account/tokens", {"name": "mine"}),
        ("delete", "/api/journal/1", None),
    ],
)
def test_a_call_from_nobody_is_401_in_json_even_a_write(db, method, path, body):
    client = Client(enforce_csrf_checks=True)

    response = getattr(client, method)(path, body, content_type="application/json")

    assert response.status_code == 401
    assert json_detail(response)


def test_a_signed_in_browser_write_without_its_csrf_token_is_still_refused(alex, couple):
    client = client_for(alex)
    client.handler.enforce_csrf_checks = True

    response = client.post("/api/account/tokens", {"name": "x"}, content_type="application/json")

    assert response.status_code == 403


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("database or disk is full"),
        sqlite3.OperationalError("database or disk is full"),
        OSError(errno.ENOSPC, "No space left on device"),
    ],
)
def test_a_full_disk_is_503_in_json_and_nothing_is_saved(alex, monkeypatch, error):
    def full(*args, **kwargs):
        raise error

    monkeypatch.setattr(journal, "write", full)

    response = client_for(alex).post("/api/journal", {"body": "x"}, content_type="application/json")

    assert response.status_code == 503
    assert "storage" in json_detail(response)
    assert journal.entries(alex) == []


def test_any_other_failure_is_500_in_json(alex, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(journal, "write", broken)
    client = client_for(alex)
    client.raise_request_exception = False

    response = client.post("/api/journal", {"body": "x"}, content_type="application/json")

    assert response.status_code == 500
    assert json_detail(response)


def test_an_oversized_api_body_is_413_in_json_and_one_log_line(alex, settings, caplog):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    caplog.set_level(logging.WARNING)

    response = client_for(alex).post(
        "/api/journal", {"body": "x" * 5000}, content_type="application/json"
    )

    assert response.status_code == 413
    assert json_detail(response)
    assert [r.exc_info for r in caplog.records if "too large" in r.getMessage()] == [None]


def test_an_oversized_page_post_is_logged_without_a_traceback(alex, settings, caplog):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = client_for(alex)
    client.raise_request_exception = False
    caplog.set_level(logging.WARNING)

    response = client.post("/journal/new/", {"body": "x" * 5000})

    assert response.status_code == 400
    records = [r for r in caplog.records if r.name == "django.security.RequestDataTooBig"]
    assert len(records) == 1
    assert records[0].exc_info is None and records[0].exc_text is None


def test_the_answers_schema_refuses_keys_outside_the_item_pattern(db):
    document = Client().get("/api/openapi.json").json()
    answers = document["components"]["schemas"]["AnswersIn"]["properties"]["answers"]

    assert answers["additionalProperties"] is False
    assert list(answers["patternProperties"]) == ["^[A-Za-z0-9_.-]+$"]


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/account/tokens", {"name": "laptop\x00"}),
        ("/api/account/tokens", {"name": "laptop", "\x00extra": 1}),
        ("/api/journal", {"body": "a line", "title": ["\x00"]}),
    ],
)
def test_a_nul_character_anywhere_in_a_body_is_422_naming_it_and_nothing_is_saved(alex, path, body):
    from attunement.web.accounts.models import ApiToken

    response = client_for(alex).post(path, body, content_type="application/json")

    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["type"] == "nul_character"
    assert problem["loc"][0] == "body"
    assert "NUL" in problem["msg"]
    assert not ApiToken.objects.filter(user=alex).exists()
    assert journal.entries(alex) == []


def test_no_two_api_schemas_share_a_published_name():
    """The OpenAPI document keeps one component per class name: a second class of the
    same name elsewhere would be silently hidden (as a second `Refusal` once was)."""
    import importlib
    import inspect
    import pkgutil

    from ninja import Schema

    import attunement.web

    seen: dict[str, str] = {}
    for found in pkgutil.walk_packages(attunement.web.__path__, "attunement.web."):
        if not (found.name.endswith(".api") or found.name.endswith(".api_schemas")):
            continue
        module = importlib.import_module(found.name)
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, Schema) and value is not Schema:
                where = f"{value.__module__}.{value.__qualname__}"
                assert seen.setdefault(name, where) == where, (name, seen[name], where)
    assert "Refusal" in seen


def test_the_refusal_lists_every_code_the_api_answers_with(db):
    from attunement.web.api import api

    refusal = api.get_openapi_schema()["components"]["schemas"]["Refusal"]
    described = refusal["properties"]["code"]["description"]
    for code in ("already_paired", "not_paired", "own_invitation", "too_many_invitations"):
        assert code in described
