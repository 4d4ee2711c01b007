"""Building a KnowledgeBase from parsed YAML documents: every entry and setting validated, every
problem recorded with its file and line, so ``chatbot check`` can list them all at once."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from . import triage as triage_config
from .fields import (
    MAX_ANSWER_CHARS,
    MAX_FIELD_CHARS,
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
from .knowledge import (
    _DEFAULT_MESSAGES,
    Entry,
    Handoff,
    KnowledgeBase,
    KnowledgeBaseError,
    NotCovered,
    Problem,
    UrgentRule,
)


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
        found: tuple[str, Any] = self.settings.get(key, ("", default))
        return found

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
