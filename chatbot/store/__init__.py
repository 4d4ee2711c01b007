"""The conversation store: reply and feedback events, written off the request path.

``open_store(url)`` gives a store for ``sqlite:///path.db`` (embedded, one machine) or
``postgresql://…`` (shared by replicas; the ``postgres`` extra). ``StoreWriter`` queues events
and writes them in batches from a thread of its own; ``retention`` purges old events.
"""

from __future__ import annotations

from .base import SQLStore, StoreError
from .events import FeedbackEvent, ReplyEvent, feedback_event, hash_session, reply_event

__all__ = ["FeedbackEvent", "ReplyEvent", "SQLStore", "StoreError", "feedback_event", "hash_session",
           "open_store", "reply_event"]


def open_store(url: str) -> SQLStore:
    """A store for ``url`` (not yet connected: the first use connects and migrates)."""
    if url.startswith("sqlite:"):
        from .sqlite import SQLiteStore

        return SQLiteStore(url)
    if url.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore

        return PostgresStore(url)
    raise StoreError(f"{url!r}: a store URL starts with sqlite:/// or postgresql://")
