"""Writing events off the request path: a bounded queue and one thread that writes batches.

``put`` never blocks and never raises: when the queue is full (the store is slow or down) the
event is dropped and counted. The thread takes up to ``batch`` events at a time and writes them in
one transaction, sessions hashed under the store's salt; when the store fails, the batch is dropped
and counted, the failure is logged (at most once a minute) and the store is tried again for the
next batch. The same thread purges events past retention every ``purge_every`` seconds.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import replace

from .base import SQLStore
from .events import FeedbackEvent, ReplyEvent, hash_session
from .retention import DEFAULT_RETAIN_DAYS, PURGE_EVERY_S, cutoff

logger = logging.getLogger("chatbot.store")

MAX_QUEUE = 20_000
BATCH = 500
_STOP = object()


class StoreWriter:
    """Queues events and writes them to ``store`` in batches from a daemon thread."""

    def __init__(self, store: SQLStore, *, max_queue: int = MAX_QUEUE, batch: int = BATCH,
                 retain_days: float = DEFAULT_RETAIN_DAYS, purge_every: float = PURGE_EVERY_S,
                 on_drop: Callable[[int], None] | None = None, on_write: Callable[[int], None] | None = None):
        self.store = store
        self.batch = batch
        self.retain_days = retain_days
        self.purge_every = purge_every
        self.on_drop = on_drop
        self.on_write = on_write
        self.written = 0
        self.dropped = 0
        self.purged = 0
        self.failures = 0
        self._queue: queue.Queue[object] = queue.Queue(maxsize=max_queue)
        self._lock = threading.Lock()
        self._last_warning = 0.0
        self._next_purge = time.monotonic() + min(60.0, purge_every)
        self._thread = threading.Thread(target=self._run, name="chatbot-store-writer", daemon=True)
        self._thread.start()

    # -- the request side ---------------------------------------------------------------
    def put(self, event: ReplyEvent | FeedbackEvent) -> bool:
        """Queue one event; False (and counted as dropped) when the queue is full."""
        try:
            self._queue.put_nowait(event)
            return True
        except queue.Full:
            self._drop(1)
            return False

    def pending(self) -> int:
        return self._queue.unfinished_tasks

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued event is written or dropped; False on timeout."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() > deadline or not self._thread.is_alive():
                return False
            time.sleep(0.01)
        return True

    def close(self, timeout: float = 10.0) -> None:
        """Write what is queued (for up to ``timeout`` seconds), then stop the thread and close the store."""
        self.flush(timeout)
        with contextlib.suppress(queue.Full):
            self._queue.put(_STOP, timeout=1)
        self._thread.join(timeout=2)

    def stats(self) -> dict[str, int]:
        return {"written": self.written, "dropped": self.dropped, "queued": self.pending(),
                "failures": self.failures, "purged": self.purged}

    # -- the writer thread --------------------------------------------------------------
    def _drop(self, count: int) -> None:
        with self._lock:
            self.dropped += count
        if self.on_drop is not None:
            self.on_drop(count)

    def _run(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=1.0)
            except queue.Empty:
                self._maybe_purge()
                continue
            if first is _STOP:
                self._queue.task_done()
                self.store.close()
                return
            events: list[ReplyEvent | FeedbackEvent] = [first]  # type: ignore[list-item]
            stop = False
            while len(events) < self.batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stop = True
                    self._queue.task_done()
                    break
                events.append(item)  # type: ignore[arg-type]
            self._write(events)
            for _ in events:
                self._queue.task_done()
            self._maybe_purge()
            if stop:
                self.store.close()
                return

    def _write(self, events: list[ReplyEvent | FeedbackEvent]) -> None:
        try:
            salt = self.store.salt()  # sessions are hashed here, off the request path, once the store answers
            self.store.write([replace(e, session=hash_session(salt, e.session))
                              if isinstance(e, ReplyEvent) and e.session is not None else e for e in events])
        except Exception as exc:
            self.failures += 1
            self._drop(len(events))
            self._warn(f"store {self.store.describe()} failed, {len(events)} event(s) dropped: {exc}")
            return
        self.written += len(events)
        if self.on_write is not None:
            self.on_write(len(events))

    def _maybe_purge(self) -> None:
        if time.monotonic() < self._next_purge:
            return
        self._next_purge = time.monotonic() + self.purge_every
        try:
            self.purged += self.store.purge(cutoff(self.retain_days))
        except Exception as exc:
            self._warn(f"store {self.store.describe()}: purge failed: {exc}")

    def _warn(self, message: str) -> None:
        now = time.monotonic()
        if now - self._last_warning >= 60.0:
            self._last_warning = now
            logger.warning("%s", message)
