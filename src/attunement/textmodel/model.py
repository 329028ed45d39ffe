"""A linear model over the shared features: one logistic score per label, with thresholds.

The file (`.npz`) holds the label names, the weights of the sparse slots (float16, to
keep the package small), the dense weights and biases, and one threshold per label
chosen out of fold (see `train.py`). A model that reads texts whole may also hold the
words it knows (`Familiar`: `familiar_words`, `familiar_share`, `unfamiliar_thresholds`,
`familiar_min_words`), with lower thresholds for a text mostly in other words. A text
is scored whole and sentence by sentence; a label's score is its highest, and the
sentence that gave it is where the label is shown when no rule marked a span.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from attunement.textmodel.embedding import DIMENSIONS, VOCABULARY, Embedder, Read, embedder
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
    stretches_at,
)

MODELS = Path(__file__).parent
_NO_IDS = np.zeros(0, dtype=np.int64)
# How many stretches' embeddings `_means` sums together.
MEANS_BLOCK = 16
FORMAT = 1
# An extra column of the coach model: does the message carry any protective pattern?
PROTECTIVE_HEAD = "_protective"
# Another: does the message carry any label at all? When it says no, the message is neutral.
ANY_HEAD = "_any"


# A word, for `Familiar` and for the crisis help's `model_plain_min_words`: letters (of
# any script), with inner apostrophes (straight or curly).
WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
# How many tokens' counts `Familiar` remembers.
TOKENS_KEPT = 200_000


@dataclass(frozen=True, eq=False)
class Familiar:
    """The words a model was trained on often enough to read, and its thresholds for a
    text mostly in other words (another language, mostly), which it cannot read: lower
    ones, so that help is still offered there (recall first) while the thresholds for
    the texts it can read are set on those texts alone."""

    words: frozenset[str]
    # A text with less than this share of its words in `words` is unfamiliar ...
    share: float
    thresholds: NDArray[np.float32]  # per label, for unfamiliar texts
    # ... when it has at least this many words: one name or "omw" tells nothing.
    min_words: int = 1
    # Per whitespace-separated token seen: its words and how many are familiar. A word
    # never spans whitespace, so a text's counts are its tokens' sums; this is faster
    # than matching words over every text (most tokens come back).
    _tokens: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)

    def counts(self, text: str) -> tuple[int, int]:
        """How many words a (lower-case) text has, and how many of them are familiar."""
        words = known = 0
        seen = self._tokens
        for token in text.split():
            found = seen.get(token)
            if found is None:
                matched = WORD.findall(token)
                found = (len(matched), sum(map(self.words.__contains__, matched)))
                if len(seen) < TOKENS_KEPT:
                    seen[token] = found
            words += found[0]
            known += found[1]
        return words, known

    def unfamiliar(self, text: str) -> bool:
        words, known = self.counts(text)
        return words >= max(self.min_words, 1) and known < self.share * words


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
        familiar: Familiar | None = None,
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
        self.familiar = familiar

    @property
    def familiar(self) -> Familiar | None:
        return self._familiar

    @familiar.setter
    def familiar(self, familiar: Familiar | None) -> None:
        if familiar is not None:
            if self.sentences:
                raise ValueError("only a model that reads texts whole knows familiar words")
            if familiar.thresholds.shape != self.thresholds.shape:
                raise ValueError("there must be one unfamiliar threshold per label")
        self._familiar = familiar

    def limits(self, texts: Sequence[str], rows: NDArray[np.float32]) -> NDArray[np.float32]:
        """Each text's threshold per label: the model's, or for an unfamiliar text (see
        `Familiar`) the lower of the model's and the unfamiliar one. Only texts whose
        scores fall between the two are looked at."""
        limits = np.broadcast_to(self.thresholds, rows.shape).copy()
        if self.familiar is None or not len(rows):
            return limits
        lower = np.minimum(self.familiar.thresholds, self.thresholds)
        between = ((rows >= lower) & (rows < self.thresholds)).any(axis=1)
        unfamiliar = self.familiar.unfamiliar
        strange = [n for n in np.flatnonzero(between).tolist() if unfamiliar(texts[n])]
        if strange:
            limits[strange] = lower
        return limits

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
        """`score` for many texts at once: one tokenizer pass and one matrix product.

        The same features as `features.segments` (what training reads), built for all
        texts' segments together with numpy instead of one small array at a time. A model
        that reads texts whole gives the whole text as where a label came from, unless
        `locate`: then, for a flagged label, the sentence that scores highest for it.
        """
        if not texts:
            return []
        if self.sentences:
            reader = embedder()
            pieces = (
                [reader.pieces(texts[0])] if len(texts) == 1 else reader.pieces_batch(list(texts))
            )
            read = [stretches(t, p, True) for t, p in zip(texts, pieces, strict=True)]
            flags = [FlagSource(self.rule_labels, spans) for spans in rule_spans]
            probabilities = self._probabilities(reader, flags, read)
            ends = np.cumsum([len(parts) for parts in read])
            per_text = np.split(probabilities, ends[:-1])
            return [self._best(read[n], rows, None) for n, rows in enumerate(per_text)]
        tokens = embedder().read(texts)
        whole = self.whole(texts, rule_spans, tokens)
        limits = self.limits(texts, whole)
        if not locate:  # one row per text: the scores as they are
            return [
                self._whole(len(text), row, limit)
                for text, row, limit in zip(texts, whole, limits, strict=True)
            ]
        # Read whole; where a label is flagged, find the sentence to show it on, for all
        # such texts in one more pass.
        wanted = [n for n, row in enumerate(whole) if (row >= limits[n]).any()]
        found = self.by_sentence(
            [texts[n] for n in wanted], [rule_spans[n] for n in wanted], [tokens[n] for n in wanted]
        )
        located = dict(zip(wanted, found, strict=True))
        return [
            self._best([(0, len(text), _NO_IDS)], whole[n : n + 1], located.get(n), limits[n])
            for n, text in enumerate(texts)
        ]

    def flagged(
        self,
        texts: Sequence[str],
        rule_spans: Sequence[Sequence[tuple[str, int, int]]],
        known: Sequence[Collection[str]],
        locate: Sequence[bool] | None = None,
    ) -> list[list[tuple[str, int, int, float]]]:
        """The labels `score_batch(texts, rule_spans, locate=True)` flags for each text,
        in order, with where each came from and how many times its threshold the score
        is (the model's threshold, even where an unfamiliar text has a lower one: how
        plainly it is said does not change); those in `known[n]` (already found in text n
        some other way) are left out, and their places not looked for. Where `locate[n]`
        is false, where text n's labels came from is not wanted: the whole text is given.
        """
        if self.sentences:
            scored = self.score_batch(texts, rule_spans, locate=True)
            return [
                [
                    (s.label, s.start, s.end, s.score / max(s.threshold, 1e-9))
                    for s in scores
                    if s.flagged and s.label not in have
                ]
                for scores, have in zip(scored, known, strict=True)
            ]
        tokens = embedder().read(texts)
        rows = self.whole(texts, rule_spans, tokens)
        times = (rows / np.maximum(self.thresholds, 1e-9)).tolist()
        flags = (rows >= self.limits(texts, rows)).tolist()
        wanted = [
            [
                column
                for column, label in enumerate(self.labels)
                if row[column] and label not in have
            ]
            for row, have in zip(flags, known, strict=True)
        ]
        several = [
            n for n, columns in enumerate(wanted) if columns and (locate is None or locate[n])
        ]
        located = self.by_sentence(
            [texts[n] for n in several],
            [rule_spans[n] for n in several],
            [tokens[n] for n in several],
        )
        found = [
            [(self.labels[c], 0, len(text), times[n][c]) for c in columns]
            for n, (text, columns) in enumerate(zip(texts, wanted, strict=True))
        ]
        for n, place in zip(several, located, strict=True):
            if place is None:  # one sentence: the whole text
                continue
            parts, rows = place  # the sentence that scores highest for the label
            best = rows[1:].argmax(axis=0).tolist()
            found[n] = [(self.labels[c], *parts[1 + best[c]][:2], times[n][c]) for c in wanted[n]]
        return found

    def whole(
        self,
        texts: Sequence[str],
        rule_spans: Sequence[Sequence[tuple[str, int, int]]],
        pieces: Sequence[Read] | None = None,
    ) -> NDArray[np.float32]:
        """Each text read whole: one row of probabilities per text, one column per label.
        `pieces`: the texts' `Embedder.read`, when the caller has it."""
        if not texts:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        reader = embedder()
        ids = [found.ids for found in pieces or reader.read(texts)]
        rules = np.zeros((len(texts), len(self.rule_labels)), dtype=np.float32)
        column = {label: n for n, label in enumerate(self.rule_labels)}
        for row, (text, spans) in enumerate(zip(texts, rule_spans, strict=True)):
            end = len(text)
            for label, low, high in spans:  # as FlagSource(...)(0, len(text)) gives them
                if low < end and high > 0 and label in column:
                    rules[row, column[label]] = 1.0
        return self._rows(reader, ids, rules)

    def by_sentence(
        self,
        texts: Sequence[str],
        rule_spans: Sequence[Sequence[tuple[str, int, int]]],
        pieces: Sequence[Read] | None = None,
    ) -> list[tuple[list[Stretch], NDArray[np.float32]] | None]:
        """Each text and its sentences, with their rows of probabilities (the whole text
        first); None for a text of one sentence. `pieces` as for `whole`."""
        if not texts:
            return []
        reader = embedder()
        read = pieces or reader.read(texts)
        parts = [stretches_at(t, p.ids, p.starts) for t, p in zip(texts, read, strict=True)]
        several = [n for n, found in enumerate(parts) if len(found) > 1]
        result: list[tuple[list[Stretch], NDArray[np.float32]] | None] = [None] * len(texts)
        if several:
            flags = [FlagSource(self.rule_labels, rule_spans[n]) for n in several]
            rows = self._probabilities(reader, flags, [parts[n] for n in several])
            split = np.split(rows, np.cumsum([len(parts[n]) for n in several])[:-1])
            for n, found in zip(several, split, strict=True):
                result[n] = (parts[n], found)
        return result

    def _whole(
        self, length: int, row: NDArray[np.float32], limits: NDArray[np.float32]
    ) -> list[Scores]:
        return [
            Scores(label, score, threshold, 0, length)
            for label, score, threshold in zip(
                self.labels, row.tolist(), limits.tolist(), strict=True
            )
        ]

    def _best(
        self,
        stretches: list[Stretch],
        probabilities: NDArray[np.float32],
        located: tuple[list[Stretch], NDArray[np.float32]] | None,
        limits: NDArray[np.float32] | None = None,
    ) -> list[Scores]:
        best = probabilities.argmax(axis=0)
        thresholds = (self.thresholds if limits is None else limits).tolist()
        found = []
        for column, label in enumerate(self.labels):
            score = float(probabilities[best[column], column])
            threshold = thresholds[column]
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
        rules = np.asarray(flag_rows, dtype=np.float32).reshape(len(ids), len(self.rule_labels))
        return self._rows(reader, ids, rules)

    def _rows(
        self, reader: Embedder, ids: Sequence[NDArray[np.int64]], rules: NDArray[np.float32]
    ) -> NDArray[np.float32]:
        """One row of probabilities per stretch, from its pieces and its rule flags."""
        slots, owner = _sparse_slots(ids)
        counts = np.bincount(owner, minlength=len(ids)).astype(np.float32)
        values = 1.0 / np.sqrt(np.maximum(counts, 1.0))
        logits = np.zeros((len(ids), len(self.labels)), dtype=np.float32)
        if len(slots):  # owners are in order: sum each stretch's run of slots
            starts = _firsts(owner)
            weighted = self.sparse[slots] * values[owner, None]
            logits[owner[starts]] = np.add.reduceat(weighted, starts, axis=0)
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
            None
            if self.familiar is None
            else replace(self.familiar, thresholds=self.familiar.thresholds[keep]),
        )

    def save(self, path: Path) -> None:
        familiar: dict[str, Any] = {}
        if self.familiar is not None:
            familiar = {
                "familiar_words": np.asarray(sorted(self.familiar.words)),
                "familiar_share": np.asarray(self.familiar.share),
                "unfamiliar_thresholds": self.familiar.thresholds,
                "familiar_min_words": np.asarray(self.familiar.min_words),
            }
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
            **familiar,
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
            Familiar(
                frozenset(str(x) for x in data["familiar_words"]),
                float(data["familiar_share"]),
                data["unfamiliar_thresholds"].astype(np.float32),
                int(data["familiar_min_words"]) if "familiar_min_words" in data.files else 1,
            )
            if "familiar_words" in data.files
            else None,
        )


