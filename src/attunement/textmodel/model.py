"""A linear model over the shared features: one logistic score per label, with thresholds.

The file (`.npz`) holds the label names, the weights of the sparse slots (float16, to
keep the package small), the dense weights and biases, and one threshold per label
chosen on the dev split (see `train.py`). A text is scored whole and sentence by
sentence; a label's score is its highest, and the sentence that gave it is where the
label is shown when no rule marked a span.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from attunement.textmodel.embedding import DIMENSIONS, VOCABULARY, Embedder, embedder
from attunement.textmodel.features import (
    EMBEDDING_SCALE,
    PAIR_SLOTS,
    RULE_SCALE,
    SPARSE,
    FlagSource,
    Segment,
    Stretch,
    dense_size,
    stretches,
)

MODELS = Path(__file__).parent
# How many texts `score_batch` reads together.
BATCH = 32
FORMAT = 1
# An extra column of the coach model: does the message carry any protective pattern?
PROTECTIVE_HEAD = "_protective"
# Another: does the message carry any label at all? When it says no, the message is neutral.
ANY_HEAD = "_any"


@dataclass(frozen=True)
class Scores:
    """A label's best score over the text and its sentences, and where it came from."""

    label: str
    score: float
    threshold: float
    start: int
    end: int

    @property
    def flagged(self) -> bool:
        return self.score >= self.threshold


