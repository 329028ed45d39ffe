"""Signed-in users at rising concurrency against gunicorn on PostgreSQL: req/s and latency.

    python bench/load.py [--seconds 10] [--levels 10,50,200] [--workers 4] [--requests 100000]

Creates a scratch PostgreSQL database (createdb on 127.0.0.1:5432 as postgres), seeds the
demo couple there, starts gunicorn (the production extra) with several workers on a
loopback port (bench/pages.py does the seeding and serving), and at each level runs that
many concurrent users, each on its own connection, cycling through the signed-in home,
report, check-in and journal pages. Every level stops by itself after `--seconds` or
`--requests` answers in all, whichever comes first; the database is dropped at the end.
Without a reachable PostgreSQL it says so and measures SQLite instead.
Per level: req/s, p50/p95/p99 latency and errors (answers other than 2xx/3xx, and
connection errors). Nothing is asserted: the figures are one machine's.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import free_port, seed, serve, setup

PATHS = ("/", "/report/", "/checkin/", "/journal/")
POSTGRES = "postgres://postgres@127.0.0.1:5432/"


def postgres(name: str) -> str | None:
    """A fresh scratch database's URL, or None (with the reason printed) when unreachable."""
    if not shutil.which("createdb"):
        print("PostgreSQL client tools (createdb) not found: measuring SQLite instead")
        return None
    made = subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres", name],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if made.returncode != 0:
        reason = made.stderr.strip() or f"createdb exited {made.returncode}"
        print(f"PostgreSQL at 127.0.0.1:5432 not reachable ({reason}): measuring SQLite instead")
        return None
    return POSTGRES + name


def drop(name: str) -> None:
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres", "--force", name],
        capture_output=True,
        timeout=60,
        check=False,
    )


def user(port: int, cookie: str, first: int, end: float, budget: int) -> tuple[list[float], int]:
    """One signed-in user on one connection until `end`: (latencies of good answers, errors)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": f"sessionid={cookie}"}
    latencies: list[float] = []
    errors = 0
    n = first
    while time.monotonic() < end and len(latencies) + errors < budget:
        path = PATHS[n % len(PATHS)]
        n += 1
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if 200 <= response.status < 400:
                latencies.append(time.perf_counter() - started)
            else:
                errors += 1
            if response.will_close:
                connection.close()  # gunicorn's sync workers answer one request a connection
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.close()
    return latencies, errors


def crowd(port: int, cookie: str, users: range, end: float, budget: int) -> tuple[list[float], int]:
    """Some of the users, each on its own thread, in one process."""
    with ThreadPoolExecutor(len(users)) as pool:
        jobs = [pool.submit(user, port, cookie, n, end, budget) for n in users]
        results = [j.result() for j in jobs]
    return [t for r in results for t in r[0]], sum(r[1] for r in results)


def level(port: int, cookie: str, users: int, seconds: float, requests: int) -> dict[str, float]:
    """`users` concurrent users for `seconds` (or `requests` answers in all)."""
    processes = max(1, min(users, os.cpu_count() or 1))
    budget = max(1, requests // users)
    shares = [range(p, users, processes) for p in range(processes)]
    started = time.monotonic()
    end = started + seconds
    with ProcessPoolExecutor(processes) as pool:
        results = [j.result() for j in [pool.submit(crowd, port, cookie, s, end, budget)
                                        for s in shares]]  # fmt: skip
    took = time.monotonic() - started
    latencies = sorted(t for r in results for t in r[0])
    errors = sum(r[1] for r in results)
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return {
        "rate": len(latencies) / took,
        "p50": cuts[49] * 1000 if cuts else 0.0,
        "p95": cuts[94] * 1000 if cuts else 0.0,
        "p99": cuts[98] * 1000 if cuts else 0.0,
        "answers": len(latencies),
        "errors": errors,
    }


def levels(text: str) -> list[int]:
    try:
        found = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of whole numbers: {text!r}") from None
    if not found or min(found) < 1:
        raise argparse.ArgumentTypeError(f"every level needs at least one user: {text!r}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per level")
    parser.add_argument("--levels", type=levels, default=[10, 50, 200], help="users, e.g. 10,50")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--requests", type=int, default=100_000, help="most answers per level")
    args = parser.parse_args()
    if args.seconds <= 0 or args.workers < 1 or args.requests < 1:
        parser.error("--seconds, --workers and --requests must be positive")
    name = f"attunement_load_{os.getpid()}"
    database = postgres(name)
    try:
        with tempfile.TemporaryDirectory(prefix="attunement-load-") as scratch:
            data = Path(scratch)
            setup(data, database)
            _, cookie = seed(20)
            from django.db import connections

            connections.close_all()  # the workers have the database to themselves
            port = free_port()
            server = serve(data, port, args.workers)
            try:
                user(port, cookie, 0, time.monotonic() + 1.0, 100)  # warm the workers
                found = {n: level(port, cookie, n, args.seconds, args.requests)
                         for n in args.levels}  # fmt: skip
            finally:
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=30)
    finally:
        if database:
            drop(name)
    engine = "PostgreSQL" if database else "SQLite"
    print(f"gunicorn, {args.workers} workers, {engine}, {args.seconds:g} s a level, "
          f"pages {' '.join(PATHS)}")  # fmt: skip
    for users, f in found.items():
        print(f"{users} users: {f['rate']:.0f} req/s, p50 {f['p50']:.0f} ms, "
              f"p95 {f['p95']:.0f} ms, p99 {f['p99']:.0f} ms, "
              f"{int(f['answers'])} answers, {int(f['errors'])} errors")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
