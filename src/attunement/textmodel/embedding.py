"""Subword pieces and static embeddings from the `wordllama` wheel's own files.

The wheel ships a tokenizer (32,000 pieces) and a 256-dimensional embedding per piece.
Its own loader looks for the tokenizer in the wrong folder and may try the network, so
the two files are read here directly: `tokenizers` for the pieces and the safetensors
layout (an 8-byte header length, a JSON header, raw little-endian arrays) with numpy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
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


@dataclass(frozen=True)
class Pieces:
    """The subword pieces of one text: ids, and where each starts and ends in the text."""

    ids: NDArray[np.int64]
    offsets: list[tuple[int, int]]


class Embedder:
    """Turns lower-cased text into subword ids and mean-pooled unit vectors."""

    def __init__(self, tokenizer: Tokenizer, vectors: NDArray[np.float32]) -> None:
        self.tokenizer = tokenizer
        self.vectors = vectors
        self._recent: dict[str, Pieces] = {}
        self._last_batch: tuple[tuple[tuple[str, ...], bool], list[Pieces]] | None = None

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
