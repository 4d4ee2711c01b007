"""What the conversation store keeps: one event per reply, one per piece of feedback.

No question text unless the store was opened with ``questions=True`` (``--store-questions``), and
never a session id as given: sessions are kept as an HMAC of the id under a salt that each store
makes for itself, so events of one conversation group together but cannot be traced back to it.
"""

from __future__ import annotations

import hashlib
import hmac
import time as _time
from dataclasses import dataclass
from typing import Any

#: Longest question text kept (the engine reads no more than 500 characters of a message).
MAX_QUESTION_CHARS = 500
#: Longest feedback comment kept.
MAX_COMMENT_CHARS = 1000


@dataclass(frozen=True, slots=True)
class ReplyEvent:
    """One reply: when, in which (hashed) conversation, what kind, which entry, how sure, why."""

    time: float  # seconds since the epoch, UTC
    session: str | None
    kind: str
    entry_id: str | None = None
    score: float = 0.0
    stage: str = ""
    triage: str | None = None
    reply_id: str | None = None
    question: str | None = None  # only with --store-questions

    def row(self) -> tuple[Any, ...]:
        return (self.time, self.session, self.kind, self.entry_id, self.score, self.stage, self.triage,
                self.reply_id, self.question)


@dataclass(frozen=True, slots=True)
class FeedbackEvent:
    """Someone said whether the reply ``reply_id`` helped."""

    time: float
    reply_id: str
    helpful: bool
    comment: str | None = None

    def row(self) -> tuple[Any, ...]:
        return (self.time, self.reply_id, self.helpful, self.comment)


Event = ReplyEvent | FeedbackEvent


def hash_session(salt: bytes, session: str | None) -> str | None:
    """The session as the store keeps it: 32 hex digits of HMAC-SHA256 under the store's salt."""
    if session is None:
        return None
    data = session.encode("utf-8", "surrogatepass")
    return hmac.new(salt, data, hashlib.sha256).hexdigest()[:32]


def clean_text(text: str | None, limit: int) -> str | None:
    """Text as stored: cut to ``limit``, and anything UTF-8 cannot carry (lone surrogates) replaced."""
    if text is None:
        return None
    return text[:limit].encode("utf-8", "replace").decode("utf-8")


def reply_event(reply: Any, *, session: str | None, question: str | None = None,
                when: float | None = None) -> ReplyEvent:
    """The event for an engine Reply (fields the engine may not have yet read with defaults)."""
    return ReplyEvent(
        time=_time.time() if when is None else when,
        session=session,
        kind=str(getattr(reply, "kind", "")),
        entry_id=getattr(reply, "entry_id", None),
        score=float(getattr(reply, "score", 0.0) or 0.0),
        stage=str(getattr(reply, "stage", "") or ""),
        triage=getattr(reply, "triage", None),
        reply_id=getattr(reply, "reply_id", None),
        question=clean_text(question, MAX_QUESTION_CHARS),
    )


def feedback_event(reply_id: str, helpful: bool, comment: str | None = None,
                   when: float | None = None) -> FeedbackEvent:
    return FeedbackEvent(time=_time.time() if when is None else when, reply_id=reply_id, helpful=bool(helpful),
                         comment=clean_text(comment, MAX_COMMENT_CHARS) or None)
