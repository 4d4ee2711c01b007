"""Turning raw text into canonical tokens: normalise, correct typos, fold plurals, apply synonyms.

The same pipeline runs over the knowledge base's phrasings and over what people type, so
"wher does brest cancer sprad" and "Where does breast cancer spread to?" meet in the middle.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .english import is_english, slips_from_english, zipf
from .language import (
    ANNOUNCEMENTS,
    DETERMINERS,
    DISCOURSE_PHRASES,
    QUESTION_WORDS,
    STOPWORDS,
    expand_texting,
    fix_confusables,
)
from .text import normalize, parts, shared_prefix, stem, tokenize


@dataclass(frozen=True)
class Analysis:
    """One message, seen at each stage of the pipeline."""

    normalized: str  # case, Unicode and punctuation folded
    corrected: str  # typos fixed against the knowledge base's vocabulary
    canonical: str  # plurals folded and synonyms replaced by their canonical word
    content: tuple[str, ...]  # canonical tokens that carry meaning, without repeats
    parts: tuple[str, ...] = ()  # a story's sentences and clauses, normalised (``text.parts``)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.canonical.split())

    @property
    def written(self) -> frozenset[str]:
        """The content words the text spells as they are: not a stem ("reduc") or a synonym's canonical word."""
        return frozenset(self.content).intersection(self.corrected.split())


#: An English word this common is what was meant, whatever stands beside it ("the support line" is no
#: "support life"): the slips the neighbour rule mends are rarer words ("brian" for "brain").
NEVER_A_SLIP = 5.0


def _max_edits(token: str) -> int:
    """Edits allowed when correcting a token: none for short words, where a typo is a new word."""
    if len(token) < 4 or not token.isalpha():
        return 0
    return 1 if len(token) < 7 else 2


class Analyzer:
    """The text pipeline, built once per knowledge base. Safe to share between threads."""

    def __init__(self, synonyms: Mapping[str, Iterable[str]], vocabulary: Iterable[str]):
        self._replacements: dict[str, str] = {}
        for canonical, variants in synonyms.items():
            target = fold(canonical)
            # The canonical form maps to itself so that "lymph node" is not re-read as "lymph" + "node".
            for variant in (canonical, *variants):
                key = fold(variant)
                if key:
                    self._replacements[key] = target
            # "the" in a phrase stands for any determiner: "lower the risk" is also "lower her risk", "that risk".
            for variant in variants:
                if "the" in variant.split():
                    for determiner in DETERMINERS:
                        if key := fold(re.sub(r"\bthe\b", determiner, variant)):
                            self._replacements.setdefault(key, target)
        # A phrase reads its words' own synonyms too: "would the doctor do" is also "would the oncologist do".
        single: dict[str, list[str]] = {}
        for key, target in self._replacements.items():
            if " " not in key and key != target and " " not in target:
                single.setdefault(target, []).append(key)
        for key, target in list(self._replacements.items()):
            words = key.split()
            if len(words) > 1:
                for i, word in enumerate(words):
                    for variant in single.get(word, ()):
                        self._replacements.setdefault(" ".join([*words[:i], variant, *words[i + 1:]]), target)
        #: Words the base defines in its synonyms: a texting spelling there is the author's word ("dr" for a drive).
        self._defined = frozenset(w for k in self._replacements for w in k.split())
        # Longest first: the longest phrase at a word wins. (A regex alternation of them did the same, but compiling
        # it again on every start-up cost 10 ms of a cached `chatbot ask`.)
        self._phrases = Phrases(sorted(self._replacements, key=len, reverse=True))

        counts = Counter(tok for text in vocabulary for tok in tokenize(normalize(text)))
        for text in (*synonyms, *(v for vs in synonyms.values() for v in vs)):
            counts.update(tokenize(normalize(text)))
        counts.update(STOPWORDS | QUESTION_WORDS)
        self.vocabulary = frozenset(counts)
        # Typos rarely hit the first letter: search only words that share it, most frequent first.
        # Filler words are no target: a typo in one changes nothing, and "safe" read as "same"
        # would hide a word this knowledge base does not know.
        by_initial: dict[str, list[str]] = {}
        fillers: dict[str, list[str]] = {}
        for word, _ in counts.most_common():
            if _max_edits(word):
                (fillers if word in STOPWORDS else by_initial).setdefault(word[0], []).append(word)
        self._by_initial = by_initial
        # ... but a slip in one that is no English word ("usally") is still a filler, not a word this base
        # never uses: without a content word near it, it is read as the filler it is closest to.
        self._fillers = fillers
        self.correct_token = lru_cache(maxsize=8192)(self._correct_token)

    def __getstate__(self) -> dict[str, object]:
        state = self.__dict__.copy()
        del state["correct_token"]  # a per-process cache, rebuilt on unpickling
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.correct_token = lru_cache(maxsize=8192)(self._correct_token)

    def _correct_token(self, token: str) -> str:
        if token in self.vocabulary:
            return token
        edits = _max_edits(token)
        if not edits:
            return token
        found = process.extract(token, self._by_initial.get(token[:1], ()), scorer=OSA.distance,
                                score_cutoff=edits, limit=8)
        if not found and not is_english(token):
            found = process.extract(token, self._fillers.get(token[:1], ()), scorer=OSA.distance,
                                    score_cutoff=edits, limit=8)
        if not found:
            return token
        # Fewest edits first; among equals, the longest shared beginning ("wher" is "where", not "when"),
        # then the commoner word (candidates come most frequent first).
        best = min(found, key=lambda f: (f[1], -shared_prefix(token, f[0]), f[2]))
        # Two slips from a word of the base, but a word of English or one slip from one: that word was meant, and the
        # base does not use it ("inflamation" is no "information", "stented" no "started", "stabbing" no "staging").
        if best[1] > 1 and slips_from_english(token, int(best[1]) - 1):
            return token
        return str(best[0])

    def _correct_in_context(self, tokens: list[str], i: int) -> str:
        """A real English word is no typo ("weather" is not "whether", "nope" is not "node") unless a
        neighbouring word is this knowledge base's own ("brian metastasis")."""
        token = tokens[i]
        if token in self.vocabulary or not is_english(token):
            return self.correct_token(token)
        neighbours = tokens[max(i - 1, 0) : i] + tokens[i + 1 : i + 2]
        if zipf(token) < NEVER_A_SLIP and any(
                n in self.vocabulary and n not in STOPWORDS and n not in QUESTION_WORDS for n in neighbours):
            # ... and only into a commoner word: a slip turns a word into a rarer one ("brain" into
            # "brian"), so "her cancer went to her liver" keeps "went" rather than become "wont".
            # ... by one slip of a key: two make another word ("smoking" is no "showing").
            fixed = self.correct_token(token)
            return fixed if zipf(fixed) > zipf(token) and OSA.distance(token, fixed) <= 1 else token
        return token

    def canonicalize(self, text: str) -> str:
        """Stem and apply synonyms to already normalised text."""
        words = [stem(t) for t in tokenize(text)]
        out: list[str] = []
        i = 0
        while i < len(words):
            if (k := self._phrases.starting(words, i)) is not None:
                phrase = self._phrases.phrases[k]
                out.append(self._replacements[phrase])
                i += phrase.count(" ") + 1
            else:
                out.append(words[i])
                i += 1
        return " ".join(out)

    def analyze(self, text: str, *, correct: bool = True) -> Analysis:
        normalized = normalize(text)
        if correct and (unannounced := " ".join(_ANNOUNCED.sub(" ", normalized).split())):
            normalized = unannounced  # ("quick question" alone stays what it says)
        # A message's texting spellings are read as the words they stand for by every later step, the learned
        # models too. Not the base's own phrasings: read that way too ("wat is immunotherapy"), they moved the
        # calibration enough to cost conversations on held-out sets, for nothing a message gains.
        tokens = tokenize(normalized)
        expanded = expand_texting(tokens, self._defined) if correct else tokens
        if expanded != tokens:
            normalized, tokens = " ".join(expanded), expanded
        if correct:
            tokens = fix_confusables([self._correct_in_context(tokens, i) for i in range(len(tokens))])
        corrected = " ".join(tokens)
        canonical = self.canonicalize(_DISCOURSE.sub(" ", corrected))
        content = tuple(dict.fromkeys(t for t in canonical.split() if t not in STOPWORDS))
        return Analysis(normalized, corrected, canonical, content, self._telling_parts(text))

    def _telling_parts(self, text: str) -> tuple[str, ...]:
        """The message's sentences and clauses that use a word of the base's own besides question words and
        filler: "when should it be" says nothing alone ("the next time i change my oil, when should it be")."""
        return tuple(p for p in parts(text) if any(
            t in self.vocabulary and t not in STOPWORDS and t not in QUESTION_WORDS for t in tokenize(p)))


