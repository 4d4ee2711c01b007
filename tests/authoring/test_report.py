"""chatbot report: the figures from a store, terminal tables, and one self-contained HTML page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time

import pytest

from chatbot.authoring.report import build, parse_since, to_text
from chatbot.authoring.report_html import to_html
from chatbot.store import feedback_event, open_store
from chatbot.store.events import ReplyEvent
from tests import support

NOW = time.time()


@pytest.fixture
def store(tmp_path):
    store = open_store(f"sqlite:///{tmp_path}/events.db")
    events = []
    for i in range(6):
        events.append(ReplyEvent(NOW - 3600 * i, "s1", "answer", "roses-water", 90.0, "matcher", None, f"a{i}", None))
    events.append(ReplyEvent(NOW - 100, "s2", "answer", "apples-prune", 88.0, "matcher", None, "b1", "prune?"))
    events += [ReplyEvent(NOW - 50 * i, "s3", "fallback", None, 0.0, "matcher", None, f"f{i}", q)
               for i, q in enumerate(["how do I grow tomatoes", "how to grow tomatoes", "<script>alert(1)</script>"])]
    events.append(ReplyEvent(NOW - 10, "s3", "fallback", None, 0.0, "matcher", None, "f9", None))
    events.append(ReplyEvent(NOW - 5, "s4", "urgent", None, 100.0, "triage", "emergency", "u1", None))
    events.append(ReplyEvent(NOW - 30 * 86400, "s5", "answer", "roses-water", 90.0, "matcher", None, "old", None))
    events += [feedback_event("b1", False, "wrong", when=NOW - 90), feedback_event("b1", False, when=NOW - 80),
               feedback_event("a1", True, when=NOW - 70), feedback_event("a2", False, when=NOW - 60)]
    store.write(events)
    return store


def test_build_counts_rates_top_entries_ratings_and_clusters(store, mini_bot):
    report = build(store, parse_since("7d", NOW), mini_bot, until=NOW + 1)
    assert report.total == 12 and report.kinds["answer"] == 7 and report.kinds["fallback"] == 4
    assert report.rate("urgent") == pytest.approx(1 / 12)
    assert report.bucket_seconds == 86400 and sum(sum(c.values()) for c in report.series.values()) == 12
    assert [(eid, n) for eid, _, n in report.most_asked] == [("roses-water", 6), ("apples-prune", 1)]
    assert [(eid, up, down) for eid, _, up, down in report.lowest_rated] == [("apples-prune", 0, 2),
                                                                             ("roses-water", 1, 1)]
    asked = {q: n for questions, _ in report.clusters for q, n in questions}
    assert "how do I grow tomatoes" in asked and "prune?" in asked  # unanswered, and answered but rated unhelpful
    tomatoes = next(g for g in report.clusters if any("tomatoes" in q for q, _ in g[0]))
    assert tomatoes[1] == 2  # the two wordings share a group
    assert report.without_text == 1


def test_terminal_tables(store, mini_bot):
    text = to_text(build(store, parse_since("7d", NOW), mini_bot, until=NOW + 1))
    assert re.search(r"^answer +7 +58.3%", text, re.M)
    assert "Most asked entries" in text and "roses-water" in text
    assert "Lowest-rated answers" in text and "Unanswered questions, grouped" in text
    assert "--store-questions" in text


def test_the_page_is_self_contained_and_escapes_everything(store, mini_bot):
    page = to_html(build(store, parse_since("7d", NOW), mini_bot, until=NOW + 1))
    assert page.count("<svg") == 2
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for fetch in ("http://", "https://", " src=", "@import", "url(", "<link"):
        assert fetch not in page
    assert "default-src 'none'" in page


@pytest.mark.parametrize(("text", "seconds"), [("7d", 7 * 86400), ("24h", 86400), ("30m", 1800), ("2w", 14 * 86400)])
def test_since_spans(text, seconds):
    assert parse_since(text, now=1000.0 + seconds) == 1000.0


def test_since_dates_and_nonsense():
    assert parse_since("2026-11-01") == parse_since("2026-11-01T00:00:00+00:00")
    with pytest.raises(ValueError, match="7d"):
        parse_since("last tuesday")


def test_the_command_prints_tables_and_writes_the_page(store, tmp_path):
    page = tmp_path / "report.html"
    proc = subprocess.run([sys.executable, "-m", "chatbot", "report", "--kb", str(support.MINI), "--store", store.url,
                           "--since", "2d", "--html", str(page)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "NO_COLOR": "1"})
    assert proc.returncode == 0, proc.stderr
    assert "12 replies" in proc.stdout and page.read_text().startswith("<!doctype html>")
    bad = subprocess.run([sys.executable, "-m", "chatbot", "report", "--store", store.url, "--since", "soon"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "7d" in bad.stderr


@pytest.mark.skipif(not shutil.which("chromium") and not os.path.exists("/usr/bin/chromium"),
                    reason="headless Chromium is not installed (.ci/run installs it)")
def test_the_page_renders_in_headless_chromium(store, mini_bot, tmp_path):
    page, shot = tmp_path / "report.html", tmp_path / "report.png"
    page.write_text(to_html(build(store, parse_since("7d", NOW), mini_bot, until=NOW + 1)), encoding="utf-8")
    browser = shutil.which("chromium") or "/usr/bin/chromium"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1000,1400",
                    f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=90)
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one
