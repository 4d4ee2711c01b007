"""Reading knowledge-base files from disk: the only module of the engine that does I/O."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .builder import build
from .knowledge import MAX_FILE_BYTES, KnowledgeBase, KnowledgeBaseError, Problem
from .paths import PACKAGE

if TYPE_CHECKING:
    import yaml

DEFAULT_KB_NAME = "breast_cancer_metastasis.yaml"
KB_SUFFIXES = (".yaml", ".yml")
#: Characters that YAML aliases (``*name``) may add to a file by repeating what an anchor holds.
#: Aliases share one object, but anything that walks the data (a str(), json.dumps, the convert
#: command) copies it: nine nested anchors of nine items make gigabytes from 725 bytes.
MAX_ALIAS_EXPANSION = 100_000
# Something that may be an anchor (``&name``); files without one skip the alias scan.
_ANCHOR = re.compile(r"(?:^|[\s\[{,])&[^\s\[\]{},]", re.MULTILINE)


@cache
def _yaml() -> Any:
    """PyYAML, imported on the first file read: a cached index never needs it (about 20 ms of start-up)."""
    import yaml

    return yaml


def _safe_loader() -> Any:
    """The C safe loader where PyYAML has it (several times faster); both are the safe loader."""
    yaml = _yaml()
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def default_kb_path() -> Path:
    """The embedded knowledge base: packaged inside the wheel, or ``faq/`` in a source checkout."""
    packaged = PACKAGE / "faq" / DEFAULT_KB_NAME
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "faq" / DEFAULT_KB_NAME


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files as given, directories as their YAML files (sorted; names starting with _ skipped)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.iterdir() if p.suffix in KB_SUFFIXES and not p.name.startswith(("_", "."))
            )
            if not found:
                raise KnowledgeBaseError([Problem(str(path), None, None, "directory holds no .yaml files")])
            files.extend(found)
        else:
            files.append(path)
    return files


def _read_text(path: Path) -> str:
    """The file's text, refusing files over MAX_FILE_BYTES without reading more than that."""
    name = str(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise KnowledgeBaseError([Problem(name, None, None, "file not found")]) from None
    except IsADirectoryError:
        raise KnowledgeBaseError([Problem(name, None, None, "is a directory")]) from None
    except OSError as exc:
        raise KnowledgeBaseError([Problem(name, None, None, exc.strerror or str(exc))]) from None
    if len(data) > MAX_FILE_BYTES:
        limit = f"{MAX_FILE_BYTES // (1024 * 1024)} MB"
        raise KnowledgeBaseError([Problem(name, None, None, f"file is larger than {limit} (the limit for one file)")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise KnowledgeBaseError([Problem(name, None, None, f"not UTF-8 text ({exc.reason})")]) from None


def alias_problem(name: str, text: str, limit: int = MAX_ALIAS_EXPANSION) -> Problem | None:
    """A problem when YAML aliases would repeat more than ``limit`` characters, else None.

    Walks the parser's events (no data is built) and sizes each anchored node as the characters
    of its scalars, aliases inside it counted at their full size.
    """
    if not _ANCHOR.search(text):
        return None
    yaml = _yaml()
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = []  # [anchor, size so far] of each open collection
    expanded = 0
    for event in yaml.parse(text, Loader=_safe_loader()):
        if isinstance(event, yaml.CollectionStartEvent):
            stack.append([event.anchor, 1])
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            anchor, size = stack.pop()
        elif isinstance(event, yaml.ScalarEvent):
            anchor, size = event.anchor, len(event.value) + 1
        elif isinstance(event, yaml.AliasEvent):
            anchor, size = None, sizes.get(event.anchor or "", 0)
            expanded += size
            if expanded > limit:
                line = event.start_mark.line + 1 if event.start_mark else None
                return Problem(name, line, None, f"YAML aliases repeat more than {limit:,} characters "
                                                 f"(alias *{event.anchor}); write the values out instead")
        else:
            continue
        if anchor:
            sizes[anchor] = size
        if stack:
            stack[-1][1] += size
    return None


def _read(path: Path) -> tuple[str, Any]:
    name = str(path)
    text = _read_text(path)
    yaml = _yaml()
    try:
        problem = alias_problem(name, text)
        if problem is not None:
            raise KnowledgeBaseError([problem])
        return text, plain_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise KnowledgeBaseError([Problem(name, line, None, f"malformed YAML: {reason}")]) from None


class _NotPlain(Exception):
    """A document that needs the full safe loader (explicit tags, merge keys, complex keys)."""


_KEY = object()  # a mapping waiting for its next key


def plain_load(text: str) -> Any:
    """``yaml.safe_load`` for plain data, built straight from the (C) parser's events.

    PyYAML's loader first builds a node object for every scalar of the document and only then the
    data: a 40 MB, 100,000-entry file took 20 s and peaked near 1 GB. Scalars are resolved by the
    safe loader's own rules (ints, floats, booleans, null, dates); a document with anything more
    (explicit tags, merge keys, complex keys) goes to the safe loader instead.
    """
    try:
        return _from_events(text)
    except _NotPlain:
        return _yaml().load(text, Loader=_safe_loader())  # the (C) safe loader: plain data only


def _from_events(text: str) -> Any:
    yaml = _yaml()
    loader = _safe_loader()
    rules = loader("")  # its resolver and scalar constructors
    stack: list[list[Any]] = []  # [container, pending key or _KEY]
    anchors: dict[str, Any] = {}
    documents: list[Any] = []
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if event.tag not in (None, "!") and not event.implicit:
                raise _NotPlain
            container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
            if event.anchor:
                anchors[event.anchor] = container
            stack.append([container, _KEY])
            continue
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            value = stack.pop()[0]
        elif isinstance(event, yaml.ScalarEvent):
            value = _scalar(rules, event, yaml.ScalarNode)
            if event.anchor:
                anchors[event.anchor] = value
        elif isinstance(event, yaml.AliasEvent):
            value = anchors[event.anchor]
        else:  # stream and document boundaries
            continue
        if not stack:
            documents.append(value)
        elif isinstance(stack[-1][0], list):
            stack[-1][0].append(value)
        elif stack[-1][1] is _KEY:
            if isinstance(value, (dict, list)):
                raise _NotPlain
            stack[-1][1] = value
        else:
            stack[-1][0][stack[-1][1]] = value
            stack[-1][1] = _KEY
    if len(documents) > 1:
        raise _NotPlain  # the safe loader says what is wrong with it
    return documents[0] if documents else None


def _scalar(rules: Any, event: yaml.ScalarEvent, node: type[yaml.ScalarNode]) -> Any:
    """One scalar's value by the safe loader's rules; ``node`` is PyYAML's ScalarNode, passed in: this runs once
    per scalar of a file (a million in a 100,000-entry base)."""
    if event.tag not in (None, "!"):
        raise _NotPlain
    if not event.implicit[0]:  # quoted: a string
        return event.value
    tag = rules.resolve(node, event.value, event.implicit)
    if tag == "tag:yaml.org,2002:str":
        return event.value
    if tag not in rules.yaml_constructors:  # a merge key ("<<")
        raise _NotPlain
    return rules.yaml_constructors[tag](rules, node(tag, event.value))


def entry_lines(text: str) -> dict[int, int]:
    """Line number of each item of the top-level ``entries`` list (only computed on errors)."""
    yaml = _yaml()
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    if not isinstance(root, yaml.MappingNode):
        return {}
    for key, value in root.value:
        if getattr(key, "value", None) == "entries" and isinstance(value, yaml.SequenceNode):
            return {i: item.start_mark.line + 1 for i, item in enumerate(value.value)}
    return {}


def load(paths: Iterable[str | os.PathLike[str]] | None = None) -> KnowledgeBase:
    """Load and validate knowledge-base files (the default one when ``paths`` is empty).

    Raises KnowledgeBaseError listing every problem, each with file and line or entry id.
    """
    files = expand_paths(paths) if paths else [default_kb_path()]
    texts = [(str(path), *_read(path)) for path in files]
    try:
        return build([(name, data, {}) for name, _, data in texts])
    except KnowledgeBaseError:
        # Second pass only on failure, to attach line numbers without slowing every load.
        return build([(name, data, entry_lines(text)) for name, text, data in texts])
