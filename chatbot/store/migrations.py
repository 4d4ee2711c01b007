"""The store's schema, as numbered migrations applied in order, each once.

``schema_version`` lists the versions applied. ``migrate`` runs under a lock (``BEGIN IMMEDIATE``
in SQLite, an advisory lock in PostgreSQL), so replicas starting together apply each migration
once. A store whose schema is newer than this code is refused rather than written to.
SQL is written once, with ``{real}`` and ``{bool}`` standing for the dialect's types.
"""

from __future__ import annotations

from typing import Any

#: (version, what it does, statements).
MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (1, "events, feedback and the store's settings (its salt)", [
        "CREATE TABLE events (time {real} NOT NULL, session TEXT, kind TEXT NOT NULL, entry_id TEXT, "
        "score {real} NOT NULL DEFAULT 0, stage TEXT, triage TEXT, reply_id TEXT, question TEXT)",
        "CREATE INDEX events_time ON events (time)",
        "CREATE INDEX events_reply ON events (reply_id)",
        "CREATE TABLE feedback (time {real} NOT NULL, reply_id TEXT NOT NULL, helpful {bool} NOT NULL, "
        "comment TEXT)",
        "CREATE INDEX feedback_time ON feedback (time)",
        "CREATE INDEX feedback_reply ON feedback (reply_id)",
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ]),
]
LATEST = MIGRATIONS[-1][0]

_TYPES = {"sqlite": {"real": "REAL", "bool": "INTEGER"}, "postgres": {"real": "DOUBLE PRECISION", "bool": "BOOLEAN"}}
#: Any constant: the key of PostgreSQL's advisory lock for migrations.
_LOCK_KEY = 0x6661_7163  # "faqc"


class SchemaError(RuntimeError):
    """The store's schema is newer than this version of the code."""


def statements(dialect: str, version: int) -> list[str]:
    types = _TYPES[dialect]
    return [sql.format(**types) for v, _, sqls in MIGRATIONS if v == version for sql in sqls]


def migrate(connection: Any, dialect: str) -> list[int]:
    """Apply the migrations the store lacks, in one transaction; returns the versions applied."""
    cursor = connection.cursor()
    if dialect == "sqlite":
        cursor.execute("BEGIN IMMEDIATE")
    else:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
    try:
        cursor.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied "
                       + _TYPES[dialect]["real"] + " NOT NULL)")
        cursor.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version")
        current = int(cursor.fetchone()[0])
        if current > LATEST:
            raise SchemaError(f"the store's schema is version {current}; this code knows up to {LATEST}: upgrade")
        applied = []
        for version, _, _ in MIGRATIONS:
            if version <= current:
                continue
            for sql in statements(dialect, version):
                cursor.execute(sql)
            mark = "?" if dialect == "sqlite" else "%s"
            cursor.execute(f"INSERT INTO schema_version (version, applied) VALUES ({mark}, "
                           + ("strftime('%s','now')" if dialect == "sqlite" else "extract(epoch from now())") + ")",
                           (version,))
            applied.append(version)
        connection.commit()
    except BaseException:
        connection.rollback()
        raise
    return applied


def version(connection: Any) -> int:
    cursor = connection.cursor()
    cursor.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version")
    return int(cursor.fetchone()[0])
