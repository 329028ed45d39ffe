"""The features both models read, defined once for training and for use.

A text (or one sentence of it) becomes:

- its subword pieces, each present or not (32,000 slots);
- each pair of neighbouring pieces, hashed into 65,536 slots ("you never" is more
  than "you" and "never");
- the unit mean of the pieces' static embeddings (256 numbers), which carries
  meaning across spellings and paraphrases the pieces alone would miss;
- which rules fired in it (one slot per label), so the model learns how far to
  trust each rule.

The sparse part is scaled to unit length so that long and short texts weigh alike.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from attunement.textmodel.embedding import DIMENSIONS, VOCABULARY, Embedder, Pieces

PAIR_SLOTS = 1 << 16
SPARSE = VOCABULARY + PAIR_SLOTS
# How strongly the dense parts count next to the unit-length sparse part.
EMBEDDING_SCALE = 1.0
RULE_SCALE = 1.0
SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*|[.!?\n]+")


@dataclass(frozen=True)
class Segment:
    """A stretch of text the models score: the whole text, or one sentence of it."""

    start: int
    end: int
    indices: NDArray[np.int64]
    values: NDArray[np.float32]
    dense: NDArray[np.float32]


def sentences(text: str) -> list[tuple[int, int]]:
    """Where each sentence starts and ends, blank ones left out."""
    spans = []
    for match in SENTENCE.finditer(text):
        start, end = match.span()
        if text[start:end].strip():
            spans.append((start, end))
    return spans


def sparse_part(ids: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
    """Slots of the pieces and of their neighbouring pairs, each once, at unit length."""
    if len(ids) > 1:
        pairs = VOCABULARY + (ids[:-1] * 1_000_003 + ids[1:] * 7919) % PAIR_SLOTS
        slots = np.unique(np.concatenate((ids, pairs)))
    else:
        slots = np.unique(ids)
    values = np.full(len(slots), 1.0 / np.sqrt(max(len(slots), 1)), dtype=np.float32)
    return slots, values


def segment(
    embedder: Embedder,
    ids: NDArray[np.int64],
    start: int,
    end: int,
    rule_flags: Sequence[float],
) -> Segment:
    indices, values = sparse_part(ids)
    dense = np.concatenate(
        (
            embedder.mean(ids) * EMBEDDING_SCALE,
            np.asarray(rule_flags, dtype=np.float32) * RULE_SCALE,
        )
    ).astype(np.float32)
    return Segment(start, end, indices, values, dense)


def segments(
    embedder: Embedder,
    text: str,
    pieces: Pieces,
    flags_for: FlagSource,
    with_sentences: bool = True,
) -> list[Segment]:
    """The whole text first, then each of its sentences when it has more than one."""
    return [
        segment(embedder, ids, start, end, flags_for(start, end))
        for start, end, ids in stretches(text, pieces, with_sentences)
    ]


# A stretch of a text the models read: where it starts and ends, and its pieces.
Stretch = tuple[int, int, NDArray[np.int64]]


def stretches(text: str, pieces: Pieces, with_sentences: bool = True) -> list[Stretch]:
    """The whole text, then each of its sentences (with a piece) when it has several."""
    whole = (0, len(text), pieces.ids)
    if not with_sentences:
        return [whole]
    spans = sentences(text)
    if len(spans) < 2:
        return [whole]
    starts = np.asarray([s for s, _ in pieces.offsets], dtype=np.int64)
    found = [whole]
    for low, high in spans:
        mask = (starts >= low) & (starts < high)
        if mask.any():
            found.append((low, high, pieces.ids[mask]))
    return found


def stretches_at(text: str, ids: NDArray[np.int64], starts: Sequence[int]) -> list[Stretch]:
    """`stretches` with sentences, from the pieces' ids and where each starts, in order (as
    pieces are): a sentence's pieces are one run of them."""
    whole = (0, len(text), ids)
    spans = sentences(text)
    if len(spans) < 2:
        return [whole]
    found = [whole]
    first = 0
    for low, high in spans:
        first = bisect_left(starts, low, first)
        last = bisect_left(starts, high, first)
        if last > first:
            found.append((low, high, ids[first:last]))
    return found


class FlagSource:
    """Which rules fired within a stretch of text: one number per label, 0 or 1."""

    def __init__(self, labels: Sequence[str], spans: Sequence[tuple[str, int, int]]) -> None:
        self.labels = list(labels)
        self.spans = list(spans)

    def __call__(self, start: int, end: int) -> list[float]:
        fired = {label for label, low, high in self.spans if low < end and high > start}
        return [1.0 if label in fired else 0.0 for label in self.labels]


def dense_size(labels: Sequence[str]) -> int:
    return DIMENSIONS + len(labels)
