"""Encryption at rest: the key file, its checks at start-up, rotation, and what reaches the disk."""

from __future__ import annotations

import base64
import io
import logging
import re
import sqlite3
import stat
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from attunement import cli
from attunement.web import server
from attunement.web.journal import services as journal
from attunement.web.journal.models import JournalEntry
from attunement.web.vault import crypto
from attunement.web.vault import services as vault
from attunement.web.vault.models import KeyCheck, UserKey
from web.test_journal import CANARY, rows_containing

KEY = crypto.new_key()
OTHER_KEY = crypto.new_key()
AAD = crypto.field_aad(1, "journal.journalentry", 1, "body")


def write(person, body="I went quiet when she raised it.", title=""):
    return journal.write(person, prompt="", title=title, body=body)


@pytest.fixture
def key_file(tmp_path) -> Path:
    """A key file of the test's own, absent until something creates it."""
    path = tmp_path / "data" / "encryption-key"
    with override_settings(ATTUNEMENT_KEY_FILE=path):
        yield path


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# Properties of the cipher

aads = st.tuples(st.integers(1, 10**9), st.sampled_from(["journal.journalentry", "x.y"]),
                 st.integers(1, 10**9), st.sampled_from(["title", "body"]))  # fmt: skip


@given(st.text())
def test_any_text_comes_back_exactly(text):
    assert crypto.decrypt(KEY, crypto.encrypt(KEY, text, AAD), AAD) == text


@given(st.text(min_size=1), aads, aads)
def test_a_ciphertext_opens_only_for_its_own_owner_record_and_field(text, here, there):
    token = crypto.encrypt(KEY, text, crypto.field_aad(*here))
    if here == there:
        assert crypto.decrypt(KEY, token, crypto.field_aad(*there)) == text
    else:
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(KEY, token, crypto.field_aad(*there))


@given(st.text(), st.data())
def test_any_change_to_a_ciphertext_is_refused(text, data):
    raw = bytearray(base64.urlsafe_b64decode(crypto.encrypt(KEY, text, AAD)[3:]))
    at = data.draw(st.integers(0, len(raw) - 1))
    raw[at] ^= data.draw(st.integers(1, 255))
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(KEY, "v1." + base64.urlsafe_b64encode(raw).decode(), AAD)


@given(st.text())
def test_another_key_never_opens_a_ciphertext(text):
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(OTHER_KEY, crypto.encrypt(KEY, text, AAD), AAD)


@given(st.text())
def test_decrypting_anything_not_sealed_raises_and_never_returns_it(token):
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(KEY, token, AAD)


@given(st.binary(min_size=32, max_size=32), st.integers(1, 10**9), st.integers(1, 10**9))
def test_a_wrapped_data_key_opens_only_for_its_own_person(data_key, owner, other):
    wrapped = crypto.wrap(KEY, data_key, owner)
    assert crypto.unwrap(KEY, wrapped, owner) == data_key
    if other != owner:
        with pytest.raises(crypto.DecryptionError):
            crypto.unwrap(KEY, wrapped, other)
    with pytest.raises(crypto.DecryptionError):
        crypto.unwrap(OTHER_KEY, wrapped, owner)


def test_the_check_value_opens_only_with_its_own_key():
    check = crypto.check_value(KEY)
    assert crypto.opens(KEY, check)
    assert not crypto.opens(OTHER_KEY, check)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=st.text(max_size=200), body=st.text(min_size=1, max_size=2000))
def test_any_entry_is_read_back_exactly_from_the_database(alex, title, body):
    entry = journal.write(alex, prompt="", title=title, body=body)
    again = JournalEntry.objects.get(pk=entry.pk)
    assert (again.title, again.body) == (title, body)


# Bound to owner, record and field in the database


def test_a_ciphertext_copied_to_another_entry_field_or_person_cannot_be_read(alex, sam):
    first, second = write(alex, body="First."), write(alex, body="Second.")
    sams = write(sam, body="Sam's.")
    JournalEntry.objects.filter(pk=second.pk).update(sealed_body=first.sealed_body)
    JournalEntry.objects.filter(pk=first.pk).update(sealed_title=first.sealed_body)
    JournalEntry.objects.filter(pk=sams.pk).update(sealed_body=first.sealed_body)
    for pk, field in [(second.pk, "body"), (first.pk, "title"), (sams.pk, "body")]:
        with pytest.raises(crypto.DecryptionError):
            getattr(JournalEntry.objects.get(pk=pk), field)
    assert JournalEntry.objects.get(pk=first.pk).body == "First."


def test_an_emptied_column_raises_instead_of_reading_as_empty_text(alex):
    entry = write(alex, title="", body="Something.")
    assert JournalEntry.objects.get(pk=entry.pk).title == ""  # an empty title is encrypted too
    JournalEntry.objects.filter(pk=entry.pk).update(sealed_body="")
    with pytest.raises(crypto.DecryptionError):
        JournalEntry.objects.get(pk=entry.pk).body  # noqa: B018


