"""What an edit of a knowledge base changes in the replies: ``chatbot diff OLD NEW``.

Matching is learned from the whole base and calibrated on part of it, so a small edit (four alternates on
one entry) can move replies to questions about other entries too; ``chatbot check`` lints each version alone
and cannot show that. This asks the same questions of both versions, each as a conversation's first message,
and lists those whose outcome changed: the reply's kind, and the entry it answers or the entries it offers.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..engine.bot import Bot
from ..engine.knowledge import KnowledgeBase
from ..engine.reply import Reply
from ..engine.text import MAX_INPUT_CHARS


@dataclass(frozen=True)
class Outcome:
    """What a reply amounts to for an author: its kind and the entries it gives or offers."""

    kind: str
    entries: tuple[str, ...]
    score: float

    @classmethod
    def of(cls, reply: Reply) -> Outcome:
        entries = (reply.entry_id,) if reply.entry_id else tuple(o.id for o in reply.options)
        return cls(reply.kind, entries, reply.score)

    def same(self, other: Outcome) -> bool:
        return self.kind == other.kind and self.entries == other.entries

    def __str__(self) -> str:
        if self.kind == "answer":
            return f"answer {self.entries[0]} ({self.score:.0f})"
        return f"{self.kind} {' | '.join(self.entries)}".rstrip()

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "entries": list(self.entries), "score": self.score}


@dataclass(frozen=True)
class Change:
    question: str
    before: Outcome
    after: Outcome

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question, "before": self.before.to_dict(), "after": self.after.to_dict()}


#: How many questions between two calls of ``compare``'s progress callback.
PROGRESS_EVERY = 500


def compare(old: Bot, new: Bot, questions: Iterable[str],
            progress: Callable[[int], None] | None = None) -> list[Change]:
    """The questions whose outcome differs between ``old`` and ``new``; ``progress`` hears how many were asked."""
    changes: list[Change] = []
    for asked, question in enumerate(questions, 1):
        before, after = Outcome.of(old.ask(question)), Outcome.of(new.ask(question))
        if not before.same(after):
            changes.append(Change(question, before, after))
        if progress is not None and asked % PROGRESS_EVERY == 0:
            progress(asked)
    return changes


def phrasings(*bases: KnowledgeBase) -> list[str]:
    """Every question and alternate of the bases, each once: the default questions to compare on."""
    return list(dict.fromkeys(p for kb in bases for entry in kb.entries for p in entry.phrasings))


def summary(changes: Sequence[Change], asked: int) -> str:
    moves: Counter[str] = Counter()
    for change in changes:
        was, now = change.before, change.after
        if was.kind == now.kind == "answer":
            moves["answered by another entry"] += 1
        elif now.kind == "answer":
            moves[f"answered now ({was.kind} before)"] += 1
        elif was.kind == "answer":
            moves[f"no longer answered ({now.kind} now)"] += 1
        else:
            moves[f"{was.kind} -> {now.kind}"] += 1
    detail = "; ".join(f"{n} {what}" for what, n in moves.most_common())
    return f"{len(changes)} of {asked} replies changed" + (f": {detail}" if detail else "")


def read_questions(path: str) -> list[str]:
    """Questions from a file: one per line, or JSON Lines with "q", "question" or "text" (the batch protocol's
    requests, the unanswered-question log), or a YAML list of questions or of mappings with "q"."""
    text = Path(path).read_text(encoding="utf-8")
    if Path(path).suffix in (".yaml", ".yml"):
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark is not None else ""
            raise ValueError(f"not valid YAML{where}") from None
        return [q[:MAX_INPUT_CHARS] for q in map(_question, _yaml_items(data)) if q]
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("{"):
            try:
                line = _question(json.loads(line))
            except json.JSONDecodeError:
                raise ValueError(f"not a JSON line: {line[:60]!r}") from None
        if line:
            out.append(line[:MAX_INPUT_CHARS])
    return out


def _yaml_items(data: Any) -> list[Any]:
    """A question set's items: a list, or the lists under its keys; a conversation's turns count one by one."""
    if isinstance(data, dict):
        return [item for value in data.values() if isinstance(value, list) for item in _yaml_items(value)]
    if isinstance(data, list):
        return [turn for item in data for turn in (_yaml_items(item) if isinstance(item, list) else [item])]
    return []


def _question(item: Any) -> str:
    if isinstance(item, str):
        return item.strip()
    if isinstance(item, dict):
        for key in ("q", "question", "text"):
            if isinstance(item.get(key), str):
                return str(item[key]).strip()
    return ""
