"""A real `attunement serve` in a temporary data folder, and plain HTTP clients for it.

The server runs in its own process, on SQLite, exactly as a person would start it; the
tests talk to it over loopback with the standard library only.
"""

from __future__ import annotations

import atexit
import http.client
import http.cookiejar
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ATTUNEMENT = str(Path(sys.executable).with_name("attunement"))
PASSWORD = "correct horse battery staple"

# Made before the server starts: people, a couple, answers and one bearer token each.
SETUP = """
import json, sys
from attunement.web import server
server.setup(); server.migrate(); server.check_keys()
from attunement.web.accounts.models import ApiToken, User
from attunement.web.couples.models import Couple, Membership
people = json.loads(sys.argv[1])
couple = Couple.objects.create() if people.get("pair") else None
tokens = {}
for email in people["emails"]:
    user = User.objects.create_user(email, people["password"], display_name=email.split("@")[0])
    if couple is not None and len(tokens) < 2:
        Membership.objects.create(couple=couple, user=user)
    tokens[email] = ApiToken.issue(user, "live test")[1]
print(json.dumps(tokens))
"""


# Only the schema: keys, the key check and people are made for each folder by SETUP.
MIGRATE = """
from django.db import connection
from attunement.web import server
server.setup(); server.migrate()
connection.close()  # a clean close folds the write-ahead log back into the file
"""
DATABASE = "attunement.sqlite3"
_migrated: list[Path] = []


def migrated_database() -> Path:
    """An empty database with every migration applied, made once per test process.

    Migrating takes seconds; each data folder starts from a copy of this file instead.
    """
    if not _migrated:
        folder = Path(tempfile.mkdtemp(prefix="attunement-migrated-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        data = folder / "data"
        subprocess.run(
            [sys.executable, "-c", MIGRATE], env=environment(data), capture_output=True, check=True
        )
        assert not (data / f"{DATABASE}-wal").exists()
        _migrated.append(data / DATABASE)
    return _migrated[0]


def environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ATTUNEMENT_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)  # the embedded default: SQLite in the data folder
    env["ATTUNEMENT_DATA_DIR"] = str(data_dir)
    return env


def make_people(data_dir: Path, emails: list[str], pair: bool = True) -> dict[str, str]:
    """Create accounts (the first two paired); their API token secrets by email."""
    people = json.dumps({"emails": emails, "pair": pair, "password": PASSWORD})
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not (data_dir / DATABASE).exists():
        shutil.copy2(migrated_database(), data_dir / DATABASE)
    done = subprocess.run(
        [sys.executable, "-c", SETUP, people],
        env=environment(data_dir),
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(data_dir: Path) -> Iterator[str]:
    """`attunement serve` on a free loopback port; its base URL while the block runs."""
    port = free_port()
    log = (data_dir.parent / f"{data_dir.name}-server.log").open("w")  # a pipe could fill up
    process = subprocess.Popen(
        [ATTUNEMENT, "serve", "--port", str(port)],
        env=environment(data_dir),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"attunement serve stopped with status {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("attunement serve did not start within a minute")


class Api:
    """JSON calls with a bearer token over one kept-alive connection."""

    def __init__(self, base: str, secret: str) -> None:
        self.netloc = urllib.parse.urlsplit(base).netloc
        self.secret = secret
        self.connection = http.client.HTTPConnection(self.netloc, timeout=60)

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.secret}", "Content-Type": "application/json"}
        data = None if body is None else json.dumps(body)
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.netloc, timeout=60)
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        raw = response.read()
        try:
            return response.status, json.loads(raw) if raw else None
        except ValueError:
            return response.status, raw.decode("utf-8", "replace")

    def every(self, path: str) -> list[Any]:
        """Every item of a paged list, following `next` to the end."""
        found: list[Any] = []
        address: str | None = path
        while address:
            status, page = self.call("GET", address)
            assert status == 200, (status, page)
            found += page["entries"]
            address = page["next"]
        return found


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Browser:
    """A signed-in browser: session and CSRF cookies, form posts, no redirects followed."""

    def __init__(self, base: str, email: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()
        )
        self.get("/accounts/login/")
        status, _ = self.post("/accounts/login/", {"username": email, "password": PASSWORD})
        assert status == 302, f"sign-in failed: {status}"

    def _csrf(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken") or ""

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, str]:
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self._csrf()}).encode()
        return self._open(urllib.request.Request(self.base + path, data=data, method="POST"))

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read().decode("utf-8", "replace")
