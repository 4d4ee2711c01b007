"""The store and feedback from the terminal: chat, batch and suggest with --store."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from chatbot.store import open_store
from tests import support


def chatbot(*args: str, input: str = "") -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "chatbot", *args], input=input, capture_output=True, text=True,
                          timeout=60, env={**os.environ, "NO_COLOR": "1"})
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def test_chat_records_replies_and_slash_feedback_in_the_store_and_the_log(tmp_path):
    url, log = f"sqlite:///{tmp_path}/events.db", tmp_path / "log.jsonl"
    proc = chatbot("chat", "--kb", str(support.MINI), "--store", url, "--store-questions", "--log-unanswered", str(log),
                   input="how often should I water roses\n/unhelpful too short\nqqzz wxyz\n/helpful\n")
    assert proc.returncode == 0
    assert proc.stdout.count("Thank you, noted") == 2
    store = open_store(url)
    replies = store.replies()
    assert [r[2] for r in replies] == ["answer", "fallback"]
    assert len({r[1] for r in replies}) == 1  # one conversation, hashed
    assert [(f[2], f[3], f[4], f[6]) for f in store.feedback()] == [
        (False, "too short", "roses-water", "how often should I water roses"), (True, None, None, "qqzz wxyz")]
    kinds = [json.loads(line)["kind"] for line in log.read_text().splitlines()]
    assert kinds == ["unhelpful", "fallback"]


def test_feedback_without_a_store_or_log_says_so_and_before_a_question_too(tmp_path):
    proc = chatbot("chat", "--kb", str(support.MINI), input="/helpful\nhello\n/unhelpful\n")
    assert "recorded only when the chat runs with --store or --log-unanswered" in proc.stdout
    proc = chatbot("chat", "--kb", str(support.MINI), "--store", f"sqlite:///{tmp_path}/e.db", input="/unhelpful\n")
    assert "Ask something first" in proc.stdout
    proc = chatbot("chat", "--kb", str(support.MINI), "--store", f"sqlite:///{tmp_path}/e.db",
                   input="hello\n/feedback maybe\n")
    assert "/feedback yes or /feedback no" in proc.stdout


def test_batch_keeps_no_question_text_by_default_and_hashes_sessions(tmp_path):
    url = f"sqlite:///{tmp_path}/events.db"
    lines = "".join(json.dumps({"id": i, "session": s, "text": "qqzz wxyz"}) + "\n" for i, s in enumerate("aab"))
    proc = chatbot("batch", "--kb", str(support.MINI), "--store", url, input=lines)
    assert len(proc.stdout.splitlines()) == 3
    replies = open_store(url).replies()
    assert [r[8] for r in replies] == [None, None, None]
    sessions = [r[1] for r in replies]
    assert sessions[0] == sessions[1] != sessions[2] and sessions[0] != "a"


def test_suggest_reads_unanswered_and_unhelpful_questions_from_the_store(tmp_path):
    url = f"sqlite:///{tmp_path}/events.db"
    chatbot("chat", "--kb", str(support.MINI), "--store", url, "--store-questions",
            input="how often should I water roses\n/unhelpful\nhow do I prune an apple tree\n")
    from chatbot.authoring.suggest import read_store

    assert read_store(url) == (["how do I prune an apple tree", "how often should I water roses"], [])
    proc = chatbot("suggest", "--kb", str(support.MINI), "--store", url)
    assert proc.returncode == 0, proc.stderr
    assert "how do I prune an apple tree" in proc.stdout  # a new entry; the other is a known phrasing
    assert "2 unanswered question(s)" in proc.stdout


def test_suggest_warns_when_the_store_has_no_question_text(tmp_path):
    url = f"sqlite:///{tmp_path}/events.db"
    chatbot("chat", "--kb", str(support.MINI), "--store", url, input="qqzz wxyz\n")
    proc = chatbot("suggest", "--kb", str(support.MINI), "--store", url)
    assert "without question text" in proc.stderr and "--store-questions" in proc.stderr


def test_a_store_that_cannot_be_created_is_a_clear_error(tmp_path):
    proc = chatbot("ask", "--kb", str(support.MINI), "--store", f"sqlite:///{tmp_path}/missing/e.db", "hello")
    assert proc.returncode == 1 and "cannot create the store" in proc.stderr
    proc = chatbot("ask", "--kb", str(support.MINI), "--store", "mysql://x", "hello")
    assert proc.returncode == 1 and "sqlite:/// or postgresql://" in proc.stderr


def test_report_reads_either_kind_of_store(store_url):
    chatbot("batch", "--kb", str(support.MINI), "--store", store_url, "--store-questions",
            input='{"text": "how often should I water roses"}\n{"text": "qqzz wxyz"}\n')
    proc = chatbot("report", "--kb", str(support.MINI), "--store", store_url, "--since", "1d")
    assert proc.returncode == 0, proc.stderr
    assert "2 replies" in proc.stdout and "qqzz wxyz" in proc.stdout and "roses-water" in proc.stdout
