"""Benchmark: batch scoring and psychometrics of a large CSV against plain pandas.

Generates respondents x 36 items (the shipped `ecr_r` instrument, or a
generated 36-item stand-in if the library has none) with a few percent of
missing cells and a few invalid rows, then times both of:

- ours: `batch.score_csv` + `psychometrics.analyse_csv` (each reads the file);
- baseline: a straightforward pandas version of the same job, read once.

Each run is a fresh process (so its peak RSS is its own); the two sides
alternate, three rounds, and the best time of each side counts.

Both must agree on every score and statistic. Exits 1 if they disagree or if
ours is slower than the baseline.

    .venv/bin/python bench/score_batch.py            # 100,000 rows
    .venv/bin/python bench/score_batch.py --rows 2000
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from attunement.errors import UnknownInstrument
from attunement.instruments import batch, library, psychometrics
from attunement.instruments.model import Instrument, Method

MISSING_SHARE = 0.03
INVALID_SHARE = 0.004
TOLERANCE = 1e-9
ROUNDS = 3

Stats = dict[str, dict[str, Any]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="respondents to generate")
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--child", choices=["ours", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--instrument", help=argparse.SUPPRESS)
    parser.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.instrument, args.csv, args.out)
    with tempfile.TemporaryDirectory(prefix="attunement-bench-") as folder:
        return compare(Path(folder), args.rows, args.seed)


def compare(folder: Path, rows: int, seed: int) -> int:
    spec, instrument = bench_instrument(folder)
    path = folder / "answers.csv"
    started = time.perf_counter()
    invalid = write_answers(instrument, path, rows, np.random.default_rng(seed))
    print(
        f"{instrument.id}: {rows:,} rows x {len(instrument.items)} items, "
        f"{MISSING_SHARE:.0%} of cells missing, {invalid} invalid rows; "
        f"{path.stat().st_size / 1e6:.1f} MB CSV written in {time.perf_counter() - started:.1f} s"
    )
    ours, base = measure(spec, path, folder)
    for name, run in (("ours (score_csv + analyse_csv)", ours), ("baseline (plain pandas)", base)):
        print(
            f"{name:<32} best of {ROUNDS} {run['seconds']:6.3f} s"
            f" {rows / run['seconds']:>10,.0f} rows/s  peak RSS {run['peak_mb']:6.1f} MB"
            f" ({run['peak_mb'] - run['idle_mb']:+.1f} MB over the idle interpreter)"
        )
    problems = disagreements(folder / "ours.npz", folder / "baseline.npz", ours, base)
    for problem in problems:
        print(f"DISAGREE: {problem}")
    ratio = ours["seconds"] / base["seconds"]
    print(f"ratio ours/baseline: {ratio:.2f} (must be <= 1.0)")
    if problems or ratio > 1.0:
        print("FAIL: " + ("results disagree" if problems else "ours is slower than the baseline"))
        return 1
    return 0


def measure(spec: str, path: Path, folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Best time and highest peak of each side; runs alternate so both see the same load."""
    runs: dict[str, list[dict[str, Any]]] = {"ours": [], "baseline": []}
    for _ in range(ROUNDS):
        for name, done in runs.items():
            done.append(run_child(name, spec, path, folder))
    ours, base = (
        {
            **done[0],
            "seconds": min(run["seconds"] for run in done),
            "peak_mb": max(run["peak_mb"] for run in done),
            "idle_mb": max(run["idle_mb"] for run in done),
        }
        for done in runs.values()
    )
    return ours, base


def run_child(name: str, spec: str, path: Path, folder: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", name, "--instrument", spec, "--csv", str(path)]
    command += ["--out", str(folder / f"{name}.npz")]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{name} run failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def child(name: str, spec: str, path: Path, out: Path) -> int:
    instrument = library.resolve(spec)
    run = run_ours if name == "ours" else run_baseline
    idle = peak_mb()
    started = time.perf_counter()
    scores, stats = run(instrument, path)
    seconds = time.perf_counter() - started
    np.savez(out, **scores)
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb(), "idle_mb": idle, "stats": stats}))
    return 0


