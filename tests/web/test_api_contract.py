"""The JSON API keeps its published contract: property-based tests from /api/openapi.json.

Schemathesis generates requests for every operation in the OpenAPI document that
the app itself serves, sends them as a paired person with answers, and runs every
check schemathesis has on every response: no server error, a declared status code,
headers and body; schema-valid data accepted and invalid data refused; and the
credentials really required (each request is also sent without them, and with
made-up ones, expecting 401).

How the requests reach the app (schemathesis 4): `schemathesis.openapi.from_wsgi`,
in-process, with no server or port. The WSGI callable is not Django's production
WSGIHandler but Django's own test handler (`django.test.client.ClientHandler`,
which `django.test.Client` uses) behind a five-line WSGI adapter, because:

- the production handler fires `request_started`/`request_finished`, whose
  `close_old_connections` ends pytest-django's per-test transaction half way
  through a test; the test handler disconnects them, exactly as `Client` does;
- it skips CSRF enforcement, as `Client` does, so writes with a bearer token reach
  their handlers and their bodies are fuzzed. (How bearer writes fare with CSRF
  enforced is tested on its own below: see `test_a_bearer_token_can_write_...`.)

`from_dict` with a hand-written call through `django.test.Client` would work too,
but would mean re-implementing the request serialisation schemathesis already
does for WSGI; `from_asgi` would add an event loop and async DB access for nothing.
The schema is loaded once, at import, from the running app rather than from
`api.get_openapi_schema()`, so what is tested is what clients download.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from django.test.client import ClientHandler
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import Case, HookContext

from attunement.instruments import library
from attunement.instruments.model import Instrument
from attunement.web.accounts.models import ApiToken, User
from attunement.web.assessments import services as answers
from attunement.web.couples import services as couples

from .conftest import client_for

_handler = ClientHandler(enforce_csrf_checks=False)


def django_test_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Django's test request handler as a WSGI application (see the module docstring)."""
    response = _handler(environ)
    cookies = [("Set-Cookie", c.OutputString()) for c in response.cookies.values()]
    start_response(
        f"{response.status_code} {response.reason_phrase}", [*response.items(), *cookies]
    )
    if response.streaming:  # the export is streamed
        return [b"".join(response.streaming_content)]
    return [response.content]


WEB_DIR = Path(__file__).resolve().parents[2] / "src" / "attunement" / "web"
# URL prefix under /api/ -> the module whose `router` is mounted there (see attunement/web/api.py).
MOUNTS = {
    "account": "attunement.web.accounts.api",
    "couple": "attunement.web.couples.api",
    "answers": "attunement.web.assessments.api",
    "report": "attunement.web.reports.api",
    "journal": "attunement.web.journal.api",
    "practices": "attunement.web.practices.api",
    "privacy": "attunement.web.privacy.api",
}

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", django_test_app)
# Every check schemathesis has runs. One allowance: a schema-valid set of answers can still
# break the questionnaire's own rules (an item required given earlier answers, an item the
# questionnaire does not have), which JSON Schema cannot express; that is a declared 422.
schema.config.checks.positive_data_acceptance.expected_statuses.append("422")

# A handful of operations times ~20 examples keeps this file well under a minute.
MAX_EXAMPLES = 20


class Credentials:
    """Alex's bearer token."""

    def __init__(self, person: User) -> None:
        self.person = person
        _, self.secret = ApiToken.issue(person, "contract tests")

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}"}


# The signed-in person's bearer secret and session key, for the auth provider below.
SIGNED_IN: dict[str, str] = {}


def _browser_only_operation(operation: Any) -> bool:
    return operation.definition.raw.get("security") == [{"SignedInSessionAuth": []}]


@schema.auth(refresh_interval=None)
class AlexsCredentials:
    """Alex's token, or his session cookie for the browser-only operations.

    Given as schemathesis auth, so its "ignored auth" check knows these credentials are
    real and also sends each request without them and with made-up ones, expecting 401.
    """

    def get(self, case: Case, context: Any) -> dict[str, str]:
        return dict(SIGNED_IN)

    def set(self, case: Case, data: dict[str, str], context: Any) -> None:
        if _browser_only_operation(case.operation):
            case.cookies = {
                **(case.cookies or {}),
                django_settings.SESSION_COOKIE_NAME: data.get("session", ""),
            }
        else:
            case.headers = {
                **(case.headers or {}),
                "Authorization": f"Bearer {data.get('secret', '')}",
            }


@pytest.fixture
def credentials(alex, sam, couple) -> Credentials:
    """Alex, paired with Sam, with screens done, some answers and a share each way."""
    for person in (alex, sam):
        answers.save_page(person, library.get("hark"), {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0})
        answers.save_page(person, library.get("asq"), {"1": 0, "2": 0, "3": 0, "4": 0})
        answers.save_page(person, library.get("csi4"), {"1": 3, "2": 4, "3": 2, "4": 5})
        couples.set_sharing(person, ["csi4"])
    signed_in = Credentials(alex)
    name = django_settings.SESSION_COOKIE_NAME
    SIGNED_IN.update(secret=signed_in.secret, session=client_for(alex).cookies[name].value)
    return signed_in


# Random instrument ids are all unknown (404); half the time, ask about a real part of the
# Connection Check instead, and for a save, send answers shaped like that part's items.
BATTERY = {i.id: i for i in answers.battery()}


def _answers_to(chosen: Instrument) -> st.SearchStrategy[dict[str, int | None]]:
    value = {
        item.id: st.one_of(st.none(), st.integers(item.scale.min, item.scale.max))
        for item in chosen.items
    }
    return st.fixed_dictionaries({}, optional=value)


