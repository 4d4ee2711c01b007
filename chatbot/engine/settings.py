"""The knowledge base's settings blocks (handoff, synonyms, scope, urgent patterns, facets), each
validated with every problem recorded: the part of the builder that is not about entries."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .fields import MAX_FIELD_CHARS, MAX_MESSAGE_CHARS
from .fields import kind_of as _kind
from .fields import short as _short
from .fields import strings as _strings
from .fields import strings_problem as _strings_problem
from .fields import text_value as _text
from .fields import too_long as _too_long
from .knowledge import Handoff, NotCovered, UrgentRule


class _Settings:
    """Parsers for the settings blocks; the builder supplies ``_setting`` and ``problem``."""

    def _setting(self, key: str, default: Any) -> tuple[str, Any]:
        raise NotImplementedError

    def problem(self, file: str, line: int | None, entry_id: str | None, message: str) -> None:
        raise NotImplementedError

    def _handoff(self) -> Handoff:
        file, raw = self._setting("handoff", None)
        if raw is None:
            return Handoff()
        if not isinstance(raw, dict):
            self.problem(file, None, None, "'handoff' must be a mapping (message, offer, url, email, phone, hours)")
            return Handoff()
        values: dict[str, Any] = {}
        for key in ("message", "offer", "url", "email", "phone", "hours"):
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
