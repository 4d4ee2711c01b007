"""Checks of single knowledge-base values: the types and size limits every loaded field must meet.

A field holds a string (a number counts as one) or a list or mapping of them, within the limits
below. Nothing here turns a list or a mapping into its ``str()``: YAML aliases repeat one object
many times, and printing it would copy every repeat (725 bytes become gigabytes).
"""

from __future__ import annotations

from typing import Any

#: Longest answer an entry may carry (the batch protocol allows 1,200 with room for notices).
MAX_ANSWER_CHARS = 1000
#: Longest greeting, disclaimer or message (urgent, not covered, the ``messages`` block).
MAX_MESSAGE_CHARS = 1000
#: Longest text of every other field: ids, phrasings, sources, titles, tags, words, patterns.
MAX_FIELD_CHARS = 500
#: Most items in one list (alternates, synonyms of a word, scope terms, patterns…).
MAX_LIST_ITEMS = 10_000
#: Largest knowledge-base file (the 100,000-entry scale benchmark writes about 40 MB).
MAX_FILE_BYTES = 64 * 1024 * 1024


def text_value(value: Any) -> str | None:
    """A string, or a number written as one, stripped; None for anything else.

    Lists, mappings, booleans (an unquoted ``yes``), dates and nulls are refused rather than
    turned into their ``str()``: YAML aliases make that a way to blow 725 bytes up to gigabytes.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return str(value).strip()


def kind_of(value: Any) -> str:
    """What a YAML value is, for problem messages."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false (quote it to mean the word)"
    return "empty" if value is None else f"a {type(value).__name__}"


def too_long(text: str, limit: int) -> str | None:
    return f"is {len(text)} characters (limit {limit})" if len(text) > limit else None


def short(text: str, width: int = 40) -> str:
    """A name cut for a problem message."""
    return text if len(text) <= width else text[: width - 1] + "…"


def strings_problem(value: Any, limit: int = MAX_FIELD_CHARS) -> str | None:
    """Why ``value`` is not a list of strings within the limits (None when it is one)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return f"must be a list of strings, not {kind_of(value)}"
    if len(value) > MAX_LIST_ITEMS:
        return f"has {len(value):,} items (limit {MAX_LIST_ITEMS:,})"
    for i, item in enumerate(value):
        text = text_value(item)
        if text is None:
            return f"must be a list of strings (item {i + 1} is {kind_of(item)})"
        if len(text) > limit:
            return f"item {i + 1} {too_long(text, limit)}"
    return None


def strings(value: Any, limit: int = MAX_FIELD_CHARS) -> tuple[str, ...] | None:
    """A list of non-empty strings (a single string counts as one), else None."""
    if strings_problem(value, limit) is not None:
        return None
    items = [value] if isinstance(value, str) else value
    return tuple(text for text in (text_value(v) for v in items) if text)


def mapping_problem(value: Any, limit: int = MAX_FIELD_CHARS) -> str | None:
    """Why ``value`` is not a mapping of strings to strings within the limits (None when it is one)."""
    if not isinstance(value, dict):
        return f"must be a mapping, not {kind_of(value)}"
    if len(value) > MAX_LIST_ITEMS:
        return f"has {len(value):,} keys (limit {MAX_LIST_ITEMS:,})"
    for key, item in value.items():
        name = text_value(key)
        if name is None or len(name) > MAX_FIELD_CHARS:
            return (f"has a key that is {kind_of(key)}" if name is None
                    else f"has a key that {too_long(name, MAX_FIELD_CHARS)}")
        if item is None:
            continue
        text = text_value(item)
        if text is None:
            return f"'{name}' must be a string, not {kind_of(item)}"
        if len(text) > limit:
            return f"'{name}' {too_long(text, limit)}"
    return None


def mapping_of_strings(value: Any, limit: int = MAX_FIELD_CHARS) -> dict[str, str] | None:
    if mapping_problem(value, limit) is not None:
        return None
    return {str(k): str(v) for k, v in value.items() if v is not None}
