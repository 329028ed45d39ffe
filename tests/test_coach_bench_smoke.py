"""The coach benchmark runs end to end on a few messages; its timings are not asserted."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs a benchmark in a subprocess

BENCH = Path(__file__).parent.parent / "bench" / "coach.py"


def test_the_coach_benchmark_completes_and_prints_both_ratios():
    pytest.importorskip("vaderSentiment", reason="the baseline needs vaderSentiment")

    done = subprocess.run(
        [sys.executable, str(BENCH), "--messages", "300", "--no-quality"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert done.returncode in (0, 1), done.stderr  # 1 means slower: timing is not tested here
    assert "300 messages" in done.stdout
    assert "messages/s" in done.stdout
    assert "ratio ours/baseline messages per second: " in done.stdout
    assert "ratio ours/baseline p99 latency: " in done.stdout


def test_the_coach_benchmark_refuses_an_empty_run():
    done = subprocess.run(
        [sys.executable, str(BENCH), "--messages", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 2
    assert "--messages must be at least 1" in done.stderr
