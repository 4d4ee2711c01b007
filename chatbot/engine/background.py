""""None of these": evidence that a message is general chat, not a question for this knowledge base.

The package ships a few thousand general messages people send to assistants (banking, travel,
weather, small talk…, ``data/background.txt``, written for this project). A message that is
closer, character for character, to one of them than to any phrasing of the knowledge base is
not answered, however well its words score. Background messages close to the base's own
phrasings are dropped when the index is built, so a bank's FAQ keeps its banking questions.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

from .paths import DATA
from .text import normalize

#: A background message this similar to a phrasing of the knowledge base is the base's own kind.
OWN_KIND = 80
#: The knowledge base must beat the background by this much (rapidfuzz ratio, 0-100).
MARGIN = 5.0
#: ... and the background message must be at least this close: loose likeness is no evidence.
CLOSE = 65.0


def _messages() -> list[str]:
    text = (DATA / "background.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


class Background:
    def __init__(self, phrasings: Sequence[str]):
        self._phrasings = sorted({normalize(p) for p in phrasings} - {""})
        messages = [m for m in (normalize(line) for line in _messages()) if m]
        if self._phrasings:
            import numpy as np  # only when building: a cached index loads without it

            # One vectorised pass (rapidfuzz's cdist, all cores) instead of a search per message.
            similar = process.cdist(messages, self._phrasings, scorer=fuzz.ratio, score_cutoff=OWN_KIND,
                                    dtype=np.uint8, workers=-1).max(axis=1)
            messages = [m for m, score in zip(messages, similar, strict=True) if score < OWN_KIND]
        self._messages = messages

    def __len__(self) -> int:
        return len(self._messages)

    @property
    def messages(self) -> list[str]:
        """The background messages kept for this base (its own kind left out)."""
        return list(self._messages)

    def closer(self, normalized: str) -> tuple[float, float]:
        """(best similarity to the knowledge base, best similarity to the background)."""
        kb = process.extractOne(normalized, self._phrasings, scorer=fuzz.ratio)
        bg = process.extractOne(normalized, self._messages, scorer=fuzz.ratio)
        return (kb[1] if kb else 0.0), (bg[1] if bg else 0.0)

    def is_background(self, normalized: str) -> bool:
        """Close to a general message (not just loosely alike) and not clearly closer to the base."""
        kb, bg = self.closer(normalized)
        return bg >= CLOSE and kb - bg < MARGIN