def peak_mb() -> float:
    """This process's peak resident memory in MB.

    Linux's VmHWM starts afresh when a program is executed; ru_maxrss would carry
    over the parent's peak from before the fork.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def run_ours(instrument: Instrument, path: Path) -> tuple[dict[str, Any], Stats]:
    result = batch.score_csv(instrument, path)
    report = psychometrics.analyse_csv(instrument, path)
    return dict(result.scores), report.to_dict()


def run_baseline(instrument: Instrument, path: Path) -> tuple[dict[str, Any], Stats]:
    """The same job as most analysts would write it in pandas."""
    # No conditional items or optional scales: the benchmark instrument has none.
    frame = pd.read_csv(path, dtype={"id": str}, low_memory=False)
    items = [item.id for item in instrument.items]
    raw = frame[items]
    numbers = raw.apply(pd.to_numeric, errors="coerce")
    low = pd.Series({item.id: item.scale.min for item in instrument.items})
    high = pd.Series({item.id: item.scale.max for item in instrument.items})
    text = raw.notna() & numbers.isna()
    numbers = numbers.mask(numbers.isin(list(instrument.missing_codes)))
    invalid = (text | (numbers % 1 > 0) | numbers.lt(low) | numbers.gt(high)).any(axis=1)
    reverse = [item.id for item in instrument.items if item.reverse]
    numbers[reverse] = (low + high)[reverse] - numbers[reverse]
    scores, stats = {}, {}
    for scale in instrument.scales:
        part = numbers[list(scale.items)]
        score = part.mean(axis=1)
        if scale.method is Method.SUM:
            score *= len(scale.items)
        elif scale.method is Method.MAX:
            score = part.max(axis=1)
        invalid |= part.notna().sum(axis=1) < scale.min_answered
        scores[scale.id] = score
    for scale in instrument.scales:
        score = scores[scale.id] = scores[scale.id].mask(invalid)
        part = numbers.loc[~invalid, list(scale.items)].dropna()
        total = part.sum(axis=1)
        k = len(scale.items)
        stats[scale.id] = {
            "n": len(part),
            "mean": score[part.index].mean(),
            "sd": score[part.index].std(),
            "alpha": k / (k - 1) * (1 - part.var().sum() / total.var()),
            "item_total": {item: part[item].corr(total - part[item]) for item in scale.items},
        }
    return {key: value.to_numpy() for key, value in scores.items()}, stats


def disagreements(
    ours_file: Path, base_file: Path, ours: dict[str, Any], base: dict[str, Any]
) -> list[str]:
    problems = []
    with np.load(ours_file) as mine, np.load(base_file) as theirs:
        for scale in mine.files:
            if not np.allclose(mine[scale], theirs[scale], rtol=0, atol=TOLERANCE, equal_nan=True):
                problems.append(f"scores of scale {scale!r}")
    for scale, stats in ours["stats"].items():
        other = base["stats"][scale]
        pairs = [(key, stats[key], other[key]) for key in ("n", "mean", "sd", "alpha")]
        pairs += [(f"r {i}", r, other["item_total"][i]) for i, r in stats["item_total"].items()]
        for key, mine_value, their_value in pairs:
            if not same(mine_value, their_value):
                problems.append(f"{scale} {key}: {mine_value} vs {their_value}")
    return problems


def same(ours: float | None, theirs: float) -> bool:
    """Equal within the tolerance; our None (undefined) matches pandas' NaN."""
    if ours is None or math.isnan(theirs):
        return ours is None and math.isnan(theirs)
    return abs(ours - theirs) <= TOLERANCE


def bench_instrument(folder: Path) -> tuple[str, Instrument]:
    """The shipped ECR-R, or a 36-item stand-in with the same shape."""
    try:
        return "ecr_r", library.get("ecr_r")
    except UnknownInstrument:
        path = folder / "bench36.yaml"
        path.write_text(STAND_IN, encoding="utf-8")
        return str(path), library.resolve(path)


def write_answers(instrument: Instrument, path: Path, rows: int, rng: np.random.Generator) -> int:
    """Correlated 1-7 answers, some cells missing, some rows invalid; returns the invalid count."""
    position = {item_id: j for j, item_id in enumerate(instrument.item_ids)}
    answers = np.zeros((rows, len(instrument.items)), dtype=np.int64)
    for scale in instrument.scales:
        trait = rng.normal(size=rows)
        for item_id in scale.items:
            item = instrument.item(item_id)
            low, high = item.scale.min, item.scale.max
            level = (low + high) / 2 + 1.2 * trait + rng.normal(scale=1.2, size=rows)
            value = np.clip(np.rint(level), low, high).astype(np.int64)
            answers[:, position[item_id]] = low + high - value if item.reverse else value
    cells = answers.astype(str).astype(object)
    cells[rng.random(cells.shape) < MISSING_SHARE] = ""
    codes = sorted(instrument.missing_codes)
    if codes:
        cells[rng.random(cells.shape) < MISSING_SHARE / 10] = str(codes[0])
    invalid = rng.choice(rows, size=min(rows, max(4, int(rows * INVALID_SHARE))), replace=False)
    for n, row in enumerate(invalid.tolist()):
        column = int(rng.integers(len(instrument.items)))
        kind = n % 4
        if kind == 3:  # too few answered: blank the first scale entirely
            cells[row, [position[i] for i in instrument.scales[0].items]] = ""
        else:
            cells[row, column] = ("x", "8", "2.5")[kind]
    ids = np.array([f"r{n:06d}" for n in range(rows)], dtype=object)
    lines = [",".join(["id", *instrument.item_ids])]
    lines += [",".join(row) for row in np.column_stack([ids, cells]).tolist()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(invalid)


def _stand_in() -> str:
    reverse = {2, 5, 9, 11, 20, 22, 26, 27, 29, 31, 33, 35}
    items = "\n".join(
        f'  - {{id: "{n}", text: "Statement {n}."{", reverse: true" if n in reverse else ""}}}'
        for n in range(1, 37)
    )
    first = ", ".join(f'"{n}"' for n in range(1, 19))
    second = ", ".join(f'"{n}"' for n in range(19, 37))
    return f"""id: bench36
title: Benchmark stand-in, 36 items
citation: Generated for the batch benchmark.
licence: {{status: ours, note: Generated test data.}}
instructions: Say how much you agree.
response_scales:
  agree: {{min: 1, max: 7}}
items:
{items}
scales:
  - {{id: first, items: [{first}], method: mean, min_answered: 16}}
  - {{id: second, items: [{second}], method: mean, min_answered: 16}}
missing_codes: [-9, 99]
"""


STAND_IN = _stand_in()


if __name__ == "__main__":
    sys.exit(main())
