"""The knowledge base: entries plus the domain vocabulary that the engine needs.

Everything domain-specific (synonyms, out-of-scope words, urgent triggers, greeting,
disclaimer) comes from here, so another organisation's FAQ file works with the same code.
Building one from parsed YAML (and validating it) lives in ``builder.py``; reading files in ``loader.py``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from . import triage as triage_config
from .fields import MAX_ANSWER_CHARS, MAX_FIELD_CHARS, MAX_FILE_BYTES, MAX_LIST_ITEMS, MAX_MESSAGE_CHARS

__all__ = ["MAX_ANSWER_CHARS", "MAX_FIELD_CHARS", "MAX_FILE_BYTES", "MAX_LIST_ITEMS", "MAX_MESSAGE_CHARS",
           "Entry", "KnowledgeBase", "KnowledgeBaseError", "Problem"]



@dataclass(frozen=True)
class Entry:
    """One question–answer pair."""

    id: str
    question: str
    answer: str
    source: str
    alternates: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    title: str = ""
    topic: str = ""
    facets: Mapping[str, str] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """Short name for menus and related-topic lists."""
        return self.title or self.question

    @property
    def phrasings(self) -> tuple[str, ...]:
        return (self.question, *self.alternates)


@dataclass(frozen=True)
class UrgentRule:
    """Messages matching any pattern get ``message`` before anything else."""

    id: str
    patterns: tuple[re.Pattern[str], ...]
    message: str


@dataclass(frozen=True)
class NotCovered:
    """Subjects the document is known not to cover, with what to say instead."""

    terms: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Handoff:
    """How to reach a person: the ``handoff`` block of a knowledge-base file."""

    message: str = ("No one is set up to take over from me here. Please contact the organisation that "
                    "runs this FAQ directly.")
    url: str = ""
    email: str = ""
    phone: str = ""
    hours: str = ""
    #: Offer a person after this many fallbacks in a row in one conversation (0: never).
    after_fallbacks: int = 2
    #: What that offer says, when it should not be ``message`` (the answer to "can I talk to a person"): an
    #: unstaffed FAQ's "This FAQ can't put you in touch with a person" reads oddly to someone who never asked.
    offer: str = ""

    def offered(self) -> Handoff:
        """The contact as offered after fallbacks in a row: ``offer`` in place of ``message``, if the file gives one."""
        return replace(self, message=self.offer) if self.offer else self

    def to_dict(self) -> dict[str, str]:
        return {k: v for k, v in (("message", self.message), ("url", self.url), ("email", self.email),
                                  ("phone", self.phone), ("hours", self.hours)) if v}

    def text(self) -> str:
        """The message with every contact on its own line."""
        lines = [self.message]
        lines += [f"{label}: {value}" for label, value in (("Web", self.url), ("Email", self.email),
                                                          ("Phone", self.phone), ("Hours", self.hours)) if value]
        return "\n".join(lines)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a knowledge-base file."""

    file: str
    line: int | None
    entry_id: str | None
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        who = f" {self.entry_id}:" if self.entry_id else ""
        return f"{where}:{who} {self.message}"


