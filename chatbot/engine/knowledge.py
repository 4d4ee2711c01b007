"""The knowledge base: entries plus the domain vocabulary that the engine needs.

Everything domain-specific (synonyms, out-of-scope words, urgent triggers, greeting,
disclaimer) comes from here, so another organisation's FAQ file works with the same code.
Building a KnowledgeBase validates it; reading files lives in ``loader.py``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import triage as triage_config
from .fields import (
    MAX_ANSWER_CHARS,
    MAX_FIELD_CHARS,
    MAX_FILE_BYTES,
    MAX_LIST_ITEMS,
    MAX_MESSAGE_CHARS,
)
from .fields import kind_of as _kind
from .fields import mapping_of_strings as _mapping_of_strings
from .fields import mapping_problem as _mapping_problem
from .fields import short as _short
from .fields import strings as _strings
from .fields import strings_problem as _strings_problem
from .fields import text_value as _text
from .fields import too_long as _too_long

__all__ = ["MAX_ANSWER_CHARS", "MAX_FIELD_CHARS", "MAX_FILE_BYTES", "MAX_LIST_ITEMS", "MAX_MESSAGE_CHARS",
           "Entry", "KnowledgeBase", "KnowledgeBaseError", "Problem", "build"]



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

    message: str = "I can put you in touch with a person."
    url: str = ""
    email: str = ""
    phone: str = ""
    hours: str = ""
    #: Offer a person after this many fallbacks in a row in one conversation (0: never).
    after_fallbacks: int = 2

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
    "not_it": "Sorry. Did you mean one of these instead?",
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
    facets: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    suggestions: tuple[str, ...] = ()
    messages: Mapping[str, str] = field(default_factory=lambda: dict(_DEFAULT_MESSAGES))
    files: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Derived lookups, built once: the engine reads them on every message.
        object.__setattr__(self, "_by_id", {e.id: e for e in self.entries})
        groups: dict[str, list[Entry]] = {}
        for entry in self.entries:
            groups.setdefault(entry.topic or "General", []).append(entry)
        object.__setattr__(self, "_topics", groups)
        ids = self.suggestions or tuple(group[0].id for group in groups.values())
        object.__setattr__(self, "_suggested", [self._by_id[i] for i in ids if i in self._by_id])

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)  # type: ignore[attr-defined]

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._by_id  # type: ignore[attr-defined]

    def __len__(self) -> int:
        return len(self.entries)

    def message(self, key: str) -> str:
        return self.messages.get(key) or _DEFAULT_MESSAGES[key]

    def topics(self) -> dict[str, list[Entry]]:
        """Entries grouped by topic, in file order."""
        return {topic: list(entries) for topic, entries in self._topics.items()}  # type: ignore[attr-defined]

    def suggested_entries(self, limit: int = 5) -> list[Entry]:
        """Entries to offer when nothing matched: the file's own choice, else one per topic."""
        return self._suggested[:limit]  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------
# Building from parsed YAML documents


