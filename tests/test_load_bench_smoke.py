"""The load bench and the kill -9 check run end to end on tiny numbers; timings not asserted."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # starts servers in subprocesses

BENCH = Path(__file__).parent.parent / "bench"


def run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    # The benches choose their own databases: a scratch PostgreSQL one, a temporary SQLite one.
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    return subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )


def postgres_reachable() -> bool:
    if not shutil.which("psql"):
        return False
    probe = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres", "-Atc", "select 1"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return probe.returncode == 0


def scratch_databases() -> set[str]:
    listed = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc",
         "select datname from pg_database where datname like 'attunement_load_%'"],
        capture_output=True, text=True, timeout=30, check=True,
    )  # fmt: skip
    return set(listed.stdout.split())


def test_the_load_bench_completes_on_postgresql_and_prints_each_level():
    if not postgres_reachable():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    before = scratch_databases()

    done = run("load.py", "--seconds", "1", "--levels", "2,3", "--workers", "2")

    assert done.returncode == 0, done.stderr
    assert "gunicorn, 2 workers, PostgreSQL, 1 s a level" in done.stdout
    for users in (2, 3):
        line = re.search(rf"^{users} users: .*$", done.stdout, re.MULTILINE)
        assert line, done.stdout
        assert re.fullmatch(
            rf"{users} users: \d+ req/s, p50 \d+ ms, p95 \d+ ms, p99 \d+ ms, "
            r"\d+ answers, \d+ errors",
            line.group(0),
        )
    assert scratch_databases() <= before  # its scratch database is dropped


def test_the_load_bench_refuses_a_level_without_users():
    done = run("load.py", "--levels", "10,0")

    assert done.returncode == 2
    assert "every level needs at least one user" in done.stderr


def test_a_kill_9_loses_no_acknowledged_write():
    done = run("crash.py", "--count", "20", "--checkins", "2")

    assert done.returncode == 0, done.stdout + done.stderr
    assert "killed with SIGKILL after" in done.stdout
    entries = re.search(r"journal entries: (\d+) acknowledged, (\d+) present", done.stdout)
    checkins = re.search(r"check-ins: (\d+) acknowledged, (\d+) present", done.stdout)
    assert entries and checkins, done.stdout
    assert int(entries[1]) >= 10 and entries[1] == entries[2]
    assert int(checkins[1]) >= 1 and checkins[1] == checkins[2]
    assert "0 missing" in done.stdout
    assert "no acknowledged write was lost" in done.stdout
