"""Rate limits: sign-up and reset emails, the live coach, API writes and journal writes.

Each test sets small limits with override_settings; the cache is cleared between tests
(tests/web/conftest.py). The limiter's clock is held still: django-ratelimit counts in
fixed windows, and a test whose requests straddled the end of one (a minute, for "2/m")
saw its count start again and failed at random.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings

from attunement.web.accounts.models import ApiToken, PendingSignup
from attunement.web.journal.models import JournalEntry
from web.conftest import client_for
from web.test_accounts import SIGNUP

PROXY = "10.0.0.1"
# The one moment every request in these tests happens at.
STILL = 1_800_000_000.0


@pytest.fixture(autouse=True)
def still_clock(monkeypatch):
    """django-ratelimit reads `time.time()` through its own module: give it one moment."""
    import django_ratelimit.core

    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: STILL))


def limits(**rates: str):
    """Only the named limits, everything else off."""
    return override_settings(
        ATTUNEMENT_RATE_LIMITS={name: "" for name in settings.ATTUNEMENT_RATE_LIMITS} | rates
    )


def signup(email: str, **extra: str):
    return Client().post("/accounts/signup/", {**SIGNUP, "email": email}, **extra)


def reset(email: str, **extra: str):
    return Client().post("/accounts/password-reset/", {"email": email}, **extra)


def assert_too_many_page(response) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    page = response.content.decode()
    assert "Please wait a little" in page
    assert "many times in a short while" in page
    assert 'id="quick-exit"' in page


# Sign-up and password reset emails


@limits(signup_email="2/h")
def test_sign_up_emails_are_limited_per_email_address(db):
    assert signup("robin@example.org").status_code == 302
    assert signup("Robin@Example.org ", REMOTE_ADDR="198.51.100.2").status_code == 302
    assert_too_many_page(signup("robin@example.org", REMOTE_ADDR="198.51.100.3"))
    assert len(mail.outbox) == 2
    assert signup("kim@example.org").status_code == 302


@limits(signup_address="2/h")
def test_sign_up_emails_are_limited_per_network_address(db):
    assert signup("a@example.org").status_code == 302
    assert signup("b@example.org").status_code == 302
    assert_too_many_page(signup("c@example.org"))
    assert not PendingSignup.objects.filter(email="c@example.org").exists()
    assert signup("c@example.org", REMOTE_ADDR="198.51.100.2").status_code == 302


@limits(signup_address="1/h")
def test_looking_at_the_sign_up_page_is_not_counted(db):
    for _ in range(3):
        assert Client().get("/accounts/signup/").status_code == 200
    assert signup("a@example.org").status_code == 302


@limits(reset_email="1/h")
def test_reset_emails_are_limited_per_email_address_known_or_not(alex):
    for email in (alex.email, "nobody@example.org"):
        assert reset(email).status_code == 302
        assert_too_many_page(reset(email.upper(), REMOTE_ADDR="198.51.100.2"))
    assert len(mail.outbox) == 1  # the unknown address gets no email in any case


@limits(reset_address="2/h")
def test_reset_emails_are_limited_per_network_address(alex):
    assert reset("x@example.org").status_code == 302
    assert reset("y@example.org").status_code == 302
    assert_too_many_page(reset(alex.email))
    assert mail.outbox == []
    assert reset(alex.email, REMOTE_ADDR="198.51.100.2").status_code == 302


@limits(signup_address="2/h")
@override_settings(ATTUNEMENT_TRUSTED_PROXIES=1)
def test_behind_a_proxy_the_address_limit_counts_each_visitor_apart(db):
    for n in range(2):
        visitor = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
        assert signup(f"p{n}@example.org", **visitor).status_code == 302
    over = signup("p3@example.org", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert over.status_code == 429
    other = signup("p4@example.org", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 302


@limits(signup_address="2/h")
def test_without_a_proxy_a_forged_forwarded_header_does_not_reset_the_count(db):
    for n in range(2):
        signup(f"p{n}@example.org", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert signup("p3@example.org", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429


# The live coach


@limits(coach="2/m")
@pytest.mark.parametrize("path", ["/practice/coach/", "/practice/coach/check/"])
def test_the_coach_pages_are_limited_per_person(alex, sam, path):
    client = client_for(alex)
    for _ in range(2):
        assert client.post(path, {"text": "you never listen"}).status_code == 200
    assert_too_many_page(client.post(path, {"text": "you never listen"}))
    assert client_for(sam).post(path, {"text": "you never listen"}).status_code == 200


@limits(coach="1/m")
def test_the_live_coach_says_so_in_its_own_fragment(alex):
    client = client_for(alex)
    client.post("/practice/coach/check/", {"text": "hi"}, HTTP_HX_REQUEST="true")
    response = client.post("/practice/coach/check/", {"text": "hi"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 429
    assert b"<html" not in response.content
    assert b"many times in a short while" in response.content


@limits(coach="2/m")
def test_the_coach_api_is_limited_per_person_with_a_json_answer(alex):
    _token, secret = ApiToken.issue(alex, "script")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    body = json.dumps({"text": "you never listen"})
    for _ in range(2):
        assert client.post("/api/practices/coach", body, "application/json").status_code == 200
    over = client.post("/api/practices/coach", body, "application/json")
    assert over.status_code == 429
    assert over["Content-Type"].startswith("application/json")
    assert "many times in a short while" in over.json()["detail"]
    # The page and the API share the one count.
    assert client_for(alex).post("/practice/coach/check/", {"text": "x"}).status_code == 429


# API writes


@limits(api_write="2/m")
def test_api_writes_are_limited_per_person_and_reads_are_not(alex, sam):
    _token, secret = ApiToken.issue(alex, "script")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    for _ in range(2):
        assert client.put("/api/answers/csi4", json.dumps({"answers": {"1": 3}}),
                          "application/json").status_code == 200  # fmt: skip
    over = client.put("/api/answers/csi4", json.dumps({"answers": {"1": 3}}), "application/json")
    assert over.status_code == 429
    assert "detail" in over.json()
    assert client.get("/api/answers/csi4").status_code == 200
    others = client_for(sam)
    assert others.put("/api/answers/csi4", json.dumps({"answers": {"1": 3}}),
                      "application/json").status_code == 200  # fmt: skip


def test_the_openapi_document_declares_429_on_every_write(db):
    paths = Client().get("/api/openapi.json").json()["paths"]
    writes = [
        (method, path, operation)
        for path, item in paths.items()
        for method, operation in item.items()
        if method in {"put", "post", "patch", "delete"}
    ]
    assert writes
    for method, path, operation in writes:
        assert "429" in operation["responses"], (method, path)


# Journal writes


@limits(journal_write="2/h")
def test_journal_writes_are_limited_per_person_on_pages_and_api(alex):
    client = client_for(alex)
    entry = {"prompt": "", "title": "", "body": "I went quiet again."}
    assert client.post("/journal/new/", entry).status_code == 302
    assert client.post("/api/journal", json.dumps({"body": "again"}),
                       "application/json").status_code == 201  # fmt: skip
    assert_too_many_page(client.post("/journal/new/", entry))
    over = client.post("/api/journal", json.dumps({"body": "again"}), "application/json")
    assert over.status_code == 429
    assert JournalEntry.objects.filter(owner=alex).count() == 2
    assert client.get("/journal/new/").status_code == 200  # reading the form is not a write
