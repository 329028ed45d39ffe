"""Subword pieces and static embeddings from the `wordllama` wheel's own files.

The wheel ships a tokenizer (32,000 pieces) and a 256-dimensional embedding per piece.
Its own loader looks for the tokenizer in the wrong folder and may try the network, so
the two files are read here directly: `tokenizers` for the pieces and the safetensors
layout (an 8-byte header length, a JSON header, raw little-endian arrays) with numpy.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import accumulate, chain
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from tokenizers import Tokenizer

TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
WEIGHTS = "weights/l2_supercat_256.safetensors"
DIMENSIONS = 256
VOCABULARY = 32000
# Long texts are read in full by the rules; the model reads at most this many pieces.
MAX_PIECES = 2048
RECENT = 8
# The tokenizer's own layout, under which a text can be cut into words (see `Words`).
SPACE = "\u2581"
NORMALIZER = {
    "type": "Sequence",
    "normalizers": [
        {"type": "Prepend", "prepend": SPACE},
        {"type": "Replace", "pattern": {"String": " "}, "content": SPACE},
    ],
}
# Words remembered by `Words` before it starts afresh.
WORDS_KEPT = 100_000


@dataclass(frozen=True)
class Pieces:
    """The subword pieces of one text: ids, and where each starts and ends in the text."""

    ids: NDArray[np.int64]
    offsets: list[tuple[int, int]]


class Read:
    """A text's piece ids (at most MAX_PIECES), and where each piece starts in it (in
    order, as pieces come; worked out from its words when first asked for)."""

    __slots__ = ("_starts", "_words", "ids")

    def __init__(
        self,
        ids: NDArray[np.int64] | list[int],
        starts: list[int] | None,
        words: tuple[list[str], Words] | None = None,
    ) -> None:
        self.ids = np.asarray(ids[:MAX_PIECES], dtype=np.int64)
        self._starts = starts[:MAX_PIECES] if starts is not None else None
        self._words = words

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            words, reader = self._words or ([], None)
            within = [reader.word_starts(word) for word in words] if reader else []
            # A word's pieces start where it does, less the `▁` put in front of the text
            # (which stands at the first character).
            at = accumulate(map(len, words), initial=-1)
            starts = [a + n for a, found in zip(at, within) for n in found]  # noqa: B905
            if starts:
                starts[0] = 0
            self._starts = starts[:MAX_PIECES]
        return self._starts


class Embedder:
    """Turns lower-cased text into subword ids and mean-pooled unit vectors."""

    def __init__(self, tokenizer: Tokenizer, vectors: NDArray[np.float32]) -> None:
        self.tokenizer = tokenizer
        self.vectors = vectors
        self._recent: dict[str, Pieces] = {}
        self._last_batch: tuple[tuple[tuple[str, ...], bool], list[Pieces]] | None = None
        self.words = Words.of(tokenizer)
        self._handed: dict[str, Read] = {}

    def read(self, texts: Sequence[str]) -> list[Read]:
        """Each text's piece ids, and where each piece starts in it (as the tokenizer's ids
        and offsets give them).

        The coach and crisis detection read the same messages one after the other: what
        one call read is handed to the next, which takes it (each text once: a text read
        again later is tokenised again).
        """
        handed, self._handed = self._handed, {}
        found = []
        for text in texts:
            pieces = handed.pop(text, None)
            if pieces is None:
                pieces = self._handed[text] = self._read(text)
            found.append(pieces)
        return found

    def _read(self, text: str) -> Read:
        if self.words is not None:
            return self.words.read(text)
        encoding = self.tokenizer.encode(text, add_special_tokens=False)
        return Read(encoding.ids, [start for start, _ in encoding.offsets])

    def pieces(self, text: str) -> Pieces:
        """The pieces of `text`; the last few texts are remembered, since the coach and
        crisis detection read the same message one after the other."""
        found = self._recent.get(text)
        if found is None:
            encoding = self.tokenizer.encode(text, add_special_tokens=False)
            ids = np.asarray(encoding.ids[:MAX_PIECES], dtype=np.int64)
            found = Pieces(ids, encoding.offsets[:MAX_PIECES])
            if len(self._recent) >= RECENT:
                self._recent.pop(next(iter(self._recent)))
            self._recent[text] = found
        return found

    def pieces_batch(self, texts: list[str], offsets: bool = True) -> list[Pieces]:
        """The pieces of many texts; without `offsets` (faster), `Pieces.offsets` is empty.

        The last batch is remembered, since the coach and crisis detection read the same
        messages one after the other.
        """
        key = (tuple(texts), offsets)
        if self._last_batch is not None and self._last_batch[0] == key:
            return self._last_batch[1]
        if offsets:
            encodings = self.tokenizer.encode_batch(texts, add_special_tokens=False)
            found = [
                Pieces(np.asarray(e.ids[:MAX_PIECES], dtype=np.int64), e.offsets[:MAX_PIECES])
                for e in encodings
            ]
        else:
            encodings = self.tokenizer.encode_batch_fast(texts, add_special_tokens=False)
            found = [Pieces(np.asarray(e.ids[:MAX_PIECES], dtype=np.int64), []) for e in encodings]
        self._last_batch = (key, found)
        return found

    def mean(self, ids: NDArray[np.int64]) -> NDArray[np.float32]:
        """The unit-length mean of the pieces' vectors (zeros for no piece)."""
        if not len(ids):
            return np.zeros(DIMENSIONS, dtype=np.float32)
        pooled = np.add.reduce(self.vectors[ids], axis=0)  # the sum: same direction as the mean
        norm = float(np.sqrt(pooled @ pooled))
        unit: NDArray[np.float32] = pooled / norm if norm > 0 else pooled
        return unit


