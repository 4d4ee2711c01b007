"""Issue 12: the unanswered-question log survives any text, is private, and works with every shell."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import httpx
import pytest

from chatbot.authoring.unanswered import UnansweredLog
from chatbot.engine.reply import Reply
from tests import support
from tests.support.live_server import start_server


def chatbot(*args: str | bytes, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "chatbot", *args], input=input, capture_output=True, timeout=60,
                          env={**os.environ, "NO_COLOR": "1"})


def records(path) -> list[dict]:
    return [json.loads(line) for line in path.read_bytes().decode("utf-8").splitlines()]


@pytest.fixture
def open_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_the_log_is_created_readable_by_its_owner_only(tmp_path, open_umask):
    path = tmp_path / "unanswered.jsonl"
    UnansweredLog(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_lone_surrogate_is_written_escaped_not_a_crash(tmp_path, mini_bot):
    log = UnansweredLog(tmp_path / "log.jsonl")
    assert log.record("\ud800 zzqx", Reply(kind="fallback", answer="no"), mini_bot)
    assert log.record("plain zzqx", Reply(kind="fallback", answer="no"), mini_bot)
    raw = (tmp_path / "log.jsonl").read_bytes()
    assert b"\\ud800" in raw
    assert [r["text"] for r in records(tmp_path / "log.jsonl")] == ["\ud800 zzqx", "plain zzqx"]


def test_batch_with_a_surrogate_logs_it_and_answers_every_line(tmp_path, open_umask):
    log = tmp_path / "log.jsonl"
    proc = chatbot("--log-unanswered", str(log), "batch", "--kb", str(support.MINI),
                   input=b'{"id": 1, "text": "\\ud800 zzqx"}\n{"id": 2, "text": "qqzz wxyz"}\n')
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr, proc.stderr
    assert len(proc.stdout.splitlines()) == 2
    assert [r["text"] for r in records(log)] == ["\ud800 zzqx", "qqzz wxyz"]
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_ask_with_invalid_utf8_arguments_logs_them_escaped(tmp_path):
    log = tmp_path / "log.jsonl"
    proc = chatbot("--log-unanswered", str(log), "ask", "--kb", str(support.MINI), b"\xff\xfe zzqx")
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr, proc.stderr
    (record,) = records(log)
    assert record["text"].endswith(" zzqx") and record["kind"] == "fallback"


def test_log_unanswered_before_serve_is_used_by_the_server(tmp_path, open_umask):
    log = tmp_path / "served.jsonl"
    with start_server(tmp_path, "--kb", str(support.MINI), "--log-unanswered", str(log)) as server:
        reply = httpx.post(server.url + "/v1/ask", json={"text": "qqzz wxyz"}, timeout=10).json()
    assert reply["kind"] == "fallback"
    assert [r["text"] for r in records(log)] == ["qqzz wxyz"]
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_log_unanswered_with_two_workers_is_written_by_both(tmp_path):
    log = tmp_path / "served.jsonl"
    with start_server(tmp_path, "--kb", str(support.MINI), "--workers", "2", "--log-unanswered", str(log)) as server:
        for i in range(20):
            httpx.post(server.url + "/v1/ask", json={"text": f"qqzz wxyz {i}"}, timeout=10)
    assert sorted(r["text"] for r in records(log)) == sorted(f"qqzz wxyz {i}" for i in range(20))


def test_the_top_level_option_is_refused_where_it_means_nothing():
    proc = chatbot("--log-unanswered", "x.jsonl", "check", str(support.MINI))
    assert proc.returncode == 2
    assert b"--log-unanswered applies to chat, ask, batch and serve" in proc.stderr


def test_serve_refuses_a_log_it_cannot_write(tmp_path):
    proc = chatbot("serve", "--kb", str(support.MINI), "--log-unanswered", str(tmp_path / "missing" / "log.jsonl"))
    assert proc.returncode == 1
    assert b"cannot write the unanswered-question log" in proc.stderr
