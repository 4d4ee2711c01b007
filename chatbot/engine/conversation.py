"""Conversation state: what the last reply offered, and how a follow-up inherits its topic.

State is a small immutable ``Context`` that travels with each reply, so the engine itself
is stateless; ``SessionStore`` keeps contexts by session name for shells that want that.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .analysis import Analysis, Analyzer, Phrases
from .knowledge import Entry, KnowledgeBase
from .language import ADDRESSED, FOLLOW_UP_OPENERS, ORDINALS, QUESTION_WORDS, correction, points_back

#: Numbered choices a context may carry; anything beyond is dropped, not trusted.
MAX_OPTIONS = 9
_PICK = re.compile(r"^(?:(?:number|option|topic|no|#)\s*)?(\d{1,2}|[a-z]+)(?:st|nd|rd|th)?"
                   r"(?:\s*one)?(?:\s*(?:please|pls|thanks|thank you))?$")


@dataclass(frozen=True)
class Context:
    """What the next message may refer back to."""

    last_entry: str | None = None
    options: tuple[str, ...] = ()  # entry ids that "1", "2"… pick, in order
    offer: str = ""  # what the options are: "clarify" or "suggest" (a "yes" takes the first), else related
    alternatives: tuple[str, ...] = ()  # the last answer's runners-up, for "no, that's not it"
    fallbacks: int = 0  # fallbacks in a row, for offering a person
    #: What the conversation is about (a value of the base's first facet: "lymph"), kept through answers that
    #: name none ("how does cancer get there" after "what are lymph nodes") until another is named.
    subject: str = ""

    @property
    def open_offer(self) -> bool:
        """Is a choice on offer (a clarify's or a suggestion's options), whose first a "yes" takes?"""
        return bool(self.offer and self.options)

    def to_dict(self) -> dict[str, Any]:
        return {"last_entry": self.last_entry, "options": list(self.options), "offer": self.offer,
                "alternatives": list(self.alternatives), "fallbacks": self.fallbacks, "subject": self.subject}

    @classmethod
    def from_dict(cls, data: Any, kb: KnowledgeBase) -> Context:
        """Rebuild a context sent back by a client, keeping only ids this knowledge base has."""
        if not isinstance(data, Mapping):
            return cls()
        last = data.get("last_entry")
        offer = data.get("offer")
        fallbacks = data.get("fallbacks")
        return cls(
            last_entry=last if isinstance(last, str) and last in kb else None,
            options=_known_ids(data.get("options"), kb),
            offer=offer if offer in ("clarify", "suggest") else "",
            alternatives=_known_ids(data.get("alternatives"), kb),
            fallbacks=fallbacks if isinstance(fallbacks, int) and not isinstance(fallbacks, bool)
            and 0 <= fallbacks <= 100 else 0,
            subject=subject if isinstance(subject := data.get("subject"), str) and subject in _subjects(kb) else "",
        )


def _subjects(kb: KnowledgeBase) -> Mapping[str, Any]:
    """The values of the base's first facet, its subject ("bone", "liver"...)."""
    facet = kb.subject_facet
    return kb.facets[facet] if facet is not None else {}


def _known_ids(value: Any, kb: KnowledgeBase) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(o for o in value if isinstance(o, str) and o in kb)[:MAX_OPTIONS]


def picked_number(normalized: str) -> int | None:
    """1-based choice in messages like "2", "#2", "option 2", "the second one"."""
    text = normalized.removeprefix("the ").strip()
    match = _PICK.match(text)
    if not match:
        return None
    word = match.group(1)
    if word.isdigit():
        return int(word)
    return ORDINALS.get(word)


