"""The caseload benchmark runs end to end on tiny caseloads; its timings are not asserted."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs a benchmark in a subprocess

BENCH = Path(__file__).parent.parent / "bench" / "caseload.py"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    # On its own SQLite file: with DATABASE_URL it would make a test database of its own,
    # next to the one this suite may be using.
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    return subprocess.run(
        [sys.executable, str(BENCH), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )


def test_the_caseload_benchmark_completes_and_prints_both_ratios():
    done = run("--small", "2", "--large", "5", "--weeks", "3", "--runs", "2")

    assert done.returncode in (0, 1), done.stderr  # 1 means slower: timing is not tested here
    assert "caseloads of 2 and 5 couples, 3 weekly check-ins" in done.stdout
    assert "ratio 5/2 caseload page: " in done.stdout
    assert "ratio 5/2 couple page: " in done.stdout
    assert "queries" in done.stdout
    assert "makes" not in done.stdout  # the same number of queries at both sizes


def test_the_caseload_benchmark_refuses_sizes_the_wrong_way_round():
    done = run("--small", "5", "--large", "2")

    assert done.returncode == 2
    assert "--small must be at least 1 and less than --large" in done.stderr