def test_a_person_s_data_key_moved_to_someone_else_opens_nothing(alex, sam):
    write(alex)
    write(sam)
    alexs = UserKey.objects.get(user=alex).wrapped
    UserKey.objects.filter(user=sam).update(wrapped=alexs)
    with pytest.raises(crypto.DecryptionError):
        UserKey.cipher_for(sam.pk)


# Nothing readable reaches the disk


@pytest.mark.django_db(transaction=True)
def test_the_database_file_never_holds_the_words_of_an_entry(tmp_path):
    from web.conftest import make_user

    alex = make_user("alex@example.org", "Alex")
    entry = write(alex, title=f"{CANARY} title", body=f"{CANARY} body")
    journal.revise(entry, prompt="", title=CANARY, body=f"again {CANARY}")
    if connection.vendor != "sqlite":
        assert rows_containing(CANARY) == []
        return
    stored = database_file_bytes(tmp_path / "copy.sqlite3")
    assert b"alex@example.org" in stored  # the scan does look at what is stored
    assert CANARY.casefold().encode() not in stored.lower()
    data_key = UserKey.cipher_for(alex.pk)
    assert data_key not in stored
    assert base64.urlsafe_b64encode(data_key) not in stored


def database_file_bytes(copy: Path) -> bytes:
    """The bytes of the SQLite database file, free pages included."""
    connection.ensure_connection()
    name = connection.settings_dict["NAME"]
    if not connection.is_in_memory_db():
        return Path(name).read_bytes()
    # The test database lives in memory: copy it page by page into a real file.
    with sqlite3.connect(copy) as target:
        connection.connection.backup(target)
    target.close()
    return copy.read_bytes()


# The key file: created once, then required


def test_a_new_installation_creates_a_private_key_file_and_says_so_once(db, key_file):
    assert server.check_keys() == key_file
    assert mode_of(key_file) == 0o600
    assert len(crypto.read_key_file(key_file)) == 32
    assert KeyCheck.objects.count() == 1
    assert server.check_keys() is None


def test_the_first_entry_of_a_new_installation_creates_the_key_and_warns_to_back_it_up(
    alex, key_file, caplog
):
    with caplog.at_level(logging.WARNING):
        entry = write(alex, body="First words.")
    assert key_file.exists()
    assert f"Created the encryption key at {key_file}. Back it up" in caplog.text
    assert JournalEntry.objects.get(pk=entry.pk).body == "First words."


def test_a_missing_key_with_encrypted_data_stops_with_an_error_naming_the_file(alex, tmp_path):
    write(alex)
    missing = tmp_path / "nowhere" / "encryption-key"
    with override_settings(ATTUNEMENT_KEY_FILE=missing):
        with pytest.raises(crypto.EncryptionKeyError, match=re.escape(str(missing))):
            server.check_keys()
        with pytest.raises(crypto.EncryptionKeyError):
            JournalEntry.objects.get().body  # noqa: B018
        with pytest.raises(crypto.EncryptionKeyError):
            write(alex)
    assert not missing.exists()  # never a silent new key


def test_a_missing_key_is_an_error_once_the_installation_has_started_even_without_entries(
    db, key_file
):
    server.check_keys()
    key_file.unlink()
    with pytest.raises(crypto.EncryptionKeyError, match="missing"):
        server.check_keys()
    assert not key_file.exists()


def test_a_wrong_key_stops_with_an_error_and_encrypts_nothing_new(alex, sam, tmp_path):
    entry = write(alex)
    wrong = tmp_path / "encryption-key"
    crypto.create_key_file(wrong, crypto.new_key())
    with override_settings(ATTUNEMENT_KEY_FILE=wrong):
        with pytest.raises(crypto.EncryptionKeyError, match=re.escape(f"{wrong} is not the key")):
            server.check_keys()
        with pytest.raises(crypto.EncryptionKeyError):
            write(sam)
    assert not UserKey.objects.filter(user=sam).exists()
    assert JournalEntry.objects.get(pk=entry.pk).body == entry.body


def test_a_wrong_key_is_caught_even_before_the_check_value_was_stored(alex, tmp_path):
    write(alex)
    KeyCheck.objects.all().delete()
    wrong = tmp_path / "encryption-key"
    crypto.create_key_file(wrong, crypto.new_key())
    with override_settings(ATTUNEMENT_KEY_FILE=wrong), pytest.raises(crypto.EncryptionKeyError):
        server.check_keys()
    assert not KeyCheck.objects.exists()
    assert server.check_keys() is None
    assert KeyCheck.objects.count() == 1


@pytest.mark.parametrize("content", ["", "not a key", base64.b64encode(b"short").decode()])
def test_a_damaged_key_file_is_reported_not_replaced(db, key_file, content):
    key_file.parent.mkdir(parents=True)
    key_file.write_text(content)
    with pytest.raises(crypto.EncryptionKeyError, match="does not hold a key"):
        server.check_keys()
    assert key_file.read_text() == content


