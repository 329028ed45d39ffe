"""The batch benchmark runs end to end on a small file; its timings are not asserted."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs a benchmark in a subprocess

BENCH = Path(__file__).parent.parent / "bench" / "score_batch.py"


def test_the_batch_benchmark_completes_and_prints_a_ratio():
    done = subprocess.run(
        [sys.executable, str(BENCH), "--rows", "2000"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert done.returncode in (0, 1), done.stderr  # 1 means slower: timing is not tested here
    assert "ratio ours/baseline: " in done.stdout
    assert "rows/s" in done.stdout
    assert "DISAGREE" not in done.stdout
