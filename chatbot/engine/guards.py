"""Checks that run before matching: emergencies, other subjects, and known gaps.

Each is driven by the knowledge base's own lists, so the code holds no domain words.
"""

from __future__ import annotations

from .analysis import Analysis, Analyzer, Phrases, contains_phrase
from .knowledge import Entry, KnowledgeBase, NotCovered, UrgentRule


class Guards:
    def __init__(self, kb: KnowledgeBase, analyzer: Analyzer):
        self.kb = kb
        self._anchors = [analyzer.canonicalize(a) for a in kb.anchors]
        #: The subject's own words are known even where no entry happens to use them.
        self.anchor_words = frozenset(w for a in self._anchors for w in a.split())
        self._out_of_scope = [analyzer.canonicalize(t) for t in kb.out_of_scope]
        self._conditions = [analyzer.canonicalize(t) for t in kb.conditions]
        self._subject = [analyzer.canonicalize(t) for t in (*kb.anchors, *kb.subject)]
        self._not_covered = [(group, [analyzer.canonicalize(t) for t in group.terms]) for group in kb.not_covered]
        # Looked up from the message's words: tried one by one, these lists cost a fifth of a millisecond a message.
        self._anchor_phrases, self._other_phrases = Phrases(self._anchors), Phrases(self._out_of_scope)
        self._subject_phrases, self._condition_phrases = Phrases(self._subject), Phrases(self._conditions)
        self._gap_phrases = Phrases(t for _, terms in self._not_covered for t in terms)
        self._gap_of = [group for group, terms in self._not_covered for _ in terms]
        # The other subjects each entry's own phrasings name beside the base's subject ("has my breast cancer
        # become bone cancer?"): the author relates them to it. A phrasing of another subject alone ("tomatoes
        # for my car") is no such relation, and the scope stage still blocks it.
        self._names_other: dict[str, frozenset[str]] = {}
        for entry in kb.entries:
            canonical = [analyzer.analyze(p, correct=False).canonical for p in entry.phrasings]
            related = [c for c in canonical if any(contains_phrase(c, s) for s in self._subject)]
            self._names_other[entry.id] = frozenset(t for t in self._out_of_scope for c in related
                                                   if contains_phrase(c, t))

    def urgent(self, analysis: Analysis) -> UrgentRule | None:
        """The first urgent rule whose pattern matches the message, before or after typo fixes."""
        for rule in self.kb.urgent:
            for pattern in rule.patterns:
                if pattern.search(analysis.normalized) or pattern.search(analysis.corrected):
                    return rule
        return None

    def out_of_scope(self, analysis: Analysis) -> str | None:
        """The other subject the message is about, unless it also names this knowledge base's own."""
        text = analysis.canonical
        if self._anchor_phrases.found(text):
            return None
        other = self._other_phrases.first(text)
        if other is not None or self._subject_phrases.found(text):
            return other
        return self._condition_phrases.first(text)

    def names(self, entry: Entry, other: str) -> bool:
        """Does one of the entry's own phrasings name the other subject ``other`` (from ``out_of_scope``)?"""
        return other in self._names_other.get(entry.id, ())

    def not_covered(self, analysis: Analysis) -> NotCovered | None:
        found = self._gap_phrases.found(analysis.canonical)
        return self._gap_of[found[0]] if found else None
