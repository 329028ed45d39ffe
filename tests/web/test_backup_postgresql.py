"""`attunement backup` and `restore` on PostgreSQL: a scratch database out, another one back in.

Each test makes its own databases on the PostgreSQL server at ATTUNEMENT_TEST_POSTGRES
(default postgres://postgres@127.0.0.1:5432), with unique names, and drops them at the
end. Without that server or the client tools (psql, pg_dump, pg_restore) they are skipped.
The data is written and read back by `attunement`'s own code in a separate process, as a
server would: an account, questionnaire answers and an encrypted journal entry.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from attunement.cli import app
from attunement.web import backup

SERVER = os.environ.get("ATTUNEMENT_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")
TOOLS = ("psql", "pg_dump", "pg_restore")
ALEX = "alex@example.org"
WORDS = "What I never said out loud: I miss us."
PASSPHRASE = "a long passphrase nobody guesses"

# Run in a child process with the installation's environment: Django is set up there,
# on the database in DATABASE_URL, exactly as `attunement serve` would be.
WRITE = """
import json
from attunement.web import server
server.setup(); server.migrate(); server.check_keys()
from attunement.instruments import library
from attunement.web.accounts.models import User
from attunement.web.assessments import services as answers
from attunement.web.journal import services as journal
alex = User.objects.create_user(
    "alex@example.org", "a password nobody guesses", display_name="Alex"
)
answers.save_page(alex, library.get("csi4"), {"1": 3, "2": 4, "3": 2, "4": 5})
entry = journal.write(alex, prompt="my_part", title="Private", body=%r)
print(json.dumps({"entry": entry.pk}))
"""
READ = """
import json
from attunement.web import server
server.setup(); server.check_keys()
from attunement.web.accounts.models import User
from attunement.web.assessments.models import Answer
from attunement.web.journal import services as journal
alex = User.objects.get(email="alex@example.org")
given = {a.item: a.value for a in Answer.objects.filter(owner=alex, instrument="csi4")}
found = [(e.pk, e.title, e.body) for e in journal.entries(alex)]
# The sequences came back too: a new entry gets a new id, not a clash.
after = journal.write(alex, prompt="", title="", body="written after the restore")
print(json.dumps({"name": alex.display_name, "csi4": given, "entries": found,
                  "password": alex.check_password("a password nobody guesses"),
                  "written_after": after.pk > max(pk for pk, _, _ in found)}))
"""


def _psql(sql: str, database: str = "postgres") -> str:
    done = subprocess.run(
        ["psql", f"--dbname={SERVER}/{database}", "--tuples-only", "--no-align", "-c", sql],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip())
    return done.stdout.strip()


def _postgresql_or_skip() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"the PostgreSQL client tools are not installed: {', '.join(missing)}")
    try:
        _psql("SELECT 1")
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        pytest.skip(f"no PostgreSQL server at {SERVER}: {error}")


class Scratch:
    """Makes empty databases with unique names, and drops every one of them."""

    def __init__(self) -> None:
        self.made: list[str] = []

    def __call__(self) -> str:
        name = f"attunement_backup_{uuid.uuid4().hex[:12]}"
        _psql(f'CREATE DATABASE "{name}"')
        self.made.append(name)
        return f"{SERVER}/{name}"

    def drop_all(self) -> None:
        for name in self.made:
            _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass(frozen=True)
class Taken:
    """One installation on PostgreSQL with Alex's data, and its backups."""

    data: Path
    url: str
    entry: int
    sealed: Path  # with PASSPHRASE
    plain: Path  # without a passphrase


@pytest.fixture(scope="module")
def scratch() -> Iterator[Scratch]:
    _postgresql_or_skip()
    made = Scratch()
    yield made
    made.drop_all()


@pytest.fixture(scope="module")
def taken(scratch: Scratch, tmp_path_factory: pytest.TempPathFactory) -> Taken:
    """Written once for the module: migrating PostgreSQL in a new process takes a while."""
    folder = tmp_path_factory.mktemp("postgresql-backup")
    data, url = folder / "data", scratch()
    entry = run_python(WRITE % WORDS, data, url)["entry"]
    sealed, plain = folder / "pg.backup", folder / "pg.tar.gz"
    for archive, passphrase in [(sealed, PASSPHRASE), (plain, None)]:
        done = cli(data, url, "backup", str(archive), passphrase=passphrase)
        assert done.exit_code == 0, done.output
    return Taken(data, url, entry, sealed, plain)


