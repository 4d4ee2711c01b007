"""Ranking entries for a message: weighted token overlap, refined by rapidfuzz string similarity.

Why not plain fuzzy ratio over the questions: "how is melanoma treated" is textually close to
"how is it treated". Weighting informative words (rare in the knowledge base) over filler,
and counting words the knowledge base has never seen against the match, is what lets the
threshold tell "nothing here answers that" from "a typo of something here".
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz

from .analysis import Analysis, Analyzer
from .knowledge import Entry, KnowledgeBase
from .language import QUESTION_WORDS, STOPWORDS

#: Shares of the score: token overlap, then string similarity of the content words, then of the
#: whole canonical text (word order and function words only break near-ties).
TOKEN_SHARE = 0.8
WHOLE_TEXT_SHARE = 0.05
#: Of the token score, how much rewards explaining the message (recall) vs. the phrasing (precision).
RECALL_SHARE = 0.65
#: Credit for a message word found only in an entry's answer, not in any of its phrasings.
ANSWER_CREDIT = 0.5
#: Question words tell "where" from "how" but must not outweigh a topic word.
QUESTION_WORD_FACTOR = 0.35
#: Phrasings scored with rapidfuzz after the token pass.
REFINE_TOP = 24
#: Words found in more phrasings than this only re-score candidates found through rarer words.
MAX_DRIVER_POSTINGS = 100


@dataclass(frozen=True)
class Candidate:
    """An entry and how well the message matched it (0–100), with the phrasing that won."""

    entry: Entry
    score: float
    phrasing: str


@dataclass(frozen=True, slots=True)
class _Phrasing:
    entry_index: int
    text: str
    canonical: str
    whole: str
    tokens: frozenset[str]
    weight: float


class Matcher:
    """An index over every question and alternate of a knowledge base. Immutable once built."""

    def __init__(self, kb: KnowledgeBase, analyzer: Analyzer):
        self.kb = kb
        self.analyzer = analyzer
        entries = kb.entries
        phrasing_tokens: list[tuple[int, str, str, str, tuple[str, ...]]] = []
        answer_tokens: list[frozenset[str]] = []
        doc_freq: dict[str, int] = defaultdict(int)
        for i, entry in enumerate(entries):
            seen: set[str] = set()
            for text in (*entry.phrasings, entry.title):
                if not text:
                    continue
                analysis = analyzer.analyze(text, correct=False)
                if text != entry.title:
                    phrasing_tokens.append(
                        (i, text, " ".join(analysis.content), analysis.canonical, analysis.content)
                    )
                seen.update(analysis.content)
            answer = frozenset(analyzer.analyze(entry.answer, correct=False).content)
            answer_tokens.append(answer)
            for token in seen | answer:
                doc_freq[token] += 1
        n = max(len(entries), 1)
        self._idf = {t: math.log(1 + n / df) for t, df in doc_freq.items()}
        self._unknown_weight = math.log(1 + n / 0.75)
        self._answer_tokens = answer_tokens
        self._phrasings: list[_Phrasing] = []
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._answer_postings: dict[str, list[int]] = defaultdict(list)
        for entry_index, text, canonical, whole, tokens in phrasing_tokens:
            weight = sum(self.weight(t) for t in tokens) or 1.0
            index = len(self._phrasings)
            self._phrasings.append(_Phrasing(entry_index, text, canonical, whole, frozenset(tokens), weight))
            for token in tokens:
                self._postings[token].append(index)
        for entry_index, tokens in enumerate(answer_tokens):
            for token in tokens:
                self._answer_postings[token].append(entry_index)
        self._entry_phrasings: dict[int, list[int]] = defaultdict(list)
        for index, phrasing in enumerate(self._phrasings):
            self._entry_phrasings[phrasing.entry_index].append(index)

    def weight(self, token: str) -> float:
        """How informative a token is: rare in the knowledge base weighs more; unknown weighs most."""
        base = self._idf.get(token, self._unknown_weight)
        return base * QUESTION_WORD_FACTOR if token in QUESTION_WORDS else base

    def is_known(self, token: str) -> bool:
        return token in self._idf or token in STOPWORDS

    def rank(self, analysis: Analysis, limit: int = 5) -> list[Candidate]:
        """Best entries first, one candidate per entry, scores 0–100."""
        query = analysis.content
        if not query:
            return []
        weights = {t: self.weight(t) for t in query}
        total = sum(weights.values())
        # Accumulate along the posting lists of the rarer words only; the commonest words ("breast",
        # "cancer") are checked on the candidates those found, so a large base stays fast.
        size = {t: len(self._postings.get(t, ())) for t in weights}
        topical = [t for t in weights if (size[t] and t not in QUESTION_WORDS) or t in self._answer_postings]
        if not topical:
            return []  # no topic word the knowledge base knows: nothing to rank
        # Question words drive last: they are in a large share of all phrasings.
        ordered = sorted((t for t in weights if size[t]), key=lambda t: (t in QUESTION_WORDS, size[t]))
        drivers = ordered[:1] + [t for t in ordered[1:] if size[t] <= MAX_DRIVER_POSTINGS]
        drivers += [t for t in weights if not size[t]]  # answer-only words: their answer postings
        checked = [t for t in ordered if t not in drivers]
        overlap: dict[int, float] = defaultdict(float)  # weight of message words in the phrasing
        shared: dict[int, float] = defaultdict(float)  # ... of those, also in the entry's answer
        in_answer: dict[int, float] = defaultdict(float)  # weight of message words in an entry's answer
        for token in drivers:
            w = weights[token]
            for entry_index in self._answer_postings.get(token, ()):
                in_answer[entry_index] += w
            for index in self._postings.get(token, ()):
                overlap[index] += w
                if token in self._answer_tokens[self._phrasings[index].entry_index]:
                    shared[index] += w
        if checked:
            entries_seen = {self._phrasings[index].entry_index for index in overlap} | set(in_answer)
            for token in checked:
                w = weights[token]
                for entry_index in entries_seen:
                    if token in self._answer_tokens[entry_index]:
                        in_answer[entry_index] += w
                for index in list(overlap):
                    phrasing = self._phrasings[index]
                    if token in phrasing.tokens:
                        overlap[index] += w
                        if token in self._answer_tokens[phrasing.entry_index]:
                            shared[index] += w
        scored: list[tuple[float, int]] = []
        for index, matched in overlap.items():
            phrasing = self._phrasings[index]
            answer_only = in_answer.get(phrasing.entry_index, 0.0) - shared.get(index, 0.0)
            recall = (matched + ANSWER_CREDIT * answer_only) / total
            precision = matched / phrasing.weight
            scored.append((RECALL_SHARE * recall + (1 - RECALL_SHARE) * precision, index))
        # Entries that only their answers match: recall alone, through their canonical question.
        for entry_index, answered in in_answer.items():
            index = self._entry_phrasings[entry_index][0]
            if index not in overlap:
                scored.append((RECALL_SHARE * ANSWER_CREDIT * answered / total, index))
        scored = heapq.nlargest(REFINE_TOP, scored)
        query_text = " ".join(query)
        best: dict[int, Candidate] = {}
        for token_score, index in scored:
            phrasing = self._phrasings[index]
            similarity = fuzz.token_sort_ratio(query_text, phrasing.canonical) / 100
            whole = fuzz.ratio(analysis.canonical, phrasing.whole) / 100
            score = 100 * (
                TOKEN_SHARE * token_score
                + (1 - TOKEN_SHARE - WHOLE_TEXT_SHARE) * similarity
                + WHOLE_TEXT_SHARE * whole
            )
            current = best.get(phrasing.entry_index)
            if current is None or score > current.score:
                entry = self.kb.entries[phrasing.entry_index]
                best[phrasing.entry_index] = Candidate(entry, round(score, 1), phrasing.text)
        return sorted(best.values(), key=lambda c: c.score, reverse=True)[:limit]
