"""Finding phrases in a message: token sequences, light stemming, filler words skipped, small typos fixed.

Shared by the triage concepts (from the knowledge-base file) and the ConText modifiers (package
data), so both read a message the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from ..english import is_english
from ..text import base_forms, normalize, stem, tokenize

#: Any word of the shipped English list (its rarest are at Zipf 2.5) is a word, not a typo of a sign's word.
KNOWN_ZIPF = 2.5

#: Words skipped on both sides when phrases are compared: "can't catch my breath" = "cant catch breath".
FILLERS = frozenset("my her his their the a an your our any some really quite properly".split())
#: A phrase that is a bare whole number ("38") is a reading: it matches that number only where the
#: message shows it measures something, with a decimal or unit after it ("38.5", "38 c", "38 degrees")
#: or a word for what is measured shortly before ("temp is 38", "thermometer says 38"). "I'm 38 and on
#: chemo" gives an age, "it's been 40 minutes" a time: neither is a fever.
MEASURED_BY = frozenset("temp temps temperature temperatures thermometer fever reading readings spiked "
                        "degrees degree".split())
UNITS = frozenset("c f degrees degree deg celsius fahrenheit point".split())
MEASURE_REACH = 5
_SENTENCE_END = re.compile(r"(?<!\d)[.!?;]+|[.!?;]+(?!\d)|\n+|\s-\s|\s–\s")


@dataclass(frozen=True)
class Token:
    text: str  # normalised, stemmed form
    raw: str  # the normalised form before stemming


@dataclass(frozen=True)
class Hit:
    """One phrase of one class found at tokens [start, end) of a sentence (fillers skipped)."""

    label: str
    start: int
    end: int


def sentences(text: str) -> list[str]:
    """Split a message into sentences (decimals such as 38.5 stay whole)."""
    return [s for s, _ in pieces(text)]


def pieces(text: str) -> list[tuple[str, bool]]:
    """The sentences of a message, each with whether a dash joins it to the one before: "years ago - face
    swelled up" tells more of the sentence it follows."""
    out: list[tuple[str, bool]] = []
    start, dash = 0, False
    for mark in _SENTENCE_END.finditer(text):
        if text[start:mark.start()].strip():
            out.append((text[start:mark.start()], dash and bool(out)))
        start, dash = mark.end(), mark.group().strip() in ("-", "–")
    if text[start:].strip():
        out.append((text[start:], dash and bool(out)))
    return out


_NEGATORS = frozenset("not no never".split())
_ARTICLES = frozenset("the a an".split())

#: "last week" is the past, "the last week" the final one ("this is the last week they have to look after
#: me", "like it's the last time"), and so is "one last time": after "the" or "one", "last" is read as a word of
#: its own.
FINAL = "the-last"
_BEFORE_FINAL = frozenset(("the", "one"))


#: Reflexive pronouns are read as one word: a phrase written of oneself is found of anyone ("hang myself" in
#: "she said she'd rather hang herself"), as a carer tells it; not "yourself", mostly anyone at all ("the contrast gives
#: you the feeling you've wet yourself").
REFLEXIVES = frozenset("myself herself himself themselves themself ourselves".split())
ONESELF = "oneself"


def _words(text: str) -> list[tuple[str, str, str]]:
    """(stemmed, raw, the raw word before it) for each word of ``text`` that is no filler."""
    out, previous = [], ""
    for raw in tokenize(normalize(text)):
        # "not the answer I wanted" negates a noun, not a verb: it is not "not answering".
        if raw not in FILLERS or (previous in _NEGATORS and raw in _ARTICLES):
            word = FINAL if raw == "last" and previous in _BEFORE_FINAL else ONESELF if raw in REFLEXIVES else stem(raw)
            # "cannot" is "cant", as the signs' phrases write it ("I cannot wake him" is "cant wake him").
            word = "cant" if word == "cannot" else word
            out.append((word, raw, previous))
        previous = raw
    return out


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    return tuple(word for word, _, _ in _words(phrase))


def _counted_one(words: list[tuple[str, str, str]]) -> tuple[int, ...]:
    """Positions, among a phrase's words (``_words``), of the nouns it counts as one ("a plan", "an overdose"): those
    the message must say in the singular. "I have a plan" is a plan to act; "I have plans on Friday" are others'."""
    return tuple(k for k, (_, _, before) in enumerate(words) if before in ("a", "an"))


def lone_word(phrase: str) -> str | None:
    """The one word a phrase of several is read as once its fillers are skipped ("all my" is "all", which
    "coughs all night" has), or None: a phrase must carry its meaning in words that are no fillers."""
    kept = _words(phrase)
    return kept[0][1] if len(kept) == 1 and len(tokenize(normalize(phrase))) > 1 else None


