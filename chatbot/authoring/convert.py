"""Converting knowledge bases between YAML, JSON and CSV/TSV, the shape spreadsheets keep FAQs in.

YAML and JSON carry the whole file: entries and settings (synonyms, scope, urgent…). CSV and TSV
carry entries only, one row each, with the columns ``id, question, alternates, answer, source,
related`` (lists joined with ``|``, a literal ``|`` written ``\\|``), plus ``title, topic, facets,
tags`` when an entry uses them (``facets`` as ``site=bone|aspect=symptoms``). Whatever is read
is validated as a knowledge base before anything is written. Exports of QnA Maker and Azure
question answering (their TSV, .xlsx and JSON project files) are read too: see ``chatbot.azure.importers``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from ..azure import importers
from ..engine.builder import build
from ..engine.knowledge import KnowledgeBaseError
from ..engine.loader import load
from ..errors import ConvertError

try:  # the same (C) safe loader as the loader module, so both read a file alike
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".csv": "csv", ".tsv": "tsv", ".xlsx": "xlsx"}
COLUMNS = ("id", "question", "alternates", "answer", "source", "related")
OPTIONAL_COLUMNS = ("title", "topic", "facets", "tags")
_LISTS = ("alternates", "related")
_MAPS = ("facets", "tags")
_REQUIRED = ("id", "question", "answer", "source")
#: Lists under these keys are written one item a line; other lists of scalars on one line.
_BLOCK_LISTS = frozenset({"alternates", "entries", "urgent", "not_covered", "add_alternates", "questions"})


def format_of(path: str | Path) -> str:
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise ConvertError(f"{path}: unknown format (use one of {', '.join(sorted(FORMATS))})")
    return fmt


# -- reading ---------------------------------------------------------------------------------


def read(path: str | Path) -> dict[str, Any]:
    """The knowledge-base mapping in a file of any supported format, validated."""
    return _read(path)[0]


def _read(path: str | Path) -> tuple[dict[str, Any], list[str]]:
    """The mapping, and notes on what an import from QnA Maker or Azure could not keep."""
    fmt = format_of(path)
    if fmt == "yaml":
        load([path])  # full validation, with line numbers
        return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_SafeLoader), []
    if fmt == "xlsx":
        return importers.from_xlsx(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConvertError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise ConvertError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise ConvertError(f"{path}: {exc.strerror or exc}") from None
    if fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConvertError(f"{path}:{exc.lineno}: malformed JSON: {exc.msg} (column {exc.colno})") from None
        if importers.is_project(data):
            return importers.from_project(data, str(path))
        build([(str(path), data, {})])
        return data, []
    if fmt == "tsv" and importers.is_export(text):
        return importers.from_tsv(text, str(path))
    return from_rows(text, str(path), "\t" if fmt == "tsv" else ","), []


def split_list(cell: str) -> list[str]:
    """"a|b\\|c" → ["a", "b|c"]; items are stripped and empty ones dropped."""
    items, current, escaped = [], [], False
    for char in cell:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    if escaped:
        current.append("\\")
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def join_list(items: Iterable[Any]) -> str:
    return "|".join(str(item).replace("\\", "\\\\").replace("|", "\\|") for item in items)


def from_rows(text: str, file: str = "<rows>", delimiter: str = ",") -> dict[str, Any]:
    """Entries from CSV/TSV text; ConvertError naming the row of each malformed row."""
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ConvertError(f"{file}: empty file (expected a header row: {', '.join(COLUMNS)})")
    header = [cell.strip().lower() for cell in rows[0]]
    errors = []
    unknown = [c for c in header if c not in (*COLUMNS, *OPTIONAL_COLUMNS)]
    missing = [c for c in _REQUIRED if c not in header]
    if unknown:
        errors.append(f"{file}: row 1: unknown column(s): {', '.join(unknown)}")
    if missing:
        errors.append(f"{file}: row 1: missing column(s): {', '.join(missing)}")
    if errors:
        raise ConvertError("\n".join(errors))
    entries: list[dict[str, Any]] = []
    rows_of: dict[int, int] = {}
    first_row: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            errors.append(f"{file}: row {number}: {len(row)} fields, the header has {len(header)}")
            continue
        cells = dict(zip(header, row, strict=True))
        entry, problems = _entry_from_cells(cells)
        if entry.get("id") in first_row:
            problems.append(f"duplicate id '{entry['id']}' (first on row {first_row[entry['id']]})")
        errors += [f"{file}: row {number}: {p}" for p in problems]
        if not problems:
            first_row[entry["id"]] = number
            rows_of[len(entries)] = number
            entries.append(entry)
    if errors:
        raise ConvertError("\n".join(errors))
    data = {"entries": entries}
    try:
        build([(file, data, rows_of)])
    except KnowledgeBaseError as exc:
        raise ConvertError("\n".join(
            f"{file}: row {p.line}: {p.entry_id + ': ' if p.entry_id else ''}{p.message}" if p.line else str(p)
            for p in exc.problems
        )) from None
    return data


def _entry_from_cells(cells: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    entry: dict[str, Any] = {}
    problems = []
    for column in (*COLUMNS, *OPTIONAL_COLUMNS):
        cell = cells.get(column, "").strip()
        if column in _REQUIRED:
            if not cell:
                problems.append(f"missing '{column}'")
            entry[column] = cell
        elif column in _LISTS:
            if cell:
                entry[column] = split_list(cell)
        elif column in _MAPS:
            if not cell:
                continue
            pairs = [item.partition("=") for item in split_list(cell)]
            if any(not sep or not key.strip() for key, sep, _ in pairs):
                problems.append(f"'{column}' must be key=value pairs separated by |")
            else:
                entry[column] = {key.strip(): value.strip() for key, _, value in pairs}
        elif cell:
            entry[column] = cell
    return entry, problems


# -- writing ---------------------------------------------------------------------------------


def to_rows(data: dict[str, Any], delimiter: str = ",") -> tuple[str, list[str]]:
    """CSV/TSV text for the entries, and notes on what the format could not keep."""
    entries = data.get("entries") or []
    columns = [*COLUMNS, *(c for c in OPTIONAL_COLUMNS if any(e.get(c) for e in entries))]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    notes = []
    for entry in entries:
        row = []
        for column in columns:
            value = entry.get(column)
            if column in _LISTS:
                row.append(join_list(value or []))
            elif column in _MAPS:
                row.append(join_list(f"{k}={v}" for k, v in (value or {}).items()))
            else:
                row.append("" if value is None else str(value))
        writer.writerow(row)
        dropped = sorted(set(entry) - set(columns) - set(OPTIONAL_COLUMNS))
        if dropped:
            notes.append(f"entry {entry.get('id')}: no column for {', '.join(dropped)}; not written")
    settings = [key for key in data if key != "entries"]
    if settings:
        notes.insert(0, f"{'TSV' if delimiter == chr(9) else 'CSV'} keeps entries only: "
                        f"{', '.join(settings)} not written")
    return out.getvalue(), notes


class _Flow(list):  # type: ignore[type-arg]
    """A list written on one line: ``related: [a, b]``."""


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value.strip():
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if len(value) > 90 and value == value.strip() and "  " not in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=">")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def _styled(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _styled(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        items = [_styled(v) for v in value]
        flat = all(isinstance(v, str | int | float) for v in value)
        return _Flow(items) if flat and key not in _BLOCK_LISTS else items
    return value


def to_yaml(data: dict[str, Any]) -> str:
    """YAML in the knowledge-base style: long answers folded, short lists on one line."""
    text = yaml.dump(_styled(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)
    return text.replace("\nentries:\n", "\n\nentries:\n", 1)


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def write_text(data: dict[str, Any], fmt: str) -> tuple[str, list[str]]:
    if fmt == "xlsx":
        raise ConvertError(".xlsx is read only (QnA Maker and Azure exports): write .yaml, .json, .csv or .tsv")
    if fmt == "yaml":
        return to_yaml(data), []
    if fmt == "json":
        return to_json(data), []
    return to_rows(data, "\t" if fmt == "tsv" else ",")


def convert(source: str | Path, target: str | Path) -> list[str]:
    """Convert one file to another format (from the suffixes); returns notes on what was not kept."""
    in_fmt, out_fmt = format_of(source), format_of(target)
    if Path(source).resolve() == Path(target).resolve():
        raise ConvertError(f"{target}: is the input file; give another output file")
    data, notes = _read(source)
    if in_fmt in ("csv", "tsv", "xlsx") and out_fmt not in ("csv", "tsv"):
        notes.append(f"{in_fmt.upper()} holds entries only: {target} has no settings (synonyms, scope…); "
                     "add them by hand")
    text, more = write_text(data, out_fmt)
    try:
        Path(target).write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise ConvertError(f"{target}: cannot write ({exc.strerror or exc})") from None
    return notes + more
