"""Building a KnowledgeBase from parsed YAML documents: every entry and setting validated, every
problem recorded with its file and line, so ``chatbot check`` can list them all at once."""

from __future__ import annotations

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
from .fields import strings as _strings
from .fields import strings_problem as _strings_problem
from .fields import text_value as _text
from .fields import too_long as _too_long
from .knowledge import (
    _DEFAULT_MESSAGES,
    Entry,
    KnowledgeBase,
    KnowledgeBaseError,
    Problem,
)
from .settings import _Settings


class _Builder(_Settings):
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
                    "threshold", "word_vectors", "facets", "suggestions", "support", "messages"):
            if key in data and key not in self.settings:
                self.settings[key] = (file, data[key])

    def _setting(self, key: str, default: Any) -> tuple[str, Any]:
        found: tuple[str, Any] = self.settings.get(key, ("", default))
        return found

    def _entry_ids(self, key: str, noun: str, ids: set[str]) -> tuple[str, ...]:
        """A setting that lists entry ids ("suggestions", "support"), each checked to be one."""
        file, listed = self._setting(key, [])
        reason = _strings_problem(listed or [])
        if reason is not None:
            self.problem(file, None, None, f"'{key}' {reason}")
        found = _strings(listed or []) or ()
        for sid in found:
            if sid not in ids:
                self.problem(file, None, None, f"{noun} '{sid}' is not an entry id")
        return tuple(found)

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
        file, vectors = self._setting("word_vectors", True)
        if not isinstance(vectors, bool):
            self.problem(file, None, None, f"'word_vectors' must be true or false, not {_kind(vectors)}")
        else:
            kb_fields["word_vectors"] = vectors
        file, raw_triage = self._setting("triage", None)
        kb_fields["triage"], triage_problems = triage_config.parse(raw_triage)
        for message in triage_problems:
            self.problem(file, None, None, message)
        kb_fields["facets"] = self._facets()
        kb_fields["suggestions"] = self._entry_ids("suggestions", "suggestion", ids)
        kb_fields["support"] = self._entry_ids("support", "support entry", ids)
        file, messages = self._setting("messages", {})
        reason = _mapping_problem(messages, MAX_MESSAGE_CHARS)
        if reason is not None:
            self.problem(file, None, None, f"'messages' {reason}")
        msgs = _mapping_of_strings(messages, MAX_MESSAGE_CHARS)
        kb_fields["messages"] = {**_DEFAULT_MESSAGES, **(msgs or {})}
        if self.problems:
            raise KnowledgeBaseError(self.problems)
        return KnowledgeBase(entries=tuple(self.entries), files=tuple(self.files), **kb_fields)


def build(documents: Sequence[tuple[str, Any, Mapping[int, int]]]) -> KnowledgeBase:
    """Build one knowledge base from parsed documents ``(file, data, entry lines)``."""
    builder = _Builder()
    for file, data, lines in documents:
        builder.add_document(file, data, lines)
    return builder.build()
