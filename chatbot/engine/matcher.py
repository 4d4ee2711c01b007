"""Ranking entries for a message: weighted token overlap, refined by rapidfuzz string similarity.

Why not plain fuzzy ratio over the questions: "how is melanoma treated" is textually close to
"how is it treated". Weighting informative words (rare in the knowledge base) over filler,
and counting words the knowledge base has never seen against the match, is what lets the
threshold tell "nothing here answers that" from "a typo of something here".
"""

from __future__ import annotations

import heapq
import math
import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import fuzz

from .analysis import Analysis, Analyzer
from .english import unfamiliar, zipf
from .knowledge import Entry, KnowledgeBase
from .language import QUESTION_WORDS

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
    """An entry and how well the message matched it (0–100), with the phrasing that won.

    ``confidence`` (0–1, the calibrated chance that this entry is the right one, read as if it came
    first) and ``learned`` (the entry classifier's probability for it) are set by the ranker
    (``ranker.py``) on the candidates it returns; the matcher alone sets the top one's confidence."""

    entry: Entry
    score: float
    phrasing: str
    confidence: float | None = None
    learned: float | None = None


class _Phrasing(NamedTuple):
    """One question or alternate, as the index keeps it: small, since a large base has millions.
    (A tuple, not a frozen dataclass: those unpickle five times slower, 7 ms of a cached start-up.)"""

    entry_index: int
    position: int  # 0 for the question, k for the k-th alternate
    whole: str  # the full canonical text, function words included
    tokens: tuple[str, ...]  # canonical content words, interned, in order
    weight: float
    sorted_tokens: str  # the content words sorted and joined: fuzz.token_sort_ratio's form, made once


#: General-English frequency (Zipf) from which a word starts to weigh less, and where it bottoms out.
COMMON_FROM, COMMON_TO, COMMON_FLOOR = 5.5, 6.5, 0.3
#: A base's word rarer than this in general English marks a message as about the base's subject.
DOMAIN_ZIPF = 4.0


def common_word_factor(token: str) -> float:
    """1.0 for ordinary and rare words, down to COMMON_FLOOR for the commonest words of English."""
    z = zipf(token)
    if z <= COMMON_FROM:
        return 1.0
    return max(COMMON_FLOOR, 1.0 - (1.0 - COMMON_FLOOR) * (z - COMMON_FROM) / (COMMON_TO - COMMON_FROM))


def telling(token: str) -> bool:
    """Does the word tell what is asked: no question word, and none of the commonest words of English
    ("going", "give", "get")?"""
    return token not in QUESTION_WORDS and common_word_factor(token) == 1.0