class Words:
    """The tokenizer's pieces, read a word at a time and remembered per word.

    The wheel's tokenizer has no pre-tokenizer: it turns spaces into `▁`, puts one in
    front, and runs byte-pair merges over the whole text. Its merges never join a
    piece ending in a letter to one starting with `▁` (only runs of `▁` merge with
    `▁`), so the text falls apart into words (a run of `▁` and what follows up to the
    next `▁`) that are merged each on its own. The same word is then read once, and
    a text costs a dictionary look-up per word. `of` checks that the tokenizer is so.
    """

    def __init__(self, tokenizer: Tokenizer, special: tuple[str, ...]) -> None:
        self.model = tokenizer.model
        self.tokenizer = tokenizer
        self.special = special  # texts holding these go to the tokenizer itself
        self.ids: dict[str, tuple[int, ...]] = {}  # each word met: its pieces' ids
        self.starts: dict[str, tuple[int, ...]] = {}  # and where each starts in it

    @classmethod
    def of(cls, tokenizer: Tokenizer) -> Words | None:
        """A reader for this tokenizer, or None if its texts cannot be cut into words."""
        spec = json.loads(tokenizer.to_str())
        model = spec.get("model") or {}
        if (
            spec.get("normalizer") != NORMALIZER
            or spec.get("pre_tokenizer") is not None
            or model.get("type") != "BPE"
            or model.get("dropout") is not None
            or spec.get("truncation") is not None
            or spec.get("padding") is not None
        ):
            return None
        for merge in model.get("merges", ()):
            left, right = merge if isinstance(merge, list) else merge.split(" ")
            if (SPACE in right or SPACE in left[1:]) and (left + right).strip(SPACE):
                return None  # a merge across the start of a word
        special = tuple(token.content for token in tokenizer.get_added_tokens_decoder().values())
        return cls(tokenizer, special)

    def read(self, text: str) -> Read:
        """The ids `tokenizer.encode(text, add_special_tokens=False)` gives, and where each
        piece starts in `text` (as the encoding's offsets start), worked out when asked."""
        if not text or any(token in text for token in self.special):
            encoding = self.tokenizer.encode(text, add_special_tokens=False)
            return Read(encoding.ids, [start for start, _ in encoding.offsets])
        words = _WORD.findall(SPACE + text.replace(" ", SPACE))
        try:
            ids = np.fromiter(chain.from_iterable(map(self.ids.__getitem__, words)), np.int64)
        except KeyError:  # a word not met before
            ids = np.fromiter(chain.from_iterable(map(self.word, words)), np.int64)
        return Read(ids, None, (words, self))

    def word(self, word: str) -> tuple[int, ...]:
        """One word's ids, remembered with where each piece starts in it (in characters)."""
        found = self.ids.get(word)
        if found is None:
            if len(self.ids) >= WORDS_KEPT:
                self.ids.clear()
                self.starts.clear()
            tokens = self.model.tokenize(word)
            raw = word.encode()  # the tokens' offsets count bytes
            # Tuples of numbers: the garbage collector soon stops looking at them.
            self.starts[word] = tuple(
                len(raw[: t.offsets[0]].decode(errors="ignore")) for t in tokens
            )
            found = self.ids[word] = tuple(t.id for t in tokens)
        return found

    def word_starts(self, word: str) -> tuple[int, ...]:
        """Where each piece of a word starts in it."""
        found = self.starts.get(word)
        if found is None:
            self.ids.pop(word, None)  # forgotten since: read it again
            self.word(word)
            found = self.starts[word]
        return found


_WORD = re.compile(f"{SPACE}+[^{SPACE}]*")


def package_files() -> tuple[Path, Path]:
    """Where the installed `wordllama` wheel keeps its tokenizer and weights."""
    root = resources.files("wordllama")
    return Path(str(root / TOKENIZER)), Path(str(root / WEIGHTS))


def read_safetensors(path: Path, name: str = "embedding.weight") -> NDArray[np.float32]:
    """One tensor of a safetensors file, as float32 (the layout is documented upstream)."""
    with path.open("rb") as handle:
        size = int.from_bytes(handle.read(8), "little")
        header = json.loads(handle.read(size))
        entry = header[name]
        start, end = entry["data_offsets"]
        handle.seek(8 + size + start)
        raw = handle.read(end - start)
    dtypes = {"F16": "<f2", "F32": "<f4"}
    array = np.frombuffer(raw, dtype=dtypes[entry["dtype"]]).reshape(entry["shape"])
    return np.ascontiguousarray(array, dtype=np.float32)


@cache
def embedder() -> Embedder:
    """The shared embedder, read once per process."""
    tokenizer_file, weights_file = package_files()
    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    vectors = read_safetensors(weights_file)
    if vectors.shape != (VOCABULARY, DIMENSIONS):  # pragma: no cover - a different wheel
        raise RuntimeError(f"unexpected embedding shape {vectors.shape} in {weights_file}")
    return Embedder(tokenizer, vectors)
