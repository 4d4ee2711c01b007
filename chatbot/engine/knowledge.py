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

#: Longest answer an entry may carry (the batch protocol allows 1,200 with room for notices).
MAX_ANSWER_CHARS = 1000


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
    not_covered: tuple[NotCovered, ...] = ()
    urgent: tuple[UrgentRule, ...] = ()
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


def _strings(value: Any) -> tuple[str, ...] | None:
    """A list of non-empty strings (a single string counts as one), else None."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        return None
    return tuple(str(v).strip() for v in value if str(v).strip())


def _mapping_of_strings(value: Any) -> dict[str, str] | None:
    if not isinstance(value, dict):
        return None
    return {str(k): str(v) for k, v in value.items() if v is not None}


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
        entry_id = str(raw.get("id") or "").strip() or None
        label = entry_id or f"entry #{index + 1}"
        ok = True
        for key in self.REQUIRED:
            value = raw.get(key)
            if not isinstance(value, str | int) or not str(value).strip():
                self.problem(file, line, entry_id, f"missing or empty '{key}'" + ("" if entry_id else f" ({label})"))
                ok = False
        lists = {}
        for key in ("alternates", "related"):
            value = _strings(raw.get(key, []) or [])
            if value is None:
                self.problem(file, line, entry_id, f"'{key}' must be a list of strings")
                ok = False
            lists[key] = value or ()
        maps = {}
        for key in ("facets", "tags"):
            value = _mapping_of_strings(raw.get(key) or {})
            if value is None:
                self.problem(file, line, entry_id, f"'{key}' must be a mapping")
                ok = False
            maps[key] = value or {}
        if not ok or entry_id is None:
            return
        answer = str(raw["answer"]).strip()
        if len(answer) > MAX_ANSWER_CHARS:
            self.problem(file, line, entry_id, f"answer is {len(answer)} characters (limit {MAX_ANSWER_CHARS})")
        if entry_id in self.entry_lines:
            first_file, first_line = self.entry_lines[entry_id]
            self.problem(file, line, entry_id, f"duplicate id (first defined at {first_file}:{first_line})")
            return
        self.entry_lines[entry_id] = (file, line)
        self.entries.append(
            Entry(
                id=entry_id,
                question=str(raw["question"]).strip(),
                answer=answer,
                source=str(raw["source"]).strip(),
                alternates=lists["alternates"],
                related=lists["related"],
                title=str(raw.get("title") or "").strip(),
                topic=str(raw.get("topic") or "").strip(),
                facets=maps["facets"],
                tags=maps["tags"],
            )
        )

    def _add_settings(self, file: str, data: dict[str, Any]) -> None:
        """Settings come from the first file that gives them; later files add entries only."""
        for key in ("name", "greeting", "disclaimer", "synonyms", "scope", "urgent", "facets",
                    "suggestions", "messages"):
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
            if not isinstance(value, str):
                self.problem(file, None, None, f"'{key}' must be a string")
            elif value.strip():
                kb_fields[key] = value.strip()
        kb_fields.update(self._synonyms())
        kb_fields.update(self._scope())
        kb_fields["urgent"] = self._urgent()
        kb_fields["facets"] = self._facets()
        file, suggestions = self._setting("suggestions", [])
        kb_fields["suggestions"] = _strings(suggestions) or ()
        for sid in kb_fields["suggestions"]:
            if sid not in ids:
                self.problem(file, None, None, f"suggestion '{sid}' is not an entry id")
        file, messages = self._setting("messages", {})
        msgs = _mapping_of_strings(messages)
        if msgs is None:
            self.problem(file, None, None, "'messages' must be a mapping")
        kb_fields["messages"] = {**_DEFAULT_MESSAGES, **(msgs or {})}
        if self.problems:
            raise KnowledgeBaseError(self.problems)
        return KnowledgeBase(entries=tuple(self.entries), files=tuple(self.files), **kb_fields)

    def _synonyms(self) -> dict[str, Any]:
        file, raw = self._setting("synonyms", {})
        if not isinstance(raw, dict):
            self.problem(file, None, None, "'synonyms' must map a word to a list of variants")
            return {}
        out = {}
        for canonical, variants in raw.items():
            values = _strings(variants)
            if values is None:
                self.problem(file, None, None, f"synonyms for '{canonical}' must be a list of strings")
                continue
            out[str(canonical)] = values
        return {"synonyms": out}

    def _scope(self) -> dict[str, Any]:
        file, raw = self._setting("scope", {})
        if not isinstance(raw, dict):
            self.problem(file, None, None, "'scope' must be a mapping")
            return {}
        out: dict[str, Any] = {}
        for key in ("anchors", "out_of_scope"):
            values = _strings(raw.get(key, []) or [])
            if values is None:
                self.problem(file, None, None, f"scope.{key} must be a list of strings")
            out[key] = values or ()
        groups = []
        for i, group in enumerate(raw.get("not_covered", []) or []):
            terms = _strings(group.get("terms")) if isinstance(group, dict) else None
            message = group.get("message") if isinstance(group, dict) else None
            if not terms or not isinstance(message, str) or not message.strip():
                self.problem(file, None, None, f"scope.not_covered #{i + 1} needs 'terms' and 'message'")
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
            rule_id = str(rule.get("id", f"urgent-{i + 1}")) if isinstance(rule, dict) else f"urgent-{i + 1}"
            if not patterns or not isinstance(message, str) or not message.strip():
                self.problem(file, None, None, f"urgent rule '{rule_id}' needs 'patterns' and 'message'")
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
            if not isinstance(values, dict):
                self.problem(file, None, None, f"facet '{name}' must map each value to its trigger words")
                continue
            triggers = {}
            for value, words in values.items():
                parsed = _strings(words)
                if parsed is None:
                    self.problem(file, None, None, f"facet '{name}.{value}' must list trigger words")
                    continue
                triggers[str(value)] = parsed
            out[str(name)] = triggers
        return out


def build(documents: Sequence[tuple[str, Any, Mapping[int, int]]]) -> KnowledgeBase:
    """Build one knowledge base from parsed documents ``(file, data, entry lines)``."""
    builder = _Builder()
    for file, data, lines in documents:
        builder.add_document(file, data, lines)
    return builder.build()
