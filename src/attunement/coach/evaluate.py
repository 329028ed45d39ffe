"""Measure the coach and crisis detection on the corpus written by others.

`python -m attunement.coach.evaluate [--split dev|test] [--errors]` prints, for one
split of the corpus in `corpus/` (split by writer: see corpus/README.md):

- per-label precision, recall and F1 of the coach, the macro-F1 over the ten labels,
  and the F1 of "carries a protective pattern", overall and by style;
- the share of neutral messages the coach leaves neutral;
- crisis detection: the share of statements of each concern that get help, and the
  false-alarm rate on two populations, reported apart: ordinary messages (messages to
  a partner with no concern; the issue's bar is on these) and the crisis writers' hard
  negatives (lines written to sound alarming without being so: "I could murder a
  pizza").
- the same for the full help alone (what the text says plainly: a phrase, or the
  model well past its threshold); the rest of the help shown is a quiet pointer.

Tune on dev; look at test once per change that matters (docs/coach-labels.md,
/shared/EVALUATION.md). `--errors` lists every message the coach or crisis detection
gets wrong, grouped for error analysis.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from attunement.coach.analysis import analyze_batch
from attunement.coach.rules import LABELS, PROTECTIVE
from attunement.safety import crisis
from attunement.textmodel.corpus import CORPUS, Record, by_split

TARGETS = {
    "macro_f1": 0.85,
    "protective_f1": 0.90,
    "crisis_recall": 0.95,
    "false_alarm": 0.10,
    "neutral_kept": 0.95,
}
VADER_NEGATIVE = -0.05


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass
class Report:
    split: str
    size: int
    per_label: dict[str, Score]
    macro_f1: float
    protective: Score
    by_style: dict[str, Score]
    neutral_kept: float
    neutral_total: int
    crisis_recall: dict[str, tuple[int, int]]
    false_alarms: tuple[int, int]
    hard_negative_alarms: tuple[int, int]
    vader: Score | None
    # The same three for the full help only (`crisis.Reading.plain`).
    plain_recall: dict[str, tuple[int, int]] = field(default_factory=dict)
    plain_false_alarms: tuple[int, int] = (0, 0)
    plain_hard_negative_alarms: tuple[int, int] = (0, 0)
    errors: list[tuple[Record, frozenset[str], frozenset[str]]] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        hits = {
            c: found / total if total else 1.0 for c, (found, total) in self.crisis_recall.items()
        }
        found, total = self.false_alarms
        hard, negatives = self.hard_negative_alarms
        plain, _ = self.plain_false_alarms
        plain_hard, _ = self.plain_hard_negative_alarms
        plain_hits = {
            c: found / total if total else 1.0 for c, (found, total) in self.plain_recall.items()
        }
        return {
            "macro_f1": self.macro_f1,
            "protective_f1": self.protective.f1,
            "neutral_kept": self.neutral_kept,
            "false_alarm": found / total if total else 0.0,
            "false_alarm_hard_negatives": hard / negatives if negatives else 0.0,
            **{f"crisis_recall_{c}": v for c, v in hits.items()},
            "full_help_false_alarm": plain / total if total else 0.0,
            "full_help_false_alarm_hard_negatives": plain_hard / negatives if negatives else 0.0,
            **{f"full_help_recall_{c}": v for c, v in plain_hits.items()},
        }


def score(truth: Sequence[bool], predicted: Sequence[bool]) -> Score:
    hits = sum(t and p for t, p in zip(truth, predicted, strict=True))
    precision = hits / sum(predicted) if any(predicted) else 0.0
    recall = hits / sum(truth) if any(truth) else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1, sum(truth))


def evaluate(split: str = "test", *, baseline: bool = True, folder: Path = CORPUS) -> Report:
    records = by_split(folder)[split]
    coach = [r for r in records if r.kind == "coach"]
    predicted = [frozenset(a.labels) for a in analyze_batch([r.text for r in coach])]
    per_label = {
        label: score([label in r.labels for r in coach], [label in p for p in predicted])
        for label in LABELS
    }
    protective = set(PROTECTIVE)
    truth = [bool(r.labels & protective) for r in coach]
    ours = [bool(p & protective) for p in predicted]
    styles: dict[str, list[int]] = defaultdict(list)
    for n, r in enumerate(coach):
        styles[r.style].append(n)
    by_style = {
        style: score([truth[n] for n in rows], [ours[n] for n in rows])
        for style, rows in sorted(styles.items())
    }
    neutral = [p for r, p in zip(coach, predicted, strict=True) if not r.labels]
    readings = dict(
        zip([r.id for r in records], crisis.read_batch([r.text for r in records]), strict=True)
    )
    found_concerns = {key: reading.concerns for key, reading in readings.items()}
    plain = {key: reading.plain for key, reading in readings.items()}
    ordinary = [r for r in coach if not r.concerns]
    hard = [r for r in records if r.kind == "crisis" and not r.concerns]

    def recall_of(found: dict[str, frozenset[str]]) -> dict[str, tuple[int, int]]:
        return {
            concern: (
                sum(1 for r in records if concern in r.concerns and concern in found[r.id]),
                sum(1 for r in records if concern in r.concerns),
            )
            for concern in crisis.CONCERNS
        }

    def alarms_of(found: dict[str, frozenset[str]], among: list[Record]) -> tuple[int, int]:
        return sum(1 for r in among if found[r.id]), len(among)

    vader = _vader() if baseline else None
    errors = [
        (r, p, found_concerns[r.id])
        for r, p in zip(coach, predicted, strict=True)
        if r.labels != p or r.concerns != found_concerns[r.id]
    ] + [r_err for r in records if r.kind == "crisis" for r_err in _crisis_error(r, found_concerns)]
    return Report(
        split=split,
        size=len(coach),
        per_label=per_label,
        macro_f1=sum(s.f1 for s in per_label.values()) / len(per_label),
        protective=score(truth, ours),
        by_style=by_style,
        neutral_kept=sum(1 for p in neutral if not p) / len(neutral) if neutral else 1.0,
        neutral_total=len(neutral),
        crisis_recall=recall_of(found_concerns),
        false_alarms=alarms_of(found_concerns, ordinary),
        hard_negative_alarms=alarms_of(found_concerns, hard),
        vader=score(truth, [vader(r.text) for r in coach]) if vader else None,
        errors=errors,
        plain_recall=recall_of(plain),
        plain_false_alarms=alarms_of(plain, ordinary),
        plain_hard_negative_alarms=alarms_of(plain, hard),
    )


def _crisis_error(
    record: Record, found: dict[str, frozenset[str]]
) -> list[tuple[Record, frozenset[str], frozenset[str]]]:
    return [] if record.concerns == found[record.id] else [(record, frozenset(), found[record.id])]


def _vader() -> Callable[[str], bool] | None:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    analyser = SentimentIntensityAnalyzer()
    return lambda text: float(analyser.polarity_scores(text)["compound"]) <= VADER_NEGATIVE


def table(report: Report) -> str:
    """The report as Markdown."""
    rows = [
        f"Split `{report.split}`: {report.size} messages to a partner.",
        "",
        "| label | precision | recall | F1 | messages |",
        "|---|---|---|---|---|",
    ]
    for label, s in report.per_label.items():
        rows.append(f"| {label} | {s.precision:.2f} | {s.recall:.2f} | {s.f1:.2f} | {s.support} |")
    rows.append(
        f"| **macro-F1 (10 labels)** | | | **{report.macro_f1:.2f}** "
        f"(target ≥ {TARGETS['macro_f1']}) | |"
    )
    rows += [
        "",
        "| protective vs not | precision | recall | F1 | messages |",
        "|---|---|---|---|---|",
    ]
    p = report.protective
    rows.append(
        f"| coach (rules + model) | {p.precision:.2f} | {p.recall:.2f} | **{p.f1:.2f}** "
        f"(target ≥ {TARGETS['protective_f1']}) | {p.support} |"
    )
    if report.vader is not None:
        v = report.vader
        rows.append(
            f"| VADER compound ≤ {VADER_NEGATIVE} (baseline) | {v.precision:.2f} "
            f"| {v.recall:.2f} | {v.f1:.2f} | {v.support} |"
        )
    for style, s in report.by_style.items():
        rows.append(
            f"| style `{style}` | {s.precision:.2f} | {s.recall:.2f} | {s.f1:.2f} | {s.support} |"
        )
    rows.append("")
    rows.append(
        f"Neutral messages left neutral: {report.neutral_kept:.1%} of {report.neutral_total} "
        f"(target ≥ {TARGETS['neutral_kept']:.0%})."
    )
    rows += ["", "| crisis concern | help shown | statements | recall |", "|---|---|---|---|"]
    for concern, (found, total) in report.crisis_recall.items():
        share = found / total if total else 0.0
        rows.append(f"| {concern} | {found} | {total} | **{share:.1%}** (target ≥ 95%) |")
    alarms, ordinary = report.false_alarms
    rows.append(
        f"| false alarms on ordinary messages | {alarms} | {ordinary} | "
        f"{alarms / ordinary if ordinary else 0:.1%} (target ≤ 10%) |"
    )
    hard, negatives = report.hard_negative_alarms
    rows.append(
        f"| false alarms on hard negatives (crisis lines with no concern) | {hard} | "
        f"{negatives} | {hard / negatives if negatives else 0:.1%} |"
    )
    rows += [
        "",
        "Of that help, the full help at once (said plainly: a phrase, or the model well past",
        "its threshold); the rest is a quiet pointer to the same help:",
        "",
        "| full help | shown | of | share |",
        "|---|---|---|---|",
    ]
    for concern, (found, total) in report.plain_recall.items():
        rows.append(f"| {concern} | {found} | {total} | {found / total if total else 0:.1%} |")
    for name, (found, total) in (
        ("false alarms on ordinary messages", report.plain_false_alarms),
        ("false alarms on hard negatives", report.plain_hard_negative_alarms),
    ):
        rows.append(f"| {name} | {found} | {total} | {found / total if total else 0:.1%} |")
    return "\n".join(rows)


def errors_text(report: Report) -> str:
    """Every miss, grouped: crisis misses first, then the coach's by label."""
    groups: dict[str, list[str]] = defaultdict(list)
    for record, predicted, concerns in report.errors:
        for concern in sorted(record.concerns - concerns):
            groups[f"crisis missed: {concern}"].append(record.text)
        for concern in sorted(concerns - record.concerns):
            groups[f"crisis false alarm: {concern}"].append(record.text)
        if record.kind != "coach":
            continue
        for label in sorted(record.labels - predicted):
            groups[f"coach missed: {label}"].append(record.text)
        for label in sorted(predicted - record.labels):
            groups[f"coach extra: {label}"].append(record.text)
    lines = []
    for name in sorted(groups, key=lambda g: (not g.startswith("crisis missed"), g)):
        lines.append(f"## {name} ({len(groups[name])})")
        lines += [f"- {text!r}" for text in groups[name]]
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("train", "dev", "test"), default="dev")
    parser.add_argument("--errors", action="store_true", help="list what it gets wrong")
    args = parser.parse_args(argv)
    report = evaluate(args.split)
    print(table(report))
    if args.errors:
        print()
        print(errors_text(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
