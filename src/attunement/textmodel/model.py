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

from attunement.textmodel.embedding import embedder
from attunement.textmodel.features import SPARSE, FlagSource, Segment, dense_size, segments

MODELS = Path(__file__).parent
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

    def segment_scores(self, parts: Sequence[Segment]) -> NDArray[np.float32]:
        """Probabilities, one row per segment and one column per label."""
        dense = np.stack([part.dense for part in parts]) @ self.dense + self.bias
        for row, part in enumerate(parts):
            dense[row] += part.values @ self.sparse[part.indices]
        probabilities: NDArray[np.float32] = 1.0 / (1.0 + np.exp(-dense))
        return probabilities

    def score(self, text: str, rule_spans: Sequence[tuple[str, int, int]] = ()) -> list[Scores]:
        """Each label's best score over `text` (lower-cased) and the stretch it came from."""
        reader = embedder()
        pieces = reader.pieces(text)
        parts = segments(
            reader, text, pieces, FlagSource(self.rule_labels, rule_spans), self.sentences
        )
        probabilities = self.segment_scores(parts)
        best = probabilities.argmax(axis=0)
        found = []
        for column, label in enumerate(self.labels):
            part = parts[int(best[column])]
            if best[column] == 0 and len(parts) > 1:
                # The whole text scored highest: show the sentence that scored highest.
                part = parts[1 + int(probabilities[1:, column].argmax())]
            found.append(
                Scores(
                    label,
                    float(probabilities[best[column], column]),
                    float(self.thresholds[column]),
                    part.start,
                    part.end,
                )
            )
        return found

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
