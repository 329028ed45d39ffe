"""Measure the coach on its labelled corpus; `python -m attunement.coach.evaluate`.

Prints, for the held-out split, per-label precision, recall and F1, the macro-F1
over the ten labels, and the F1 of "contains any protective pattern" next to
VADER's negativity (compound <= -0.05) as a baseline. docs/coach.md holds the same
block between markers; `--update-docs docs/coach.md` rewrites it.

    python -m attunement.coach.evaluate                 # held-out table
    python -m attunement.coach.evaluate --split dev --errors
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from attunement.coach.analysis import analyze
from attunement.coach.rules import LABELS, PROTECTIVE

CORPUS = Path(__file__).with_name("corpus")
SPLITS = ("dev", "heldout")
TARGETS = {"macro_f1": 0.85, "protective_f1": 0.90}
VADER_NEGATIVE = -0.05
BEGIN, END = "<!-- evaluate:begin -->", "<!-- evaluate:end -->"
DOCUMENTED = re.compile(r"\*\*macro-F1 \(10 labels\)\*\* \| \*\*(\d\.\d\d)\*\*")


@dataclass(frozen=True)
class Example:
    text: str
    labels: frozenset[str]


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Report:
    split: str
    size: int
    per_label: dict[str, Score]
    macro_f1: float
    protective: Score
    vader: Score | None
    errors: list[tuple[Example, frozenset[str]]]

    def meets_targets(self) -> bool:
        return (
            self.macro_f1 >= TARGETS["macro_f1"] and self.protective.f1 >= TARGETS["protective_f1"]
        )


def load_corpus(split: str) -> list[Example]:
    """The examples of one split; each line is {"text": ..., "labels": [...]}."""
    path = CORPUS / f"{split}.jsonl"
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        data = json.loads(line)
        unknown = set(data["labels"]) - set(LABELS)
        if unknown:
            raise ValueError(f"{path}:{number}: unknown labels {sorted(unknown)}")
        examples.append(Example(data["text"], frozenset(data["labels"])))
    return examples


def evaluate(split: str = "heldout", *, baseline: bool = True) -> Report:
    examples = load_corpus(split)
    predicted = [frozenset(analyze(e.text).labels) for e in examples]
    per_label = {
        label: score([label in e.labels for e in examples], [label in p for p in predicted])
        for label in LABELS
    }
    truth = [bool(e.labels & set(PROTECTIVE)) for e in examples]
    ours = [bool(p & set(PROTECTIVE)) for p in predicted]
    vader = _vader()
    return Report(
        split=split,
        size=len(examples),
        per_label=per_label,
        macro_f1=sum(s.f1 for s in per_label.values()) / len(per_label),
        protective=score(truth, ours),
        vader=score(truth, [vader(e.text) for e in examples]) if baseline and vader else None,
        errors=[(e, p) for e, p in zip(examples, predicted, strict=True) if e.labels != p],
    )


def score(truth: Sequence[bool], predicted: Sequence[bool]) -> Score:
    hits = sum(t and p for t, p in zip(truth, predicted, strict=True))
    precision = hits / sum(predicted) if any(predicted) else 0.0
    recall = hits / sum(truth) if any(truth) else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1, sum(truth))


def _vader() -> Callable[[str], bool] | None:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    analyser = SentimentIntensityAnalyzer()
    return lambda text: float(analyser.polarity_scores(text)["compound"]) <= VADER_NEGATIVE


def table(report: Report) -> str:
    """The Markdown block that docs/coach.md shows between its evaluate markers."""
    rows = [
        f"Split `{report.split}`: {report.size} messages.",
        "",
        "| label | precision | recall | F1 | messages |",
        "|---|---|---|---|---|",
    ]
    for label, s in report.per_label.items():
        rows.append(f"| {label} | {s.precision:.2f} | {s.recall:.2f} | {s.f1:.2f} | {s.support} |")
    target = TARGETS["macro_f1"]
    rows.append(f"| **macro-F1 (10 labels)** | **{report.macro_f1:.2f}** | | target ≥ {target} | |")
    rows += ["", "| any protective pattern | precision | recall | F1 | messages |"]
    rows.append("|---|---|---|---|---|")
    p = report.protective
    rows.append(
        f"| coach rules | {p.precision:.2f} | {p.recall:.2f} | **{p.f1:.2f}** "
        f"(target ≥ {TARGETS['protective_f1']}) | {p.support} |"
    )
    if report.vader is not None:
        v = report.vader
        rows.append(
            f"| VADER compound ≤ {VADER_NEGATIVE} (baseline) | {v.precision:.2f} "
            f"| {v.recall:.2f} | {v.f1:.2f} | {v.support} |"
        )
    else:
        rows.append("| VADER baseline | not installed | | | |")
    return "\n".join(rows)


def documented_macro_f1(text: str) -> float | None:
    """The macro-F1 written in a docs page's evaluate block, if there is one."""
    found = DOCUMENTED.search(_block(text) or "")
    return float(found.group(1)) if found else None


def update_docs(path: Path, report: Report) -> None:
    text = path.read_text(encoding="utf-8")
    if _block(text) is None:
        raise SystemExit(f"{path}: no {BEGIN} ... {END} block to update")
    before, rest = text.split(BEGIN, 1)
    after = rest.split(END, 1)[1]
    path.write_text(f"{before}{BEGIN}\n{table(report)}\n{END}{after}", encoding="utf-8")


def _block(text: str) -> str | None:
    if BEGIN not in text or END not in text:
        return None
    return text.split(BEGIN, 1)[1].split(END, 1)[0]


def errors_text(report: Report) -> str:
    lines = []
    for example, predicted in report.errors:
        missed = ", ".join(sorted(example.labels - predicted)) or "-"
        extra = ", ".join(sorted(predicted - example.labels)) or "-"
        lines.append(f"missed: {missed:<28} extra: {extra:<28} {example.text}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=SPLITS, default="heldout")
    parser.add_argument("--errors", action="store_true", help="list the messages it gets wrong")
    parser.add_argument("--update-docs", type=Path, metavar="PATH", help="rewrite the docs block")
    args = parser.parse_args(argv)
    report = evaluate(args.split)
    print(table(report))
    if args.errors:
        print()
        print(errors_text(report))
    if args.update_docs:
        update_docs(args.update_docs, report)
        print(f"\nupdated {args.update_docs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
