"""The evaluation corpus written by others: records, writers and the split by writer.

Layout (documented in corpus/README.md):

- `corpus/messages/<writer>.jsonl`: one JSON object per line, as each writer wrote it,
  with the second labeller's labels beside the writer's and the settled ones;
- `corpus/splits.json`: which writers are in train, dev and test, and which test ids
  were dropped as near-duplicates of a train message.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# The repository's corpus folder (the package is installed from a clone, editable).
CORPUS = Path(__file__).resolve().parents[3] / "corpus"
SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class Record:
    id: str
    writer: str
    style: str
    kind: str  # "coach" (a message to a partner) or "crisis" (a line written for safety)
    text: str
    labels: frozenset[str]
    concerns: frozenset[str]


def records(folder: Path = CORPUS, writers: frozenset[str] | None = None) -> Iterator[Record]:
    """Every record, or those in the files of `writers` only (a file is named after its
    writer): the others are not opened."""
    for path in sorted((folder / "messages").glob("*.jsonl")):
        if writers is not None and path.stem not in writers:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            data = json.loads(line)
            try:
                yield Record(
                    id=data["id"],
                    writer=data["writer"],
                    style=data["style"],
                    kind=data.get("kind", "coach"),
                    text=data["text"],
                    labels=frozenset(data["labels"]),
                    concerns=frozenset(data.get("concerns", ())),
                )
            except KeyError as exc:
                raise ValueError(f"{path.name}:{number}: missing field {exc}") from None


def split_of(folder: Path = CORPUS) -> dict[str, str]:
    """Writer -> split."""
    data = json.loads((folder / "splits.json").read_text(encoding="utf-8"))
    return {writer: split for split in SPLITS for writer in data["writers"][split]}


def dropped(folder: Path = CORPUS) -> frozenset[str]:
    data = json.loads((folder / "splits.json").read_text(encoding="utf-8"))
    return frozenset(data.get("dropped", ()))


def by_split(folder: Path = CORPUS, splits: tuple[str, ...] = SPLITS) -> dict[str, list[Record]]:
    """Every record in its writer's split, near-duplicates of train left out of test.

    With `splits`, only those splits' writers are read (training passes train and dev, so
    the test writers' files are never opened); the others come back empty.
    """
    writers = split_of(folder)
    gone = dropped(folder)
    found: dict[str, list[Record]] = {split: [] for split in SPLITS}
    wanted = (
        None
        if set(splits) >= set(SPLITS)
        else frozenset(w for w, s in writers.items() if s in splits)
    )
    for record in records(folder, wanted):
        if record.id in gone:
            continue
        if record.writer not in writers:
            raise ValueError(f"writer {record.writer!r} is in no split (corpus/splits.json)")
        if wanted is not None and record.writer not in wanted:
            raise ValueError(
                f"record {record.id!r} of writer {record.writer!r} is in another's file"
            )
        found[writers[record.writer]].append(record)
    return found