@cache
def load_model(name: str) -> LinearModel | None:
    """A shipped model (`coach` or `crisis`) read once per process; None if not shipped."""
    path = MODELS / f"{name}.npz"
    return read_model(path) if path.exists() else None


def _sparse_slots(ids: Sequence[NDArray[np.int64]]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Each stretch's distinct piece and pair slots (`features.sparse_part`), all together:
    the slots, and the stretch each belongs to."""
    lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
    if not lengths.sum():
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    joined = np.concatenate(ids).astype(np.int64, copy=False)
    owner = np.repeat(np.arange(len(ids), dtype=np.int64) * SPARSE, lengths)
    same = owner[1:] == owner[:-1]  # neighbouring pieces of one stretch make a pair
    pairs = VOCABULARY + (joined[:-1][same] * 1_000_003 + joined[1:][same] * 7919) % PAIR_SLOTS
    keys = np.concatenate((joined + owner, pairs + owner[1:][same]))
    keys.sort()
    unique = keys[_firsts(keys, where=False)]
    return unique % SPARSE, unique // SPARSE


def _firsts(values: NDArray[np.int64], where: bool = True) -> NDArray[Any]:
    """Where each run of equal values in a sorted array starts (as a mask if not `where`)."""
    first = np.empty(len(values), dtype=bool)
    first[:1] = True
    np.not_equal(values[1:], values[:-1], out=first[1:])
    return np.flatnonzero(first) if where else first


def _means(reader: Embedder, ids: Sequence[NDArray[np.int64]]) -> NDArray[np.float32]:
    """The unit mean embedding of each stretch (`Embedder.mean`), all together."""
    lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
    means = np.zeros((len(ids), DIMENSIONS), dtype=np.float32)
    present = np.flatnonzero(lengths)
    if not len(present):
        return means
    # A few stretches at a time: numpy sums each column of a stretch's vectors apart, and
    # a small block of vectors stays in the processor's cache while it does.
    sums = np.empty((len(present), DIMENSIONS), dtype=np.float32)
    for first in range(0, len(present), MEANS_BLOCK):
        block = present[first : first + MEANS_BLOCK]
        joined = np.concatenate([ids[int(n)] for n in block])
        starts = np.concatenate(([0], np.cumsum(lengths[block])[:-1]))
        sums[first : first + len(block)] = np.add.reduceat(reader.vectors[joined], starts, axis=0)
    norms = np.sqrt(np.einsum("ij,ij->i", sums, sums))
    means[present] = sums / np.where(norms > 0, norms, 1.0)[:, None]
    return means
