"""How common a word is in general English (Zipf scale, 0 to about 8), from package data.

Two uses: a real English word is no typo ("weather" is not "whether"), and a word common in
general English ("say", "day", "stop") is weak evidence on its own. Loaded lazily, once.
"""

from __future__ import annotations

import gzip
from functools import cache

from .paths import DATA

#: Zipf frequency at and above which a word counts as ordinary English (about once per million words).
COMMON_ZIPF = 3.0


@cache
def _table() -> dict[str, str]:
    raw = (DATA / "english.tsv.gz").read_bytes()
    fields = gzip.decompress(raw).decode("ascii").split()
    return dict(zip(fields[0::2], fields[1::2], strict=True))


def words() -> list[str]:
    """The 50,000 words, most frequent first (the row order of ``vectors.bin`` too)."""
    return list(_table())


def zipf(word: str) -> float:
    """Zipf frequency of ``word`` (0.0 for words outside the 50,000 most common)."""
    value = _table().get(word)
    return float(value) if value is not None else 0.0


def is_english(word: str, threshold: float = COMMON_ZIPF) -> bool:
    """True for an ordinary English word, which typo correction must leave alone."""
    return zipf(word) >= threshold
