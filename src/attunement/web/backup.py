"""`attunement backup` and `attunement restore`: the database and its keys, as one archive.

A backup is a tar archive holding `manifest.json`, the database (`database.sqlite3`,
a consistent copy made with SQLite's online backup API, or `database.pgdump`, from
`pg_dump --format=custom`), the encryption key file (`encryption-key`) and, where the
data folder has one, the secret-key file (`secret-key`). It is written with mode 0600.

With a passphrase the archive is sealed (docs/backup.md):

    b"ATTUNEMENT-BACKUP-1\\n" | salt (16 bytes) | nonce (12 bytes) | AES-256-GCM(tar)

with the key derived by scrypt (n=2**15, r=8, p=1) from the passphrase and salt, and
the header and salt as associated data. Without one it is a plain gzip-compressed tar.

This module reads the same environment variables as the settings but never imports
Django: restoring must not create a database or a secret key before it has checked
that there is nothing to overwrite.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from attunement.errors import AttunementError
from attunement.files import write_atomically

MAGIC = b"ATTUNEMENT-BACKUP-1\n"
FORMAT = "attunement-backup"
VERSION = 1
SALT_BYTES, NONCE_BYTES = 16, 12
SQLITE_MEMBER, PGDUMP_MEMBER = "database.sqlite3", "database.pgdump"
KEY_MEMBER, SECRET_MEMBER = "encryption-key", "secret-key"


class BackupError(AttunementError):
    """A backup or restore that cannot go ahead; nothing was written."""


@dataclass(frozen=True)
class Locations:
    """Where this installation keeps its data, from the same variables as the settings."""

    data_dir: Path
    key_file: Path
    database_url: str  # "" for the embedded SQLite database

    @classmethod
    def from_environment(cls) -> Locations:
        data_dir = Path(os.environ.get("ATTUNEMENT_DATA_DIR") or Path.cwd() / "attunement-data")
        key_file = Path(os.environ.get("ATTUNEMENT_KEY_FILE") or data_dir / "encryption-key")
        return cls(data_dir, key_file, os.environ.get("DATABASE_URL", ""))

    @property
    def sqlite_file(self) -> Path:
        return self.data_dir / "attunement.sqlite3"

    @property
    def secret_file(self) -> Path:
        return self.data_dir / "secret-key"


def backup(destination: Path, passphrase: str | None, where: Locations | None = None) -> list[str]:
    """Write one archive of the database and its keys to `destination`; the member names."""
    where = where or Locations.from_environment()
    if destination.exists():
        raise BackupError(f"{destination} already exists; choose a new file name")
    if not where.key_file.is_file():
        raise BackupError(f"the encryption key file {where.key_file} is missing")
    with tempfile.TemporaryDirectory(prefix="attunement-backup-") as scratch:
        members = {KEY_MEMBER: where.key_file.read_bytes()}
        if where.secret_file.is_file():
            members[SECRET_MEMBER] = where.secret_file.read_bytes()
        members.update(_dump_database(where, Path(scratch)))
        archive = _tar(members, "postgresql" if where.database_url else "sqlite")
    sealed = seal(archive, passphrase) if passphrase else archive
    try:
        write_atomically(destination, sealed, mode=0o600)
    except OSError as error:
        raise BackupError(f"{destination}: cannot write the backup: {error.strerror}") from None
    return sorted(members)


def restore(source: Path, passphrase: str | None, where: Locations | None = None) -> list[str]:
    """Restore an archive onto an empty installation; refuses to overwrite anything.

    All or nothing: the files are written beside their places and moved in together,
    and PostgreSQL restores in one transaction; if any step fails, every file put in
    place (and every folder made for them) is removed again and the database stays empty.
    """
    where = where or Locations.from_environment()
    members, manifest = _read_archive(source, passphrase)
    engine = "postgresql" if where.database_url else "sqlite"
    if manifest.get("engine") != engine:
        raise BackupError(
            f"{source} holds a {manifest.get('engine')} database but this installation uses "
            f"{engine}; set DATABASE_URL to match"
        )
    _refuse_to_overwrite(where, members)
    files = {where.key_file: members[KEY_MEMBER]}
    if SECRET_MEMBER in members:
        files[where.secret_file] = members[SECRET_MEMBER]
    if engine == "sqlite":
        files[where.sqlite_file] = members[SQLITE_MEMBER]
    with _placed(files):
        if engine == "postgresql":
            _restore_postgresql(where.database_url, members[PGDUMP_MEMBER])
    return sorted(members)


@contextmanager
def _placed(files: dict[Path, bytes]) -> Iterator[None]:
    """Put every file in place (mode 0600) for the block; if anything fails, remove them all."""
    made: list[Path] = []  # folders this made, innermost last
    staged: dict[Path, Path] = {}
    placed: list[Path] = []
    try:
        for path, content in files.items():
            made += _make_folder(path)
            staged[path] = _stage(path, content)
        for path, temporary in staged.items():
            _move_in(temporary, path)
            placed.append(path)
        yield
    except BaseException:
        for path in [*placed, *staged.values()]:
            path.unlink(missing_ok=True)
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if empty: never anything that was not ours
        raise
    for temporary in staged.values():
        temporary.unlink(missing_ok=True)  # each is in place under its own name now


def _make_folder(path: Path) -> list[Path]:
    """Make the file's folder (private to its owner) and missing parents; those it made."""
    folder = path.parent
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"{path}: cannot make its folder: {error.strerror}") from None
    return list(reversed(missing))


