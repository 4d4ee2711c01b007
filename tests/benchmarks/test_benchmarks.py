"""Smoke tests: every benchmark runs on a tiny input, so they cannot rot."""

from __future__ import annotations

import sys

from tests.support import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import speed


def test_speed_benchmark_runs(capsys):
    assert speed.main(["--kb", str(ROOT / "tests" / "data" / "mini.yaml"), "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "matching:" in out and "start to answer" in out


def test_speed_ab_benchmark_compares_two_commits_in_one_process(capsys):
    import speed_ab

    assert speed_ab.main(["--base", "HEAD", "--passes", "2", "--limit", "5"]) == 0
    out = capsys.readouterr().out
    assert "5 questions, 2 passes each" in out and "ratio (this / HEAD) median" in out
    assert speed_ab.main(["--base", "no-such-commit"]) == 2


def test_scale_benchmark_runs(capsys):
    import scale

    assert scale.main(["--sizes", "50", "--questions", "10", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "| 50 |" in out


def test_regression_benchmark_runs(capsys, monkeypatch):
    import regression

    monkeypatch.setattr(sys, "argv", ["regression.py", "--kb", str(ROOT / "tests" / "data" / "mini.yaml"),
                                      "--questions", str(ROOT / "tests" / "data" / "questions.yaml")])
    assert regression.main() == 0
    assert "answer" in capsys.readouterr().out


def test_load_benchmark_runs():
    import shutil
    import subprocess

    import pytest

    if shutil.which("wrk") is None:
        pytest.skip("needs wrk (apt-get install wrk)")
    pytest.importorskip("fastapi")
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "load.py"), "--workers", "1",
                           "--connections", "4", "--duration", "1"], capture_output=True, text=True, timeout=120)
    # Exit 1 only says the throughput target was missed, which a one-second smoke run may well do.
    assert proc.returncode in (0, 1), proc.stderr
    assert "requests/s" in proc.stdout and "errors: 0 " in proc.stdout


def test_report_benchmark_runs(capsys):
    import report

    assert report.main(["--events", "3000", "--days", "3"]) == 0
    assert "report of 3,000 events" in capsys.readouterr().out


def test_store_outage_benchmark_runs():
    import glob
    import shutil
    import subprocess

    import pytest

    if shutil.which("wrk") is None or not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        pytest.skip("needs wrk and PostgreSQL's server binaries (apt-get install wrk postgresql)")
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "store_outage.py"), "--workers", "2",
                           "--connections", "4", "--duration", "4", "--outage", "1:1.5"],
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "failed replies: 0" in proc.stdout and "dropped and counted" in proc.stdout