class _Builder:
    """Collects entries and settings from several documents and records every problem."""

    REQUIRED = ("id", "question", "answer", "source")

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.entries: list[Entry] = []
        self.entry_lines: dict[str, tuple[str, int | None]] = {}
        self.settings: dict[str, Any] = {}
        self.files: list[str] = []

    def problem(self, file: str, line: int | None, entry_id: str | None, message: str) -> None:
        self.problems.append(Problem(file, line, entry_id, message))

    def add_document(self, file: str, data: Any, lines: Mapping[int, int]) -> None:
        """``lines`` maps an entry's position in ``entries`` to its line in the file."""
        self.files.append(file)
        if not isinstance(data, dict):
            self.problem(file, 1, None, "expected a mapping with an 'entries' list at the top level")
            return
        raw_entries = data.get("entries")
        if not isinstance(raw_entries, list) or not raw_entries:
            self.problem(file, 1, None, "'entries' must be a non-empty list")
            raw_entries = []
        for index, raw in enumerate(raw_entries):
            self._add_entry(file, lines.get(index), index, raw)
        self._add_settings(file, data)

    def _add_entry(self, file: str, line: int | None, index: int, raw: Any) -> None:
        if not isinstance(raw, dict):
            self.problem(file, line, None, f"entry #{index + 1} must be a mapping")
            return
        raw_id = _text(raw.get("id"))
        entry_id = raw_id if raw_id and len(raw_id) <= MAX_FIELD_CHARS else None
        label = entry_id or f"entry #{index + 1}"
        ok = True
        texts: dict[str, str] = {}
        for key in (*self.REQUIRED, "title", "topic"):
            value = raw.get(key)
            text = _text(value)
            limit = MAX_ANSWER_CHARS if key == "answer" else MAX_FIELD_CHARS
            if key in self.REQUIRED and not text and (text is not None or value is None):
                self.problem(file, line, entry_id, f"missing or empty '{key}'" + ("" if entry_id else f" ({label})"))
                ok = False
            elif text is None and value is not None:
                self.problem(file, line, entry_id, f"'{key}' must be a string, not {_kind(value)}")
                ok = False
            elif text and len(text) > limit:
                self.problem(file, line, entry_id, f"{key} {_too_long(text, limit)}")
                ok = key == "answer" and ok  # an over-long answer is reported, the entry still checked
            texts[key] = text or ""
        lists = {}
        for key in ("alternates", "related"):
            reason = _strings_problem(raw.get(key, []) or [])
            if reason is not None:
                self.problem(file, line, entry_id, f"'{key}' {reason}")
                ok = False
            lists[key] = _strings(raw.get(key, []) or []) or ()
        maps = {}
        for key in ("facets", "tags"):
            reason = _mapping_problem(raw.get(key) or {})
            if reason is not None:
                self.problem(file, line, entry_id, f"'{key}' {reason}")
                ok = False
            maps[key] = _mapping_of_strings(raw.get(key) or {}) or {}
        if not ok or entry_id is None:
            return
        if entry_id in self.entry_lines:
            first_file, first_line = self.entry_lines[entry_id]
            self.problem(file, line, entry_id, f"duplicate id (first defined at {first_file}:{first_line})")
            return
        self.entry_lines[entry_id] = (file, line)
        self.entries.append(
            Entry(
                id=entry_id,
                question=texts["question"],
                answer=texts["answer"],
                source=texts["source"],
                alternates=lists["alternates"],
                related=lists["related"],
                title=texts["title"],
                topic=texts["topic"],
                facets=maps["facets"],
                tags=maps["tags"],
            )
        )

    def _add_settings(self, file: str, data: dict[str, Any]) -> None:
        """Settings come from the first file that gives them; later files add entries only."""
        for key in ("name", "greeting", "disclaimer", "synonyms", "scope", "urgent", "triage", "handoff",
                    "threshold", "facets", "suggestions", "messages"):
            if key in data and key not in self.settings:
                self.settings[key] = (file, data[key])

    def _setting(self, key: str, default: Any) -> tuple[str, Any]:
        return self.settings.get(key, ("", default))

    def build(self) -> KnowledgeBase:
        ids = {e.id for e in self.entries}
        for entry in self.entries:
            file, line = self.entry_lines[entry.id]
            for rel in entry.related:
                if rel == entry.id:
                    self.problem(file, line, entry.id, "an entry cannot be related to itself")
                elif rel not in ids:
                    self.problem(file, line, entry.id, f"related id '{rel}' does not exist")
        kb_fields: dict[str, Any] = {}
        for key in ("name", "greeting", "disclaimer"):
            file, value = self._setting(key, "")
            limit = MAX_FIELD_CHARS if key == "name" else MAX_MESSAGE_CHARS
            if not isinstance(value, str):
                self.problem(file, None, None, f"'{key}' must be a string, not {_kind(value)}")
            elif len(value.strip()) > limit:
                self.problem(file, None, None, f"'{key}' {_too_long(value.strip(), limit)}")
            elif value.strip():
                kb_fields[key] = value.strip()
        kb_fields.update(self._synonyms())
        kb_fields.update(self._scope())
        kb_fields["urgent"] = self._urgent()
        kb_fields["handoff"] = self._handoff()
        file, threshold = self._setting("threshold", None)
        if threshold is not None:
            if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0 <= threshold <= 1:
                self.problem(file, None, None, "'threshold' must be a number between 0 and 1")
            else:
                kb_fields["threshold"] = float(threshold)
        file, raw_triage = self._setting("triage", None)
        kb_fields["triage"], triage_problems = triage_config.parse(raw_triage)
        for message in triage_problems:
            self.problem(file, None, None, message)
        kb_fields["facets"] = self._facets()
        file, suggestions = self._setting("suggestions", [])
        reason = _strings_problem(suggestions or [])
        if reason is not None:
            self.problem(file, None, None, f"'suggestions' {reason}")
        kb_fields["suggestions"] = _strings(suggestions or []) or ()
        for sid in kb_fields["suggestions"]:
            if sid not in ids:
                self.problem(file, None, None, f"suggestion '{sid}' is not an entry id")
        file, messages = self._setting("messages", {})
        reason = _mapping_problem(messages, MAX_MESSAGE_CHARS)
        if reason is not None:
            self.problem(file, None, None, f"'messages' {reason}")
        msgs = _mapping_of_strings(messages, MAX_MESSAGE_CHARS)
        kb_fields["messages"] = {**_DEFAULT_MESSAGES, **(msgs or {})}
        if self.problems:
            raise KnowledgeBaseError(self.problems)
        return KnowledgeBase(entries=tuple(self.entries), files=tuple(self.files), **kb_fields)

    def _handoff(self) -> Handoff:
        file, raw = self._setting("handoff", None)
        if raw is None:
            return Handoff()
        if not isinstance(raw, dict):
            self.problem(file, None, None, "'handoff' must be a mapping (message, url, email, phone, hours)")
            return Handoff()
        values: dict[str, Any] = {}
        for key in ("message", "url", "email", "phone", "hours"):
            value = raw.get(key)
            if value is None:
                continue
            if not isinstance(value, str) or len(value) > 1000:
                self.problem(file, None, None, f"handoff.{key} must be a string of at most 1,000 characters")
                continue
            if value.strip():
                values[key] = " ".join(value.split())
        after = raw.get("after_fallbacks", 2)
        if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after <= 100:
            self.problem(file, None, None, "handoff.after_fallbacks must be a whole number from 0 to 100")
        else:
            values["after_fallbacks"] = after
        return Handoff(**values)

    def _synonyms(self) -> dict[str, Any]:
        file, raw = self._setting("synonyms", {})
        if not isinstance(raw, dict):
            self.problem(file, None, None, "'synonyms' must map a word to a list of variants")
            return {}
        out = {}
        for canonical, variants in raw.items():
            word = _text(canonical)
            reason = _strings_problem(variants)
            if word is None or len(word) > MAX_FIELD_CHARS:
                reason = (f"has a word that is {_kind(canonical)}" if word is None
                          else f"word {_too_long(word, MAX_FIELD_CHARS)}")
                self.problem(file, None, None, f"'synonyms' {reason}")
                continue
            if reason is not None:
                self.problem(file, None, None, f"synonyms for '{_short(word)}' {reason}")
                continue
            out[word] = _strings(variants) or ()
        return {"synonyms": out}

    def _scope(self) -> dict[str, Any]:
        file, raw = self._setting("scope", {})
        if not isinstance(raw, dict):
            self.problem(file, None, None, "'scope' must be a mapping")
            return {}
        out: dict[str, Any] = {}
        for key in ("anchors", "out_of_scope", "conditions", "subject"):
            reason = _strings_problem(raw.get(key, []) or [])
            if reason is not None:
                self.problem(file, None, None, f"scope.{key} {reason}")
            out[key] = _strings(raw.get(key, []) or []) or ()
        groups = []
        not_covered = raw.get("not_covered", []) or []
        if not isinstance(not_covered, list):
            self.problem(file, None, None, f"scope.not_covered must be a list, not {_kind(not_covered)}")
            not_covered = []
        for i, group in enumerate(not_covered):
            terms = _strings(group.get("terms")) if isinstance(group, dict) else None
            message = group.get("message") if isinstance(group, dict) else None
            if not terms or not isinstance(message, str) or not message.strip():
                reason = _strings_problem(group.get("terms")) if isinstance(group, dict) else None
                self.problem(file, None, None, f"scope.not_covered #{i + 1} needs 'terms' and 'message'"
                                               + (f" ('terms' {reason})" if reason else ""))
                continue
            if len(message.strip()) > MAX_MESSAGE_CHARS:
                self.problem(file, None, None, f"scope.not_covered #{i + 1}: message "
                                               f"{_too_long(message.strip(), MAX_MESSAGE_CHARS)}")
                continue
            groups.append(NotCovered(terms, message.strip()))
        out["not_covered"] = tuple(groups)
        return out

    def _urgent(self) -> tuple[UrgentRule, ...]:
        file, raw = self._setting("urgent", [])
        rules = []
        if not isinstance(raw, list):
            self.problem(file, None, None, "'urgent' must be a list of rules")
            return ()
        for i, rule in enumerate(raw):
            patterns = _strings(rule.get("patterns")) if isinstance(rule, dict) else None
            message = rule.get("message") if isinstance(rule, dict) else None
            given_id = _text(rule.get("id", f"urgent-{i + 1}")) if isinstance(rule, dict) else None
            rule_id = given_id if given_id and len(given_id) <= MAX_FIELD_CHARS else f"urgent-{i + 1}"
            if isinstance(rule, dict) and rule_id != given_id:
                self.problem(file, None, None, f"urgent rule #{i + 1}: 'id' must be a short string")
                continue
            if not patterns or not isinstance(message, str) or not message.strip():
                reason = _strings_problem(rule.get("patterns")) if isinstance(rule, dict) else None
                self.problem(file, None, None, f"urgent rule '{rule_id}' needs 'patterns' and 'message'"
                                               + (f" ('patterns' {reason})" if reason else ""))
                continue
            if len(message.strip()) > MAX_MESSAGE_CHARS:
                self.problem(file, None, None, f"urgent rule '{rule_id}': message "
                                               f"{_too_long(message.strip(), MAX_MESSAGE_CHARS)}")
                continue
            compiled = []
            for pattern in patterns:
                try:
                    compiled.append(re.compile(pattern))
                except re.error as exc:
                    self.problem(file, None, None, f"urgent rule '{rule_id}': bad pattern {pattern!r}: {exc}")
            rules.append(UrgentRule(rule_id, tuple(compiled), message.strip()))
        return tuple(rules)

    def _facets(self) -> Mapping[str, Mapping[str, tuple[str, ...]]]:
        file, raw = self._setting("facets", {})
        if not isinstance(raw, dict):
            self.problem(file, None, None, "'facets' must map a facet name to its values")
            return {}
        out = {}
        for name, values in raw.items():
            facet = _text(name)
            if facet is None or len(facet) > MAX_FIELD_CHARS:
                self.problem(file, None, None, f"'facets' has a name that is {_kind(name)}" if facet is None
                             else f"'facets' name {_too_long(facet, MAX_FIELD_CHARS)}")
                continue
            if not isinstance(values, dict):
                self.problem(file, None, None, f"facet '{_short(facet)}' must map each value to its trigger words")
                continue
            triggers = {}
            for value, words in values.items():
                label = _text(value)
                reason = _strings_problem(words)
                if label is None or len(label) > MAX_FIELD_CHARS:
                    self.problem(file, None, None, f"facet '{_short(facet)}' has a value that is "
                                                   f"{_kind(value) if label is None else 'too long'}")
                    continue
                if reason is not None:
                    self.problem(file, None, None, f"facet '{_short(facet)}.{_short(label)}' must list trigger "
                                                   f"words: {reason}")
                    continue
                triggers[label] = _strings(words) or ()
            out[facet] = triggers
        return out


def build(documents: Sequence[tuple[str, Any, Mapping[int, int]]]) -> KnowledgeBase:
    """Build one knowledge base from parsed documents ``(file, data, entry lines)``."""
    builder = _Builder()
    for file, data, lines in documents:
        builder.add_document(file, data, lines)
    return builder.build()
