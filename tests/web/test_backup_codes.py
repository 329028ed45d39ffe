"""Backup codes for the therapist's second factor: shown once, stored hashed, each used once."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from attunement import totp
from attunement.web.accounts.models import hash_secret
from attunement.web.therapists import services, twofactor
from attunement.web.therapists.models import BackupCode, Therapist
from web.conftest import PASSWORD, client_for
from web.therapist_world import make_therapist, profile, verified_client

CODE = re.compile(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>")


def codes_in(response) -> list[str]:
    return CODE.findall(response.content.decode())


def set_up(person) -> tuple[object, list[str]]:
    """Set up the app through the page; the client and the codes the answer showed."""
    therapist, _ = services.make_therapist(person)
    client = client_for(person)
    client.get("/therapist/setup/")
    secret = Therapist.objects.get(pk=therapist.pk).totp_secret
    done = client.post("/therapist/setup/", {"code": totp.code_at(secret, time.time())})
    assert done.status_code == 200
    return client, codes_in(done)


@pytest.fixture
def riley(db):
    return make_therapist("riley@example.org", "Riley")


@pytest.fixture
def codes(riley) -> list[str]:
    return twofactor.new_backup_codes(profile(riley))


def every_stored_value() -> str:
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # the names come from the schema
            found.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(found)


def test_setting_up_the_app_shows_ten_different_codes_once(alex):
    client, shown = set_up(alex)
    assert len(set(shown)) == twofactor.BACKUP_CODES == 10
    later = [
        client.get(path)
        for path in ("/therapist/", "/therapist/backup-codes/", "/therapist/setup/")
    ]
    for response in later:
        assert not set(shown) & set(codes_in(response)), response
        assert not any(code in response.content.decode() for code in shown)
    assert "10 unused backup codes left" in later[1].content.decode()


def test_the_page_that_shows_codes_is_never_cached(alex):
    therapist, _ = services.make_therapist(alex)
    client = client_for(alex)
    client.get("/therapist/setup/")
    secret = Therapist.objects.get(pk=therapist.pk).totp_secret
    done = client.post("/therapist/setup/", {"code": totp.code_at(secret, time.time())})
    assert "no-store" in done["Cache-Control"]


def test_codes_are_stored_only_as_hashes(alex):
    _client, shown = set_up(alex)
    stored = every_stored_value()
    for code in shown:
        assert code not in stored
        assert code.replace("-", "") not in stored
    hashes = set(BackupCode.objects.values_list("hashed", flat=True))
    assert hashes == {hash_secret(code.replace("-", "")) for code in shown}


def test_a_backup_code_opens_the_workspace_in_place_of_the_app(riley, codes):
    client = client_for(riley)
    assert client.post("/therapist/verify/", {"code": codes[0]}).url == "/therapist/"
    assert client.get("/therapist/").status_code == 200
    assert twofactor.backup_codes_left(profile(riley)) == 9


def test_a_used_backup_code_is_refused(riley, codes):
    first, second = client_for(riley), client_for(riley)
    assert first.post("/therapist/verify/", {"code": codes[3]}).url == "/therapist/"
    again = second.post("/therapist/verify/", {"code": codes[3]})
    assert again.status_code == 200
    assert "already used" in again.content.decode()
    assert second.get("/therapist/").status_code == 302


@pytest.mark.parametrize("typed", [str.upper, lambda c: c.replace("-", " "), lambda c: f" {c} "])
def test_a_backup_code_may_be_typed_in_capitals_or_with_spaces(typed, riley, codes):
    response = client_for(riley).post("/therapist/verify/", {"code": typed(codes[1])})
    assert response.url == "/therapist/"


def test_wrong_backup_codes_count_towards_the_pause(riley, codes):
    client = client_for(riley)
    for _ in range(twofactor.FAILURE_LIMIT):
        client.post("/therapist/verify/", {"code": "aaaaa-aaaaa"})
    paused = client.post("/therapist/verify/", {"code": codes[0]})
    assert "Too many codes did not match" in paused.content.decode()
    assert twofactor.backup_codes_left(profile(riley)) == 10
    with time_machine.travel(timezone.now() + twofactor.PAUSE + timedelta(seconds=1)):
        assert client.post("/therapist/verify/", {"code": codes[0]}).url == "/therapist/"


@pytest.mark.parametrize("code", ["12345", "abc", "abcde-fghi1", "0oooo-ooooo"])
def test_something_that_is_neither_kind_of_code_is_refused_with_what_to_enter(riley, code):
    response = client_for(riley).post("/therapist/verify/", {"code": code})
    assert "or a backup code such as" in response.content.decode()
    assert profile(riley).totp_failures == 0


def test_new_codes_need_the_password_and_replace_the_old_ones(riley, codes):
    client = verified_client(riley)
    wrong = client.post("/therapist/backup-codes/", {"password": "not it"})
    assert "That is not your password" in wrong.content.decode()
    assert codes_in(wrong) == []
    assert twofactor.backup_codes_left(profile(riley)) == 10

    made = client.post("/therapist/backup-codes/", {"password": PASSWORD})
    fresh = codes_in(made)
    assert len(fresh) == 10 and not set(fresh) & set(codes)
    assert "no-store" in made["Cache-Control"]
    page = client.get("/therapist/backup-codes/").content.decode()
    assert not any(code in page for code in fresh)

    other = client_for(riley)
    assert other.post("/therapist/verify/", {"code": codes[0]}).status_code == 200
    assert other.post("/therapist/verify/", {"code": fresh[0]}).url == "/therapist/"


def test_the_backup_codes_page_counts_what_is_left(riley, codes):
    client_for(riley).post("/therapist/verify/", {"code": codes[0]})
    page = verified_client(riley).get("/therapist/backup-codes/").content.decode()
    assert "9 unused backup codes left" in page


def test_a_reset_of_the_second_factor_ends_the_backup_codes(riley, codes):
    twofactor.reset(profile(riley))
    assert not BackupCode.objects.exists()


def test_a_backup_code_does_not_finish_setting_up_an_app(alex):
    therapist, _ = services.make_therapist(alex)
    client = client_for(alex)
    client.get("/therapist/setup/")
    response = client.post("/therapist/setup/", {"code": "abcde-fghjk"})
    assert response.status_code == 200
    assert Therapist.objects.get(pk=therapist.pk).totp_confirmed is None
