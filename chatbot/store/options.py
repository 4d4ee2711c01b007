"""The store's command-line options, shared by ``chat``, ``ask``, ``batch`` and ``serve``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .retention import DEFAULT_RETAIN_DAYS, parse_days

if TYPE_CHECKING:
    from .writer import StoreWriter


def _days(text: str) -> float:
    try:
        return parse_days(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc) if "must" in str(exc) else f"not a number of days: {text!r}") \
            from None


def add_store_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("conversation store")
    group.add_argument("--store", metavar="URL",
                       help="record reply and feedback events: sqlite:///path.db (one machine) or "
                            "postgresql://user@host/db (replicas sharing one store; the 'postgres' extra)")
    group.add_argument("--store-questions", action="store_true",
                       help="also store the question text (off by default: questions can be private)")
    group.add_argument("--retain-days", type=_days, default=DEFAULT_RETAIN_DAYS, metavar="DAYS",
                       help="delete events older than this, checked every hour (default: %(default)s)")


def open_writer(url: str, retain_days: float = DEFAULT_RETAIN_DAYS, *, check: bool = True,
                **callbacks: Any) -> StoreWriter:
    """A running writer for ``url``. Raises StoreError for a malformed URL; a store that does not
    answer yet is only warned about (events are dropped and counted until it does)."""
    # Imported here: the parser reads this module on every start-up, and logging (through the writer) is 8 ms.
    import logging

    from . import StoreError, open_store
    from .writer import StoreWriter

    logger = logging.getLogger("chatbot.store")
    store = open_store(url)
    if check:
        try:
            store.connection()
        except StoreError as exc:
            if url.startswith("sqlite:"):
                raise  # a file that cannot be created will not start working later
            logger.warning("%s; events are dropped until the store answers", exc)
        except Exception as exc:
            logger.warning("store %s unavailable (%s); events are dropped until it answers", store.describe(), exc)
    return StoreWriter(store, retain_days=retain_days, **callbacks)
