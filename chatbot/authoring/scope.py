"""Guessing a drafted knowledge base's scope: what its documents are about, and what they are not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..engine.language import QUESTION_WORDS, STOPWORDS
from ..engine.text import stem
from .sections import Document, subject_phrase, title_subject

#: Three or more single words in a list: "the bones, lungs, liver, and brain".
_ENUMERATION = re.compile(r"\b[a-z]+(?: [a-z]+)?(?:, [a-z]+(?: [a-z]+)?)+,? (?:and|or) [a-z]+\b")
#: A word after one of these and before a comma, a function word or the end is a noun ("the lungs, …").
_NOUN = re.compile(r"\b(?:the|a|an|your|their|her|his|its|our|my) ([a-z]{3,})(?=\s*[,.;:!?)]|\s+(?:and|or|of|in|to|is|"
                   r"are|was|were|which|that|can|may|with|from|for|on|at|by|as)\b|$)")


def guess_scope(documents: Sequence[Document]) -> dict[str, list[str]]:
    """Anchors and sibling subjects from the documents' subject phrase.

    A document about "breast cancer" is not about "lung cancer", though it names the lungs:
    the subject's modifiers become anchors (a question naming them stays in scope), and the
    subject's head noun after another thing the document lists ("the bones, lungs, liver and
    brain") becomes an out-of-scope subject ("lung cancer"), unless the document writes that pair.
    """
    subject = tuple(title_subject(documents[0].title).lower().split()) if documents else ()
    if len(subject) < 2:
        subject = subject_phrase([s for d in documents for s in d.sections])
    if len(subject) < 2:
        return {}
    head, modifiers = subject[-1], subject[:-1]
    nouns: set[str] = set()
    listed: set[str] = set()
    before_head: set[str] = set()
    for document in documents:
        for section in document.sections:
            for sentence in section.sentences:
                words = re.findall(r"[a-z][a-z'-]*", sentence.lower())
                for previous, word in zip(["", *words], words, strict=False):
                    if stem(word) == stem(head):
                        before_head.add(stem(previous))
                nouns.update(_NOUN.findall(sentence.lower()))
                for run in _ENUMERATION.findall(sentence.lower()):
                    listed.update(re.findall(r"[a-z]+", run))
    siblings = sorted({
        stem(w) for w in nouns & listed
        if len(w) > 2 and w.isalpha() and w not in STOPWORDS and w not in QUESTION_WORDS
        and not w.endswith(("ing", "ed", "ly")) and stem(w) not in before_head
        and stem(w) not in {stem(m) for m in subject}
    })
    if not siblings:
        return {}
    return {"anchors": list(modifiers), "out_of_scope": [f"{w} {head}" for w in siblings]}
