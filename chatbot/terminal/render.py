"""Replies as terminal text: wrapped to the width, numbered topics, optional colour.

Shared by the REPL, piped mode and ``chatbot ask``; imports nothing heavy so that
``chatbot ask`` starts fast. Every string from the knowledge base or the user passes
through ``strip_control`` so no escape sequence reaches the terminal intact.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from collections.abc import Iterable
from typing import IO

from ..engine.knowledge import KnowledgeBase
from ..engine.reply import Reply, Topic
from ..engine.text import strip_control

_STYLES = {"dim": "2", "bold": "1", "urgent": "1;31", "accent": "36", "warn": "33"}


def use_colour(stream: IO[str] | None = None) -> bool:
    """Colour only for a real terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    return hasattr(stream, "isatty") and stream.isatty()


def terminal_width(default: int = 88) -> int:
    return max(40, min(shutil.get_terminal_size((default, 24)).columns, 100))


class Renderer:
    def __init__(self, width: int | None = None, colour: bool = False):
        self.width = width or terminal_width()
        self.colour = colour

    def style(self, name: str, text: str) -> str:
        return f"\x1b[{_STYLES[name]}m{text}\x1b[0m" if self.colour else text

    def wrap(self, text: str, indent: str = "") -> str:
        paragraphs = strip_control(text).split("\n")
        return "\n".join(
            textwrap.fill(p, self.width, initial_indent=indent, subsequent_indent=indent) if p.strip() else ""
            for p in paragraphs
        )

    def numbered(self, label: str, topics: Iterable[Topic]) -> str:
        """``  related: 1 Symptoms  2 Treatment``, wrapped under its label."""
        head = f"  {label}: " if label else "  "
        lines: list[str] = []
        current, visible = head, len(head)
        for i, topic in enumerate(topics, 1):
            title = strip_control(topic.title)
            plain = f"{i} {title}"
            if visible > len(head) and visible + len(plain) > self.width:
                lines.append(current.rstrip())
                current, visible = " " * len(head), len(head)
            current += f"{self.style('accent', str(i))} {title}  "
            visible += len(plain) + 2
        if visible == len(head) and not lines:
            return ""
        lines.append(current.rstrip())
        return "\n".join(lines)

    def reply(self, reply: Reply) -> str:
        if reply.kind == "urgent":
            urgent = self.style("urgent", self.wrap(reply.answer))
            return "\n".join([urgent, self.numbered("you asked about", reply.related)]) if reply.related else urgent
        if reply.kind == "clarify":
            head = strip_control(reply.answer).split("\n")[0]
            options = [f"  {self.style('accent', str(i))} {strip_control(t.title)}"
                       for i, t in enumerate(reply.options, 1)]
            return "\n".join([self.wrap(head), *options])
        if reply.kind in ("fallback", "smalltalk") and reply.related and not reply.source:  # "You could ask about:"
            return "\n".join([self.wrap(reply.answer), self.numbered("", reply.related)])
        parts = [self.wrap(reply.answer)]
        if reply.source:
            parts.append(self.style("dim", f"  source: {strip_control(reply.source)}"))
        if reply.related:
            parts.append(self.numbered("related", reply.related))
        if reply.kind == "error":
            parts = [self.style("warn", self.wrap(reply.answer))]
        return "\n".join(parts)

    def topics(self, kb: KnowledgeBase) -> str:
        lines = []
        for topic, entries in kb.topics().items():
            lines.append(self.style("bold", strip_control(topic)))
            lines.extend(f"  {strip_control(e.label)}" for e in entries)
        return "\n".join(lines)