class KnowledgeBaseError(ValueError):
    """Raised when a knowledge base cannot be loaded; ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


_DEFAULT_MESSAGES = {
    "fallback": "I'm sorry, I don't have an answer to that in this FAQ.",
    "out_of_scope": "I can only answer questions about the subject of this FAQ, so I can't answer that.",
    "suggest": "You could ask about:",
    "clarify": "Did you mean:",
    "not_sure": "I'm not sure I understood. Did you mean one of these?",
    # A message the base has no answer to that says how its writer feels ("im scared shes going to die and i cant
    # cope"): said first, before the fallback's topics or suggestions.
    "distress": ("That sounds like a lot to carry, and I'm sorry. I can only share what this FAQ says, and it has no "
                 "answer to that; the people looking after you can talk it through with you."),
    # A question for a time, an amount or a price that the nearest entry does not give (``asks.py``).
    "not_stated": "This FAQ doesn't give that figure. The nearest it has:",
    # ... or for which of several things is better, where its answer makes no such judgement ("which is better").
    "not_ranked": "This FAQ doesn't say which is better. The nearest it has:",
    # A question of what something does to a thing the nearest entry never names ("does herceptin damage the heart").
    "not_said": "This FAQ doesn't say that. The nearest it has:",
    # A message naming something neither the base nor general English knows ("tucatinib"); {term} is that word.
    "unfamiliar": "This FAQ doesn't mention \u201c{term}\u201d. The nearest it has:",
    "not_it": "Sorry. Did you mean one of these instead?",
    "more": "That is all this FAQ says on that. Related topics:",
    # Asked for the last answer in other words: the base has only its own words.
    "simpler": ("I can only give you this FAQ's own words, so here they are again; the topics below may help with "
                "the terms."),
}


@dataclass(frozen=True)
class KnowledgeBase:
    """A validated, immutable set of entries and the vocabulary to match them."""

    entries: tuple[Entry, ...]
    name: str = "FAQ"
    greeting: str = ""
    disclaimer: str = ""
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    anchors: tuple[str, ...] = ()
    out_of_scope: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()  # other subjects, out of scope only when named without ``subject`` words
    subject: tuple[str, ...] = ()
    not_covered: tuple[NotCovered, ...] = ()
    urgent: tuple[UrgentRule, ...] = ()
    triage: triage_config.TriageConfig = field(default_factory=triage_config.TriageConfig)
    handoff: Handoff = field(default_factory=Handoff)
    #: Calibrated confidence (0-1) below which nothing is answered; None: the engine's default.
    threshold: float | None = None
    #: Whether the entry classifier reads word vectors (``vectors.py``) beside n-grams: more new wordings
    #: recognised, but also more confidence for questions near an entry's topic that it does not answer.
    word_vectors: bool = True
    facets: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    suggestions: tuple[str, ...] = ()
    #: Entries offered to a message that says how its writer feels and that nothing answers ("im so scared, i dont
    #: want to leave my kids"): the base's support and coping topics; none: the suggestions.
    support: tuple[str, ...] = ()
    messages: Mapping[str, str] = field(default_factory=lambda: dict(_DEFAULT_MESSAGES))
    files: tuple[str, ...] = ()

    # Derived lookups, built once in __post_init__: the engine reads them on every message.
    _by_id: dict[str, Entry] = field(init=False, repr=False, compare=False)
    _topics: dict[str, list[Entry]] = field(init=False, repr=False, compare=False)
    _suggested: list[Entry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {e.id: e for e in self.entries}
        object.__setattr__(self, "_by_id", by_id)
        groups: dict[str, list[Entry]] = {}
        for entry in self.entries:
            groups.setdefault(entry.topic or "General", []).append(entry)
        object.__setattr__(self, "_topics", groups)
        ids = self.suggestions or tuple(group[0].id for group in groups.values())
        object.__setattr__(self, "_suggested", [by_id[i] for i in ids if i in by_id])

    def get(self, entry_id: str | None) -> Entry | None:
        """The entry of that id; None for an unknown id or none ("no answer came last")."""
        return self._by_id.get(entry_id) if entry_id else None

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._by_id

    def __len__(self) -> int:
        return len(self.entries)

    def message(self, key: str) -> str:
        return self.messages.get(key) or _DEFAULT_MESSAGES[key]

    @property
    def subject_facet(self) -> str | None:
        """The base's first facet, its subject ("organ": bone, liver...): what a conversation is about, and
        held from answer to answer. None for a base without facets."""
        return next(iter(self.facets), None)

    def topics(self) -> dict[str, list[Entry]]:
        """Entries grouped by topic, in file order."""
        return {topic: list(entries) for topic, entries in self._topics.items()}

    def suggested_entries(self, limit: int = 5) -> list[Entry]:
        """Entries to offer when nothing matched: the file's own choice, else one per topic."""
        return self._suggested[:limit]

    def support_entries(self) -> list[Entry]:
        """Entries to offer a message that says how its writer feels when nothing matched: the file's ``support``."""
        return [entry for entry in map(self.get, self.support) if entry is not None]


