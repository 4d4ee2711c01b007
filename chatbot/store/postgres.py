"""A store that several replicas share: PostgreSQL through psycopg 3 (the ``postgres`` extra).

``postgresql://user:password@host:5432/dbname`` (any libpq URL). Connections time out after a
few seconds and statements after a few more, so a store that is down or stuck costs the
background writer a bounded wait and the replies nothing.
"""

from __future__ import annotations

import re
from typing import Any

from .base import SQLStore, StoreError

CONNECT_TIMEOUT_S = 3
STATEMENT_TIMEOUT_MS = 10_000


class PostgresStore(SQLStore):
    dialect = "postgres"
    mark = "%s"

    def _connect(self) -> Any:
        try:
            import psycopg
        except ImportError:
            raise StoreError("a PostgreSQL store needs the 'postgres' extra: pip install 'faq-chatbot[postgres]'") \
                from None
        try:
            return psycopg.connect(self.url, connect_timeout=CONNECT_TIMEOUT_S,
                                   options=f"-c statement_timeout={STATEMENT_TIMEOUT_MS}")
        except psycopg.Error as exc:
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"{self.describe()}: cannot connect ({message})") from None

    def describe(self) -> str:
        return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", self.url)