class FollowUps:
    """Resolves elliptical messages ("and the liver?") through the entries' facets."""

    def __init__(self, kb: KnowledgeBase, analyzer: Analyzer):
        self.kb = kb
        self._analyzer = analyzer
        self._triggers = [
            (facet, value, analyzer.canonicalize(word))
            for facet, values in kb.facets.items()
            for value, words in values.items()
            for word in (value, *words)
        ]
        # A value's own name and its first word name the value itself; its other words are instances of it ("biopsy",
        # "scans" of diagnosis). Only the names are set apart: "besides a biopsy, how else can they check" still asks
        # about diagnosis, as "apart from the treatment, what else helps" does not ask about treatment.
        self._heads = frozenset(
            (facet, value, analyzer.canonicalize(word))
            for facet, values in kb.facets.items()
            for value, words in values.items()
            for word in (value, *words[:1])
        )
        self._trigger_words = frozenset(w for _, _, trigger in self._triggers for w in trigger.split())
        self._trigger_phrases = Phrases(trigger for _, _, trigger in self._triggers)
        self._by_facets: dict[frozenset[tuple[str, str]], Entry] = {}
        self._shared: set[frozenset[tuple[str, str]]] = set()  # facets that more than one entry has
        for entry in kb.entries:
            if entry.facets:
                key = frozenset(entry.facets.items())
                if self._by_facets.setdefault(key, entry) is not entry:
                    self._shared.add(key)

    def is_facet_word(self, token: str) -> bool:
        return token in self._trigger_words

    def only_entry(self, facets: Mapping[str, str]) -> Entry | None:
        """The one entry with exactly these facets; None when there is none, or several."""
        key = frozenset(facets.items())
        return None if key in self._shared else self._by_facets.get(key)

    def mentioned(self, analysis: Analysis) -> dict[str, str]:
        """Facet values the message names; a facet named twice ("bone and liver") is left out."""
        return _named_once(self._named(analysis))

    def named_values(self, analysis: Analysis) -> dict[str, set[str]]:
        """Every facet value the message names, a facet named twice ("bone and liver") with both."""
        return self._named(analysis)

    def _named(self, analysis: Analysis) -> dict[str, set[str]]:
        return self._values_in(analysis.canonical)

    def _values_in(self, canonical: str, found: dict[str, set[str]] | None = None) -> dict[str, set[str]]:
        """The facet values whose words a canonical text has, added to ``found``."""
        found = {} if found is None else found
        for k in self._trigger_phrases.found(canonical):
            facet, value, _ = self._triggers[k]
            found.setdefault(facet, set()).add(value)
        return found

    def set_apart(self, phrases: list[str]) -> dict[str, set[str]]:
        """Facet values in the phrases a message sets apart from what it asks (``language.set_apart``: "apart from
        the treatment, what else helps with liver mets" sets apart the treatment, not the liver)."""
        found: dict[str, set[str]] = {}
        for phrase in phrases:
            for k in self._trigger_phrases.found(self._analyzer.canonicalize(phrase)):
                if self._triggers[k] in self._heads:
                    facet, value, _ = self._triggers[k]
                    found.setdefault(facet, set()).add(value)
        return found

    def is_follow_up(self, analysis: Analysis) -> bool:
        """Does the message continue the last topic: it says so ("and…", "it"), or it names nothing
        but facets ("treatment?", "the lungs")?"""
        text = analysis.normalized + " "
        if text.startswith(FOLLOW_UP_OPENERS) or correction(text) is not None or points_back(text):
            return True
        words = [w for w in analysis.content if w not in QUESTION_WORDS]
        return bool(words) and all(w in self._trigger_words for w in words)

    def resolve(self, analysis: Analysis, context: Context, whole: bool = False,
                common: frozenset[str] = frozenset()) -> Entry | None:
        """The entry a follow-up means: the last entry's facets, overridden by those now named. With no entry
        answered last (a choice was offered: "bone symptoms, or how common?"), the conversation's subject stands
        for them: "what can they do for it" after a choice between two liver entries is the liver's treatment.
        ``whole``: the analysis is of the whole message, not of a clause read out of a story; ``common``: its words
        that most of the base's entries use ("metastasis"), which ask nothing of their own."""
        last = self.kb.get(context.last_entry)
        # An entry of no subject of its own (the outlook, a kind of treatment) keeps the one the conversation holds:
        # "how would they treat it" after "its in my liver now. can it be cured?" is the liver's treatment.
        facets = {**self.held(context), **last.facets} if last is not None else self.held(context)
        if not facets:
            return self._general(analysis, whole, common)
        named = self._named(analysis)
        mentioned = _named_once(named)
        if not mentioned:
            return None
        # A facet the message names twice is not the last entry's either: "scans show spots on the liver, what
        # symptoms to look out for" after bone treatment asks about symptoms or scans, not about treatment.
        wanted = {**{f: v for f, v in facets.items() if f not in named}, **mentioned}
        found = self._by_facets.get(frozenset(wanted.items()))
        # Facets that move nowhere tell nothing: "and targeted therapy, what's that?" after hormone therapy names
        # the treatment aspect both share, not the general entry on treatments that the bare aspect stands for.
        if found is not None and last is not None and found is not last and wanted == facets:
            return None
        return found

    def _general(self, analysis: Analysis, whole: bool = False, common: frozenset[str] = frozenset()) -> Entry | None:
        """The entry of an aspect named with a subject that has none of its own: "what's the outlook for someone with
        bone mets" is the outlook in general, where the bones have no entry on it; and of an aspect that a whole
        message names alone, with nothing else it asks and not of the bot ("what's the outlook", "whats the
        prognosis now": the classifier reads the frame as chat, and one word in common is a weak match; "how are
        things treating you" asks after the bot, and a story's "if so, how many" is not the whole question)."""
        mentioned = _named_once(self._named(analysis))
        subject = self.kb.subject_facet
        if (whole and mentioned and subject not in mentioned and not ADDRESSED & set(analysis.normalized.split())
                and all(t in QUESTION_WORDS or t in common or self.is_facet_word(t) for t in analysis.content)):
            return self._by_facets.get(frozenset(mentioned.items()))
        if subject not in mentioned or len(mentioned) < 2 or frozenset(mentioned.items()) in self._by_facets:
            return None
        return self._by_facets.get(frozenset((f, v) for f, v in mentioned.items() if f != subject))

    def held(self, context: Context) -> dict[str, str]:
        """The conversation's subject as a facet value of the base's first facet, if it holds one."""
        subject = self.kb.subject_facet
        return {subject: context.subject} if subject is not None and context.subject else {}


def _named_once(named: dict[str, set[str]]) -> dict[str, str]:
    """The facets named with one value only."""
    return {facet: next(iter(values)) for facet, values in named.items() if len(values) == 1}


class SessionStore:
    """Contexts by session name, least recently used evicted first. Thread-safe and bounded."""

    def __init__(self, max_sessions: int = 10_000):
        self.max_sessions = max_sessions
        self._contexts: OrderedDict[str, Context] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session: str) -> Context:
        with self._lock:
            context = self._contexts.get(session)
            if context is None:
                return Context()
            self._contexts.move_to_end(session)
            return context

    def put(self, session: str, context: Context) -> None:
        with self._lock:
            self._contexts[session] = context
            self._contexts.move_to_end(session)
            while len(self._contexts) > self.max_sessions:
                self._contexts.popitem(last=False)

    def forget(self, session: str) -> None:
        with self._lock:
            self._contexts.pop(session, None)

    def __len__(self) -> int:
        return len(self._contexts)
