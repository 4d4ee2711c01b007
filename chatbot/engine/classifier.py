"""Which entry is a message for? A softmax regression learned from the knowledge base's own phrasings.

Every FAQ already holds labelled data: each entry's question and alternates. When the index is built,
a multinomial logistic regression over hashed word, word-pair and character n-gram features
(``domain.features``) learns them, with one extra class, "none of these", learned from the shipped
general messages (``background.py``). It generalises where token overlap cannot: on another
organisation's FAQ (CLINC150's 150 intents) it picks the right entry for 90 % of unseen questions,
the overlap matcher for 79 % (``benchmarks/ablation.py``).

Training needs numpy and scipy (once, at build time; the built index is cached); scoring is plain
Python over compact arrays, so a cached start-up imports neither.
"""

from __future__ import annotations

import itertools
import math
import sys
import zlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from operator import mul
from typing import Any

from .domain import features
from .vectors import dimensions, embed, embed_all

#: Above this many entries the model is not trained (its weights grow with entries × features);
#: the overlap matcher alone ranks such a base.
MAX_CLASSES = 2_000
#: Optimiser settings and the weight of the background class, chosen on CLINC150's training data
#: and half of its validation data (``benchmarks/ablation.py``; the other half is reported).
EPOCHS = 6
BATCH = 1_024
LEARNING_RATE = 0.05
L2 = 1e-5
BACKGROUND_WEIGHT = 0.1
#: Fixed-point summing of weight rows (``_packed_sums``): lanes of 64 bits, each weight scaled by 2^48 (exact for
#: float32 weights down to 2^-25; below, off by under 2^-49) and offset by 2^52, so a lane holds a weight under 16
#: in magnitude and the sum of 2,048 rows never carries into the next lane.
_SCALE = float(2**48)
_OFFSET = 2**52
_LARGEST = 16.0
_MAX_PACKED_ROWS = 2_048
#: Packed rows are kept once read, up to this much memory (a server reads the same n-grams again and again).
_PACKED_CACHE_BYTES = 32 * 2**20
#: Length of the message's word-vector mean (``vectors.py``) beside its n-grams, whose own length is 1.
#: Chosen on CLINC150's training data and half of its validation data among 0.5, 1 and 2.
DENSE_WEIGHT = 2.0


@dataclass(frozen=True)
class Design:
    """A training matrix: one row per message, binary n-gram features L2-normalised per row, over the columns
    ``ids`` (the hashed feature ids the rows use, ascending); ``dense``, the rows' word-vector means or None."""

    x: Any
    ids: Any
    keys: Any  # per row, a hash of its text: the order training visits it in (``_train``)
    dense: Any = None

    @classmethod
    def of(cls, texts: Sequence[str], vectors: bool = False) -> Design:
        import numpy as np  # only here: scoring needs neither
        import scipy.sparse as sparse

        rows = [features(t) for t in texts]
        lengths = np.array([len(r) for r in rows], dtype=np.int64)
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum(lengths)
        flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=int(indptr[-1]))
        ids, columns = np.unique(flat, return_inverse=True)
        values = np.repeat((1 / np.sqrt(np.maximum(lengths, 1))).astype(np.float32), lengths)
        x = sparse.csr_matrix((values, columns, indptr), shape=(len(rows), len(ids)))
        # The word-vector mean (``vectors.py``), a dense block of its own beside the sparse n-grams.
        dense = embed_all(texts) * DENSE_WEIGHT if vectors and dimensions() else None
        keys = np.fromiter((zlib.crc32(t.encode()) for t in texts), dtype=np.uint64, count=len(texts))
        return cls(x, ids, keys, dense)

    def rows(self, which: Sequence[int]) -> Design:
        """The design of some of the rows, over the columns they use (a calibration fold of the whole)."""
        import numpy as np
        import scipy.sparse as sparse

        x = self.x[np.asarray(which, dtype=np.int64)]
        used, columns = np.unique(x.indices, return_inverse=True)
        x = sparse.csr_matrix((x.data, columns, x.indptr), shape=(x.shape[0], len(used)))
        return Design(x, self.ids[used], self.keys[which], None if self.dense is None else self.dense[which])


_GOLDEN = 0x9E3779B97F4A7C15


