"""Benchmark: the message coach and crisis detection, quality and speed, on the test split.

Quality, on the corpus's test split (writers never seen in training or tuning; see
corpus/README.md): per-label precision, recall and F1, protective-vs-not F1 by style,
neutral messages kept neutral, crisis recall per concern and the false-alarm rate on
ordinary messages (`attunement.coach.evaluate`). `--errors` lists every miss.

Speed, in this process over the test split's messages repeated to about 5,000:

- ours, one message: what the live coach runs for one message: `analyze(text)` (rules
  and the learned model, patterns, tone, reframe) and `crisis.concerns(text)` (phrases
  and the crisis model); rules and models loaded once, before timing; no caching of
  results; this gives the p99 latency;
- ours, in batches: what `attunement coach --jsonl` runs: `analyze_batch(texts)` and
  `crisis.concerns_batch(texts)` over each chunk of 250 messages (the models read a
  chunk together); this gives the throughput;
- baseline: `SentimentIntensityAnalyzer().polarity_scores(text)` from vaderSentiment,
  one message at a time (it has no batch mode).

Chunks of 250 messages, interleaved with the baseline over five rounds; a chunk's best
round counts towards messages per second, a message's best round towards the p99
latency, for both sides alike. Exits 1 if ours in batches has less than half the
baseline's throughput or ours for one message a p99 above 5 ms (a model that reads
people may cost more than a lexicon; the live coach must still answer at once).

    .venv/bin/python bench/coach.py                  # about 5,000 messages
    .venv/bin/python bench/coach.py --messages 500 --no-quality
    .venv/bin/python bench/coach.py --errors         # error analysis on the test split
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from attunement.coach import analyze, analyze_batch
from attunement.coach.evaluate import errors_text, evaluate, table
from attunement.coach.rules import current
from attunement.safety import crisis
from attunement.textmodel.corpus import by_split
from attunement.textmodel.model import load_model

MIN_SPEED = 0.5
MAX_P99_US = 5000.0
ROUNDS = 5
CHUNK = 250


@dataclass(frozen=True)
class Run:
    seconds: float
    latencies_ns: list[int]

    def per_second(self, count: int) -> float:
        return count / self.seconds

    def percentile_us(self, share: float) -> float:
        ordered = sorted(self.latencies_ns)
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))] / 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000, help="messages per pass")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=argparse.SUPPRESS)
    parser.add_argument("--no-quality", action="store_true", help="timing only")
    parser.add_argument("--errors", action="store_true", help="list the test split's misses")
    args = parser.parse_args(argv)
    if args.messages < 1:
        parser.error("--messages must be at least 1")
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        print("FAIL: the baseline needs vaderSentiment (pip install vaderSentiment)")
        return 1
    if not args.no_quality:
        quality = evaluate("test")
        print(table(quality))
        if args.errors:
            print()
            print(errors_text(quality))
        print()
    messages = corpus_messages(args.messages)
    current()  # load and compile the rules and the models before timing
    crisis.current()
    load_model("coach")
    load_model("crisis")
    vader = SentimentIntensityAnalyzer()
    print(
        f"{len(messages):,} messages (the test split repeated), "
        f"mean {sum(map(len, messages)) / len(messages):.0f} characters"
    )

    def live(text: str) -> object:
        return analyze(text), crisis.concerns(text)

    def batch(texts: list[str]) -> object:
        return analyze_batch(texts), crisis.concerns_batch(texts)

    ours, base = compare(live, vader.polarity_scores, messages, args.rounds)
    batched, base_again = compare_batch(batch, vader.polarity_scores, messages, args.rounds)
    report("ours, one message (analyze)", ours, len(messages))
    report("ours, in batches (analyze_batch)", batched, len(messages), latency=False)
    report("baseline (VADER polarity_scores)", base, len(messages))
    speed = batched.per_second(len(messages)) / base_again.per_second(len(messages))
    tail = ours.percentile_us(0.99) / base.percentile_us(0.99)
    p99 = ours.percentile_us(0.99)
    print(
        f"ratio ours/baseline messages per second: {speed:.2f} in batches, "
        f"{ours.per_second(len(messages)) / base.per_second(len(messages)):.2f} "
        f"one at a time (batches must be >= {MIN_SPEED})"
    )
    print(
        f"ratio ours/baseline p99 latency: {tail:.2f}; "
        f"ours p99 {p99 / 1000:.2f} ms (must be <= 5 ms)"
    )
    if speed < MIN_SPEED or p99 > MAX_P99_US:
        print("FAIL: ours is too slow")
        return 1
    return 0


def corpus_messages(count: int) -> list[str]:
    texts = [record.text for record in by_split()["test"]]
    return [texts[n % len(texts)] for n in range(count)]


def compare(
    ours: Callable[[str], Any], base: Callable[[str], Any], messages: list[str], rounds: int
) -> tuple[Run, Run]:
    """Both sides over the same chunks, interleaved; the best round of each chunk counts."""
    for fn in (ours, base):  # warm up: first calls fill caches
        for text in messages[:200]:
            fn(text)
    chunks = [messages[n : n + CHUNK] for n in range(0, len(messages), CHUNK)]
    best: dict[str, list[Run]] = {"ours": [], "base": []}
    for chunk in chunks:
        runs: dict[str, list[Run]] = {"ours": [], "base": []}
        for round_ in range(rounds):
            gc.collect()
            order = [("ours", ours), ("base", base)]
            for name, fn in order if round_ % 2 == 0 else order[::-1]:
                runs[name].append(timed(fn, chunk))
        for name, done in runs.items():
            best[name].append(fastest(done))
    return joined(best["ours"]), joined(best["base"])


def compare_batch(
    ours: Callable[[list[str]], Any],
    base: Callable[[str], Any],
    messages: list[str],
    rounds: int,
) -> tuple[Run, Run]:
    """Ours a chunk at a time against the baseline one message at a time, interleaved."""
    ours(messages[:200])
    chunks = [messages[n : n + CHUNK] for n in range(0, len(messages), CHUNK)]
    best: dict[str, list[float]] = {"ours": [], "base": []}
    clock = time.perf_counter_ns
    for chunk in chunks:
        seconds: dict[str, list[float]] = {"ours": [], "base": []}
        for round_ in range(rounds):
            gc.collect()
            started = clock()
            if round_ % 2 == 0:
                ours(chunk)
                middle = clock()
                timed(base, chunk)
            else:
                timed(base, chunk)
                middle = clock()
                ours(chunk)
            ended = clock()
            first, second = (middle - started) / 1e9, (ended - middle) / 1e9
            seconds["ours"].append(first if round_ % 2 == 0 else second)
            seconds["base"].append(second if round_ % 2 == 0 else first)
        for name, done in seconds.items():
            best[name].append(min(done))
    return Run(sum(best["ours"]), []), Run(sum(best["base"]), [])


def timed(fn: Callable[[str], Any], messages: list[str]) -> Run:
    clock = time.perf_counter_ns
    latencies = []
    started = clock()
    for text in messages:
        before = clock()
        fn(text)
        latencies.append(clock() - before)
    return Run((clock() - started) / 1e9, latencies)


def fastest(runs: list[Run]) -> Run:
    """The fastest round's time, and each message's fastest latency over the rounds."""
    return Run(
        min(run.seconds for run in runs),
        [min(times) for times in zip(*(run.latencies_ns for run in runs), strict=True)],
    )


def joined(runs: list[Run]) -> Run:
    return Run(sum(run.seconds for run in runs), [ns for run in runs for ns in run.latencies_ns])


def report(name: str, run: Run, count: int, latency: bool = True) -> None:
    tail = (
        f"  p50 {run.percentile_us(0.50):6.1f} µs  p99 {run.percentile_us(0.99):6.1f} µs"
        if latency
        else ""
    )
    print(f"{name:<34} {run.per_second(count):>9,.0f} messages/s{tail}")


if __name__ == "__main__":
    sys.exit(main())
