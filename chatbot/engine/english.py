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


def _first_at_or_after(key: str) -> int:
    """The offset of the first line whose word is not before ``key`` (the text's length if none is)."""
    text = _text()
    low, high = 0, len(text)  # the line sought starts in [low, high]; low is always a line's start
    while low < high:
        start = text.rfind("\n", low, (low + high) // 2) + 1 or low
        tab = text.find("\t", start)
        if text[start:tab] < key:
            low = text.find("\n", tab) + 1 or len(text)
        else:
            high = start
    return low


@lru_cache(maxsize=16_384)
def zipf(word: str) -> float:
    """Zipf frequency of ``word`` (0.0 for words outside the 50,000 most common)."""
    text = _text()
    start = _first_at_or_after(word)
    tab = text.find("\t", start)
    if tab < 0 or text[start:tab] != word:
        return 0.0
    return float(text[tab + 1 : text.find("\t", tab + 1)])


def is_english(word: str, threshold: float = COMMON_ZIPF) -> bool:
    """True for an ordinary English word, which typo correction must leave alone."""
    return zipf(word) >= threshold


@lru_cache(maxsize=64)
def _starting(initial: str) -> list[str]:
    """The words that start with ``initial``: one slice of the sorted text, with no table of all 50,000."""
    text = _text()
    block = text[_first_at_or_after(initial) : _first_at_or_after(initial + "\U0010ffff")]
    return [line.partition("\t")[0] for line in block.splitlines()]


def unfamiliar(word: str) -> bool:
    """Is ``word`` a name for something general English does not know ("tucatinib", "lymphoedema", "dcis")? Not
    a common word, not a slip of one ("inflamation"), not two run together ("howcan"), not a number."""
    if len(word) < 3 or not word.isalpha() or zipf(word) > 0.0:
        return False
    # One slip under nine letters, else two: among 50,000 words, two slips make a seven-letter drug ("kadcyla") a
    # name ("kayla"). None under four letters: nearly every such word is one slip from some English word.
    edits = 0 if len(word) < 4 else 1 if len(word) < 9 else 2
    if edits and slips_from_english(word, edits):
        return False
    return not any(_run_together(word[:i], word[i:]) for i in range(2, len(word) - 1))


def slips_from_english(word: str, edits: int) -> bool:
    """Is ``word`` an English word of the list, or at most ``edits`` slips (OSA) from one with its first letter?"""
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import extractOne

    return extractOne(word, _starting(word[:1]), scorer=OSA.distance, score_cutoff=edits) is not None


def _run_together(first: str, second: str) -> bool:
    # Two common words ("how" + "can", "yard" + "house"); a two-letter one only if very common ("boot" + "up"),
    # since nearly any two letters are some abbreviation ("dc" + "is").
    return all(zipf(part) >= (5.0 if len(part) < 3 else 4.0) for part in (first, second))
