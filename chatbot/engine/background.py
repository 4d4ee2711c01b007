""""None of these": general messages people send to assistants, the negatives the learned parts train on.

The package ships a few thousand of them (banking, travel, weather, small talk…,
``data/background.txt``, written for this project). Those close to the base's own phrasings are
left out when the index is built, so a bank's FAQ keeps its banking questions.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

from .paths import DATA
from .text import normalize

#: A background message this similar to a phrasing of the knowledge base is the base's own kind.
OWN_KIND = 80


def _messages() -> list[str]:
    text = (DATA / "background.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def general_messages(phrasings: Sequence[str]) -> list[str]:
    """The shipped general messages, normalised, without those of the base's own kind."""
    own = sorted({normalize(p) for p in phrasings} - {""})
    messages = [m for m in (normalize(line) for line in _messages()) if m]
    if not own:
        return messages
    import numpy as np  # only when building: a cached index loads without it

    # One vectorised pass (rapidfuzz's cdist, all cores) instead of a search per message.
    similar = process.cdist(messages, own, scorer=fuzz.ratio, score_cutoff=OWN_KIND, dtype=np.uint8,
                            workers=-1).max(axis=1)
    return [m for m, score in zip(messages, similar, strict=True) if score < OWN_KIND]
