"""The opt-in unanswered-question log and `chatbot suggest`: grouping, proposals, the YAML patch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from chatbot.authoring.suggest import Group, group, propose, read_log, to_patch
from chatbot.authoring.unanswered import LoggingBot, UnansweredLog, UnansweredLogError
from chatbot.engine.reply import Reply
from tests import support

MINI = str(support.MINI)


def run(*args: str, input: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "chatbot", *args], input=input, capture_output=True, text=True,
                          timeout=60, env={**os.environ, "NO_COLOR": "1"}, cwd=cwd)


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


# -- the log ---------------------------------------------------------------------------------


def test_log_keeps_fallbacks_and_low_confidence_only(tmp_path, mini_bot):
    log = UnansweredLog(tmp_path / "log.jsonl", low_confidence=70)
    assert log.wants("how do I prune apple trees", Reply("fallback", "…"))
    assert log.wants("roses", Reply("clarify", "…"))
    assert log.wants("do roses need water in winter", Reply("answer", "…", score=64.0))
    assert not log.wants("how often should I water roses", Reply("answer", "…", score=99.0))
    assert not log.wants("2", Reply("fallback", "Please pick a number"))
    assert not log.wants("   ", Reply("fallback", "Please type a question."))
    assert not log.wants("hello", Reply("smalltalk", "Hi"))


def test_logging_bot_records_and_passes_through(tmp_path, mini_bot):
    path = tmp_path / "log.jsonl"
    bot = LoggingBot(mini_bot, UnansweredLog(path))
    assert bot.kb is mini_bot.kb  # everything but ask is the wrapped bot's
    assert bot.ask("how often should I water roses").entry_id == "roses-water"
    assert bot.ask("how do I prune an apple tree").kind == "fallback"
    assert bot.ask("do roses need water in winter", session="s").kind == "answer"
    logged = records(path)
    assert [r["text"] for r in logged] == ["how do I prune an apple tree", "do roses need water in winter"]
    first, second = logged
    assert set(first) == {"time", "text", "kind", "best_candidate", "score"}
    assert first["kind"] == "fallback" and first["time"].endswith("+00:00")
    assert second["kind"] == "low_confidence" and second["best_candidate"] == "roses-water"


def test_unwritable_log_fails_early(tmp_path):
    with pytest.raises(UnansweredLogError, match="cannot write"):
        UnansweredLog(tmp_path / "missing-dir" / "log.jsonl")


def test_read_log_skips_bad_lines(tmp_path):
    path = tmp_path / "log.jsonl"
    path.write_text('{"text": "one"}\nnot json\n\n{"kind": "fallback"}\n{"text": "two"}\n')
    texts, warnings = read_log(path)
    assert texts == ["one", "two"]
    assert [w.split(":")[1] for w in warnings] == ["2", "4"]
    with pytest.raises(ValueError, match="file not found"):
        read_log(tmp_path / "none.jsonl")


# -- grouping and proposals --------------------------------------------------------------------


def test_similar_questions_share_a_group(mini_bot):
    texts = ["how do I prune an apple tree", "how to prune apple trees", "how do i prune an apple tree",
             "what fertiliser for lemons", "when to prune apple trees"]
    groups = group(texts, mini_bot)
    by_first = {g.questions[0][0]: g for g in groups}
    apple = by_first["how do I prune an apple tree"]
    assert apple.questions[0][1] == 2  # asked twice (same words)
    assert {t for t, _ in apple.questions} >= {"how to prune apple trees", "when to prune apple trees"}
    assert ("what fertiliser for lemons", 1) in by_first["what fertiliser for lemons"].questions


def test_proposals_alternates_new_entries_and_declined(mini_bot):
    texts = ["do roses need water in winter", "do roses need watering in winter",
             "how do I prune an apple tree", "how to prune apple trees",
             "what car should I buy", "price of roses"]
    groups = propose(group(texts, mini_bot), mini_bot)
    where = {g.questions[0][0]: g for g in groups}
    assert where["do roses need water in winter"].entry_id == "roses-water"
    assert where["how do I prune an apple tree"].entry_id is None and not where["how do I prune an apple tree"].outside
    assert where["what car should I buy"].outside == "out of scope"
    assert where["price of roses"].outside.startswith("not covered")


def test_patch_is_reviewable_yaml(mini_bot):
    groups = [Group([("do roses need water in winter", 3), ("how often should I water roses", 1)], "roses-water", 64.0),
              Group([("how do I prune an apple tree", 2), ("apple tree pruning", 1)]),
              Group([("what car should I buy", 1)], outside="out of scope")]
    text = to_patch(groups, mini_bot, "log.jsonl")
    assert text.startswith("# Suggestions from 8 unanswered question(s) in log.jsonl, in 3 group(s).")
    patch = yaml.safe_load(text)
    assert patch["alternates"] == [{"entry": "roses-water", "question": "How often should I water roses?",
                                    "asked": 4, "score": 64.0,
                                    "add_alternates": ["do roses need water in winter"]}]  # known phrasing dropped
    new = patch["new_entries"][0]
    assert new["id"] == "prune-apple-tree" and new["question"] == "how do I prune an apple tree"
    assert new["alternates"] == ["apple tree pruning"] and new["answer"].startswith("TODO")
    assert patch["declined"] == [{"questions": ["what car should I buy"], "asked": 1, "reason": "out of scope"}]


# -- the commands ------------------------------------------------------------------------------


def test_log_is_off_by_default_and_opt_in(tmp_path):
    lines = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(
        ["how often should I water roses", "how do I prune an apple tree", "how to prune apple trees", "2"]))
    work = tmp_path / "work"
    work.mkdir()
    proc = run("batch", "--kb", MINI, input=lines, cwd=work)
    assert proc.returncode == 0 and not list(work.iterdir())  # nothing is written without the option
    log = tmp_path / "unanswered.jsonl"
    proc = run("batch", "--kb", MINI, "--log-unanswered", str(log), input=lines)
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 4
    assert [r["text"] for r in records(log)] == ["how do I prune an apple tree", "how to prune apple trees"]
    assert run("ask", "--kb", MINI, "--log-unanswered", str(log), "what fertiliser for lemons").returncode == 0
    assert run("--kb", MINI, "--log-unanswered", str(log), input="when to prune apple trees\n").returncode == 0
    assert len(records(log)) == 4


def test_suggest_command_prints_a_patch(tmp_path):
    log = tmp_path / "unanswered.jsonl"
    texts = ["how do I prune an apple tree", "how to prune apple trees", "do roses need water in winter",
             "what car should I buy"]
    log.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts) + "garbage\n")
    proc = run("suggest", str(log), "--kb", MINI)
    assert proc.returncode == 0, proc.stderr
    assert "warning:" in proc.stderr and ":5: skipped" in proc.stderr
    patch = yaml.safe_load(proc.stdout)
    assert patch["alternates"][0]["entry"] == "roses-water"
    assert patch["new_entries"][0]["alternates"] == ["how to prune apple trees"]
    assert patch["declined"][0]["reason"] == "out of scope"


def test_command_errors_are_one_line(tmp_path):
    proc = run("suggest", str(tmp_path / "none.jsonl"), "--kb", MINI)
    assert proc.returncode == 1 and proc.stderr.strip() == f"error: {tmp_path / 'none.jsonl'}: file not found"
    proc = run("ask", "--kb", MINI, "--log-unanswered", str(tmp_path / "no" / "log.jsonl"), "roses")
    assert proc.returncode == 1 and "cannot write" in proc.stderr and "Traceback" not in proc.stderr
