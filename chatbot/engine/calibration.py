"""Confidence that means the same on every base: P(the top entry is the right one), calibrated.

When the index is built, a fifth of each entry's alternates and of the background messages are held
out, the matcher and classifier are built again without them, and the held-out messages are ranked.
A small logistic regression learns, from what the evidence looked like (``evidence``), whether the
top entry was right; for a background message no entry is. Its output is the reply's confidence,
so one default threshold serves a 49-entry health FAQ and a 150-intent assistant alike.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

#: Names of the evidence the calibrator reads, in order (for ``--explain`` and the tests).
EVIDENCE = ("matcher", "classifier", "none", "matcher_gap", "classifier_gap", "agree", "unknown")
#: L2 penalty of the calibrator (few, well-scaled inputs: it barely matters).
L2 = 1e-3
#: The general messages' share of the calibrator's training weight (the rest: the base's held-out phrasings),
#: chosen on the tune halves of the breast-cancer question sets and half of CLINC150's validation data.
GENERAL_SHARE = 0.2
#: Held-out phrasings needed before a calibrator is trusted (a base with fewer keeps the matcher alone).
MIN_PHRASINGS = 30


def evidence(matcher: float, classifier: float, none: float, matcher_gap: float, classifier_gap: float,
             agree: bool, unknown: float) -> tuple[float, ...]:
    """The calibrator's inputs, each on a 0–1 scale (matcher scores arrive on 0–100); ``unknown`` is
    the share of the message in words the base never uses."""
    return (matcher / 100, classifier, none, matcher_gap / 100, classifier_gap, float(agree), unknown)


class Calibrator:
    """A logistic regression from evidence to P(correct)."""

    def __init__(self, weights: Sequence[float], bias: float):
        self.weights = tuple(weights)
        self.bias = bias

    @classmethod
    def fit(cls, rows: Sequence[Sequence[float]], correct: Sequence[bool], phrasings: int,
            asked: Sequence[bool] | None = None) -> Calibrator | None:
        """Fit by Newton's method; None when too few of the rows are held-out ``phrasings`` (the rest
        are background messages) or the outcomes are one-sided. ``asked``: which rows are phrasings."""
        if phrasings < MIN_PHRASINGS or all(correct) or not any(correct):
            return None
        import numpy as np  # build time only

        x = np.column_stack([np.asarray(rows, dtype=np.float64), np.ones(len(rows))])
        y = np.asarray(correct, dtype=np.float64)
        if asked is not None and any(asked) and not all(asked):
            # The base's own held-out phrasings, right or wrong as they fall, weigh 1 - GENERAL_SHARE and the
            # general messages (all wrong) the rest, however many of each were held out: a base whose entries
            # are easily confused gets lower confidences than one whose entries are not.
            q = np.asarray(asked, dtype=bool)
            sample = np.where(q, (1 - GENERAL_SHARE) / q.sum(), GENERAL_SHARE / (~q).sum())
        else:  # each outcome weighs the same in total
            sample = np.where(y == 1, 0.5 / y.sum(), 0.5 / (1 - y).sum())
        w = np.zeros(x.shape[1])
        penalty = L2 * np.eye(x.shape[1])
        penalty[-1, -1] = 0.0
        for _ in range(25):
            p = 1 / (1 + np.exp(-x @ w))
            gradient = x.T @ ((p - y) * sample) + penalty @ w
            hessian = (x * (p * (1 - p) * sample)[:, None]).T @ x + penalty
            w -= np.linalg.solve(hessian, gradient)
        return cls([float(v) for v in w[:-1]], float(w[-1]))

    def confidence(self, inputs: Sequence[float]) -> float:
        z = self.bias + sum(w * v for w, v in zip(self.weights, inputs, strict=True))
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
