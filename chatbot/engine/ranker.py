"""One ranking from two kinds of evidence: the overlap matcher and the learned entry classifier.

The matcher (``matcher.py``) is exact about the words a base uses, its typos and near-duplicates;
the classifier (``classifier.py``) generalises to phrasings that share few words with any alternate.
Candidates are ordered by a weighted mean of the two (on the matcher's 0–100 scale); the top one
carries a calibrated confidence (``calibration.py``), which decides whether it is answered.
"""

from __future__ import annotations

import dataclasses
import heapq
import zlib
from collections.abc import Sequence

from .analysis import Analysis, Analyzer
from .calibration import Calibrator, evidence
from .classifier import Design, EntryClassifier
from .knowledge import Entry, KnowledgeBase
from .matcher import Candidate, Matcher

#: The classifier's share of an entry's ranking score (the matcher has the rest), chosen per base:
#: the share that ranks the held-out fold best (ties go to the smaller share). The floor is the
#: share the shipped base was tuned with; a base whose own phrasings favour the classifier more
#: (a 150-intent assistant: 92 % of new queries right alone, the matcher 79 %) gets more.
SHARES = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
#: Up to this many entries the final classifier trains beside the calibration fold, in a second thread
#: (two models' optimiser state, entries x features floats each, in memory at once).
PARALLEL_CLASSES = 500
#: The classifier's best entries considered beside the matcher's.
LEARNED_TOP = 3
#: Candidates the matcher is asked for before the two are combined.
MATCHER_TOP = 10
#: About one alternate in HOLD_OUT (of entries with at least three phrasings; ``held_out``) and every
#: HOLD_OUT-th background message are held out to calibrate; at most MAX_HELD_OUT alternates are ranked.
HOLD_OUT = 5
MAX_HELD_OUT = 1_500


@dataclasses.dataclass(frozen=True)
class Pool:
    """What both sources say about one message: the candidates with their matcher scores, the
    classifier's probabilities (the last is "none of these") and its best entries."""

    candidates: dict[str, Candidate]
    probabilities: Sequence[float]
    best: list[int]
    unknown: float


