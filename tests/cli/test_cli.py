"""The command line, run as a user would: real processes, real pipes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from chatbot import __version__
from chatbot.cli import build_parser
from tests import support

MINI = str(support.MINI)


def run(*args: str, input: bytes | str | None = None, timeout: float = 30) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    data = input.encode() if isinstance(input, str) else input
    return subprocess.run([sys.executable, "-m", "chatbot", *args], input=data, capture_output=True,
                          timeout=timeout, env=env)


def batch(lines: list[bytes], *extra: str) -> list[dict]:
    proc = run("batch", *extra, input=b"".join(line + b"\n" for line in lines))
    assert proc.returncode == 0, proc.stderr
    assert b"Traceback" not in proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_version_and_help():
    assert run("--version").stdout.decode().strip() == f"chatbot {__version__}"
    helptext = run("--help").stdout.decode()
    for command in ("ask", "batch", "check", "topics", "serve"):
        assert command in helptext


def test_every_command_has_help():
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    for name, sub in subparsers.choices.items():
        assert sub.format_help(), name
        assert run(name, "--help").returncode == 0


def test_ask_plain_and_json():
    plain = run("ask", "how often should i water roses", "--kb", MINI).stdout.decode()
    assert "Water roses deeply" in plain
    assert "source: Roses" in plain
    assert "related: 1 Rose pests  2 Watering tomatoes" in plain
    data = json.loads(run("ask", "--json", "--kb", MINI, "how", "often", "to", "water", "roses").stdout)
    assert data["kind"] == "answer" and data["entry_id"] == "roses-water"


def test_ask_default_kb_from_another_directory(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "chatbot", "ask", "--json", "where does breast cancer spread"],
                          capture_output=True, cwd=tmp_path, timeout=30)
    assert json.loads(proc.stdout)["entry_id"] == "sites-common"


def test_batch_protocol_in_order_with_sessions():
    replies = batch([
        json.dumps({"id": "a", "session": "s1", "text": "what pests attack roses"}).encode(),
        json.dumps({"id": "b", "session": "s2", "text": "hello"}).encode(),
        json.dumps({"id": "c", "session": "s1", "text": "2"}).encode(),
    ], "--kb", MINI)
    assert [r["id"] for r in replies] == ["a", "b", "c"]
    assert replies[0]["entry_id"] == "roses-pests"
    assert replies[1]["kind"] == "smalltalk"
    assert replies[2]["entry_id"] == replies[0]["related"][1]["id"]
    for reply in replies:
        assert set(reply) >= {"id", "kind", "answer", "entry_id", "question", "score", "source", "related", "options"}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b"not json", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b'{"id": 1}', "'text' must be a string"),
        (b'{"id": 1, "text": 5}', "'text' must be a string"),
        (b'{"id": 1, "text": "hi", "session": {"x": 1}}', "'session' must be a string"),
        (b'{"id": 1, "text": "\xff\xfe"}', "not valid UTF-8"),
    ],
)
def test_batch_malformed_line_gets_error_and_batch_goes_on(line: bytes, message: str):
    replies = batch([line, b'{"id": "next", "text": "hello"}'], "--kb", MINI)
    assert replies[0]["kind"] == "error"
    assert message in replies[0]["answer"]
    assert replies[1] == {**replies[1], "id": "next", "kind": "smalltalk"}


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\x00\x01\x1b[31mred\x1b[0m", "🌹🌹🌹", "كيف أسقي الورود", "x" * 1_000_000, "\u202eevil"],
)
def test_batch_odd_text_gets_a_reply(text: str):
    (reply,) = batch([json.dumps({"id": "odd", "text": text}).encode()], "--kb", MINI)
    assert reply["kind"] in ("fallback", "answer", "clarify", "smalltalk")
    assert reply["id"] == "odd"


def test_check_ok_and_failing(tmp_path):
    ok = run("check", MINI)
    assert ok.returncode == 0 and b"ok: 7 entries" in ok.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("entries:\n  - id: a\n    question: q\n")
    proc = run("check", str(bad))
    assert proc.returncode == 1
    assert f"error: {bad}:2: a: missing or empty 'answer'".encode() in proc.stdout
    assert b"Traceback" not in proc.stderr


def test_bad_kb_path_is_one_clear_line():
    proc = run("ask", "hi", "--kb", "/nonexistent/kb.yaml")
    assert proc.returncode == 1
    assert proc.stderr.decode().strip() == "error: /nonexistent/kb.yaml: file not found"


def test_topics_plain_and_json():
    plain = run("topics", "--kb", MINI).stdout.decode()
    assert "Roses" in plain and "Watering roses" in plain
    data = json.loads(run("topics", "--json", "--kb", MINI).stdout)
    assert [e["id"] for e in data["Tomatoes"]] == ["tomato-water", "tomato-pests"]


def test_piped_chat_answers_line_by_line():
    proc = run("--kb", MINI, input="hello\nwhat pests attack roses\n1\n/quit\nnever reached\n")
    out = proc.stdout.decode()
    assert proc.returncode == 0, proc.stderr
    assert "Aphids" in out and "Water roses deeply" in out
    assert out.strip().endswith("Take care.")
    assert b"Traceback" not in proc.stderr


def test_piped_chat_survives_invalid_utf8():
    proc = run("--kb", MINI, input=b"\xff\xfe roses\nwhat pests attack roses\n")
    assert proc.returncode == 0 and b"Aphids" in proc.stdout


def test_output_never_carries_escape_sequences(tmp_path):
    kb = tmp_path / "evil.yaml"
    kb.write_text('entries:\n  - id: a\n    question: "evil \\e[2J question"\n'
                  '    answer: "Red \\e[31malert\\e[0m and \\a bell."\n    source: "S\\e]0;title\\a"\n')
    out = run("ask", "evil question", "--kb", str(kb)).stdout
    assert b"\x1b" not in out and b"\x07" not in out
    assert b"Red alert and  bell." in out
