"""English grammar for generated questions: number, question case, casing, base verbs, variants.

No domain words: these helpers only know English ("sites of X" is plural, "affects" comes from
"affect", the document's "your" is the asker's "my").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ..engine.language import STOPWORDS

#: Question words left out of the keyword form of a question.
WH = frozenset("how why what where when which".split())


def is_plural(phrase: str) -> bool:
    """Rough number of a noun phrase from its head noun ("sites of X" → plural)."""
    words = re.split(r"\s+(?:of|for|in|on|with|from|to|at|by|like|such)\s+", phrase.lower(), maxsplit=1)[0].split()
    if not words:
        return False
    head = re.sub(r"[^a-z]", "", words[-1])
    if " and " in f" {phrase.lower()} ":
        return True
    return len(head) > 2 and head.endswith("s") and not head.endswith(("ss", "us", "is", "ics", "sis"))


def keywords(text: str) -> str:
    """The words that carry meaning, in order: "What can bone metastases cause?" → "bone metastases cause"."""
    words = re.findall(r"[\w/+'’-]+", text.lower())
    return " ".join(w for w in words if w not in STOPWORDS and w not in WH)


def question_case(text: str) -> str:
    """"what is x" → "What is x?"; the document's "your" is the asker's "my"."""
    text = re.sub(r"\s+", " ", text).strip().rstrip(".:;,!? ")
    text = re.sub(r"\byour\b", "my", text)
    return text[:1].upper() + text[1:] + "?"


class Casing:
    """Lower-cases title-case words unless the document writes them capitalised (names, acronyms)."""

    def __init__(self, body: Iterable[str]):
        self.lower: set[str] = set()
        self.capital: set[str] = set()
        for sentence in body:
            for word in re.findall(r"[\w/+-]+", sentence)[1:]:  # the first word is capitalised anyway
                (self.capital if word[:1].isupper() else self.lower).add(word)

    def __call__(self, text: str) -> str:
        words = text.split()
        out = []
        for word in words:
            bare = re.sub(r"[^\w/+-]", "", word)
            keep = bare == "I" or (len(bare) > 1 and bare.isupper()) or any(c.isdigit() for c in bare) or (
                bare in self.capital and bare.lower() not in self.lower
            ) or (any(c.isupper() for c in bare[1:]))
            out.append(word if keep else word.lower())
        return " ".join(out)


def base_verb(word: str, vocabulary: Mapping[str, int]) -> str:
    """affects → affect, preventing → prevent, managing → manage (checked against the document)."""
    w = word.lower()
    if w.endswith("ing") and len(w) > 5:
        stem = w[:-3]
        options = [stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem]
        return next((o for o in options if o in vocabulary), stem + "e" if re.search(r"[^aeiou][aeiou][^aeiouwy]$",
                                                                               stem) else stem)
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "ches", "shes", "xes", "zes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def variants(phrase: str, vocabulary: Mapping[str, int]) -> list[str]:
    """The phrase with Greek-style plurals swapped for the form the document also uses (-ses ↔ -sis)."""
    out = []
    for word in set(re.findall(r"[a-z]+", phrase.lower())):
        other = word[:-2] + "is" if word.endswith("ses") else word[:-2] + "es" if word.endswith("sis") else ""
        if other and other in vocabulary:
            out.append(re.sub(rf"\b{word}\b", other, phrase.lower()))
    return out


def be(x: str) -> str:
    """"is" or "are", agreeing with the noun phrase ``x``."""
    return "are" if is_plural(x) else "is"


def do(x: str) -> str:
    """"does" or "do", agreeing with the noun phrase ``x``."""
    return "do" if is_plural(x) else "does"