def _stage(path: Path, content: bytes) -> Path:
    """The content, complete and on disk, in a hidden file beside `path`."""
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise BackupError(f"{path}: cannot write it: {error.strerror}") from None
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.chmod(0o600)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise BackupError(f"{path}: cannot write it: {error.strerror}") from None
    return temporary


def _move_in(temporary: Path, path: Path) -> None:
    """Give the staged file its name, never over a file that appeared meanwhile."""
    taken = BackupError(f"{path} already exists; restore only into an empty data folder")
    try:
        os.link(temporary, path)  # fails if the name is taken, unlike a rename
    except FileExistsError:
        raise taken from None
    except OSError:
        if path.exists():  # a file system without hard links: check, then rename
            raise taken from None
        os.replace(temporary, path)


def seal(data: bytes, passphrase: str) -> bytes:
    salt, nonce = secrets.token_bytes(SALT_BYTES), secrets.token_bytes(NONCE_BYTES)
    header = MAGIC + salt
    return header + nonce + AESGCM(_derive(passphrase, salt)).encrypt(nonce, data, header)


def unseal(data: bytes, passphrase: str) -> bytes:
    salt = data[len(MAGIC) : len(MAGIC) + SALT_BYTES]
    nonce = data[len(MAGIC) + SALT_BYTES : len(MAGIC) + SALT_BYTES + NONCE_BYTES]
    sealed = data[len(MAGIC) + SALT_BYTES + NONCE_BYTES :]
    try:
        return AESGCM(_derive(passphrase, salt)).decrypt(nonce, sealed, MAGIC + salt)
    except (InvalidTag, ValueError):
        raise BackupError("the passphrase does not open this backup (or it is damaged)") from None


def _derive(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode("utf-8"))


def _dump_database(where: Locations, scratch: Path) -> dict[str, bytes]:
    if where.database_url:
        target = scratch / PGDUMP_MEMBER
        command = ["pg_dump", "--format=custom", f"--dbname={where.database_url}"]
        _run([*command, f"--file={target}"], "pg_dump")
        return {PGDUMP_MEMBER: target.read_bytes()}
    if not where.sqlite_file.is_file():
        raise BackupError(f"there is no database at {where.sqlite_file}")
    target = scratch / SQLITE_MEMBER
    # The online backup API copies a consistent snapshot while the server keeps writing.
    source = sqlite3.connect(f"file:{where.sqlite_file}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        copy.close()
        source.close()
    return {SQLITE_MEMBER: target.read_bytes()}


def _tar(members: dict[str, bytes], engine: str) -> bytes:
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": engine,
        "members": sorted(members),
    }
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in {"manifest.json": json.dumps(manifest).encode(), **members}.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(content), 0o600
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def _read_archive(
    source: Path, passphrase: str | None
) -> tuple[dict[str, bytes], dict[str, object]]:
    try:
        data = source.read_bytes()
    except OSError as error:
        raise BackupError(f"{source}: cannot read the backup: {error.strerror}") from None
    if data.startswith(MAGIC):
        if not passphrase:
            raise BackupError(f"{source} is encrypted; give its passphrase")
        data = unseal(data, passphrase)
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            members = {
                m.name: archive.extractfile(m).read()  # type: ignore[union-attr]
                for m in archive.getmembers()
                if m.isfile()
            }
        manifest = json.loads(members.pop("manifest.json"))
    except (tarfile.TarError, KeyError, ValueError, OSError):
        raise BackupError(f"{source} is not an Attunement backup") from None
    database = PGDUMP_MEMBER if manifest.get("engine") == "postgresql" else SQLITE_MEMBER
    if manifest.get("format") != FORMAT or KEY_MEMBER not in members or database not in members:
        raise BackupError(f"{source} is not an Attunement backup")
    return members, manifest


def _refuse_to_overwrite(where: Locations, members: dict[str, bytes]) -> None:
    present = [where.key_file]
    present += [where.secret_file] if SECRET_MEMBER in members else []
    present += [] if where.database_url else [where.sqlite_file]
    for path in present:
        if path.exists():
            raise BackupError(f"{path} already exists; restore only into an empty data folder")
    if where.database_url and _postgresql_has_tables(where.database_url):
        raise BackupError(
            "the database in DATABASE_URL is not empty; restore only into an empty one"
        )


def _postgresql_has_tables(url: str) -> bool:
    query = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
    output = _run(["psql", f"--dbname={url}", "--tuples-only", "--no-align", "-c", query], "psql")
    return output.strip() != "0"


def _restore_postgresql(url: str, dump: bytes) -> None:
    with tempfile.NamedTemporaryFile(suffix=".pgdump") as file:
        file.write(dump)
        file.flush()
        command = ["pg_restore", "--no-owner", "--single-transaction", "--exit-on-error"]
        _run([*command, f"--dbname={url}", file.name], "pg_restore")


def _run(command: list[str], name: str) -> str:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{name} is not installed; it is needed for PostgreSQL")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise BackupError(f"{name}: {last}")
    return done.stdout
