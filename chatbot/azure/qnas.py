"""QnA Maker's and CQA's QnAs as they are read from an export, and the entries they become.

Each QnA becomes an entry ``qna-N`` (N its QnA id): the first question is the question, the
others alternates; prompts become ``related`` in display order, and a prompt's text becomes the
``title`` of the entry it opens; metadata becomes ``tags``. A QnA without an id gets the first
free one. What has no place in our format is reported as notes.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..engine.builder import build
from ..engine.knowledge import KnowledgeBaseError
from ..errors import ConvertError

#: ``source`` of a QnA that names none (CQA's word for QnAs written by hand).
DEFAULT_SOURCE = "Editorial"


@dataclass
class QnA:
    """One QnA as the export has it, before it becomes an entry."""

    number: int | None
    where: str  # "row 3", "qnas[2]": for messages
    answer: str
    source: str
    questions: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    prompts: list[tuple[int, int, str]] = field(default_factory=list)  # (display order, QnA id, text)
    context_only: bool = False


def knowledge_base(qnas: list[QnA], file: str) -> tuple[dict[str, Any], list[str]]:
    """Entries ``qna-N`` from QnAs; QnAs without an id get the next free numbers, in order."""
    errors = [f"{file}: {q.where}: no question" for q in qnas if not q.questions]
    errors += [f"{file}: {q.where}: no answer" for q in qnas if not q.answer]
    taken = [q.number for q in qnas if q.number is not None]
    duplicates = sorted(n for n, count in Counter(taken).items() if count > 1)
    errors += [f"{file}: QnA id {n} is used more than once" for n in duplicates]
    errors += [f"{file}: {q.where}: QnA id {q.number} must be positive" for q in qnas if q.number is not None
               and q.number < 1]
    if errors:
        raise ConvertError("\n".join(errors))
    used = set(taken)
    free = (n for n in range(1, len(qnas) + len(used) + 2) if n not in used)
    for qna in qnas:
        if qna.number is None:
            qna.number = next(free)
    known = {q.number for q in qnas}
    notes: list[str] = []
    titles: dict[int | None, str] = {}  # by QnA id (every QnA has one by now)
    for qna in qnas:
        for _, target, text in sorted(qna.prompts):
            if target in known and target != qna.number and text:
                titles.setdefault(target, text)
    entries = []
    for qna in qnas:
        related = []
        for _, target, text in sorted(qna.prompts):
            if target not in known:
                notes.append(f"QnA {qna.number}: prompt {text!r} opens QnA {target}, not in the export; left out")
            elif target == qna.number:
                notes.append(f"QnA {qna.number}: prompt {text!r} opens its own QnA; left out")
            elif f"qna-{target}" not in related:
                related.append(f"qna-{target}")
        entry: dict[str, Any] = {"id": f"qna-{qna.number}", "question": qna.questions[0]}
        if len(qna.questions) > 1:
            entry["alternates"] = qna.questions[1:]
        entry.update(answer=qna.answer, source=qna.source or DEFAULT_SOURCE)
        if related:
            entry["related"] = related
        title = titles.get(qna.number)
        if title and title.casefold() != qna.questions[0].casefold():
            entry["title"] = title
        if qna.metadata:
            entry["tags"] = qna.metadata
        entries.append(entry)
    context_only = [str(q.number) for q in qnas if q.context_only]
    if context_only:
        notes.append(f"context-only QnAs ({', '.join(context_only)}) are answered on their own too: here every "
                     "entry is")
    return {"entries": entries}, notes


def checked(data: dict[str, Any], file: str) -> dict[str, Any]:
    """The mapping, once it builds as a knowledge base; else every problem, by QnA."""
    try:
        build([(file, data, {})])
    except KnowledgeBaseError as exc:
        raise ConvertError("\n".join(f"{file}: {p.entry_id + ': ' if p.entry_id else ''}{p.message}"
                                     for p in exc.problems)) from None
    return data
