"""kill -9 mid-write on SQLite: every acknowledged journal entry and check-in survives.

    python bench/crash.py [--count 200] [--checkins 10]

Starts `attunement serve` (waitress, SQLite) in a temporary data folder with people and
API tokens made the way tests/web/live.py makes them, then writes at once: journal
entries through the JSON API (acknowledged = 201) and weekly check-ins through the
signed-in form (there is no check-in write in the JSON API; acknowledged = the 302 back
to /checkin/). Once about half of each is acknowledged the server gets SIGKILL; it is
started again on the same folder and every acknowledged write is looked for: entries
through the API (id and text), check-ins in the database (one per person and week).
Prints the counts; exit 1 if any acknowledged write is missing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "web"))

import live  # type: ignore[import-not-found]  # tests/web, not a package mypy sees

# The rate limits would refuse a burst of writes long before the kill; they are not tested here.
LIMITS = {"ATTUNEMENT_LIMIT_API_WRITE": "1000000/m", "ATTUNEMENT_LIMIT_JOURNAL_WRITE": "1000000/h"}
CHECKIN = {"1": "4", "2": "3", "3": "3", "4": "3", "W1": "2", "W2": "2", "W3": "2"}

# Each person's check-ins in the database, by email (read after the restart).
COUNT = """
import json
from attunement.web import server
server.setup()
from attunement.web.checkins.models import CheckIn
found = {}
for email in CheckIn.objects.values_list("owner__email", flat=True):
    found[email] = found.get(email, 0) + 1
print(json.dumps(found))
"""


def environment(data: Path) -> dict[str, str]:
    return {**live.environment(data), **LIMITS}


def start(data: Path, port: int) -> subprocess.Popen[bytes]:
    log = (data.parent / "server.log").open("a")
    process = subprocess.Popen(
        [live.ATTUNEMENT, "serve", "--port", str(port)],
        env=environment(data),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    live._wait_for(port, process)
    return process


class Writes:
    """What the server acknowledged, filled in by the writer threads."""

    def __init__(self) -> None:
        self.entries: dict[int, str] = {}
        self.checkins: list[str] = []
        self.refused = 0
        self.stop = threading.Event()


def journal(base: str, secret: str, count: int, writes: Writes) -> None:
    api = live.Api(base, secret)
    for n in range(count):
        if writes.stop.is_set():
            return
        body = f"Crash check entry {n}: what I wanted to say tonight."
        try:
            status, entry = api.call("POST", "/api/journal", {"title": f"#{n}", "body": body})
        except Exception:  # the server is gone: whatever was in flight was never acknowledged
            return
        if status == 201:
            writes.entries[int(entry["id"])] = body
        else:
            writes.refused += 1


def checkins(browsers: dict[str, live.Browser], writes: Writes) -> None:
    for email, browser in browsers.items():
        if writes.stop.is_set():
            return
        try:
            status, _ = browser.post("/checkin/take/", CHECKIN)
        except Exception:
            return
        if status == 302:
            writes.checkins.append(email)
        else:
            writes.refused += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="journal entries to attempt")
    parser.add_argument("--checkins", type=int, default=10, help="people who each check in")
    args = parser.parse_args()
    if args.count < 2 or args.checkins < 2:
        parser.error("--count and --checkins must be at least 2")
    with tempfile.TemporaryDirectory(prefix="attunement-crash-") as scratch:
        data = Path(scratch) / "data"
        data.mkdir()
        writer = "writer@example.org"
        people = [f"person{n}@example.org" for n in range(args.checkins)]
        tokens = live.make_people(data, [writer, *people], pair=False)
        port = live.free_port()
        base = f"http://127.0.0.1:{port}"
        server = start(data, port)
        try:
            browsers = {email: live.Browser(base, email) for email in people}
            writes = Writes()
            threads = [
                threading.Thread(target=journal, args=(base, tokens[writer], args.count, writes)),
                threading.Thread(target=checkins, args=(browsers, writes)),
            ]
            for thread in threads:
                thread.start()
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and (
                len(writes.entries) < args.count // 2 or len(writes.checkins) < args.checkins // 2
            ):
                time.sleep(0.005)
            server.kill()  # SIGKILL, mid-stream
            server.wait()
            writes.stop.set()
            for thread in threads:
                thread.join(timeout=120)
        finally:
            if server.poll() is None:
                server.kill()
                server.wait()
        entries = dict(writes.entries)
        done = list(writes.checkins)
        server = start(data, port)
        try:
            found: list[Any] = live.Api(base, tokens[writer]).every("/api/journal")
        finally:
            server.terminate()
            server.wait(timeout=30)
        present = {int(e["id"]): e["body"] for e in found}
        lost_entries = [i for i, body in entries.items() if present.get(i) != body]
        counted = subprocess.run(
            [sys.executable, "-c", COUNT],
            env=environment(data),
            capture_output=True,
            text=True,
            check=True,
        )
        stored = json.loads(counted.stdout.strip().splitlines()[-1])
        lost_checkins = [email for email in done if stored.get(email, 0) != 1]
    kept_entries = len(entries) - len(lost_entries)
    kept_checkins = len(done) - len(lost_checkins)
    print(f"killed with SIGKILL after {len(entries)} acknowledged journal entries and "
          f"{len(done)} acknowledged check-ins ({writes.refused} refused)")  # fmt: skip
    print(f"journal entries: {len(entries)} acknowledged, {kept_entries} present after "
          f"restart ({len(present)} stored in all), {len(lost_entries)} missing")  # fmt: skip
    print(f"check-ins: {len(done)} acknowledged, {kept_checkins} present after restart "
          f"({sum(stored.values())} stored in all), {len(lost_checkins)} missing")  # fmt: skip
    if lost_entries or lost_checkins:
        print(f"LOST acknowledged writes: entries {lost_entries}, check-ins {lost_checkins}")
        return 1
    print("no acknowledged write was lost")
    return 0


if __name__ == "__main__":
    sys.exit(main())