class Matcher:
    """An index over every question and alternate of a knowledge base. Immutable once built."""

    def __init__(self, kb: KnowledgeBase, analyzer: Analyzer):
        self.kb = kb
        self.analyzer = analyzer
        entries = kb.entries
        self.positions = {entry.id: i for i, entry in enumerate(entries)}
        phrasing_tokens: list[tuple[int, int, str, tuple[str, ...]]] = []
        answer_tokens: list[frozenset[str]] = []
        doc_freq: dict[str, int] = defaultdict(int)
        as_written: list[frozenset[str]] = []
        for i, entry in enumerate(entries):
            seen: set[str] = set()
            for position, text in enumerate((*entry.phrasings, entry.title)):
                if not text:
                    continue
                analysis = analyzer.analyze(text, correct=False)
                content = tuple(sys.intern(t) for t in analysis.content)
                if position < len(entry.phrasings):
                    phrasing_tokens.append((i, position, analysis.canonical, content))
                    as_written.append(analysis.written)
                seen.update(content)
            answer = frozenset(sys.intern(t) for t in analyzer.analyze(entry.answer, correct=False).content)
            answer_tokens.append(answer)
            for token in seen | answer:
                doc_freq[token] += 1
        n = max(len(entries), 1)
        self._idf = {t: math.log(1 + n / df) for t, df in doc_freq.items()}
        self.unfamiliar_share = _unfamiliar_share(as_written, [content for *_, content in phrasing_tokens],
                                                  answer_tokens)
        self._unknown_weight = math.log(1 + n / 0.75)
        self._answer_tokens = answer_tokens
        self._phrasings: list[_Phrasing] = []
        postings: dict[str, list[int]] = defaultdict(list)
        answer_postings: dict[str, list[int]] = defaultdict(list)
        # Phrasings are stored entry by entry, so each entry's are one slice: offsets[i]:offsets[i + 1].
        offsets = array("I", [0] * (len(entries) + 1))
        for entry_index, position, whole, tokens in phrasing_tokens:
            weight = sum(self.weight(t) for t in tokens) or 1.0
            index = len(self._phrasings)
            self._phrasings.append(_Phrasing(entry_index, position, whole, tokens, weight, " ".join(sorted(tokens))))
            offsets[entry_index + 1] = index + 1
            for token in tokens:
                postings[token].append(index)
        for i in range(1, len(offsets)):
            offsets[i] = max(offsets[i], offsets[i - 1])
        for entry_index, answer_words in enumerate(answer_tokens):
            for token in answer_words:
                answer_postings[token].append(entry_index)
        # Compact integer arrays: a fraction of the memory of lists of Python ints.
        self._postings = {t: array("I", ids) for t, ids in postings.items()}
        self._answer_postings = {t: array("I", ids) for t, ids in answer_postings.items()}
        self._offsets = offsets

    def weight(self, token: str) -> float:
        """How informative a token is: rare in the knowledge base weighs more; unknown weighs most;
        a word common in general English ("say", "day", "stop") weighs less, wherever it appears."""
        base = self._idf.get(token, self._unknown_weight)
        return base * QUESTION_WORD_FACTOR if token in QUESTION_WORDS else base * common_word_factor(token)

    def topical(self, tokens: Iterable[str], known: bool = False) -> list[str]:
        """The tokens that say what is asked: no question words, none that more than half of the entries use
        (the base's own subject: "metastasis"); with ``known``, only words the base uses."""
        everywhere = math.log(3)  # an idf below this: in more than half of the entries
        unknown = math.inf if not known else -math.inf
        return [t for t in tokens if t not in QUESTION_WORDS and self._idf.get(t, unknown) >= everywhere]

    def unfamiliar_word(self, analysis: Analysis) -> str | None:
        """The first word of the message that neither this base nor general English knows (a drug, a procedure:
        ``english.unfamiliar``), as the message spells it."""
        written = analysis.written
        return next((t for t in analysis.content if t in written and t not in self._idf and unfamiliar(t)), None)

    def knows(self, token: str) -> bool:
        """Does any entry use ``token`` (in a phrasing, a title or an answer)?"""
        return token in self._idf

    def in_answer(self, entry_id: str, token: str) -> bool:
        """Does the entry's answer use ``token``?"""
        return token in self._answer_tokens[self.positions[entry_id]]

    def covers(self, entry_id: str, token: str) -> bool:
        """Does the entry use ``token`` in a phrasing or in its answer?"""
        i = self.positions[entry_id]
        return self.in_answer(entry_id, token) or any(
            token in self._phrasings[k].tokens for k in range(self._offsets[i], self._offsets[i + 1]))

    def shares_telling_word(self, entry_id: str, analysis: Analysis) -> bool:
        """Does the entry use a word of the message that tells something ("is she going to be ok" shares only
        "going" with "chances of it going to the bones")?"""
        return any(self.covers(entry_id, t) for t in analysis.content if telling(t))

    def has_domain_word(self, analysis: Analysis, anchors: frozenset[str] = frozenset()) -> bool:
        """Does the message name the base's subject (``anchors``) or use a word of this base that is
        uncommon in general English ("jaundice")?"""
        return any(t in anchors or (t in self._idf and zipf(t) < DOMAIN_ZIPF)
                   for t in analysis.content if t not in QUESTION_WORDS)

    def unknown_share(self, analysis: Analysis, ignore: frozenset[str] = frozenset()) -> float:
        """How much of the message is words the knowledge base has never seen: the smaller of their
        share by weight and by count (question words aside), so that neither one rare word in a
        tiny knowledge base nor a pile of filler decides alone."""
        words = [t for t in analysis.content if t not in QUESTION_WORDS and t not in ignore]
        if not words:
            return 0.0
        unknown = [t for t in words if t not in self._idf]
        by_weight = sum(self.weight(t) for t in unknown) / sum(self.weight(t) for t in words)
        return min(by_weight, len(unknown) / len(words))

    def _score_entries(self, only: frozenset[int], weights: dict[str, float], overlap: dict[int, float],
                       shared: dict[int, float], in_answer: dict[int, float]) -> None:
        """Overlap of every phrasing of the given entries, found directly rather than through postings
        (so an entry the classifier proposes is scored even when only common words match)."""
        for entry_index in only:
            answer = self._answer_tokens[entry_index]
            answered = sum(w for t, w in weights.items() if t in answer)
            if answered:
                in_answer[entry_index] = answered
            for index in range(self._offsets[entry_index], self._offsets[entry_index + 1]):
                hits = [t for t in self._phrasings[index].tokens if t in weights]
                if hits:
                    overlap[index] = sum(weights[t] for t in hits)
                    shared[index] = sum(weights[t] for t in hits if t in answer)

    def rank(self, analysis: Analysis, limit: int = 5, only: frozenset[int] | None = None) -> list[Candidate]:
        """Best entries first, one candidate per entry, scores 0–100; with ``only``, just those entries
        (by position in the base)."""
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
        overlap: dict[int, float]  # weight of message words in the phrasing
        shared: dict[int, float] = defaultdict(float)  # ... of those, also in the entry's answer
        in_answer: dict[int, float] = defaultdict(float)  # weight of message words in an entry's answer
        if only is not None:
            overlap = {}
            self._score_entries(only, weights, overlap, shared, in_answer)
        else:
            # The drivers' postings find the candidate phrasings.
            found: set[int] = set()
            for token in drivers:
                found.update(self._postings.get(token, ()))
                w = weights[token]
                for entry_index in self._answer_postings.get(token, ()):
                    in_answer[entry_index] += w
            # Each found phrasing is scored on all of the message's words, along each word's postings (a common
            # word's only where they meet the found ones), drivers first: the sums a loop over every word for
            # every phrasing made, in the same order.
            phrasings, answers = self._phrasings, self._answer_tokens
            overlap = dict.fromkeys(found, 0.0)
            for token in drivers + checked:
                w = weights[token]
                postings = self._postings.get(token, ())
                for index in postings if token in drivers else found.intersection(postings):
                    overlap[index] += w
                    if token in answers[phrasings[index].entry_index]:
                        shared[index] += w
            entries_seen = set(in_answer).union(phrasings[index].entry_index for index in found)
            for token in checked:
                w = weights[token]
                for entry_index in entries_seen:
                    if token in self._answer_tokens[entry_index]:
                        in_answer[entry_index] += w
        scored: list[tuple[float, int]] = []
        for index, matched in overlap.items():
            phrasing = self._phrasings[index]
            answer_only = in_answer.get(phrasing.entry_index, 0.0) - shared.get(index, 0.0)
            recall = (matched + ANSWER_CREDIT * answer_only) / total
            precision = matched / phrasing.weight
            scored.append((RECALL_SHARE * recall + (1 - RECALL_SHARE) * precision, index))
        # Entries that only their answers match: recall alone, through their canonical question.
        for entry_index, answered in in_answer.items():
            index = self._offsets[entry_index]
            if index not in overlap and index < self._offsets[entry_index + 1]:
                scored.append((RECALL_SHARE * ANSWER_CREDIT * answered / total, index))
        scored = heapq.nlargest(REFINE_TOP, scored)
        query_sorted = " ".join(sorted(query))  # token_sort_ratio, its sorting done once a side
        best: dict[int, tuple[float, _Phrasing]] = {}
        for token_score, index in scored:
            phrasing = self._phrasings[index]
            similarity = fuzz.ratio(query_sorted, phrasing.sorted_tokens) / 100
            whole = fuzz.ratio(analysis.canonical, phrasing.whole) / 100
            score = 100 * (
                TOKEN_SHARE * token_score
                + (1 - TOKEN_SHARE - WHOLE_TEXT_SHARE) * similarity
                + WHOLE_TEXT_SHARE * whole
            )
            current = best.get(phrasing.entry_index)
            if current is None or score > current[0]:
                best[phrasing.entry_index] = (round(score, 1), phrasing)
        # Candidates for the ones returned only: a frozen dataclass is slow to make.
        top = sorted(best.values(), key=lambda found: found[0], reverse=True)[:limit]
        entries = [(self.kb.entries[p.entry_index], score, p.position) for score, p in top]
        return [Candidate(entry, score, entry.phrasings[position]) for entry, score, position in entries]


def _unfamiliar_share(written: list[frozenset[str]], phrasings: list[tuple[str, ...]],
                      answers: list[frozenset[str]]) -> float:
    """Of the base's phrasings, the share that has a word (as written) no other text of the base uses and general
    English does not know: how often a question this base answers names something unfamiliar. A base of drugs and
    organs (none of its 1,225) differs there from one of restaurant reservations and airport codes (109 of 15,136)."""
    uses: Counter[str] = Counter()
    for tokens in (*phrasings, *answers):
        uses.update(set(tokens))
    once = {t for t, k in uses.items() if k == 1 and unfamiliar(t)}
    return sum(1 for words in written if once.intersection(words)) / max(len(written), 1)