def test_serve_prints_where_a_new_key_was_made_and_to_back_it_up(db, key_file, monkeypatch):
    monkeypatch.setenv("ATTUNEMENT_SITE_URL", "http://127.0.0.1:8000")  # serve sets it otherwise
    for step in ("setup", "migrate", "serve"):
        monkeypatch.setattr(server, step, lambda *args, **kwargs: None)
    result = CliRunner().invoke(cli.app, ["serve"])
    assert result.exit_code == 0, result.output
    assert f"Created the encryption key at {key_file}. Back it up" in result.output
    again = CliRunner().invoke(cli.app, ["serve"])
    assert "Created the encryption key" not in again.output


def test_serve_stops_with_one_clear_line_when_the_key_is_missing(alex, tmp_path, monkeypatch):
    write(alex)
    monkeypatch.setenv("ATTUNEMENT_SITE_URL", "http://127.0.0.1:8000")
    served = []
    for step in ("setup", "migrate"):
        monkeypatch.setattr(server, step, lambda: None)
    monkeypatch.setattr(server, "serve", lambda *args, **kwargs: served.append(args))
    missing = tmp_path / "encryption-key"
    with override_settings(ATTUNEMENT_KEY_FILE=missing):
        result = CliRunner().invoke(cli.app, ["serve"])
    assert result.exit_code == 2
    assert result.output.startswith("error: the database holds encrypted data")
    assert str(missing) in result.output
    assert result.output.count("\n") == 1
    assert served == []


# Rotation


def test_rotation_keeps_every_entry_readable_with_the_new_key_only(alex, sam, key_file):
    alexs, sams = write(alex, body="Alex's words."), write(sam, body="Sam's words.")
    old = crypto.read_key_file(key_file)
    out = io.StringIO()
    call_command("rotate_encryption_key", stdout=out)
    new = crypto.read_key_file(key_file)
    assert new != old
    assert mode_of(key_file) == 0o600
    backup = key_file.with_name("encryption-key.old")
    assert crypto.read_key_file(backup) == old
    assert mode_of(backup) == 0o600
    assert f"Re-wrapped 2 data keys with a new encryption key in {key_file}" in out.getvalue()
    assert f"The previous key is kept in {backup}" in out.getvalue()
    assert JournalEntry.objects.get(pk=alexs.pk).body == "Alex's words."
    assert JournalEntry.objects.get(pk=sams.pk).body == "Sam's words."
    for key in UserKey.objects.all():
        with pytest.raises(crypto.DecryptionError):
            crypto.unwrap(old, key.wrapped, key.user_id)
    key_file.write_text(crypto.key_file_text(old))
    with pytest.raises(crypto.EncryptionKeyError, match=re.escape(f"{key_file}.old")):
        server.check_keys()


def test_rotation_refuses_without_the_current_key_and_changes_nothing(alex, tmp_path):
    write(alex)
    wrapped = UserKey.objects.get().wrapped
    missing = tmp_path / "encryption-key"
    with (
        override_settings(ATTUNEMENT_KEY_FILE=missing),
        pytest.raises(CommandError, match="missing"),
    ):
        call_command("rotate_encryption_key", stdout=io.StringIO())
    assert not missing.exists()
    assert UserKey.objects.get().wrapped == wrapped


def test_a_failed_key_file_write_leaves_the_database_as_it_was(alex, key_file, monkeypatch):
    write(alex)
    wrapped, check = UserKey.objects.get().wrapped, KeyCheck.objects.get().sealed
    old = crypto.read_key_file(key_file)

    def broken(path, content, mode=0o600):
        raise OSError("disk full")

    monkeypatch.setattr(vault, "write_atomically", broken)
    with pytest.raises(OSError):
        vault.rotate_key()
    assert (UserKey.objects.get().wrapped, KeyCheck.objects.get().sealed) == (wrapped, check)
    assert crypto.read_key_file(key_file) == old


def test_reading_after_a_key_is_shredded_never_makes_a_new_key(alex, sam, couple):
    from attunement.web.practices import services as practices

    entry = write(alex, title="", body="only mine")
    journal.share(alex, entry.pk)
    draft = practices.keep(practices.start(alex, "feedback_wheel"), "I miss you.")
    practices.send(alex, draft.pk)
    vault.forget_key(alex)
    assert journal.shared_with(sam) == []
    assert practices.received(sam) == []
    assert not JournalEntry.objects.get(pk=entry.pk).readable
    assert not UserKey.objects.filter(user=alex).exists()
    # Writing something new starts a new key; the old text stays unreadable.
    write(alex, title="", body="a fresh start")
    assert UserKey.objects.filter(user=alex).exists()
    assert not JournalEntry.objects.get(pk=entry.pk).readable
