"""What the engine says back: one immutable Reply per message."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .conversation import Context
from .knowledge import Entry, Handoff

#: The kinds of reply, as in the batch protocol.
KINDS = ("answer", "clarify", "fallback", "smalltalk", "urgent", "handoff", "error")


def new_reply_id() -> str:
    """A unique id per reply, for feedback and logs (random: it says nothing about the person)."""
    return os.urandom(16).hex()  # as random as uuid4, without importing uuid (and platform) at start-up


@dataclass(frozen=True)
class Topic:
    """A knowledge-base entry offered as a next step."""

    id: str
    question: str
    title: str

    @classmethod
    def of(cls, entry: Entry) -> Topic:
        return cls(entry.id, entry.question, entry.label)

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "question": self.question, "title": self.title}


@dataclass(frozen=True)
class Reply:
    """The bot's answer to one message.

    ``kind`` is one of KINDS; ``answer`` is the text to show for every kind. For answers,
    ``entry_id``, ``question`` and ``source`` name the knowledge-base entry used.
    ``related`` and ``options`` are numbered: "1", "2"… in the same session pick them.
    """

    kind: str
    answer: str
    entry_id: str | None = None
    question: str | None = None
    score: float = 0.0
    source: str | None = None
    related: tuple[Topic, ...] = ()
    options: tuple[Topic, ...] = ()
    context: Context = field(default_factory=Context)
    #: For ``urgent``: ``emergency``, ``crisis`` (self-harm) or ``urgent_care``.
    triage: str | None = None
    #: The pipeline stage that decided (``triage``, ``pick``, ``control``, ``smalltalk``, ``scope``,
    #: ``not_covered``, ``follow_up``, ``matcher``), for ``--explain`` and the conversation store.
    stage: str = ""
    #: For ``handoff``: how to reach a person, from the knowledge-base file.
    handoff: Handoff | None = None
    #: Why the reply was chosen, when asked for (``Bot.ask(..., explain=True)``).
    explanation: Mapping[str, Any] | None = None
    reply_id: str = field(default_factory=new_reply_id)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape shared by the batch protocol and the HTTP API."""
        return {
            "kind": self.kind,
            "answer": self.answer,
            "entry_id": self.entry_id,
            "question": self.question,
            "score": self.score,
            "source": self.source,
            "related": [t.to_dict() for t in self.related],
            "options": [t.to_dict() for t in self.options],
            "triage": self.triage,
            "stage": self.stage,
            "handoff": self.handoff.to_dict() if self.handoff else None,
            "reply_id": self.reply_id,
            **({"explanation": dict(self.explanation)} if self.explanation is not None else {}),
        }