class Lexicon:
    """Labelled phrases, found in token lists with typo tolerance for words outside English."""

    def __init__(self, phrases: Mapping[str, Iterable[str]]):
        by_first: dict[str, list[tuple[tuple[str, ...], str, tuple[int, ...]]]] = {}
        vocabulary: set[str] = set()
        for label, items in phrases.items():
            for phrase in items:
                words = _words(phrase)  # read once for both the tokens and the nouns counted as one
                tokens = tuple(word for word, _, _ in words)
                if tokens:
                    by_first.setdefault(tokens[0], []).append((tokens, label, _counted_one(words)))
                    vocabulary.update(tokens)
        # Found by lookup, one per phrase length, rather than by trying each phrase of the first word in turn:
        # the context lexicon has 1,261 phrases that begin "for" ("for 2 days", "for a week"...).
        self._lengths: dict[str, tuple[int, ...]] = {}
        self._phrases: dict[tuple[str, ...], list[tuple[int, str, tuple[int, ...]]]] = {}
        for first, entries in by_first.items():
            entries.sort(key=lambda item: -len(item[0]))  # longest phrase first
            self._lengths[first] = tuple(sorted({len(tokens) for tokens, _, _ in entries}, reverse=True))
            for order, (tokens, label, one) in enumerate(entries):
                self._phrases.setdefault(tokens, []).append((order, label, one))
        self.vocabulary = frozenset(vocabulary)
        self._targets: dict[str, list[str]] = {}  # typo targets by first letter
        for word in sorted(w for w in vocabulary if len(w) >= 5 and w.isalpha()):
            self._targets.setdefault(word[0], []).append(word)
        self._fix = lru_cache(maxsize=4096)(self._fix_uncached)

    def __getstate__(self) -> dict[str, object]:
        state = self.__dict__.copy()
        del state["_fix"]
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._fix = lru_cache(maxsize=4096)(self._fix_uncached)

    def _fix_uncached(self, word: str) -> str:
        """A misspelt word ("confussed", "numbnes") read as the lexicon word it is one or two edits from."""
        if word in self.vocabulary or len(word) < 5 or not word.isalpha() or is_english(word):
            return word
        limit = 1 if len(word) < 8 else 2
        candidates = [t for t in self._targets.get(word[0], ()) if abs(len(t) - len(word)) <= limit]
        best = process.extractOne(word, candidates, scorer=OSA.distance, score_cutoff=limit)
        return best[0] if best else word

    def tokens(self, sentence: str) -> list[Token]:
        """The sentence's tokens without fillers, stemmed and typo-fixed."""
        return [Token(self._read(word, raw), raw) for word, raw, _ in _words(sentence)]

    def _read(self, word: str, raw: str) -> str:
        """A real English word is no typo, however close to a sign's word ("blanked out" is not "blacked
        out", "overdo" not "overdose"); when only its stem is no word, it is read as another form of a
        lexicon word the stem begins or ends ("picturing" -> "pictur" as "picture", not "stepping" -> "stepp"
        as "stopp")."""
        if word not in self.vocabulary and (base := self._base_form(raw)) is not None:
            return base
        if is_english(word, KNOWN_ZIPF):
            return word
        fixed = self._fix(word)
        if fixed != word and is_english(raw, KNOWN_ZIPF) and not (fixed.startswith(word) or word.startswith(fixed)):
            return word
        return fixed

    def _base_form(self, word: str) -> str | None:
        """The lexicon's verb of an -ing form the lexicon does not list itself: "taking them all" is "take them
        all", "stepping out in front of a bus" is "step out ...". Lists of phrases need not spell every form."""
        if len(word) < 6:
            return None
        return next((form for form in base_forms(word, ("ing",)) if form in self.vocabulary), None)

    def find(self, tokens: list[Token]) -> list[Hit]:
        """Every phrase occurrence; at one position, all labels whose phrases match there (longest phrase
        first, one hit per label)."""
        words = [t.text for t in tokens]
        hits = []
        for i, word in enumerate(words):
            found: list[tuple[int, str, int]] = []
            for n in self._lengths.get(word, ()):
                if i + n > len(words):
                    continue
                for order, label, one in self._phrases.get(tuple(words[i : i + n]), ()):
                    if not any(_plural(tokens[i + k]) for k in one):
                        found.append((order, label, n))
            seen: set[str] = set()
            for _, label, n in sorted(found):
                if label in seen or (n == 1 and word.isdigit() and not _measured(words, i)):
                    continue
                hits.append(Hit(label, i, i + n))
                seen.add(label)
        return hits


def _plural(token: Token) -> bool:
    """A noun read in the singular from a plural form ("plans" read "plan")."""
    return token.raw != token.text and token.raw.endswith("s")


#: A body temperature read in the normal range, in °C or °F: a message whose every reading is one gives no fever.
NORMAL_TEMPERATURES = ((36.0, 37.5), (96.8, 99.5))
_TEMPERATURES = ((34.0, 43.0), (93.0, 110.0))
_DECIMAL = re.compile(r"(\d)(?:c|f)?")


def temperatures(words: list[str]) -> list[float]:
    """The temperatures a sentence's words read ("temp is 36.8", "thermometer says 37", "98.6f"): numbers in the
    range of a body's, measured (see MEASURED_BY), their decimal joined back."""
    found: list[float] = []
    i = 0
    while i < len(words):
        word, after = words[i], words[i + 1] if i + 1 < len(words) else ""
        decimal = _DECIMAL.fullmatch(after)
        if word.isdigit() and len(word) <= 3 and (decimal or _measured(words, i)):
            value = int(word) + (int(decimal.group(1)) / 10 if decimal else 0.0)
            if _within(value, _TEMPERATURES):
                found.append(value)
            i += 2 if decimal else 1
            continue
        i += 1
    return found


def normal_temperature(value: float) -> bool:
    return _within(value, NORMAL_TEMPERATURES)


def _within(value: float, ranges: tuple[tuple[float, float], ...]) -> bool:
    return any(low <= value < high for low, high in ranges)


def _measured(words: list[str], i: int) -> bool:
    """Is the number at ``i`` a reading (see MEASURED_BY)?"""
    after = words[i + 1] if i + 1 < len(words) else ""
    if (after.isdigit() and len(after) <= 2) or after in UNITS:
        return True
    return any(w in MEASURED_BY for w in words[max(0, i - MEASURE_REACH):i])
