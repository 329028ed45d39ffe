"""The embedded default keeps SQLite's write-ahead log, and a deletion leaves nothing in it."""

from __future__ import annotations

import sqlite3

import pytest

from .live import PASSWORD, Api, Browser, make_people, serving

pytestmark = pytest.mark.slow  # `attunement serve` in a subprocess

CANARY = "zqxcanary@example.org"


def test_the_data_folder_database_is_in_write_ahead_log_mode(tmp_path):
    make_people(tmp_path, ["alex@example.org"])
    with serving(tmp_path):
        database = sqlite3.connect(tmp_path / "attunement.sqlite3")
        assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        database.close()


def test_a_deleted_account_is_gone_from_the_write_ahead_log_too(tmp_path):
    secrets = make_people(tmp_path, [CANARY, "sam@example.org"])
    with serving(tmp_path) as base:
        browser = Browser(base, CANARY)  # signing in rewrites the account's row
        assert Api(base, secrets[CANARY]).call("GET", "/api/account")[0] == 200
        confirm = {"password": PASSWORD, "confirmation": "delete my account"}
        assert browser.post("/privacy/delete/", confirm)[0] == 200

        files = [tmp_path / "attunement.sqlite3", tmp_path / "attunement.sqlite3-wal"]
        assert not any(CANARY.encode() in f.read_bytes() for f in files if f.exists())
