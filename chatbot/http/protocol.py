"""uvicorn's httptools protocol with the limits it lacks, and a drain on shutdown.

- Header size: a request whose headers pass ``MAX_HEADER_BYTES`` gets 431 and the connection is
  closed (uvicorn's httptools protocol has no limit: a 64 MB header was read whole).
- Read timeout: a connection must deliver each request, headers and body, within
  ``READ_TIMEOUT_S`` of its first byte (or of connecting); a half-sent request gets 408 and is
  closed instead of holding a connection open indefinitely.
- Drain: when a worker shuts down (a rolling restart on SIGHUP), a kept-alive connection that is
  idle is not cut at once: for ``DRAIN_S`` seconds a request on it is still answered, with
  ``Connection: close``, so a client that had just sent one gets its reply instead of a reset.
"""

import asyncio
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEADER_BYTES = 16 * 1024
READ_TIMEOUT_S = 10.0
DRAIN_S = 1.0


def _response(status: int, reason: str) -> bytes:
    body = reason.encode("ascii")
    return (f"HTTP/1.1 {status} {reason}\r\ncontent-type: text/plain; charset=utf-8\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n").encode("ascii") + body


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    max_header_bytes = MAX_HEADER_BYTES
    read_timeout = READ_TIMEOUT_S
    drain_seconds = DRAIN_S

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._in_headers = True
        self._header_bytes = 0
        self._draining = False
        self._deadline: asyncio.TimerHandle | None = None
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.read_timeout, self._timed_out)

    def _disarm(self) -> None:
        if getattr(self, "_deadline", None) is not None:
            self._deadline.cancel()  # type: ignore[union-attr]
            self._deadline = None

    def _refuse(self, status: int, reason: str) -> None:
        self._disarm()
        if not self.transport.is_closing():
            self.transport.write(_response(status, reason))
            self.transport.close()

    def _timed_out(self) -> None:
        self._deadline = None
        if self.cycle is None or self.cycle.response_complete:
            self._refuse(408, "Request Timeout")
        elif not self.transport.is_closing():
            self.transport.close()  # the app is waiting for a body that does not come: it sees a disconnect

    def data_received(self, data: bytes) -> None:
        """As uvicorn's, with 431 for headers over the limit: counted per header as the parser
        reads them, and per chunk while a header is still incomplete (one endless line)."""
        if self.transport.is_closing():
            return
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
            return
        except httptools.HttpParserError:
            if self._header_bytes > self.max_header_bytes:
                self._refuse(431, "Request Header Fields Too Large")
            else:
                self.logger.warning("Invalid HTTP request received.")
                self.send_400_response("Invalid HTTP request received.")
            return
        if self._in_headers and not self.transport.is_closing():
            self._header_bytes += len(data)
            if self._header_bytes > self.max_header_bytes:
                self._refuse(431, "Request Header Fields Too Large")

    def _count(self, size: int) -> None:
        self._header_bytes += size
        if self._header_bytes > self.max_header_bytes:
            raise ValueError("request headers too large")  # stops the parser; data_received answers 431

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)
        super().on_header(name, value)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_headers = True
        self._header_bytes = 0
        self._arm()

    def on_headers_complete(self) -> None:
        self._in_headers = False
        super().on_headers_complete()
        if self._draining and self.cycle is not None:
            self.cycle.keep_alive = False

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def shutdown(self) -> None:
        """Answer what arrives in the next ``drain_seconds`` with ``Connection: close``, then close."""
        if self.cycle is None or self.cycle.response_complete:
            self._draining = True
            self.loop.call_later(self.drain_seconds, self._close_if_idle)
        else:
            self.cycle.keep_alive = False

    def _close_if_idle(self) -> None:
        if (self.cycle is None or self.cycle.response_complete) and not self.transport.is_closing():
            self.transport.close()


def uvicorn_options() -> dict[str, Any]:
    """What ``chatbot serve`` passes to uvicorn for these limits."""
    return {"http": BoundedHttpToolsProtocol, "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
            "timeout_graceful_shutdown": 30}
