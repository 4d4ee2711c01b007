"""Everything a shell does with a reply besides showing it, behind one object.

``Recorder.replied`` hands each reply to the unanswered-question log and to the store's writer;
``Recorder.feedback`` records whether a reply helped. The shells (terminal, HTTP) build one from
their options and call it; nothing here blocks on the store, and nothing here raises.

Negative feedback goes to the store and, when the unanswered log is on and the question of that
reply is still known to this process, to the log as ``kind: unhelpful``, so ``chatbot suggest``
sees it beside the fallbacks.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Protocol

from .events import feedback_event, reply_event
from .writer import StoreWriter

#: Replies whose question this process remembers for feedback (per process; oldest forgotten first).
REMEMBERED_REPLIES = 10_000


class UnansweredSink(Protocol):
    def record(self, text: str, reply: Any, bot: Any) -> bool: ...

    def record_feedback(self, text: str, reply: Any) -> bool: ...


class Recorder:
    """Hands replies and feedback to the unanswered log and the store, whichever are on."""

    def __init__(self, *, unanswered: UnansweredSink | None = None, writer: StoreWriter | None = None,
                 store_questions: bool = False):
        self.unanswered = unanswered
        self.writer = writer
        self.store_questions = store_questions
        self._recent: OrderedDict[str, tuple[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def active(self) -> bool:
        return self.unanswered is not None or self.writer is not None

    def replied(self, text: str, reply: Any, bot: Any, session: str | None = None) -> None:
        if self.unanswered is not None:
            self.unanswered.record(text, reply, bot)
            reply_id = getattr(reply, "reply_id", None)
            if reply_id:
                with self._lock:
                    self._recent[reply_id] = (text, reply)
                    if len(self._recent) > REMEMBERED_REPLIES:
                        self._recent.popitem(last=False)
        if self.writer is not None:
            self.writer.put(reply_event(reply, session=session, question=text if self.store_questions else None))

    def feedback(self, reply_id: str, helpful: bool, comment: str | None = None) -> bool:
        """Record feedback on a reply; True when something recorded it (a store, or the log)."""
        recorded = False
        if self.writer is not None:
            recorded = self.writer.put(feedback_event(reply_id, helpful, comment))
        if not helpful and self.unanswered is not None:
            with self._lock:
                known = self._recent.get(reply_id)
            if known is not None:
                recorded = self.unanswered.record_feedback(*known) or recorded
        return recorded

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


class RecordingBot:
    """A Bot whose ``ask`` also goes to a Recorder; remembers each session's last reply for feedback.

    Everything else is the wrapped bot's. Sessions without an id share this process's own
    (one terminal run is one conversation).
    """

    def __init__(self, bot: Any, recorder: Recorder):
        import secrets

        self.bot = bot
        self.recorder = recorder
        self.default_session = secrets.token_hex(8)
        self.last: dict[str | None, tuple[str, Any]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self.bot, name)

    def ask(self, text: str, session: str | None = None, context: Any = None, **kwargs: Any) -> Any:
        reply = self.bot.ask(text, session=session, context=context, **kwargs)
        # The store hashes sessions; this process's token keeps "repl" of one run apart from the next.
        self.recorder.replied(text, reply, self.bot, f"{self.default_session}:{session}")
        if len(self.last) > REMEMBERED_REPLIES:
            self.last.clear()
        self.last[session] = (text, reply)
        return reply

    def feedback(self, helpful: bool, comment: str | None = None, session: str | None = None) -> str:
        """Feedback on the session's last reply; what to tell the person."""
        known = self.last.get(session)
        if known is None:
            return "Ask something first, then say whether the answer helped."
        reply_id = getattr(known[1], "reply_id", None)
        if not reply_id:
            return "This reply cannot take feedback."
        if not self.recorder.feedback(reply_id, helpful, comment):
            return "Feedback could not be recorded this time."
        return "Thank you, noted." if helpful else "Thank you, noted: this answer will be looked at."