def installation(data_dir: Path, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ATTUNEMENT_", "DJANGO_"))}
    return {**env, "ATTUNEMENT_DATA_DIR": str(data_dir), "DATABASE_URL": url}


def run_python(script: str, data_dir: Path, url: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", script], env=installation(data_dir, url),
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def cli(
    data_dir: Path,
    url: str,
    *args: str,
    passphrase: str | None = PASSPHRASE,
    key_file: str | None = None,
):
    env = {
        "ATTUNEMENT_DATA_DIR": str(data_dir),
        "ATTUNEMENT_KEY_FILE": key_file,
        "DATABASE_URL": url,
        "ATTUNEMENT_BACKUP_PASSPHRASE": passphrase,
    }
    return CliRunner().invoke(app, list(args), env=env)


def tables(url: str) -> int:
    name = url.rsplit("/", 1)[1]
    return int(_psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", name))


def test_a_postgresql_backup_restores_into_an_empty_database_and_reads_back_decrypted(
    tmp_path, scratch, taken
):
    target, restored = scratch(), tmp_path / "restored"
    assert taken.sealed.stat().st_mode & 0o777 == 0o600

    done = cli(restored, target, "restore", str(taken.sealed))
    assert done.exit_code == 0, done.output

    back = run_python(READ, restored, target)
    assert back == {
        "name": "Alex",
        "csi4": {"1": 3, "2": 4, "3": 2, "4": 5},
        "entries": [[taken.entry, "Private", WORDS]],
        "password": True,
        "written_after": True,
    }
    key = restored / "encryption-key"
    assert key.read_bytes() == (taken.data / "encryption-key").read_bytes()
    assert key.stat().st_mode & 0o777 == 0o600
    assert restored.stat().st_mode & 0o777 == 0o700


def test_the_dump_holds_no_word_of_the_journal_in_the_clear(taken):
    with tarfile.open(taken.plain) as opened:
        names = sorted(opened.getnames())
        dump = opened.extractfile("database.pgdump").read()  # type: ignore[union-attr]
    assert names == ["database.pgdump", "encryption-key", "manifest.json", "secret-key"]
    assert dump.startswith(b"PGDMP") and b"never said out loud" not in dump


def test_restore_refuses_a_database_with_tables_and_writes_nothing(tmp_path, taken):
    empty = tmp_path / "empty"

    done = cli(empty, taken.url, "restore", str(taken.sealed))

    assert done.exit_code != 0 and "is not empty" in done.output
    assert not empty.exists()


def test_a_damaged_dump_leaves_no_key_file_and_an_empty_database(tmp_path, scratch, taken):
    target, restored, archive = scratch(), tmp_path / "restored", tmp_path / "broken.tar.gz"
    _damage_the_dump(taken.plain, archive)

    done = cli(restored, target, "restore", str(archive), passphrase=None)

    assert done.exit_code != 0 and "pg_restore" in done.output
    assert done.output.count("\n") == 1
    assert tables(target) == 0
    assert not restored.exists()  # no key file, no secret key, not even the folder


def test_a_key_file_that_cannot_be_written_leaves_the_database_empty(tmp_path, scratch, taken):
    target, restored = scratch(), tmp_path / "restored"
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the key file's folder should be")
    key_file = str(blocker / "encryption-key")

    done = cli(restored, target, "restore", str(taken.sealed), key_file=key_file)

    assert done.exit_code != 0 and "encryption-key" in done.output
    assert done.output.count("\n") == 1
    assert tables(target) == 0
    assert not restored.exists()


def _damage_the_dump(good: Path, damaged: Path) -> None:
    """The same archive with the dump cut off half way, as from a full disk."""
    with tarfile.open(good) as opened:
        members = {m.name: opened.extractfile(m).read() for m in opened.getmembers()}  # type: ignore[union-attr]
    dump = members["database.pgdump"]
    members["database.pgdump"] = dump[: len(dump) // 2]
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    damaged.write_bytes(buffer.getvalue())
    assert backup.PGDUMP_MEMBER in members
