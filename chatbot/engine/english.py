"""How common a word is in general English (Zipf scale, 0 to about 8), from package data.

Two uses: a real English word is no typo ("weather" is not "whether"), and a word common in
general English ("say", "day", "stop") is weak evidence on its own. Loaded lazily, once.

``english.tsv.gz`` holds one line per word, sorted by word: the word, its Zipf frequency and its
frequency rank. A lookup is a binary search of that text, so a process that asks one question
(`chatbot ask`) decompresses it (5 ms) and never builds a 50,000-entry table (30 ms more).
"""

from __future__ import annotations

from functools import cache, lru_cache

from .paths import DATA

#: Zipf frequency at and above which a word counts as ordinary English (about once per million words).
COMMON_ZIPF = 3.0


@cache
def _text() -> str:
    import gzip  # on first use: most start-ups read the text once, and some never

    return gzip.decompress((DATA / "english.tsv.gz").read_bytes()).decode("ascii")


def words() -> list[str]:
    """The 50,000 words, most frequent first (the row order of ``vectors.bin`` too)."""
    fields = _text().split()
    ranked = sorted(zip(map(int, fields[2::3]), fields[0::3], strict=True))
    return [word for _, word in ranked]


@lru_cache(maxsize=16_384)
def zipf(word: str) -> float:
    """Zipf frequency of ``word`` (0.0 for words outside the 50,000 most common)."""
    text = _text()
    low, high = 0, len(text)  # the line sought starts in [low, high); low is always a line's start
    while low < high:
        start = text.rfind("\n", low, (low + high) // 2) + 1 or low
        tab = text.find("\t", start)
        key = text[start:tab]
        if key == word:
            return float(text[tab + 1 : text.find("\t", tab + 1)])
        if key < word:
            low = text.find("\n", tab) + 1
        else:
            high = start
    return 0.0


def is_english(word: str, threshold: float = COMMON_ZIPF) -> bool:
    """True for an ordinary English word, which typo correction must leave alone."""
    return zipf(word) >= threshold
