"""What the server does with each reply besides returning it: the server's Recorder.

On top of the shared ``chatbot.store.recorder.Recorder`` (the unanswered log and the store's
writer), it counts replies for ``/metrics`` and queues a handoff webhook event when a reply is a
handoff, with the conversation's last few reply kinds and entries. Those travel in the context
the client sends back (``recent``, checked against the knowledge base), so any worker knows them;
this process's own memory of each conversation fills in for clients that drop it. None of it
blocks or raises.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from datetime import UTC, datetime
from typing import Any

from ..store.recorder import Recorder
from .metrics import Metrics
from .webhook import HandoffNotifier

#: Conversations whose recent replies this process remembers, and how many replies of each.
RECENT_CONVERSATIONS, RECENT_REPLIES = 10_000, 5


class ServerRecorder(Recorder):
    def __init__(self, *, metrics: Metrics | None = None, webhook: HandoffNotifier | None = None,
                 **kwargs: Any):
        super().__init__(**kwargs)
        self.metrics = metrics
        self.webhook = webhook
        self._conversations: OrderedDict[str, deque[dict[str, Any]]] = OrderedDict()
        self._conv_lock = threading.Lock()

    def replied(self, text: str, reply: Any, bot: Any, session: str | None = None,
                recent: list[dict[str, Any]] | None = None) -> None:
        """``recent``: the conversation's replies up to and including this one, as the context carried them."""
        super().replied(text, reply, bot, session)
        if self.metrics is not None:
            self.metrics.reply(str(getattr(reply, "kind", "")))
        if self.webhook is None:
            return
        remembered = self._remember(session, reply)
        recent = recent if recent is not None and len(recent) >= len(remembered) else remembered
        if getattr(reply, "kind", "") == "handoff":
            event: dict[str, Any] = {
                "event": "handoff", "time": datetime.now(UTC).isoformat(timespec="seconds"),
                "conversation": session, "reply_id": getattr(reply, "reply_id", None), "recent": recent,
            }
            if self.store_questions:
                event["question"] = text
            self.webhook.notify(event)

    def _remember(self, session: str | None, reply: Any) -> list[dict[str, Any]]:
        item = {"kind": getattr(reply, "kind", ""), "entry_id": getattr(reply, "entry_id", None)}
        if session is None:
            return [item]
        with self._conv_lock:
            recent = self._conversations.pop(session, None) or deque(maxlen=RECENT_REPLIES)
            recent.append(item)
            self._conversations[session] = recent
            if len(self._conversations) > RECENT_CONVERSATIONS:
                self._conversations.popitem(last=False)
            return list(recent)
