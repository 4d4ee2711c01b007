"""What SQLite and PostgreSQL stores share: writing batches, purging, reading for the report.

A store holds one connection and is used by one thread at a time (the background writer, or the
report). Any error closes the connection; the next call opens a new one, so a store that was
down is used again as soon as it is back.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from .events import FeedbackEvent, ReplyEvent
from .migrations import migrate

_REPLY_COLUMNS = "time, session, kind, entry_id, score, stage, triage, reply_id, question"
_FEEDBACK_COLUMNS = "time, reply_id, helpful, comment"


class StoreError(RuntimeError):
    """The store URL is wrong, or the store cannot be reached; the message is one line."""


class SQLStore:
    """A store over a DB-API connection; subclasses say how to connect and which dialect."""

    dialect = "sqlite"
    mark = "?"

    def __init__(self, url: str):
        self.url = url
        self._connection: Any = None
        self._salt: bytes | None = None

    # -- subclasses ---------------------------------------------------------------------
    def _connect(self) -> Any:
        raise NotImplementedError

    def _begin(self, cursor: Any) -> None:
        """Open a transaction (PostgreSQL's driver opens one by itself)."""

    def describe(self) -> str:
        """The URL without a password, for logs."""
        return self.url

    # -- connection ---------------------------------------------------------------------
    def connection(self) -> Any:
        if self._connection is None:
            connection = self._connect()
            try:
                migrate(connection, self.dialect)
            except BaseException:
                connection.close()
                raise
            self._connection = connection
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):  # closing a broken connection may fail too
                self._connection.close()
            self._connection = None

    def _run(self, sql: str, params: Sequence[Any] = (), *, many: Sequence[Sequence[Any]] | None = None) -> Any:
        """Execute in a transaction of its own; any error drops the connection and propagates."""
        sql = sql.replace("?", self.mark)
        try:
            connection = self.connection()
            cursor = connection.cursor()
            self._begin(cursor)
            if many is not None:
                cursor.executemany(sql, many)
            else:
                cursor.execute(sql, params)
            rows = cursor.fetchall() if cursor.description else None
            connection.commit()
            return rows
        except Exception:
            self.close()
            raise

    # -- writing ------------------------------------------------------------------------
    def salt(self) -> bytes:
        """The store's own secret for hashing sessions, made on first use and kept in the store."""
        if self._salt is None:
            import secrets  # here: hmac and random are no part of a `chatbot ask` start-up

            self._run("INSERT INTO settings (key, value) VALUES ('salt', ?) ON CONFLICT (key) DO NOTHING",
                      (secrets.token_hex(32),))
            (value,) = self._run("SELECT value FROM settings WHERE key = 'salt'")[0]
            self._salt = bytes.fromhex(value)
        return self._salt

    def write(self, events: Sequence[ReplyEvent | FeedbackEvent]) -> None:
        """Insert a batch of events in one transaction."""
        replies = [e.row() for e in events if isinstance(e, ReplyEvent)]
        feedback = [e.row() for e in events if isinstance(e, FeedbackEvent)]
        try:
            connection = self.connection()
            cursor = connection.cursor()
            self._begin(cursor)
            if replies:
                cursor.executemany(f"INSERT INTO events ({_REPLY_COLUMNS}) VALUES "
                                   f"({', '.join([self.mark] * 9)})", replies)
            if feedback:
                cursor.executemany(f"INSERT INTO feedback ({_FEEDBACK_COLUMNS}) VALUES "
                                   f"({', '.join([self.mark] * 4)})", feedback)
            connection.commit()
        except Exception:
            self.close()
            raise

    def purge(self, before: float) -> int:
        """Delete events and feedback older than ``before`` (seconds since the epoch); returns how many."""
        try:
            connection = self.connection()
            cursor = connection.cursor()
            self._begin(cursor)
            removed = 0
            for table in ("events", "feedback"):
                cursor.execute(f"DELETE FROM {table} WHERE time < {self.mark}", (before,))
                removed += max(cursor.rowcount, 0)
            connection.commit()
            return removed
        except Exception:
            self.close()
            raise

    # -- reading ------------------------------------------------------------------------
    def replies(self, since: float = 0.0, until: float | None = None) -> list[tuple[Any, ...]]:
        """Reply events in time order: (time, session, kind, entry_id, score, stage, triage, reply_id, question)."""
        return self._run(f"SELECT {_REPLY_COLUMNS} FROM events WHERE time >= ? AND time < ? ORDER BY time",
                         (since, 1e18 if until is None else until)) or []

    def feedback(self, since: float = 0.0) -> list[tuple[Any, ...]]:
        """Feedback joined to its reply: (time, reply_id, helpful, comment, entry_id, kind, question)."""
        return self._run("SELECT f.time, f.reply_id, f.helpful, f.comment, e.entry_id, e.kind, e.question "
                         "FROM feedback f LEFT JOIN events e ON e.reply_id = f.reply_id "
                         "WHERE f.time >= ? ORDER BY f.time", (since,)) or []

    def count(self) -> dict[str, int]:
        (events,) = self._run("SELECT COUNT(*) FROM events")[0]
        (feedback,) = self._run("SELECT COUNT(*) FROM feedback")[0]
        return {"events": int(events), "feedback": int(feedback)}
