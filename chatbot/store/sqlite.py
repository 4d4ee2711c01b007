"""The embedded store: one SQLite file (``sqlite:///relative.db`` or ``sqlite:////absolute.db``).

WAL journal and a busy timeout let several worker processes of one machine write to the same
file; each batch is one short transaction. The file is created readable by its owner only.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from .base import SQLStore, StoreError

#: How long a writer waits for another process's transaction before giving up on a batch.
BUSY_TIMEOUT_S = 5.0


def sqlite_path(url: str) -> Path:
    """``sqlite:///data/events.db`` → ``data/events.db``; ``sqlite:////var/x.db`` → ``/var/x.db``."""
    rest = url[len("sqlite://"):]
    if not rest.startswith("/") or rest == "/":
        raise StoreError(f"{url}: a SQLite store is sqlite:///relative/path.db or sqlite:////absolute/path.db")
    return Path(rest[1:])


class SQLiteStore(SQLStore):
    dialect = "sqlite"
    mark = "?"

    def __init__(self, url: str):
        super().__init__(url)
        self.path = sqlite_path(url)

    def _connect(self) -> Any:
        if not self.path.exists():
            try:
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot create the store ({exc.strerror or exc})") from None
        try:
            connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                         check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the store ({exc})") from None
        return connection

    def _begin(self, cursor: Any) -> None:
        cursor.execute("BEGIN")