_DISCOURSE = re.compile(r"\b(?:" + "|".join(map(re.escape, DISCOURSE_PHRASES)) + r")\b")
_ANNOUNCED = re.compile(r"\b(?:" + "|".join(map(re.escape, ANNOUNCEMENTS)) + r")\b")


def fold(text: str) -> str:
    """A text's words as the synonyms and the matcher read them: normalised and lightly stemmed."""
    return " ".join(stem(t) for t in tokenize(normalize(text)))


def contains_phrase(text: str, phrase: str) -> bool:
    """Whole-word containment of ``phrase`` in ``text`` (both already folded the same way)."""
    if not phrase:
        return False
    return f" {phrase} " in f" {text} "


class Phrases:
    """Which of many phrases a text contains whole-word (as ``contains_phrase``), found from the text's words rather
    than by trying every phrase: the scope and gap lists and the facets' words are hundreds of phrases, read for
    every message."""

    def __init__(self, phrases: Iterable[str]):
        self.phrases = list(phrases)
        self._by_first: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for order, phrase in enumerate(self.phrases):
            words = tuple(phrase.split(" "))
            if phrase and all(words):  # as contains_phrase reads it: words between single spaces
                self._by_first.setdefault(words[0], []).append((order, words))

    def starting(self, words: list[str], i: int) -> int | None:
        """The place in the list of the first phrase that begins at ``words[i]``, if any."""
        return next((order for order, phrase in self._by_first.get(words[i], ())
                     if tuple(words[i:i + len(phrase)]) == phrase), None)

    def found(self, text: str) -> list[int]:
        """The places in the list of the phrases ``text`` contains, in list order."""
        words = text.split(" ")
        hits = {order for i, word in enumerate(words) for order, phrase in self._by_first.get(word, ())
                if tuple(words[i:i + len(phrase)]) == phrase}
        return sorted(hits)

    def first(self, text: str) -> str | None:
        """The first phrase of the list that ``text`` contains, if any."""
        found = self.found(text)
        return self.phrases[found[0]] if found else None