def _about(case: Case, chosen: Instrument, given: dict[str, int | None]) -> Case:
    case.path_parameters = {**(case.path_parameters or {}), "instrument_id": chosen.id}
    if case.method == "PUT":
        case.body = {"answers": given}
    return case


@schema.hook
def flatmap_case(context: HookContext, case: Case) -> st.SearchStrategy[Case]:
    if "instrument_id" not in (case.path_parameters or {}):
        return st.just(case)
    known = st.sampled_from(sorted(BATTERY)).flatmap(
        lambda chosen: _answers_to(BATTERY[chosen]).map(
            lambda given: _about(case, BATTERY[chosen], given)
        )
    )
    return st.one_of(st.just(case), known)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    # One person's data serves every example; each example's changes are rolled back.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_keeps_its_contract(case, credentials):
    # Each example starts from the fixture's state: whatever a request changes (unpairing,
    # answering a screen that stops the questions, revoking the token) is rolled back.
    with transaction.atomic():
        response = case.call()
        transaction.set_rollback(True)
    case.validate_response(response)


def _browser_only(ctx: Any) -> bool:
    return _browser_only_operation(ctx.operation)


# A bearer token gets 401 from the operations only a signed-in browser may use (making a
# token); fuzz those with Alex's session cookie instead.
browser_schema = schema.include(func=_browser_only)


@browser_schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_browser_only_operation_keeps_its_contract(case, credentials):
    with transaction.atomic():
        response = case.call()
        transaction.set_rollback(True)
    case.validate_response(response)


def test_there_are_browser_only_operations_to_fuzz():
    names = [op.ok().label for op in browser_schema.get_all_operations()]
    assert names == ["POST /api/account/tokens"]


# The document itself


def test_the_openapi_document_is_served_as_json(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["info"]["title"] == "Attunement API"


def test_the_openapi_document_lists_every_router(db):
    document = Client().get("/api/openapi.json").json()
    # Every app with an api.py has a router mounted, so none can be forgotten.
    apps_with_api = {p.parent.name for p in WEB_DIR.glob("*/api.py")}
    assert apps_with_api == {module.split(".")[-2] for module in MOUNTS.values()}
    expected = set()
    for prefix, module in MOUNTS.items():
        router = importlib.import_module(module).router
        for path, view in router.path_operations.items():
            for operation in view.operations:
                expected |= {(m.upper(), f"/api/{prefix}{path}") for m in operation.methods}
    listed = {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "put", "post", "patch", "delete"}
    }
    assert listed == expected
    tags = {
        tag for item in document["paths"].values() for op in item.values() for tag in op["tags"]
    }
    assert tags == {"account", "couple", "answers", "report", "journal", "practices", "privacy"}


def test_every_operation_declares_its_failures_honestly(db):
    paths = Client().get("/api/openapi.json").json()["paths"]
    for path, item in paths.items():
        for method, operation in item.items():
            declared = set(operation["responses"])
            assert declared & {"200", "201", "204"}, (method, path)
            if operation.get("security"):
                assert "401" in declared, (method, path)
            if method in {"put", "post", "delete"}:
                # A session write without a CSRF token is refused with 403.
                assert "403" in declared, (method, path)
            # A body or an integer in the path that fails validation is answered with 422.
            typed = [p for p in operation.get("parameters", []) if p["schema"].get("type")]
            if "requestBody" in operation or any(p["schema"]["type"] == "integer" for p in typed):
                assert "422" in declared, (method, path)
            # Any request can meet a full disk; only a body can be too large.
            assert "503" in declared, (method, path)
            assert ("413" in declared) == ("requestBody" in operation), (method, path)


def _operations_with_a_body() -> list[tuple[str, str]]:
    document = schema.raw_schema
    return [
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "requestBody" in operation
    ]


@pytest.mark.parametrize(("method", "path"), _operations_with_a_body())
def test_every_operation_with_a_body_answers_an_oversized_one_413_as_declared(
    method, path, alex, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    concrete = re.sub(r"\{[^}]+\}", "1", path)
    body = '{"text": "' + "x" * 5000 + '"}'

    response = client_for(alex).generic(method, concrete, body, content_type="application/json")

    assert response.status_code == 413, response.content
    declared = schema.raw_schema["paths"][path][method.lower()]["responses"]["413"]
    assert response.json() == {"detail": response.json()["detail"]}
    assert declared["content"]["application/json"]["schema"]["required"] == ["detail"]


def test_the_docs_page_loads_its_assets_from_this_site(db):
    response = Client().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html), html
    assert not re.search(r"cdn\.|jsdelivr|unpkg", html, re.IGNORECASE)
    for asset in re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html):
        assert asset.startswith("/"), asset
        assert Client().get(asset).status_code == 200, asset


# Bearer tokens and CSRF


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_a_bearer_token_can_write_without_a_csrf_token(alex, couple):
    _, secret = ApiToken.issue(alex, "script")
    client = Client(enforce_csrf_checks=True)
    response = client.put(
        "/api/couple/sharing",
        {"instruments": ["csi4"]},
        content_type="application/json",
        headers=bearer(secret),
    )
    assert response.status_code == 200, response.content


def test_a_session_write_without_a_csrf_token_is_refused(alex, couple):
    client = client_for(alex)
    client.handler.enforce_csrf_checks = True
    response = client.put(
        "/api/couple/sharing", {"instruments": ["csi4"]}, content_type="application/json"
    )
    assert response.status_code == 403
