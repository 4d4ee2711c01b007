"""``chatbot report``: what a support desk looks at, from the conversation store.

Rates of answers, clarifications, fallbacks, urgent replies and handoffs over time; the most asked
entries; the answers people rated lowest; and the clusters of questions nobody answered (grouped as
``chatbot suggest`` groups them). ``build`` reads the store once and aggregates in memory (100,000
events take well under a second); ``to_text`` prints tables, ``report_html.to_html`` writes one
self-contained page with inline SVG charts.
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .suggest import group
from .unanswered import LOW_CONFIDENCE

#: The kinds whose share is charted; everything else (small talk, errors…) counts as "other".
RATE_KINDS = ("answer", "clarify", "fallback", "urgent", "handoff")
#: Distinct unanswered questions grouped at most (the most asked first): grouping is greedy.
MAX_GROUPED = 2000
TOP = 10

_SINCE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*$")
_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_since(text: str, now: float | None = None) -> float:
    """``7d``, ``24h``, ``30m``, ``2w`` ago, or a date (``2026-11-01``), as seconds since the epoch."""
    now = time.time() if now is None else now
    match = _SINCE.match(text)
    if match:
        return now - float(match.group(1)) * _UNITS[match.group(2)]
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"--since {text!r}: give a span like 7d, 24h, 2w, or a date like 2026-11-01") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


@dataclass
class Report:
    since: float
    until: float
    total: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    bucket_seconds: int = 86400
    #: bucket start → counts per kind (RATE_KINDS and "other").
    series: dict[float, Counter[str]] = field(default_factory=dict)
    most_asked: list[tuple[str, str, int]] = field(default_factory=list)  # (entry id, label, answers)
    lowest_rated: list[tuple[str, str, int, int]] = field(default_factory=list)  # (id, label, helpful, not)
    clusters: list[tuple[list[tuple[str, int]], int]] = field(default_factory=list)  # (questions, asked)
    feedback: int = 0
    without_text: int = 0
    name: str = "FAQ"

    def rate(self, kind: str) -> float:
        return self.kinds[kind] / self.total if self.total else 0.0


def _label(bot: Any, entry_id: str) -> str:
    entry = bot.kb.get(entry_id) if bot is not None else None
    return entry.label if entry is not None else entry_id


def build(store: Any, since: float, bot: Any = None, until: float | None = None) -> Report:
    """Aggregate the store's events from ``since`` (and feedback on them) into a Report."""
    until = time.time() if until is None else until
    rows = store.replies(since, until)
    feedback = store.feedback(since)
    report = Report(since=since, until=until, name=bot.kb.name if bot is not None else "FAQ")
    span = max(until - since, 1.0)
    report.bucket_seconds = 3600 if span <= 2 * 86400 else 86400
    size = report.bucket_seconds
    series: dict[float, Counter[str]] = defaultdict(Counter)
    answered: Counter[str] = Counter()
    unanswered: Counter[str] = Counter()
    for when, _, kind, entry_id, score, _, _, _, question in rows:
        report.total += 1
        report.kinds[kind] += 1
        series[when // size * size][kind if kind in RATE_KINDS else "other"] += 1
        if kind == "answer" and entry_id:
            answered[entry_id] += 1
        if kind in ("fallback", "clarify") or (kind == "answer" and score < LOW_CONFIDENCE):
            if question:
                unanswered[question.strip()] += 1
            else:
                report.without_text += 1
    report.series = dict(sorted(series.items()))
    report.most_asked = [(eid, _label(bot, eid), n) for eid, n in answered.most_common(TOP)]
    votes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _, _, helpful, _, entry_id, _kind, question in feedback:
        report.feedback += 1
        if entry_id:
            votes[entry_id][0 if helpful else 1] += 1
        if not helpful and question:
            unanswered[question.strip()] += 1
    rated = sorted(votes.items(), key=lambda kv: (kv[1][0] / sum(kv[1]), -kv[1][1], kv[0]))
    report.lowest_rated = [(eid, _label(bot, eid), up, down) for eid, (up, down) in rated if down][:TOP]
    if bot is not None and unanswered:
        texts = [text for text, n in unanswered.most_common(MAX_GROUPED) for _ in range(n)]
        groups = sorted(group(texts, bot), key=lambda g: -g.asked)[:TOP]
        report.clusters = [(g.questions[:5], g.asked) for g in groups]
    return report


def _day(when: float, hourly: bool = False) -> str:
    moment = datetime.fromtimestamp(when, UTC)
    return moment.strftime("%Y-%m-%d %H:00") if hourly else moment.strftime("%Y-%m-%d")


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join([line, "  ".join("-" * w for w in widths), *body])


def to_text(report: Report) -> str:
    """Terminal tables."""
    hourly = report.bucket_seconds == 3600
    out = [f"{report.name}: {report.total} replies, {report.feedback} feedback, "
           f"{_day(report.since, hourly)} to {_day(report.until, hourly)} (UTC)", ""]
    out.append(_table(["kind", "replies", "rate"],
                      [[k, str(report.kinds[k]), f"{report.rate(k):.1%}"] for k in RATE_KINDS]))
    rows = []
    for start, counts in report.series.items():
        total = sum(counts.values())
        rows.append([_day(start, hourly), str(total)] + [f"{counts[k] / total:.0%}" for k in RATE_KINDS])
    out += ["", "Over time", _table(["hour" if hourly else "day", "replies", *RATE_KINDS], rows)]
    out += ["", "Most asked entries", _table(["entry", "answers"], [[f"{label} ({eid})", str(n)]
                                                                    for eid, label, n in report.most_asked])]
    out += ["", "Lowest-rated answers", _table(["entry", "helpful", "not helpful"], [
        [f"{label} ({eid})", str(up), str(down)] for eid, label, up, down in report.lowest_rated])]
    cluster_rows = [[str(asked), " | ".join(f"{q} ×{n}" if n > 1 else q for q, n in questions)[:110]]
                    for questions, asked in report.clusters]
    out += ["", "Unanswered questions, grouped", _table(["asked", "questions"], cluster_rows)]
    if report.without_text:
        out.append(f"({report.without_text} unanswered replies have no question text: the store keeps it only "
                   "with --store-questions)")
    return "\n".join(out) + "\n"