class Ranker:
    """Best entries first, one candidate per entry, scores 0–100; the first with a confidence."""

    def __init__(self, matcher: Matcher, classifier: EntryClassifier, calibrator: Calibrator | None = None,
                 share: float = SHARES[0]):
        self.matcher = matcher
        self.classifier = classifier
        self.calibrator = calibrator
        self.share = share

    @classmethod
    def build(cls, kb: KnowledgeBase, analyzer: Analyzer, matcher: Matcher,
              labelled: Sequence[tuple[str, int]], general: Sequence[str]) -> Ranker:
        """Train the classifier, then choose the share and calibrate on a held-out fold (see
        ``calibration.py``)."""
        texts = [t for t, _ in labelled]
        labels = [i for _, i in labelled]
        if not EntryClassifier.can_train(texts, len(kb.entries)):
            return cls(matcher, EntryClassifier(texts, labels, len(kb.entries), general))
        # Read once, for the final model and (its rows less the held-out fold) the calibration model.
        design = Design.of([*texts, *general], kb.word_vectors)

        def train() -> EntryClassifier:
            return EntryClassifier(texts, labels, len(kb.entries), general, kb.word_vectors, design)

        if len(kb.entries) > PARALLEL_CLASSES:
            classifier = train()
            calibrated = _calibrate(kb, analyzer, labelled, general, design)
        else:
            # The final model trains in a second thread while the calibration fold is built and ranked:
            # both spend their time in numpy and scipy, which release the GIL, so a second core halves it.
            # BLAS keeps to one thread meanwhile: two trainings each asking it for every core (the word
            # vectors' dense products) took 19-20 s to build CLINC150's FAQ where one thread each took 14.
            from concurrent.futures import ThreadPoolExecutor  # build time only, as numpy is

            import numpy  # noqa: F401  # build time only; loaded first, so that the limit finds its BLAS
            from threadpoolctl import threadpool_limits

            with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(max_workers=1) as pool:
                final = pool.submit(train)
                calibrated = _calibrate(kb, analyzer, labelled, general, design)
                classifier = final.result()
        if not classifier.trained:  # phrasings with no features at all
            return cls(matcher, classifier)
        return cls(matcher, classifier, *calibrated)

    @property
    def calibrated(self) -> bool:
        return self.calibrator is not None

    def rank(self, analysis: Analysis, limit: int = 5) -> list[Candidate]:
        found = self.matcher.rank(analysis, limit=max(limit, MATCHER_TOP))
        if self.calibrator is None:  # a base too small or too large to learn and calibrate
            return [dataclasses.replace(c, confidence=c.score / 100) if i == 0 else c
                    for i, c in enumerate(found[:limit])]
        # With no word the matcher can use ("possibly either one", "that's a yes"), the classifier's
        # entries are still candidates: it reads character n-grams and word pairs, and the calibrator decides.
        pool = self._pool(analysis, found)
        ranked, _ = self._order(pool, self.share)
        calibrator, position = self.calibrator, self.matcher.positions
        # Each candidate's evidence read as if it came first: a tie the stages settle for the second
        # ("the one entry whose facets fit") then shows that entry's own confidence.
        # (Made directly: dataclasses.replace is several times slower, and this runs on every message.)
        return [Candidate(c.entry, c.score, c.phrasing,
                          round(calibrator.confidence(self._evidence(pool, c.entry.id)), 3),
                          round(pool.probabilities[position[c.entry.id]], 3))
                for c in ranked[:limit]]

    def _pool(self, analysis: Analysis, found: list[Candidate], probabilities: Sequence[float] | None = None) -> Pool:
        if probabilities is None:
            probabilities = self.read(analysis)[1]
        entries = self.matcher.kb.entries
        # The classifier's best few only (same order as a full sort): this runs on every message.
        best = heapq.nlargest(max(LEARNED_TOP, 2), range(len(entries)), key=probabilities.__getitem__)
        by_id = {c.entry.id: c for c in found}
        extra = frozenset(i for i in best[:LEARNED_TOP] if entries[i].id not in by_id)
        if extra:
            for candidate in self.matcher.rank(analysis, limit=len(extra), only=extra):
                by_id.setdefault(candidate.entry.id, candidate)
            for i in sorted(extra):  # ... matched by no word at all: a matcher score of 0
                by_id.setdefault(entries[i].id, Candidate(entries[i], 0.0, entries[i].question))
        return Pool(by_id, probabilities, best, self.matcher.unknown_share(analysis))

    def read(self, analysis: Analysis) -> tuple[str, Sequence[float]]:
        """What the classifier reads of a message, and its reading: the whole message, or, when the whole reads
        as general chat, the sentence or clause least like it (``least_general``)."""
        whole = self.classifier.probabilities(analysis.normalized)
        if not analysis.parts or max(whole) > whole[-1]:  # no parts, or already one of the entries
            return analysis.normalized, whole
        return least_general([(analysis.normalized, whole),
                              *((part, self.classifier.probabilities(part)) for part in analysis.parts)])

    def best_share(self, pools: Sequence[tuple[Pool, str | None]]) -> float:
        """The share that puts the right entry first most often (ties: the smaller share)."""
        def top(pool: Pool, share: float) -> str:  # the first of ``_order``'s ranking, without building it
            return max(pool.candidates.values(), key=lambda c: self._blended(pool, c, share)).entry.id

        def right(share: float) -> int:
            return sum(top(pool, share) == gold for pool, gold in pools if gold)

        return max(SHARES, key=lambda share: (right(share), -share))

    def _order(self, pool: Pool, share: float) -> tuple[list[Candidate], tuple[float, ...]]:
        """Candidates ordered by the blended score, and the evidence about the first of them."""
        ranked = sorted((Candidate(c.entry, self._blended(pool, c, share), c.phrasing, c.confidence, c.learned)
                         for c in pool.candidates.values()),
                        key=lambda c: c.score, reverse=True)
        return ranked, self._evidence(pool, ranked[0].entry.id)

    def _blended(self, pool: Pool, candidate: Candidate, share: float) -> float:
        """A candidate's ranking score: its matcher score and the classifier's probability, weighed by ``share``."""
        learned = pool.probabilities[self.matcher.positions[candidate.entry.id]]
        return round((1 - share) * candidate.score + share * 100 * learned, 1)

    def _evidence(self, pool: Pool, top: str) -> tuple[float, ...]:
        """What the calibrator reads about ``top`` as the answer (see ``calibration.evidence``)."""
        position, entries, probabilities = self.matcher.positions, self.matcher.kb.entries, pool.probabilities
        p_top = probabilities[position[top]]
        others_m = [c.score for entry_id, c in pool.candidates.items() if entry_id != top]
        others_p = [probabilities[i] for i in pool.best[:2] if entries[i].id != top]
        matched = pool.candidates[top].score
        return evidence(matched, p_top, probabilities[-1], matched - max(others_m, default=0.0),
                        p_top - max(others_p, default=0.0), entries[pool.best[0]].id == top, pool.unknown)


