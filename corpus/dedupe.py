"""Drop test messages that nearly repeat a train message; writes `dropped` in splits.json.

    python corpus/dedupe.py

Near-identical means: the same text once lower-cased with punctuation and spaces
removed, or a cosine similarity above 0.95 between the two texts' mean static
embeddings (the same embeddings the models read).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from attunement.textmodel.corpus import records, split_of
from attunement.textmodel.embedding import embedder

HERE = Path(__file__).parent
THRESHOLD = 0.95


def key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def main() -> int:
    writers = split_of(HERE)
    rows = list(records(HERE))
    train = [r for r in rows if writers.get(r.writer) == "train"]
    test = [r for r in rows if writers.get(r.writer) == "test"]
    reader = embedder()

    def vectors(texts: list[str]) -> np.ndarray:
        return np.stack([reader.mean(reader.pieces(t.lower()).ids) for t in texts])

    train_keys = {key(r.text) for r in train}
    a, b = vectors([r.text for r in train]), vectors([r.text for r in test])
    nearest = (b @ a.T).max(axis=1) if len(a) and len(b) else np.zeros(len(test))
    pairs = zip(test, nearest, strict=True)
    dropped = sorted(r.id for r, sim in pairs if key(r.text) in train_keys or sim > THRESHOLD)
    path = HERE / "splits.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["dropped"] = dropped
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"{len(dropped)} of {len(test)} test records dropped as near-duplicates of train")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
