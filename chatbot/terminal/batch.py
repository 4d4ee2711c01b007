"""The JSON-lines batch protocol: one request per line in, one reply per line out, in order."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

from ..engine.bot import Bot

_NULL_REPLY = {"entry_id": None, "question": None, "score": 0.0, "source": None, "related": [], "options": []}


def error_reply(request_id: Any, message: str) -> dict[str, Any]:
    """A protocol reply for a request that could not be answered at all."""
    return {"id": request_id, "kind": "error", "answer": message, **_NULL_REPLY, "error": message}


def handle_line(bot: Bot, raw: bytes) -> dict[str, Any] | None:
    """Answer one raw input line; None for a blank line (nothing to answer)."""
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
    if not isinstance(request, dict):
        return error_reply(None, "each line must be a JSON object with a 'text' field")
    request_id = request.get("id")
    if isinstance(request_id, dict | list):
        request_id = None
    text, session = request.get("text"), request.get("session")
    if not isinstance(text, str):
        return error_reply(request_id, "'text' must be a string")
    if session is not None and not isinstance(session, str | int):
        return error_reply(request_id, "'session' must be a string")
    reply = bot.ask(text, session=None if session is None else str(session))
    return {"id": request_id, **reply.to_dict()}


def run(bot: Bot, lines: Iterable[bytes], out: IO[bytes]) -> int:
    """Answer every line, flushing each reply as soon as it is ready. Returns the reply count."""
    count = 0
    for raw in lines:
        reply = handle_line(bot, raw.rstrip(b"\r\n"))
        if reply is None:
            continue
        out.write(json.dumps(reply, ensure_ascii=False).encode("utf-8") + b"\n")
        out.flush()
        count += 1
    return count
