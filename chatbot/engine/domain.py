"""Is a message for this knowledge base at all? A small learned model, trained when the index is built.

A logistic regression over hashed word, word-pair and character n-gram features separates the
base's own phrasings (its questions and alternates: labelled data every FAQ already has) from a
shipped corpus of general messages (``data/background.txt``: banking, travel, weather, small talk…,
written for this project). Its output is the probability that a message belongs to the base's
domain. Background messages close to the base's own phrasings are left out of training, so a
bank's FAQ keeps its banking questions.

Training needs numpy (once, at build time; the built index is cached); scoring is plain Python.
"""

from __future__ import annotations

import itertools
import math
import zlib
from array import array
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from .text import normalize, tokenize

#: Hashed feature space (a power of two).
DIMENSIONS = 1 << 16
#: L2 penalty and optimiser settings, chosen on CLINC150 training data (see benchmarks/).
L2 = 1e-4
STEPS = 40
LEARNING_RATE = 4.0


def _hash(gram: str) -> int:
    return zlib.crc32(gram.encode()) & (DIMENSIONS - 1)


@lru_cache(maxsize=65_536)  # words repeat across messages: their character n-grams are hashed once
def _word_features(token: str) -> frozenset[int]:
    padded = f" {token} "
    grams = [f"c {padded[i:i + n]}" for n in (3, 4, 5) for i in range(len(padded) - n + 1)]
    return frozenset(_hash(g) for g in (f"w {token}", *grams))


@lru_cache(maxsize=32_768)  # the background's features are the same for every base built in a process
def features(text: str) -> list[int]:
    """Hashed feature ids of a message: words, word pairs, character 3-5-grams within words."""
    tokens = tokenize(normalize(text))
    ids: set[int] = set()
    for token in tokens:
        ids |= _word_features(token)
    ids.update(_hash(f"b {a} {b}") for a, b in itertools.pairwise(tokens))
    return sorted(ids)


@lru_cache(maxsize=4)
def _encode(texts: tuple[str, ...]) -> tuple[Any, Any]:
    """Feature ids of every text, concatenated, and each text's count (numpy arrays)."""
    import numpy as np

    rows = [features(t) for t in texts]
    lengths = np.array([len(r) for r in rows], dtype=np.int64)
    return np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=int(lengths.sum())), lengths


class DomainModel:
    """P(message is for this knowledge base), from phrasings (positive) and background (negative)."""

    def __init__(self, positives: Sequence[str], negatives: Sequence[str]):
        self.weights = array("f", bytes(4 * DIMENSIONS))
        self.bias = 0.0
        if positives and negatives:
            self._train(positives, negatives)

    def _train(self, positives: Sequence[str], negatives: Sequence[str]) -> None:
        import numpy as np  # only here: scoring needs no numpy

        pos_idx, pos_len = _encode(tuple(positives))
        neg_idx, neg_len = _encode(tuple(negatives))  # the same background for most bases: cached
        idx = np.concatenate([pos_idx, neg_idx])
        lengths = np.concatenate([pos_len, neg_len])
        n_pos, n_neg = len(pos_len), len(neg_len)
        y = np.concatenate([np.ones(n_pos), np.zeros(n_neg)])
        # Each class weighs the same in total, however many examples it has.
        sample = np.concatenate([np.full(n_pos, 0.5 / n_pos), np.full(n_neg, 0.5 / n_neg)])
        rows = n_pos + n_neg
        row_of = np.repeat(np.arange(rows), lengths)
        scale = 1.0 / np.sqrt(np.maximum(lengths, 1))  # binary features, L2-normalised per message
        val = scale[row_of]
        w = np.zeros(DIMENSIONS)
        b = 0.0
        m_w, v_w, m_b, v_b = np.zeros(DIMENSIONS), np.zeros(DIMENSIONS), 0.0, 0.0
        beta1, beta2, eps = 0.9, 0.999, 1e-8
        for step in range(1, STEPS + 1):
            z = np.bincount(row_of, weights=w[idx] * val, minlength=rows) + b
            p = 1.0 / (1.0 + np.exp(-z))
            g = (p - y) * sample
            grad_w = np.bincount(idx, weights=val * g[row_of], minlength=DIMENSIONS) + L2 * w
            grad_b = g.sum()
            m_w = beta1 * m_w + (1 - beta1) * grad_w
            v_w = beta2 * v_w + (1 - beta2) * grad_w**2
            m_b = beta1 * m_b + (1 - beta1) * grad_b
            v_b = beta2 * v_b + (1 - beta2) * grad_b**2
            correction = math.sqrt(1 - beta2**step) / (1 - beta1**step)
            w -= LEARNING_RATE * 0.01 * correction * m_w / (np.sqrt(v_w) + eps)
            b -= LEARNING_RATE * 0.01 * correction * m_b / (math.sqrt(v_b) + eps)
        self.weights = array("f", w.astype(np.float32).tobytes())
        self.bias = float(b)

    def probability(self, text: str) -> float:
        ids = features(text)
        if not ids:
            return 0.0
        z = self.bias + sum(self.weights[i] for i in ids) / math.sqrt(len(ids))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