def _calibrate(kb: KnowledgeBase, analyzer: Analyzer, labelled: Sequence[tuple[str, int]],
               general: Sequence[str], design: Design) -> tuple[Calibrator | None, float]:
    """Rank a held-out fold with a matcher and classifier built without it; choose the share that
    ranks it best and fit the calibrator to the evidence at that share. ``design``: the rows of
    ``(*labelled texts, *general)``."""
    held: dict[str, int] = {}
    fold_entries = []
    for index, entry in enumerate(kb.entries):
        held.update((text, index) for text in held_out(entry))
        fold_entries.append(dataclasses.replace(entry, alternates=tuple(a for a in entry.alternates
                                                                         if a not in held)))
    if not held:
        return None, SHARES[0]
    fold_kb = dataclasses.replace(kb, entries=tuple(fold_entries))
    kept = [k for k, (t, _) in enumerate(labelled) if t not in held]
    background = [k for k in range(len(general)) if k % HOLD_OUT != HOLD_OUT - 1]
    fold = Ranker(Matcher(fold_kb, analyzer),
                  EntryClassifier([labelled[k][0] for k in kept], [labelled[k][1] for k in kept], len(kb.entries),
                                  [general[k] for k in background], kb.word_vectors,
                                  design.rows([*kept, *(len(labelled) + k for k in background)])))
    questions = list(held.items())[:: max(1, -(-len(held) // MAX_HELD_OUT))]
    cases = [*questions, *((m, -1) for m in general[HOLD_OUT - 1::HOLD_OUT])]
    analyses = [analyzer.analyze(text) for text, _ in cases]
    learned = fold.classifier.probabilities_many([a.normalized for a in analyses])  # one product, not one each
    pools: list[tuple[Pool, str | None]] = []
    for (_, index), analysis, probabilities in zip(cases, analyses, learned, strict=True):
        found = fold.matcher.rank(analysis, limit=MATCHER_TOP)
        # Only messages the matcher finds something for calibrate: with the classifier-only ones too, the
        # breast-cancer base's held-out unanswerable questions lost 8 points (the calibrator reads them alike).
        if found:
            pools.append((fold._pool(analysis, found, probabilities), kb.entries[index].id if index >= 0 else None))

    share = fold.best_share(pools)
    rows: list[tuple[float, ...]] = []
    correct: list[bool] = []
    for pool, gold in pools:
        ranked, inputs = fold._order(pool, share)
        rows.append(inputs)
        correct.append(ranked[0].entry.id == gold)
    asked = [gold is not None for _, gold in pools]
    return Calibrator.fit(rows, correct, phrasings=len(questions), asked=asked), share


def held_out(entry: Entry) -> tuple[str, ...]:
    """The alternates calibration holds out of an entry of three phrasings or more: those whose text hashes
    to the fold, about one in HOLD_OUT. Chosen by text, not by position, so that adding or removing one
    alternate moves no other into or out of the fold (by position, every later alternate of the entry moved)."""
    if len(entry.phrasings) < 3:
        return ()
    return tuple(a for a in entry.alternates if zlib.crc32(a.encode()) % HOLD_OUT == HOLD_OUT - 1)


def least_general(readings: Sequence[tuple[str, Sequence[float]]]) -> tuple[str, Sequence[float]]:
    """Of the classifier's readings of a message and of its sentences and clauses, the one least like general
    chat (the first of equals): a story's question is one clause among others that the "none of these" class
    reads as chat ("my best friend has just been told ..., she's terrified ..., what are her chances")."""
    return min(readings, key=lambda reading: reading[1][-1])
