"""Drafting a knowledge base from documents: text → sections → question–answer entries.

The steps live beside this module: ``sections`` (and ``blocks``) read a document into titled
sections of sentences, ``questions`` (with ``patterns`` and ``grammar``) asks what each section
answers, ``draft`` turns them into entries with answers copied from the document, and ``scope``
guesses what the document is not about. Here: reading files, and ``chatbot extract``, a thin
command over it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .draft import Progress, draft
from .sections import Document, DocumentError, document_format, parse, read_document

#: Inputs longer than this report progress on stderr.
LONG_INPUT_CHARS = 40_000


def load_documents(paths: Sequence[str | Path], progress: Progress | None = None) -> list[Document]:
    """Read and parse each file; DocumentError naming every file that could not be used."""
    documents, errors = [], []
    for path in paths:
        try:
            text = read_document(path)
            if progress and len(text) > LONG_INPUT_CHARS:
                progress(f"{path}: reading {len(text):,} characters")
            documents.append(parse(text, document_format(path, text), str(path)))
        except DocumentError as exc:
            errors.append(str(exc))
    if errors:
        raise DocumentError("\n".join(errors))
    return documents


def extract_files(paths: Sequence[str | Path], vocabulary: Mapping[str, Any] | None = None,
                  progress: Progress | None = None, *, scope: bool = True) -> dict[str, Any]:
    """Read, parse and draft; progress is reported only for long or several inputs."""
    documents = load_documents(paths, progress)
    long_input = sum(len(s) for d in documents for sec in d.sections for s in sec.sentences) > LONG_INPUT_CHARS
    return draft(documents, vocabulary, progress if long_input or len(documents) > 1 else None, scope=scope)


def header(paths: Sequence[str | Path]) -> str:
    names = ", ".join(Path(p).name for p in paths)
    return (f"# Draft knowledge base extracted by `chatbot extract` from {names}.\n"
            "# Questions are generated from headings and sentence patterns; answers are copied from the\n"
            "# document; the scope is a guess. Review every entry, add synonyms, then run `chatbot check`.\n\n")


def extract_command(paths: Sequence[str], output: str = "-", *, vocabulary_from: str | None = None,
                    guess_scope: bool = True) -> int:
    """``chatbot extract``: write the draft, report on stderr; 1 with one line per problem."""
    import sys

    from ..engine.builder import build
    from ..engine.knowledge import KnowledgeBaseError
    from .convert import ConvertError, read, to_yaml

    def progress(message: str) -> None:
        print(f"extract: {message}", file=sys.stderr, flush=True)

    vocabulary = None
    if vocabulary_from:
        try:
            vocabulary = read(vocabulary_from)  # validated: a broken file is reported with its line numbers
        except ConvertError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    try:
        data = extract_files(paths, vocabulary, progress, scope=guess_scope)
    except DocumentError as exc:
        for line in str(exc).splitlines():
            print(f"error: {line}", file=sys.stderr)
        return 1
    try:
        build([(output, data, {})])
    except KnowledgeBaseError as exc:  # a bug here, not the user's: say so plainly
        for problem in exc.problems:
            print(f"error: the draft is not valid: {problem}", file=sys.stderr)
        return 1
    text = header(paths) + to_yaml(data)
    if output == "-":
        sys.stdout.write(text)
    else:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"error: {output}: cannot write ({exc.strerror or exc})", file=sys.stderr)
            return 1
    sections = len({e["source"] for e in data["entries"]})
    print(f"extract: wrote {len(data['entries'])} entries from {sections} sections to "
          f"{'standard output' if output == '-' else output}", file=sys.stderr)
    return 0
