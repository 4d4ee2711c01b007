"""What a message means, roughly: the mean of its words' vectors, distilled from a sentence-embedding model.

``data/vectors.bin`` holds a vector for each of the 50,000 English words of ``english.tsv.gz`` (same
order), made by ``tools/distill_vectors.py`` from all-MiniLM-L6-v2 the way Model2Vec does: every word
embedded alone by the model, then centred and reduced by PCA. Words of like meaning get like vectors
("checks" and "screening", "floating" and "travel"), which hashed n-grams cannot know. No model runs
here: a message costs a table lookup and a sum per word, in plain Python.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

from .english import words
from .paths import DATA
from .text import normalize, tokenize

_MAGIC = b"FAQVEC1\n"


@cache
def _table() -> tuple[dict[str, int], tuple[float, ...], memoryview, int]:
    """Word -> row, each dimension's scale, the int8 rows, the number of dimensions."""
    raw = (DATA / "vectors.bin").read_bytes()
    if not raw.startswith(_MAGIC):
        raise ValueError("vectors.bin: not a word-vector table")
    offset = len(_MAGIC)
    count, dimensions = struct.unpack_from("<II", raw, offset)
    offset += 8
    scales = struct.unpack_from(f"<{dimensions}f", raw, offset)
    offset += 4 * dimensions
    rows = memoryview(raw)[offset:offset + count * dimensions].cast("b")
    index = {word: k for k, word in enumerate(words()[:count])}
    return index, scales, rows, dimensions


def dimensions() -> int:
    return _table()[3]


def _rows_of(text: str) -> list[int]:
    index = _table()[0]
    return [index[t] for t in tokenize(normalize(text)) if t in index]


@lru_cache(maxsize=4_096)  # a conversation's messages are read by more than one model
def embed(text: str) -> tuple[float, ...] | None:
    """The unit-length mean of the vectors of the message's known words; None when it has none."""
    _, scales, rows, width = _table()
    found = _rows_of(text)
    if not found:
        return None
    total = [0] * width
    for k in found:
        total = [a + b for a, b in zip(total, rows[k * width:(k + 1) * width], strict=True)]
    vector = [a * s for a, s in zip(total, scales, strict=True)]
    norm = math.sqrt(sum(v * v for v in vector))
    return tuple(v / norm for v in vector) if norm else None


def embed_all(texts: Sequence[str]) -> Any:
    """``embed`` of each text as the rows of a numpy array (zeros for none), for training: at build time only."""
    import numpy as np

    _, scales, rows, width = _table()
    table = np.frombuffer(rows, dtype=np.int8).reshape(-1, width)
    out = np.zeros((len(texts), width), dtype=np.float32)
    for k, text in enumerate(texts):
        found = _rows_of(text)
        if found:
            out[k] = table[found].sum(axis=0, dtype=np.int64) * np.asarray(scales, dtype=np.float64)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)
