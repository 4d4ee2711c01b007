"""How long events are kept: ``--retain-days`` (default 30), purged by the writer by itself."""

from __future__ import annotations

import time

#: Days events are kept when nothing else is said.
DEFAULT_RETAIN_DAYS = 30
#: How often the background writer purges (and once shortly after it starts).
PURGE_EVERY_S = 3600.0


def cutoff(retain_days: float, now: float | None = None) -> float:
    """Events before this time (seconds since the epoch) are past retention."""
    return (time.time() if now is None else now) - retain_days * 86400.0


def parse_days(text: str) -> float:
    """``--retain-days``: a positive number of days."""
    days = float(text)
    if not days > 0:
        raise ValueError("--retain-days must be more than 0")
    return days
