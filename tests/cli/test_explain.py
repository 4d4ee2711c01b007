"""--explain and per-request thresholds, through the real command line and the batch protocol."""

from __future__ import annotations

import json

from tests.cli.test_cli import MINI, batch, run


def test_ask_explain_names_stage_phrasing_words_and_corrections():
    proc = run("ask", "--kb", MINI, "--explain", "how often should I watr roses")
    out = proc.stdout.decode()
    assert proc.returncode == 0, proc.stderr
    assert "stage: matcher" in out and "phrasing: How often should I water roses?" in out
    assert "watr: water" in out and "runner_up:" in out and "in_phrasing: true" in out


def test_ask_json_explain_carries_the_record():
    proc = run("ask", "--kb", MINI, "--json", "--explain", "hello")
    data = json.loads(proc.stdout)
    assert data["explanation"] == {"stage": "smalltalk"} and data["stage"] == "smalltalk"


def test_ask_rejects_a_threshold_outside_0_1():
    proc = run("ask", "--kb", MINI, "--threshold", "7", "roses")
    assert proc.returncode == 2 and b"between 0 and 1" in proc.stderr and b"Traceback" not in proc.stderr


def test_batch_threshold_and_explain_per_request():
    lines = [json.dumps({"id": "a", "text": "how often should I water roses", "threshold": 1.0}).encode(),
             json.dumps({"id": "b", "text": "how often should I water roses", "explain": True}).encode(),
             json.dumps({"id": "c", "text": "roses", "threshold": "high"}).encode()]
    a, b, c = batch(lines, "--kb", MINI)
    assert a["kind"] == "answer" and a["score"] == 100.0  # an exact phrasing clears even a bar of 1.0
    assert b["explanation"]["matched"]["entry_id"] == "roses-water" and "explanation" not in a
    assert c["kind"] == "error" and "threshold" in c["answer"]
