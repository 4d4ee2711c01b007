"""The opt-in log of unanswered questions (``--log-unanswered FILE``), kept by the shells.

The engine does no I/O: ``LoggingBot`` wraps a Bot, passes every message through, and appends
fallbacks and low-confidence replies to a JSON Lines file, one object a line:
``{"time", "text", "kind", "best_candidate", "score"}``. Off by default, because what people
type about their health is private: the file is created readable by its owner only (0600), and
text that UTF-8 cannot carry (a lone surrogate, undecodable bytes of a command line) is written
written as JSON escapes, so one odd question never stops the log or the shell.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..engine.conversation import Context, picked_number
from ..engine.reply import Reply
from ..engine.text import MAX_INPUT_CHARS, normalize

#: Answers scored below this are logged as low-confidence (the bot answers from 52 up).
LOW_CONFIDENCE = 65.0


class UnansweredLogError(OSError):
    """The log file cannot be written; the message is one line for the user."""


class UnansweredLog:
    """Appends unanswered questions to a JSON Lines file. Thread-safe."""

    def __init__(self, path: str | Path, *, low_confidence: float = LOW_CONFIDENCE):
        self.path = Path(path)
        self.low_confidence = low_confidence
        self._lock = threading.Lock()
        self._warned = False
        try:
            os.close(self._open())
        except OSError as exc:
            raise UnansweredLogError(f"{path}: cannot write the unanswered-question log "
                                     f"({exc.strerror or exc})") from None

    def _open(self) -> int:
        """The log opened for appending; created 0600 (questions about health are private)."""
        return os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)

    def wants(self, text: str, reply: Reply) -> bool:
        """Fallbacks, clarifications and answers below the low-confidence score; not picks like "2"."""
        normalized = normalize(text)
        if not normalized or picked_number(normalized) is not None:
            return False
        return reply.kind in ("fallback", "clarify") or (reply.kind == "answer" and reply.score < self.low_confidence)

    def record(self, text: str, reply: Reply, bot: Any) -> bool:
        """Append one line when the reply is worth logging; True when it was written."""
        if not self.wants(text, reply):
            return False
        best, score = _best_candidate(text, reply, bot)
        line = {
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "text": text.strip()[:MAX_INPUT_CHARS],
            "kind": reply.kind if reply.kind != "answer" else "low_confidence",
            "best_candidate": best,
            "score": score,
        }
        return self._append(line)

    def _append(self, line: dict[str, Any]) -> bool:
        data = encode_line(line)
        with self._lock:
            try:
                fd = self._open()
                try:
                    os.write(fd, data)  # one write of one line: lines from several processes never interleave
                finally:
                    os.close(fd)
            except OSError as exc:
                if not self._warned:
                    self._warned = True
                    print(f"warning: {self.path}: cannot write the unanswered-question log "
                          f"({exc.strerror or exc})", file=sys.stderr)
                return False
        return True


    def record_feedback(self, text: str, reply: Reply) -> bool:
        """Append a reply someone said did not help (``kind: unhelpful``), for ``chatbot suggest``."""
        return self._append({
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "text": text.strip()[:MAX_INPUT_CHARS],
            "kind": "unhelpful",
            "best_candidate": getattr(reply, "entry_id", None),
            "score": getattr(reply, "score", 0.0),
        })


def encode_line(record: dict[str, Any]) -> bytes:
    """One JSON line, UTF-8; characters UTF-8 cannot carry (lone surrogates) are JSON-escaped."""
    try:
        return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(record) + "\n").encode("ascii")


def _best_candidate(text: str, reply: Reply, bot: Any) -> tuple[str | None, float]:
    if reply.kind == "answer":
        return reply.entry_id, reply.score
    if reply.kind == "clarify" and reply.options:
        return reply.options[0].id, reply.score
    candidates = bot.matcher.rank(bot.analyzer.analyze(text), limit=1)
    return (candidates[0].entry.id, candidates[0].score) if candidates else (None, 0.0)


class LoggingBot:
    """A Bot whose ``ask`` also records unanswered questions; everything else is the wrapped bot's."""

    def __init__(self, bot: Any, log: UnansweredLog):
        self.bot = bot
        self.log = log

    def __getattr__(self, name: str) -> Any:
        return getattr(self.bot, name)

    def ask(self, text: str, session: str | None = None, context: Context | None = None) -> Reply:
        reply = self.bot.ask(text, session=session, context=context)
        self.log.record(text, reply, self.bot)
        return reply
