"""Second labels: merge them into the corpus and report agreement (Cohen's kappa).

    python corpus/agreement.py LABELLER_OUTPUT.jsonl [...]   # merge as labels_2 / concerns_2
    python corpus/agreement.py --report                      # kappa per label, from the corpus
    python corpus/agreement.py --settle THIRD_READING.jsonl  # a third reader's settled labels

A second labeller, who did not write the messages, labelled a sample from the guide
alone (docs/coach-labels.md). Where a third reading settled a disagreement, the record
keeps the writer's labels as `labels_1` and the settled ones as `labels`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
LABELS = (
    "criticism", "contempt", "defensiveness", "withdrawal", "control", "minimizing",
    "retaliation", "vulnerability", "accountability", "appreciation",
)  # fmt: skip
CONCERNS = ("suicide_risk", "partner_violence")


def kappa(first: list[bool], second: list[bool]) -> float:
    n = len(first)
    agree = sum(a == b for a, b in zip(first, second, strict=True)) / n
    p1, p2 = sum(first) / n, sum(second) / n
    chance = p1 * p2 + (1 - p1) * (1 - p2)
    return (agree - chance) / (1 - chance) if chance < 1 else 1.0


def merge(outputs: list[Path]) -> None:
    second = {}
    for path in outputs:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                data = json.loads(line)
                second[data["id"]] = data
    for path in sorted((HERE / "messages").glob("*.jsonl")):
        rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        for row in rows:
            if row["id"] in second:
                row["labels_2"] = sorted(second[row["id"]]["labels"])
                row["concerns_2"] = sorted(second[row["id"]]["concerns"])
        path.write_text(
            "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8"
        )


def settle(path: Path) -> int:
    """Where writer and second labeller disagreed, a third reader's labels become `labels`
    and `concerns`; the writer's are kept as `labels_1` and `concerns_1`."""
    third = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            data = json.loads(line)
            third[data["id"]] = data
    settled = 0
    for file in sorted((HERE / "messages").glob("*.jsonl")):
        rows = [json.loads(x) for x in file.read_text(encoding="utf-8").splitlines() if x.strip()]
        for row in rows:
            if row["id"] in third:
                row.setdefault("labels_1", row["labels"])
                row.setdefault("concerns_1", row["concerns"])
                row["labels"] = sorted(third[row["id"]]["labels"])
                row["concerns"] = sorted(third[row["id"]]["concerns"])
                settled += 1
        file.write_text(
            "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8"
        )
    return settled


def report() -> str:
    rows = []
    for path in sorted((HERE / "messages").glob("*.jsonl")):
        rows += [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    both = [r for r in rows if "labels_2" in r]
    coach = sum(1 for r in both if r["kind"] == "coach")
    lines = [
        f"{len(both)} records labelled twice ({coach} messages to a partner)",
        "",
        "| label | kappa | writer | second |",
    ]
    lines.append("|---|---|---|---|")
    for name, key, key_2, names in (
        ("label", "labels_1", "labels_2", LABELS),
        ("concern", "concerns", "concerns_2", CONCERNS),
    ):
        # Coach labels on messages to a partner; concerns on every record labelled twice.
        subset = [r for r in both if r["kind"] == "coach"] if name == "label" else both
        for label in names:
            own = "labels" if name == "label" else "concerns"
            first = [label in r.get(key, r[own]) for r in subset]
            second = [label in r[key_2] for r in subset]
            lines.append(f"| {label} | {kappa(first, second):.2f} | {sum(first)} | {sum(second)} |")
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:] == ["--report"]:
        print(report())
    elif sys.argv[1:2] == ["--settle"]:
        print(f"{settle(Path(sys.argv[2]))} records settled by a third reading")
    else:
        merge([Path(p) for p in sys.argv[1:]])
