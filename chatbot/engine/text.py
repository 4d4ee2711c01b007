"""Text normalisation shared by the knowledge base, the matcher and the shells.

Everything here is pure string work: no knowledge of any domain.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Input longer than this is cut before matching, so any message is answered in bounded time.
MAX_INPUT_CHARS = 500

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_NON_WORD = re.compile(r"[^\w'/+]+")
_SPACES = re.compile(r"\s+")
_LOOSE_SYMBOLS = re.compile(r"(?<!\d)/|/(?!\d)|(?<![a-z0-9])\+")
_TOKEN = re.compile(r"[a-z0-9][a-z0-9'/+]*|[^\W\d_]+")
# C0/C1 controls, DEL, bidi overrides and other invisible format characters.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")


def strip_control(text: str) -> str:
    """Remove escape sequences and control characters, keeping newlines and tabs as spaces."""
    text = _ANSI.sub("", text)
    text = text.replace("\t", " ").replace("\r\n", "\n").replace("\r", "\n")
    return _UNPRINTABLE.sub("", text)


@lru_cache(maxsize=65_536)  # the build reads each phrasing several times (vocabulary, index, models)
def normalize(text: str) -> str:
    """Fold case, Unicode forms, accents and punctuation so that equal meanings compare equal.

    "Where does it SPREAD?!" and "where does it spread" give the same string.
    """
    text = strip_control(text[: MAX_INPUT_CHARS * 2])
    if text.isascii():  # the common case skips the Unicode work
        text = text.lower().replace("`", "'").replace("%", " percent ")
    else:
        text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold().replace("%", " percent ")
        # Drop accents (naïve → naive) but keep non-Latin letters intact.
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = _NON_WORD.sub(" ", text).replace("'", "")
    # Keep "4/6" and "her2+" whole, but split "and/or" and drop stray symbols.
    text = _LOOSE_SYMBOLS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()[:MAX_INPUT_CHARS]


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_CLAUSE_END = re.compile(r"(?<=[;:,])\s+")
#: A part shorter than this says too little to be read alone ("thanks.", "hi,").
MIN_PART_WORDS = 3


def sentences(text: str) -> list[str]:
    """The sentences of a message as written: split after . ! ? and at line breaks."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def parts(text: str) -> tuple[str, ...]:
    """The sentences and clauses (after ; : or a comma) of a message of more than one, normalised, those of
    at least MIN_PART_WORDS words; none for a message of one."""
    pieces = [c for s in sentences(strip_control(text[: MAX_INPUT_CHARS * 2])) for c in _CLAUSE_END.split(s)
              if c.strip()]
    if len(pieces) < 2:
        return ()
    return tuple(n for n in map(normalize, pieces) if len(tokenize(n)) >= MIN_PART_WORDS)


def tokenize(normalized: str) -> list[str]:
    """Split normalised text into word tokens."""
    return _TOKEN.findall(normalized)


def stem(token: str) -> str:
    """A deliberately light English plural/verb folding: bones → bone, spreading → spread.

    Light on purpose: aggressive stemming merges words the matcher must keep apart.
    """
    if len(token) <= 4 or not token.isalpha():
        return token
    if token.endswith("ies") and len(token) > 5:
        return token[:-3] + "y"
    if token.endswith(("sses", "shes", "ches", "xes")):
        return token[:-2]
    if token.endswith("s") and not token.endswith(("ss", "us", "is", "ous")):
        return token[:-1]
    if token.endswith("ing") and len(token) > 6:
        return token[:-3]
    return token


#: Endings of English inflection and derivation that ``base_forms`` strips.
ENDINGS = ("ing", "ed", "es", "s", "d", "ly", "er")


def base_forms(word: str, endings: tuple[str, ...] = ENDINGS) -> list[str]:
    """The words ``word`` may be a form of, with one of ``endings`` taken off: the stump, the stump with an "e"
    ("reduced" -> reduc, reduce) or, after a doubled consonant, the stump without it ("stopping" -> stop). For
    asking whether a list knows a word in another form, where the light ``stem`` leaves many forms whole."""
    forms = []
    for ending in endings:
        stump = word.removesuffix(ending)
        if stump != word and len(stump) >= 3:
            forms += [stump[:-1]] if stump[-1] == stump[-2] else [stump, stump + "e"]
    return forms


def shared_prefix(a: str, b: str) -> int:
    """How many leading characters two words share ("where", "wher" → 4)."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
