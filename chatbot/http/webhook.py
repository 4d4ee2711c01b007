"""``--handoff-webhook URL``: tell the desk when someone asks for a person, without delaying them.

Each handoff reply queues one JSON event; a thread of its own POSTs it with
``X-Chatbot-Timestamp`` and ``X-Chatbot-Signature: sha256=<hex>``, the HMAC-SHA256 under the
configured secret of ``<timestamp>.<body>`` (check both, and refuse old timestamps, to stop
replays). A request times out after ``timeout`` seconds; network errors, 429 and 5xx are retried
``retries`` times with doubling waits; then the event is given up and counted. A full queue drops
the event (counted too): the reply never waits for the desk.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import queue
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

logger = logging.getLogger("chatbot.http")

SIGNATURE_HEADER = "X-Chatbot-Signature"
TIMESTAMP_HEADER = "X-Chatbot-Timestamp"


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class HandoffNotifier:
    """POSTs handoff events to ``url`` from a background thread, signed, with bounded retries."""

    def __init__(self, url: str, secret: bytes, *, timeout: float = 3.0, retries: int = 3, backoff: float = 0.5,
                 max_queue: int = 1000, on_failure: Callable[[], None] | None = None):
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"--handoff-webhook {url!r}: give an http:// or https:// URL")
        if not secret:
            raise ValueError("--handoff-webhook needs a secret (CHATBOT_HANDOFF_SECRET or --handoff-secret-file)")
        self.url, self.secret = url, secret
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self.on_failure = on_failure
        self.sent = self.failed = self.dropped = 0
        self._queue: queue.Queue[dict[str, Any]] = queue.Queue(maxsize=max_queue)
        threading.Thread(target=self._run, name="chatbot-handoff-webhook", daemon=True).start()

    def notify(self, event: dict[str, Any]) -> bool:
        """Queue one event; never blocks. False when the queue is full (the event is dropped)."""
        try:
            self._queue.put_nowait(event)
            return True
        except queue.Full:
            self.dropped += 1
            self._failed()
            return False

    def _failed(self) -> None:
        if self.on_failure is not None:
            self.on_failure()

    def _run(self) -> None:
        while True:
            event = self._queue.get()
            try:
                if self._deliver(event):
                    self.sent += 1
                else:
                    self.failed += 1
                    self._failed()
            finally:
                self._queue.task_done()

    def _deliver(self, event: dict[str, Any]) -> bool:
        body = json.dumps(event, ensure_ascii=False).encode("utf-8", "replace")
        for attempt in range(self.retries + 1):
            timestamp = str(int(time.time()))
            request = urllib.request.Request(self.url, data=body, method="POST", headers={
                "Content-Type": "application/json", "User-Agent": "faq-chatbot-webhook",
                TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: sign(self.secret, timestamp, body)})
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    if 200 <= response.status < 300:
                        return True
            except urllib.error.HTTPError as exc:
                if exc.code != 429 and exc.code < 500:
                    logger.warning("handoff webhook refused the event: HTTP %d", exc.code)
                    return False
            except (OSError, ValueError) as exc:
                logger.debug("handoff webhook attempt %d failed: %s", attempt + 1, exc)
            if attempt < self.retries:
                time.sleep(self.backoff * 2**attempt)
        logger.warning("handoff webhook %s: gave up after %d attempts", self.url, self.retries + 1)
        return False

    def flush(self, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True