class LinearModel:
    """Logistic scores per label over `features.segments`."""

    def __init__(
        self,
        labels: Sequence[str],
        rule_labels: Sequence[str],
        sparse: NDArray[np.float32],
        dense: NDArray[np.float32],
        bias: NDArray[np.float32],
        thresholds: NDArray[np.float32],
        sentences: bool = True,
        rule_or: Sequence[bool] | None = None,
    ) -> None:
        if sparse.shape != (SPARSE, len(labels)):
            raise ValueError(f"sparse weights must be {SPARSE} x {len(labels)}")
        if dense.shape != (dense_size(rule_labels), len(labels)):
            raise ValueError("dense weights do not match the rule labels")
        self.labels = tuple(labels)
        self.rule_labels = tuple(rule_labels)
        self.sparse = np.ascontiguousarray(sparse, dtype=np.float32)
        self.dense = np.ascontiguousarray(dense, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.thresholds = np.asarray(thresholds, dtype=np.float32)
        self.sentences = sentences
        # Per label: whether a rule's match counts on its own, besides the model's score.
        self.rule_or = tuple(rule_or) if rule_or is not None else (True,) * len(self.labels)
        # False when the static embeddings' weights are all zero (the crisis model):
        # their means are then not worked out at all.
        self.uses_embedding = bool(np.any(self.dense[:DIMENSIONS]))

    def segment_scores(self, parts: Sequence[Segment]) -> NDArray[np.float32]:
        """Probabilities, one row per segment and one column per label."""
        dense = np.stack([part.dense for part in parts]) @ self.dense + self.bias
        for row, part in enumerate(parts):
            dense[row] += part.values @ self.sparse[part.indices]
        probabilities: NDArray[np.float32] = 1.0 / (1.0 + np.exp(-dense))
        return probabilities

    def score(
        self, text: str, rule_spans: Sequence[tuple[str, int, int]] = (), locate: bool = False
    ) -> list[Scores]:
        """Each label's best score over `text` (lower-cased) and the stretch it came from."""
        return self.score_batch([text], [rule_spans], locate)[0]

    def score_batch(
        self,
        texts: Sequence[str],
        rule_spans: Sequence[Sequence[tuple[str, int, int]]],
        locate: bool = False,
    ) -> list[list[Scores]]:
        """`score` for many texts at once: one tokenizer call and one matrix product.

        The same features as `features.segments` (what training reads), built for all
        texts' segments together with numpy instead of one small array at a time. A model
        that reads texts whole gives the whole text as where a label came from, unless
        `locate`: then, for a flagged label, the sentence that scores highest for it.
        """
        if len(texts) > BATCH:  # small batches keep the gathered vectors in the CPU's cache
            return [
                scores
                for start in range(0, len(texts), BATCH)
                for scores in self.score_batch(
                    texts[start : start + BATCH], rule_spans[start : start + BATCH], locate
                )
            ]
        if not texts:
            return []
        reader = embedder()
        if len(texts) == 1:  # the embedder remembers it for the other model reading it next
            pieces = [reader.pieces(texts[0])]
        else:  # where the pieces are in the text is needed only to read sentences
            pieces = reader.pieces_batch(list(texts), offsets=self.sentences)
        flags = [FlagSource(self.rule_labels, spans) for spans in rule_spans]
        read = [stretches(t, p, self.sentences) for t, p in zip(texts, pieces, strict=True)]
        probabilities = self._probabilities(reader, flags, read)
        if not self.sentences and not locate:  # one row per text: the scores as they are
            rows = zip(texts, probabilities, strict=True)
            return [self._whole(len(text), row) for text, row in rows]
        ends = np.cumsum([len(parts) for parts in read])
        per_text = np.split(probabilities, ends[:-1])
        located: dict[int, tuple[list[Stretch], NDArray[np.float32]]] = {}
        if not self.sentences:
            # Read whole; where a label is flagged, find the sentence to show it on, for
            # all such texts in one more pass.
            wanted = [n for n, rows in enumerate(per_text) if (rows[0] >= self.thresholds).any()]
            again_pieces = reader.pieces_batch([texts[n] for n in wanted])
            parts = {
                n: stretches(texts[n], p, True) for n, p in zip(wanted, again_pieces, strict=True)
            }
            wanted = [n for n in wanted if len(parts[n]) > 1]
            if wanted:
                again = self._probabilities(
                    reader, [flags[n] for n in wanted], [parts[n] for n in wanted]
                )
                split = np.split(again, np.cumsum([len(parts[n]) for n in wanted])[:-1])
                located = {n: (parts[n], rows) for n, rows in zip(wanted, split, strict=True)}
        return [self._best(read[n], rows, located.get(n)) for n, rows in enumerate(per_text)]

    def _whole(self, length: int, row: NDArray[np.float32]) -> list[Scores]:
        return [
            Scores(label, score, threshold, 0, length)
            for label, score, threshold in zip(
                self.labels, row.tolist(), self.thresholds.tolist(), strict=True
            )
        ]

    def _best(
        self,
        stretches: list[Stretch],
        probabilities: NDArray[np.float32],
        located: tuple[list[Stretch], NDArray[np.float32]] | None,
    ) -> list[Scores]:
        best = probabilities.argmax(axis=0)
        found = []
        for column, label in enumerate(self.labels):
            score = float(probabilities[best[column], column])
            threshold = float(self.thresholds[column])
            start, end, _ = stretches[int(best[column])]
            if best[column] == 0 and len(stretches) > 1:
                # The whole text scored highest: show the sentence that scored highest.
                start, end, _ = stretches[1 + int(probabilities[1:, column].argmax())]
            elif located is not None and score >= threshold:
                parts, rows = located
                start, end, _ = parts[1 + int(rows[1:, column].argmax())]
            found.append(Scores(label, score, threshold, start, end))
        return found

    def _probabilities(
        self,
        reader: Embedder,
        flags: Sequence[FlagSource],
        stretches: Sequence[list[Stretch]],
    ) -> NDArray[np.float32]:
        """One row of probabilities per stretch of every text, in order."""
        ids = [ids for parts in stretches for _, _, ids in parts]
        flag_rows = [
            flags[n](start, end) for n, parts in enumerate(stretches) for start, end, _ in parts
        ]
        slots, owner = _sparse_slots(ids)
        counts = np.bincount(owner, minlength=len(ids)).astype(np.float32)
        values = 1.0 / np.sqrt(np.maximum(counts, 1.0))
        logits = np.zeros((len(ids), len(self.labels)), dtype=np.float32)
        if len(slots):  # owners are in order: sum each stretch's run of slots
            starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
            weighted = self.sparse[slots] * values[owner, None]
            logits[owner[starts]] = np.add.reduceat(weighted, starts, axis=0)
        rules = np.asarray(flag_rows, dtype=np.float32).reshape(len(ids), len(self.rule_labels))
        logits += (rules * RULE_SCALE) @ self.dense[DIMENSIONS:] + self.bias
        if self.uses_embedding:
            logits += (_means(reader, ids) * EMBEDDING_SCALE) @ self.dense[:DIMENSIONS]
        probabilities: NDArray[np.float32] = (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)
        return probabilities

    def without(self, label: str) -> LinearModel:
        """The same model less one output."""
        keep = [n for n, name in enumerate(self.labels) if name != label]
        return LinearModel(
            [self.labels[n] for n in keep],
            self.rule_labels,
            self.sparse[:, keep],
            self.dense[:, keep],
            self.bias[keep],
            self.thresholds[keep],
            self.sentences,
            [self.rule_or[n] for n in keep],
        )

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            format=np.asarray(FORMAT),
            labels=np.asarray(self.labels),
            rule_labels=np.asarray(self.rule_labels),
            sparse=self.sparse.astype(np.float16),
            dense=self.dense,
            bias=self.bias,
            thresholds=self.thresholds,
            sentences=np.asarray(self.sentences),
            rule_or=np.asarray(self.rule_or),
        )


