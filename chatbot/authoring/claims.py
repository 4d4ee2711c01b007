"""The words of a claim, as ``chatbot.authoring.faithfulness`` compares them with a document.

Content words are folded (case, British/American spelling, light stemming) and two folded words
are one word when equal, a derived form ("metastases", "metastatic") or one typo apart.
Qualifiers and hedges are kept apart, because they change a claim; numbers are read as digits,
percentages and number words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import OSA

from ..engine.text import normalize, shared_prefix, stem, tokenize

#: Function words: they carry no claim of their own.
STOPWORDS = frozenset(
    """
    a about above across after again against along also although am among an and another any are
    around as at be because been before being below beside besides between both but by did do does
    doing done down during each either else eg etc even example examples for from further had has have
    having he her here hers herself him himself his how however i ie if in including instance into is it
    its itself just like me more my myself namely of off on onto or other others our ours ourselves out
    over own per same she so such than that the their theirs them themselves then there these they this
    those though through thus to toward towards under until up upon us via was we were what whatever when
    where whether which while who whom whose why with within without would you your yours yourself
    yourselves whereas one ones called known way well both can shall
    """.split()
)
#: Words that strengthen or widen a claim: each must also be in the passage that supports it.
QUALIFIERS = frozenset(
    """
    always never usually often sometimes rarely seldom generally typically mostly mainly commonly
    frequently normally greatly significantly considerably substantially dramatically vastly hugely
    highly extremely very all every none only best worst most least guaranteed certainly definitely
    surely proven invariably completely totally entirely fully great majority few many much will must
    should
    """.split()
)
#: Words that soften a claim: when the passage has one, the clause needs one too.
HEDGES = frozenset("may might could possibly possible perhaps potentially".split())
#: Number words checked like digits ("one" is left out: "one of the", "no one").
NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000, "million": 10**6,
    "billion": 10**9, "dozen": 12, "half": 0.5,
}

_NUMBER = re.compile(
    r"(?<![\w/.,])(\d+(?:[.,]\d+)*)(?![\w/]|[.,]\d)(?:\s*(%|percent\b|per cent\b))?"
    rf"|\b({'|'.join(NUMBER_WORDS)})\b(?:\s+(percent\b|per cent\b))?",
    re.IGNORECASE,
)


# -- words -------------------------------------------------------------------------------------


_SPELLING = (
    (re.compile(r"^oe(?=[a-z]{4})"), "e"),  # oestrogen
    (re.compile(r"(?<=[a-z]{2})ae(?=[a-z])"), "e"),  # haemoglobin, anaemia
    (re.compile(r"(?<=[a-z]{3})our(?=s?$|ed$|ing$|able$|ite$)"), "or"),  # tumour, favourite
    (re.compile(r"(?<=[a-z]{3})is(?=e$|es$|ed$|er$|ers$|ing$|ation$|ations$)"), "iz"),  # personalised, fertiliser
    (re.compile(r"(?<=[a-z]{3})ys(?=e$|es$|ed$|ing$)"), "yz"),  # analyse
    (re.compile(r"(?<=[a-z]{3})ll(?=ing$|ed$|or$|ors$)"), "l"),  # counselling, travelled
    (re.compile(r"(?<=[a-z]{3})tre(?=s?$)"), "ter"),  # centre
)


@lru_cache(maxsize=16384)
def fold(word: str) -> str:
    """One spelling for British/American variants and plural or verb endings."""
    for pattern, replacement in _SPELLING:
        word = pattern.sub(replacement, word)
    return stem(word)


def words(text: str) -> list[str]:
    """Normalised tokens, hyphenated words split ("receptor-positive" → "receptor", "positive")."""
    return tokenize(normalize(text.replace("-", " ")))


def content_words(text: str) -> list[str]:
    """The folded words of ``text`` that carry a claim, without repeats, numbers included."""
    out = []
    for word in words(text):
        if word in STOPWORDS or word in QUALIFIERS or word in HEDGES or (len(word) < 2 and not word.isdigit()):
            continue
        out.append(fold(word))
    return list(dict.fromkeys(out))


@lru_cache(maxsize=65536)
def related(a: str, b: str) -> bool:
    """Whether two folded words are one word: equal, a derived form, or one typo apart."""
    if a == b:
        return True
    if a.isdigit() or b.isdigit():
        return False
    short, long = sorted((a, b), key=len)
    if len(short) >= 4 and long.startswith(short):
        return True  # grow/growth, treat/treatment, world/worldwide
    common = shared_prefix(a, b)
    if common >= 5 and common >= len(short) - 3:
        return True  # metastasis/metastatic, diagnosis/diagnosed
    return len(short) >= 6 and OSA.distance(a, b) <= 1


def held(word: str, words_: frozenset[str]) -> bool:
    return word in words_ or any(related(word, other) for other in words_)


# -- numbers -----------------------------------------------------------------------------------


def find_numbers(text: str) -> list[tuple[tuple[float, str], str]]:
    """((value, unit), as written) for each number in ``text``; unit is "percent" or ""."""
    out = []
    for match in _NUMBER.finditer(text):
        if match.group(1):
            raw, unit = match.group(1), match.group(2)
            try:
                value = float(raw.replace(",", ""))  # 1,000 is a thousand
            except ValueError:
                continue
        else:
            raw, unit = match.group(3), match.group(4)
            value = float(NUMBER_WORDS[raw.lower()])
        out.append(((value, "percent" if unit else ""), match.group(0)))
    return out


def number_known(number: tuple[float, str], known: frozenset[tuple[float, str]]) -> bool:
    value, unit = number
    if unit:
        return number in known
    return any(v == value for v, _ in known)
