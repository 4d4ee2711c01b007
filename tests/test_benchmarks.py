"""Smoke tests: every benchmark runs on a tiny input, so they cannot rot."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import speed  # noqa: E402


def test_speed_benchmark_runs(capsys):
    assert speed.main(["--kb", str(ROOT / "tests" / "data" / "mini.yaml"), "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "matching:" in out and "start to answer" in out


def test_scale_benchmark_runs(capsys):
    import scale

    assert scale.main(["--sizes", "50", "--questions", "10", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "| 50 |" in out
