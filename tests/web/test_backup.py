"""`attunement backup` and `attunement restore`: a drill against a running server, and refusals."""

from __future__ import annotations

import shutil
import sqlite3
import tarfile

import pytest
from typer.testing import CliRunner

from attunement.cli import app
from attunement.web import backup

from .live import Api, make_people, serving

pytestmark = pytest.mark.slow  # `attunement serve` in a subprocess

ALEX = "alex@example.org"
WORDS = "What I never said out loud: I miss us."
PASSPHRASE = "a long passphrase nobody guesses"


def run(data_dir, *args: str, passphrase: str | None = PASSPHRASE, key_file: str | None = None):
    env = {
        "ATTUNEMENT_DATA_DIR": str(data_dir),
        "ATTUNEMENT_KEY_FILE": key_file,
        "DATABASE_URL": None,
        "ATTUNEMENT_BACKUP_PASSPHRASE": passphrase,
    }
    return CliRunner().invoke(app, list(args), env=env)


@pytest.fixture(scope="module")
def alexs_folder(tmp_path_factory):
    """A data folder holding Alex's account, made once: its migrations take seconds."""
    made = tmp_path_factory.mktemp("made") / "data"
    make_people(made, [ALEX])
    return made


@pytest.fixture
def data(tmp_path, alexs_folder):
    """A copy of Alex's folder for one test, with its files' modes: `tmp_path / "data"`."""
    copy = tmp_path / "data"
    shutil.copytree(alexs_folder, copy)
    return copy


def write_some_data(base: str, secret: str) -> int:
    api = Api(base, secret)
    assert api.call("PUT", "/api/answers/csi4", {"answers": {"1": 3, "2": 4}})[0] == 200
    status, entry = api.call("POST", "/api/journal", {"title": "Private", "body": WORDS})
    assert status == 201
    return int(entry["id"])


def test_a_backup_taken_while_serving_restores_onto_an_empty_folder_and_reads_back(tmp_path):
    data, archive = tmp_path / "data", tmp_path / "nightly.backup"
    secret = make_people(data, [ALEX, "sam@example.org"])[ALEX]
    with serving(data) as base:
        entry_id = write_some_data(base, secret)
        done = run(data, "backup", str(archive))
        assert done.exit_code == 0, done.output
        Api(base, secret).call("POST", "/api/journal", {"body": "written after the backup"})

    assert archive.stat().st_mode & 0o777 == 0o600
    shutil.rmtree(data)
    done = run(data, "restore", str(archive))
    assert done.exit_code == 0, done.output

    with serving(data) as base:
        api = Api(base, secret)
        entries = api.every("/api/journal")
        answers = api.call("GET", "/api/answers/csi4")[1]
    assert [(e["id"], e["title"], e["body"]) for e in entries] == [(entry_id, "Private", WORDS)]
    assert answers["answers"]["1"] == 3 and answers["answers"]["2"] == 4


def test_a_sealed_backup_shows_nothing_without_its_passphrase(tmp_path, data):
    archive = tmp_path / "b"
    key = (data / "encryption-key").read_bytes().strip()
    assert run(data, "backup", str(archive)).exit_code == 0

    sealed = archive.read_bytes()
    assert sealed.startswith(backup.MAGIC)
    assert b"SQLite format 3" not in sealed and key not in sealed
    with pytest.raises(tarfile.TarError), tarfile.open(archive):
        pass
    with pytest.raises(backup.BackupError, match="passphrase does not open"):
        backup.unseal(sealed, "wrong")


@pytest.mark.parametrize(
    ("passphrase", "message"),
    [(None, "is encrypted; give its passphrase"), ("wrong", "passphrase does not open")],
)
def test_a_sealed_backup_needs_its_passphrase_to_restore(tmp_path, data, passphrase, message):
    archive = tmp_path / "b"
    assert run(data, "backup", str(archive)).exit_code == 0
    empty = tmp_path / "empty"

    done = run(empty, "restore", str(archive), passphrase=passphrase)

    assert done.exit_code != 0
    assert message in done.output
    assert not empty.exists()


def test_restore_refuses_a_folder_with_data_in_it_and_writes_nothing(tmp_path, data):
    archive = tmp_path / "b"
    assert run(data, "backup", str(archive)).exit_code == 0
    before = {p.name: p.read_bytes() for p in data.iterdir()}

    done = run(data, "restore", str(archive))

    assert done.exit_code != 0
    assert done.output.count("\n") == 1 and "restore only into an empty data folder" in done.output
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before


def test_a_restore_that_fails_half_way_leaves_nothing_behind(tmp_path, data):
    archive = tmp_path / "b"
    assert run(data, "backup", str(archive)).exit_code == 0
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the key file's folder should be")
    restored = tmp_path / "restored"

    done = run(restored, "restore", str(archive), key_file=str(blocker / "encryption-key"))

    assert done.exit_code != 0
    assert done.output.count("\n") == 1 and "encryption-key: cannot make its folder" in done.output
    assert not restored.exists()  # no database, no secret key, not even the folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b", "data", "not-a-folder"]


def test_a_restored_data_folder_and_its_files_are_private_to_their_owner(tmp_path, data):
    archive = tmp_path / "b"
    assert run(data, "backup", str(archive)).exit_code == 0
    restored = tmp_path / "restored"

    assert run(restored, "restore", str(archive)).exit_code == 0

    assert restored.stat().st_mode & 0o777 == 0o700
    files = {p.name: p.stat().st_mode & 0o777 for p in restored.iterdir()}
    assert files == {"attunement.sqlite3": 0o600, "encryption-key": 0o600, "secret-key": 0o600}


def test_without_a_passphrase_the_archive_is_a_plain_tar_and_says_so(tmp_path, data):
    archive = tmp_path / "b.tar.gz"

    done = run(data, "backup", str(archive), passphrase=None)

    assert done.exit_code == 0 and "NOT encrypted" in done.output
    with tarfile.open(archive) as opened:
        names = sorted(opened.getnames())
    assert names == ["database.sqlite3", "encryption-key", "manifest.json", "secret-key"]


def test_backup_never_overwrites_a_file(tmp_path, data):
    archive = tmp_path / "b"
    archive.write_text("older backup")

    done = run(data, "backup", str(archive))

    assert done.exit_code != 0 and "already exists" in done.output
    assert archive.read_text() == "older backup"


def test_the_copied_database_is_one_self_contained_file(tmp_path, data):
    archive = tmp_path / "b.tar.gz"
    assert run(data, "backup", str(archive), passphrase=None).exit_code == 0
    restored = tmp_path / "restored"
    assert run(restored, "restore", str(archive), passphrase=None).exit_code == 0

    database = sqlite3.connect(restored / "attunement.sqlite3")
    assert database.execute("SELECT email FROM accounts_user").fetchall() == [(ALEX,)]
    assert database.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    database.close()
