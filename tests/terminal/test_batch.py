"""Issue 12: every bad batch line gets a ``kind: error`` reply and the batch goes on."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from chatbot.terminal import batch
from tests import support

DEEP_ARRAY = b"[" * 1000 + b"]" * 1000
DEEP_TEXT = b'{"id": "deep", "text": ' + b"[" * 1000 + b"]" * 1000 + b"}"
DEEP_OBJECT = b'{"a":' * 1000 + b"1" + b"}" * 1000


def strict_json(line: bytes) -> dict:
    """Parse as a strict consumer would: UTF-8, no NaN or Infinity."""
    def refuse(constant: str) -> None:
        raise ValueError(f"not JSON: {constant}")
    return json.loads(line.decode("utf-8"), parse_constant=refuse)


def run_batch(lines: list[bytes], *extra: str) -> tuple[list[dict], bytes]:
    proc = subprocess.run([sys.executable, "-m", "chatbot", "batch", "--kb", str(support.MINI), *extra],
                          input=b"".join(line + b"\n" for line in lines), capture_output=True, timeout=60,
                          env={**os.environ, "NO_COLOR": "1"})
    assert proc.returncode == 0, proc.stderr
    assert b"Traceback" not in proc.stderr, proc.stderr.decode(errors="replace")
    return [strict_json(line) for line in proc.stdout.splitlines()], proc.stderr


def test_a_line_nested_1000_deep_gets_an_error_and_the_batch_goes_on():
    replies, _ = run_batch([b'{"id": 1, "text": "hello"}', DEEP_ARRAY, DEEP_TEXT, DEEP_OBJECT,
                            b'{"id": 2, "text": "hello"}'])
    assert [r["id"] for r in replies] == [1, None, None, None, 2]
    assert [r["kind"] for r in replies] == ["smalltalk", "error", "error", "error", "smalltalk"]
    assert all("nested too deeply" in r["error"] for r in replies[1:4])


@pytest.mark.parametrize(("line", "expected"), [
    (b"\xff\xfe", "not valid UTF-8"),
    (b"{not json", "not valid JSON"),
    (b"[1, 2]", "JSON object"),
    (b'{"id": 7}', "'text' must be a string"),
    (b'{"id": 7, "text": "hi", "session": true}', "'session' must be a string"),
    (b'{"id": 7, "text": "hi", "session": [1]}', "'session' must be a string"),
    (b"x" * (batch.MAX_LINE_BYTES + 10), "longer than"),
])
def test_every_bad_line_gets_a_kind_error_reply(line, expected):
    replies, _ = run_batch([line, b'{"id": "next", "text": "hello"}'])
    assert len(replies) == 2
    assert replies[0]["kind"] == "error" and expected in replies[0]["error"]
    assert replies[1]["id"] == "next" and replies[1]["kind"] == "smalltalk"


def test_error_replies_have_every_field_of_a_reply(mini_bot):
    good = batch.handle_line(mini_bot, b'{"id": 1, "text": "hello"}')
    bad = batch.handle_line(mini_bot, DEEP_ARRAY)
    assert set(good) <= set(bad) | {"explanation"}


def test_a_lone_surrogate_is_answered_and_written_as_valid_utf8_json():
    replies, _ = run_batch([b'{"id": "\\ud800", "text": "\\ud800 zzqx"}', b'{"id": 2, "text": "hello"}'])
    assert replies[0]["id"] == "\ud800"  # escaped on the wire, the same string once parsed
    assert replies[0]["kind"] == "fallback"
    assert replies[1]["kind"] == "smalltalk"


def test_ids_that_are_not_plain_json_values_come_back_null():
    replies, _ = run_batch([b'{"id": NaN, "text": "hello"}', b'{"id": {"a": 1}, "text": "hello"}'])
    assert [r["id"] for r in replies] == [None, None]


class _FailingBot:
    def ask(self, text: str, session: str | None = None, **options: object):
        if "boom" in text:
            raise RuntimeError("engine failure")
        return type("R", (), {"to_dict": lambda self: {"kind": "answer", "answer": text}})()


def test_a_request_the_engine_fails_on_gets_an_error_reply_and_the_batch_goes_on(capsys):
    out = io.BytesIO()
    count = batch.run(_FailingBot(), [b'{"id": 1, "text": "boom"}\n', b'{"id": 2, "text": "fine"}\n'], out)
    replies = [strict_json(line) for line in out.getvalue().splitlines()]
    assert count == 2
    assert replies[0] == {**replies[0], "id": 1, "kind": "error"}
    assert replies[1] == {"id": 2, "kind": "answer", "answer": "fine"}
    assert "engine failure" in capsys.readouterr().err


def test_read_lines_never_holds_more_than_the_limit_of_one_line():
    stream = io.BytesIO(b"short\n" + b"y" * 100 + b"\nafter\nlast")
    lines = list(batch.read_lines(stream, limit=10))
    assert lines[0] == b"short\n"
    assert len(lines[1]) == 11  # the first limit + 1 bytes only: too long, answered as an error
    assert lines[2:] == [b"after\n", b"last"]