def _mix(keys: Any, salt: int) -> Any:
    """SplitMix64 over an array of uint64 keys: a well-spread hash of each, another for each ``salt``."""
    import numpy as np

    with np.errstate(over="ignore"):
        keys = keys + np.uint64(salt * _GOLDEN % 2**64)
        keys = (keys ^ (keys >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        keys = (keys ^ (keys >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return keys ^ (keys >> np.uint64(31))


class EntryClassifier:
    """P(entry | message) over a base's entries, plus P(none of them) as the last class."""

    def __init__(self, texts: Sequence[str], labels: Sequence[int], classes: int, background: Sequence[str],
                 vectors: bool = False, design: Design | None = None):
        """``design``: the rows of ``(*texts, *background)``, when the caller built them already."""
        self.classes = classes
        self.vectors = vectors  # read the message's word vectors (``vectors.py``) beside its n-grams
        self._rows: dict[int, int] = {}  # hashed feature id -> row of the weight table
        self._weights = array("f")  # row-major: one row of classes + 1 weights per feature
        self._dense: tuple[tuple[float, ...], ...] = ()  # per class, its weights on the word-vector mean
        self._bias = [0.0] * (classes + 1)
        self._packed: dict[int, int] = {}  # row -> its weights packed into one int (``_packed_sums``), as read
        if self.can_train(texts, classes):
            self._train(labels, len(background), design or Design.of([*texts, *background], vectors))

    @staticmethod
    def can_train(texts: Sequence[str], classes: int) -> bool:
        """Would a model be trained on these phrasings for this many entries?"""
        return bool(texts) and 0 < classes <= MAX_CLASSES

    @property
    def trained(self) -> bool:
        return bool(self._rows)

    def _train(self, labels: Sequence[int], background: int, design: Design) -> None:
        import numpy as np  # only here: scoring needs neither
        import scipy.sparse as sparse

        width = self.classes + 1
        x, xd = design.x, design.dense
        y = np.concatenate([np.asarray(labels, dtype=np.int64), np.full(background, self.classes)])
        sample = np.where(y == self.classes, BACKGROUND_WEIGHT, 1.0).astype(np.float32)
        # The weights and Adam's two moments, stacked: a batch gathers and scatters the feature rows it touches
        # once for all three (a batch uses a small part of the features).
        state = np.zeros((3, x.shape[1], width), dtype=np.float32)
        wd = np.zeros((0 if xd is None else xd.shape[1], width), dtype=np.float32)
        b = np.zeros(width, dtype=np.float32)
        m_d, v_d = np.zeros_like(wd), np.zeros_like(wd)
        m_b, v_b = np.zeros_like(b), np.zeros_like(b)
        touched = np.zeros(x.shape[1], dtype=bool)
        # Each epoch visits the rows in an order drawn from their texts, not from their positions: a shuffle
        # of positions reshuffled every batch when one phrasing was added or removed, and the model, a few
        # epochs from convergence, moved with it (one alternate fewer moved 31-84 of 1,811 replies).
        step = 0
        for epoch in range(EPOCHS):
            order = np.argsort(_mix(design.keys, epoch + 1), kind="stable")
            for start in range(0, len(order), BATCH):
                batch = order[start:start + BATCH]
                xb = x[batch]
                # The batch's own columns in order, renumbered (``xb[:, used]``, without its sort).
                touched[:] = False
                touched[xb.indices] = True
                used = np.flatnonzero(touched)
                local = (np.cumsum(touched) - 1)[xb.indices]
                xb = sparse.csr_matrix((xb.data, local, xb.indptr), shape=(len(batch), len(used)))
                rows = np.take(state, used, axis=1)
                w_used, m, v = rows
                z = xb @ w_used + b
                xbd = xd[batch] if xd is not None else None
                if xbd is not None:
                    z += xbd @ wd
                z -= z.max(axis=1, keepdims=True)
                p = np.exp(z)
                p /= p.sum(axis=1, keepdims=True)
                p[np.arange(len(batch)), y[batch]] -= 1.0
                g = p * (sample[batch] / sample[batch].sum())[:, None]
                grad = xb.T @ g + L2 * w_used
                step += 1
                correction = math.sqrt(1 - 0.999**step) / (1 - 0.9**step)
                # Adam's step, in place (the arrays are rows x classes: temporaries cost).
                tmp = np.empty_like(grad)
                m *= 0.9
                m += np.multiply(grad, 0.1, out=tmp)
                v *= 0.999
                np.multiply(grad, 0.001, out=tmp)
                tmp *= grad
                v += tmp
                np.sqrt(v, out=tmp)
                tmp += 1e-8
                np.multiply(m, LEARNING_RATE * correction, out=grad)
                grad /= tmp
                w_used -= grad
                state[:, used] = rows
                if xbd is not None:
                    grad_d = xbd.T @ g + L2 * wd
                    m_d = 0.9 * m_d + 0.1 * grad_d
                    v_d = 0.999 * v_d + 0.001 * grad_d * grad_d
                    wd -= LEARNING_RATE * correction * m_d / (np.sqrt(v_d) + 1e-8)
                grad_b = g.sum(axis=0)
                m_b = 0.9 * m_b + 0.1 * grad_b
                v_b = 0.999 * v_b + 0.001 * grad_b * grad_b
                b -= LEARNING_RATE * correction * m_b / (np.sqrt(v_b) + 1e-8)
        self._rows = {int(feature): k for k, feature in enumerate(design.ids)}
        self._weights = array("f", state[0].tobytes())
        if xd is not None:  # none without word vectors: a message's vector is then never looked up
            self._dense = tuple(tuple(float(v) for v in column) for column in (wd * DENSE_WEIGHT).T)
        self._bias = [float(v) for v in b]

    def probabilities(self, text: str) -> list[float]:
        """P of each entry (in the base's order), then P(none of them); all zero if untrained."""
        width = self.classes + 1
        if not self._rows:
            return [0.0] * width
        found = features(text)
        rows = [row for row in map(self._rows.get, found) if row is not None]
        scale = 1 / math.sqrt(max(len(found), 1))
        bias = self._bias
        sums = self._packed_sums(rows)
        if sums is not None:
            z = [bias_k + value * scale for value, bias_k in zip(sums, bias, strict=True)]
        else:
            weights = self._weights
            known = [weights[row * width:(row + 1) * width] for row in rows]
            # Column by column, each class's bias plus its weights in feature order (one pass over the rows).
            logits = bias
            if known:
                columns = zip(*known, strict=True)
                logits = [sum(column, bias_k) for bias_k, column in zip(bias, columns, strict=True)]
            z = [bias_k + (value - bias_k) * scale for value, bias_k in zip(logits, bias, strict=True)]
        vector = embed(text) if self._dense else None
        if vector is not None:  # one dot product per class, in C (map and sum): this runs on every message
            z = [value + sum(map(mul, vector, column)) for value, column in zip(z, self._dense, strict=True)]
        top = max(z)
        exp = [math.exp(v - top) for v in z]
        total = sum(exp)
        return [v / total for v in exp]

    def _packed_sums(self, rows: list[int]) -> list[float] | None:
        """Each class's weights summed over ``rows``, as fixed-point integers: a row is one Python int holding a
        64-bit lane per class, so adding a row is one C operation where adding its floats was one per class
        (reading a message 3 times faster; exact to the last bits of a float). None where a row does not fit
        the lanes, or there are too many rows for their sum to stay in them: the floats are summed instead."""
        if len(rows) > _MAX_PACKED_ROWS:
            return None
        total = 0
        for row in rows:
            packed = self._packed.get(row)
            if packed is None:
                packed = self._pack(row)
                if len(self._packed) < _PACKED_CACHE_BYTES // (8 * (self.classes + 1)):
                    self._packed[row] = packed
            if packed < 0:
                return None
            total += packed
        lanes = array("Q")
        lanes.frombytes(total.to_bytes(8 * (self.classes + 1), sys.byteorder))
        offset = len(rows) * _OFFSET
        return [(lane - offset) / _SCALE for lane in lanes]

    def _pack(self, row: int) -> int:
        """A row of weights as one int of 64-bit fixed-point lanes (each offset to be positive); -1 if a
        weight is too large for them."""
        width = self.classes + 1
        weights = self._weights[row * width:(row + 1) * width]
        if max(map(abs, weights)) >= _LARGEST:
            return -1
        lanes = array("Q", [round(w * _SCALE) + _OFFSET for w in weights])
        return int.from_bytes(lanes.tobytes(), sys.byteorder)

    def probabilities_many(self, texts: Sequence[str]) -> list[list[float]]:
        """``probabilities`` of each text, in one matrix product: for building (calibration ranks thousands of
        held-out phrasings), so numpy is fine here."""
        import numpy as np
        import scipy.sparse as sparse

        width = self.classes + 1
        if not self._rows or not texts:
            return [[0.0] * width for _ in texts]
        found = [features(t) for t in texts]
        rows = [[r for r in map(self._rows.get, ids) if r is not None] for ids in found]
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(r) for r in rows])
        indices = np.fromiter((i for r in rows for i in r), dtype=np.int64, count=int(indptr[-1]))
        x = sparse.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), len(self._rows)))
        weights = np.frombuffer(self._weights, dtype=np.float32).reshape(-1, width).astype(np.float64)
        scale = 1 / np.sqrt(np.maximum([len(ids) for ids in found], 1))
        z = np.asarray(self._bias) + (x @ weights) * scale[:, None]
        if self._dense:
            vectors = [embed(t) for t in texts]
            dense = np.array([v if v is not None else [0.0] * dimensions() for v in vectors])
            z += dense @ np.asarray(self._dense).T
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        out: list[list[float]] = p.tolist()
        return out
