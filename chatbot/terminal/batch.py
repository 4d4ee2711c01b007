"""The JSON-lines batch protocol: one request per line in, one reply per line out, in order.

Every line that is not blank gets exactly one reply, and no line stops the batch: a line that is
not UTF-8, not JSON, nested too deeply, too long or not a request object gets a ``kind: error``
reply saying why, and so does a request the engine fails on.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any

from ..engine.bot import Bot

#: Longer lines are answered with an error without being parsed (a question is at most 500 characters).
MAX_LINE_BYTES = 1024 * 1024

_NULL_REPLY: dict[str, Any] = {
    "entry_id": None, "question": None, "score": 0.0, "source": None, "related": [], "options": [],
    "triage": None, "stage": "", "handoff": None, "reply_id": None,
}


def error_reply(request_id: Any, message: str) -> dict[str, Any]:
    """A protocol reply for a request that could not be answered at all."""
    return {"id": request_id, "kind": "error", "answer": message, **_NULL_REPLY, "error": message}


def _request_id(value: Any) -> Any:
    """The request's id when it can be echoed as plain JSON (strings, numbers); else None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value if value is None or isinstance(value, str | int | float) else None


def handle_line(bot: Bot, raw: bytes) -> dict[str, Any] | None:
    """Answer one raw input line; None for a blank line (nothing to answer)."""
    if len(raw) > MAX_LINE_BYTES:
        return error_reply(None, f"line is longer than {MAX_LINE_BYTES} bytes")
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return error_reply(None, f"line is not valid UTF-8 (byte {exc.start})")
    if not line.strip():
        return None
    try:
        request = json.loads(line)
    except json.JSONDecodeError as exc:
        return error_reply(None, f"line is not valid JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return error_reply(None, "line is nested too deeply to read")
    if not isinstance(request, dict):
        return error_reply(None, "each line must be a JSON object with a 'text' field")
    request_id = _request_id(request.get("id"))
    text, session = request.get("text"), request.get("session")
    if not isinstance(text, str):
        return error_reply(request_id, "'text' must be a string")
    if session is not None and (isinstance(session, bool) or not isinstance(session, str | int)):
        return error_reply(request_id, "'session' must be a string")
    threshold, explain = request.get("threshold"), request.get("explain", False)
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, int | float)
                                  or not 0 <= threshold <= 1):
        return error_reply(request_id, "'threshold' must be a number between 0 and 1")
    if not isinstance(explain, bool):
        return error_reply(request_id, "'explain' must be true or false")
    try:
        options: dict[str, Any] = {}  # only what the line asks for: any bot with ask(text, session) serves
        if threshold is not None:
            options["threshold"] = float(threshold)
        if explain:
            options["explain"] = True
        reply = bot.ask(text, session=None if session is None else str(session), **options)
    except Exception as exc:  # one request the engine fails on must not end the batch
        print(f"warning: request {request_id!r}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return error_reply(request_id, "internal error while answering this line")
    return {"id": request_id, **reply.to_dict()}


def encode(reply: dict[str, Any]) -> bytes:
    """One reply as a JSON line; text that UTF-8 cannot carry (a lone surrogate) goes out JSON-escaped."""
    try:
        return json.dumps(reply, ensure_ascii=False).encode("utf-8") + b"\n"
    except UnicodeEncodeError:
        return json.dumps(reply).encode("ascii") + b"\n"


def read_lines(stream: IO[bytes], limit: int = MAX_LINE_BYTES) -> Iterator[bytes]:
    """Lines of ``stream`` without holding more than ``limit`` + 1 bytes of any one: the rest of a
    longer line is read and dropped, so ``handle_line`` sees it is too long and answers with an error."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while True:
                rest = stream.readline(limit + 1)
                if not rest or rest.endswith(b"\n"):
                    break
        yield line


def run(bot: Bot, lines: Iterable[bytes], out: IO[bytes]) -> int:
    """Answer every line, flushing each reply as soon as it is ready. Returns the reply count."""
    count = 0
    for raw in lines:
        reply = handle_line(bot, raw.rstrip(b"\r\n"))
        if reply is None:
            continue
        out.write(encode(reply))
        out.flush()
        count += 1
    return count
