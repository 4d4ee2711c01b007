"""Triage: does a message describe an emergency happening now, and of which kind?

Signs come from the knowledge-base file (word classes found together in a sentence); whether a
sign counts comes from ConText (``context.py``): denied, long past, asked about, figurative or
mild mentions do not. Outcomes: ``emergency``, ``crisis`` (self-harm) and ``urgent_care``.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass

from .config import OUTCOMES, Concept, TriageConfig
from .context import Context
from .lexicon import Hit, Lexicon, Token, sentences

#: Widest span, in tokens, over which a sign's classes count as one finding.
SIGN_WINDOW = 14
#: How close after a sign an ``unless`` class must stand to make the sign about something else.
UNLESS_REACH = 4


@dataclass(frozen=True)
class Finding:
    """Triage's decision: the outcome, the concept that raised it and the words that showed it."""

    outcome: str
    concept: str
    message: str
    evidence: str
    #: The message names a person or says "now": a report, not a topic ("seizures with breast cancer").
    personal: bool = True


@dataclass(frozen=True)
class _Sentence:
    text: str
    tokens: list[Token]
    hits: list[Hit]  # concept classes
    context: list[Hit]  # ConText modifiers
    question: bool
    someone: bool  # names a person


class Triage:
    def __init__(self, config: TriageConfig):
        self.config = config
        self.lexicon = Lexicon(config.terms)
        self.context = Context() if config.concepts else None

    def assess(self, text: str) -> Finding | None:
        """The most pressing finding in ``text``, or None when nothing asserted was found."""
        if self.context is None:
            return None
        parsed = [self._parse(s) for s in sentences(text)]
        findings = [f for c in self.config.concepts if (f := self._concept(c, parsed))]
        if not findings:
            return None
        best = min(findings, key=lambda f: OUTCOMES.index(f.outcome))
        personal = any(s.someone or self.context.present(s.context) for s in parsed)
        return best if personal else dataclasses.replace(best, personal=False)

    def _parse(self, text: str) -> _Sentence:
        assert self.context is not None
        tokens = self.lexicon.tokens(text)
        tokens = self.context.blank_figurative(tokens, keep=self.lexicon.find(tokens))
        return _Sentence(text, tokens, self.lexicon.find(tokens), self.context.hits(tokens),
                         self.context.is_question(text, tokens), self.context.names_someone(text))

    def _concept(self, concept: Concept, parsed: list[_Sentence]) -> Finding | None:
        for sign in concept.signs:
            if concept.scope == "message":
                evidence = self._across(concept, sign, parsed)
            else:
                evidence = next((e for s in parsed if (e := self._within(concept, sign, s, parsed))), None)
            if evidence is not None:
                return Finding(concept.outcome, concept.id, self.config.messages[concept.outcome], evidence)
        return None

    def _asserted(self, concept: Concept, sentence: _Sentence, start: int, end: int, parsed: list[_Sentence]) -> bool:
        assert self.context is not None
        mods = self.context.modifiers(sentence.tokens, sentence.context, start, end, sentence.someone)
        # Another sentence can say it is happening now ("Is X a side effect? I've got it right now").
        elsewhere = any(self.context.present(s.context) for s in parsed if s is not sentence)
        return mods.asserted(concept.reads, elsewhere, sentence.question)

    def _within(self, concept: Concept, sign: tuple[str, ...], sentence: _Sentence,
                parsed: list[_Sentence]) -> str | None:
        """The words of ``sign`` asserted together in one sentence, or None."""
        options = [[h for h in sentence.hits if h.label == label] for label in sign]
        if not all(options):
            return None
        combos = sorted(itertools.islice(itertools.product(*options), 64), key=_width)
        for combo in combos:
            start, end = min(h.start for h in combo), max(h.end for h in combo)
            if end - start > SIGN_WINDOW:
                break
            if any(h.label in concept.unless and 0 <= h.start - end <= UNLESS_REACH for h in sentence.hits):
                continue
            if self._asserted(concept, sentence, start, end, parsed):
                return " ".join(t.raw for t in sentence.tokens[start:end])
        return None

    def _across(self, concept: Concept, sign: tuple[str, ...], parsed: list[_Sentence]) -> str | None:
        """Message scope: the first class asserted somewhere, the others named anywhere."""
        first, rest = sign[0], sign[1:]
        named = {h.label for s in parsed for h in s.hits}
        if not all(label in named for label in rest):
            return None
        for sentence in parsed:
            for hit in sentence.hits:
                if hit.label == first and self._asserted(concept, sentence, hit.start, hit.end, parsed):
                    return " ".join(t.raw for t in sentence.tokens[hit.start : hit.end])
        return None


def _width(combo: tuple[Hit, ...]) -> int:
    return max(h.end for h in combo) - min(h.start for h in combo)