def read_model(path: Path) -> LinearModel:
    with np.load(path, allow_pickle=False) as data:
        if int(data["format"]) != FORMAT:
            raise ValueError(f"{path}: model format {int(data['format'])}, expected {FORMAT}")
        return LinearModel(
            [str(x) for x in data["labels"]],
            [str(x) for x in data["rule_labels"]],
            data["sparse"].astype(np.float32),
            data["dense"],
            data["bias"],
            data["thresholds"],
            bool(data["sentences"]),
            [bool(x) for x in data["rule_or"]],
        )


@cache
def load_model(name: str) -> LinearModel | None:
    """A shipped model (`coach` or `crisis`) read once per process; None if not shipped."""
    path = MODELS / f"{name}.npz"
    return read_model(path) if path.exists() else None


def _sparse_slots(ids: Sequence[NDArray[np.int64]]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Each stretch's distinct piece and pair slots (`features.sparse_part`), all together:
    the slots, and the stretch each belongs to."""
    keys = []
    for n, row in enumerate(ids):
        if len(row) > 1:
            pairs = VOCABULARY + (row[:-1] * 1_000_003 + row[1:] * 7919) % PAIR_SLOTS
            keys.append(np.concatenate((row, pairs)) + n * SPARSE)
        elif len(row):
            keys.append(row + n * SPARSE)
    if not keys:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    unique = np.unique(np.concatenate(keys))
    return unique % SPARSE, unique // SPARSE


def _means(reader: Embedder, ids: Sequence[NDArray[np.int64]]) -> NDArray[np.float32]:
    """The unit mean embedding of each stretch (`Embedder.mean`), all together."""
    lengths = np.asarray([len(row) for row in ids])
    means = np.zeros((len(ids), DIMENSIONS), dtype=np.float32)
    present = np.flatnonzero(lengths)
    if not len(present):
        return means
    joined = np.concatenate([ids[int(n)] for n in present])
    starts = np.concatenate(([0], np.cumsum(lengths[present])[:-1]))
    sums = np.add.reduceat(reader.vectors[joined], starts, axis=0)
    norms = np.sqrt(np.einsum("ij,ij->i", sums, sums))
    means[present] = sums / np.where(norms > 0, norms, 1.0)[:, None]
    return means
