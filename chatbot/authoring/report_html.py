"""The report as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched.

Every text from the store or the knowledge base is escaped; the page's CSP forbids loading
anything, so it renders the same offline, from a file or as an e-mail attachment.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from .report import RATE_KINDS, Report

COLOURS = {"answer": "#2b8a3e", "clarify": "#1c7ed6", "fallback": "#e8590c", "urgent": "#c92a2a",
           "handoff": "#7048e8"}
_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
main{max-width:980px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px}
.sub{color:#5c6370;margin:0 0 18px}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px}
.tile{background:#fff;border-radius:10px;padding:12px 14px;box-shadow:0 1px 2px #0001}
.tile b{display:block;font-size:24px}.tile span{color:#5c6370;font-size:13px}
section{background:#fff;border-radius:10px;padding:16px 18px;box-shadow:0 1px 2px #0001;margin-top:16px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eceef2;
vertical-align:top}th{font-size:13px;color:#5c6370;font-weight:600}.n{text-align:right;white-space:nowrap}
.legend span{display:inline-block;margin-right:14px;font-size:13px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px}
.note{color:#5c6370;font-size:13px}.q{color:#39404d}
"""


def _when(moment: float, hourly: bool) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%d %H:00" if hourly else "%b %d")


def rates_chart(report: Report, width: int = 900, height: int = 260) -> str:
    """Share of each reply kind per day (or hour), as lines on one SVG."""
    points = list(report.series.items())
    left, right, top, bottom = 44, 30, 12, 28
    inner_w, inner_h = width - left - right, height - top - bottom
    peak = max([counts[k] / max(sum(counts.values()), 1) for _, counts in points for k in RATE_KINDS] + [0.05])
    ceiling = next(c for c in (0.2, 0.4, 0.6, 0.8, 1.0) if peak <= c)
    out = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="Reply kinds over time">']
    for i in range(5):
        y = top + inner_h * i / 4
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eceef2"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#5c6370">'
                   f'{ceiling * (1 - i / 4):.0%}</text>')
    if not points:
        return "".join(out) + f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle">no events</text></svg>'
    step = inner_w / max(len(points) - 1, 1)
    hourly = report.bucket_seconds == 3600
    every = max(1, len(points) // 8)
    for i, (start, _) in enumerate(points):
        if i % every == 0:
            out.append(f'<text x="{left + i * step:.1f}" y="{height - 8}" font-size="11" text-anchor="middle" '
                       f'fill="#5c6370">{escape(_when(start, hourly))}</text>')
    for kind in RATE_KINDS:
        coords = []
        for i, (_, counts) in enumerate(points):
            share = counts[kind] / max(sum(counts.values()), 1)
            coords.append(f"{left + i * step:.1f},{top + inner_h * (1 - min(share / ceiling, 1)):.1f}")
        out.append(f'<polyline fill="none" stroke="{COLOURS[kind]}" stroke-width="2" points="{" ".join(coords)}"/>')
        if len(points) <= 40:
            out += [f'<circle cx="{c.split(",")[0]}" cy="{c.split(",")[1]}" r="2.5" fill="{COLOURS[kind]}"/>'
                    for c in coords]
    return "".join(out) + "</svg>"


def bars(rows: list[tuple[str, int]], colour: str = "#1c7ed6", width: int = 900) -> str:
    """Horizontal bars with their labels, one row each."""
    if not rows:
        return '<p class="note">Nothing yet.</p>'
    row_h, label_w = 26, 330
    peak = max(n for _, n in rows) or 1
    height = row_h * len(rows)
    out = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="bar chart">']
    for i, (label, n) in enumerate(rows):
        y = i * row_h
        bar = (width - label_w - 60) * n / peak
        short = label if len(label) <= 48 else label[:47] + "…"
        out.append(f'<text x="{label_w - 8}" y="{y + 17}" font-size="13" text-anchor="end">{escape(short)}</text>'
                   f'<rect x="{label_w}" y="{y + 5}" width="{bar:.1f}" height="{row_h - 10}" rx="3" fill="{colour}"/>'
                   f'<text x="{label_w + bar + 6:.1f}" y="{y + 17}" font-size="12" fill="#5c6370">{n}</text>')
    return "".join(out) + "</svg>"


def to_html(report: Report) -> str:
    hourly = report.bucket_seconds == 3600
    period = f"{_when(report.since, hourly)} – {_when(report.until, hourly)} (UTC)"
    tiles = [f'<div class="tile"><b>{report.total:,}</b><span>replies</span></div>']
    tiles += [f'<div class="tile"><b style="color:{COLOURS[k]}">{report.rate(k):.1%}</b><span>{k}</span></div>'
              for k in RATE_KINDS]
    tiles.append(f'<div class="tile"><b>{report.feedback:,}</b><span>feedback</span></div>')
    legend = "".join(f'<span><i style="background:{COLOURS[k]}"></i>{k}</span>' for k in RATE_KINDS)
    rated = "".join(
        f"<tr><td>{escape(label)} <span class=note>({escape(eid)})</span></td><td class=n>{up}</td>"
        f"<td class=n>{down}</td><td class=n>{up / (up + down):.0%}</td></tr>"
        for eid, label, up, down in report.lowest_rated) or \
        '<tr><td colspan=4 class=note>No negative feedback.</td></tr>'
    clusters = "".join(
        f"<tr><td class=n>{asked}</td><td class=q>"
        + "<br>".join(escape(q) + (f" <span class=note>×{n}</span>" if n > 1 else "") for q, n in questions)
        + "</td></tr>" for questions, asked in report.clusters) or \
        '<tr><td colspan=2 class=note>No unanswered questions with text.</td></tr>'
    missing = (f'<p class="note">{report.without_text:,} unanswered replies carry no question text (the store '
               "keeps it only with --store-questions).</p>") if report.without_text else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{escape(report.name)} – chatbot report</title><style>{_CSS}</style></head>
<body><main>
<h1>{escape(report.name)}</h1><p class="sub">Chatbot report, {escape(period)}</p>
<div class="tiles">{"".join(tiles)}</div>
<section><h2>Reply kinds over time</h2><div class="legend">{legend}</div>{rates_chart(report)}</section>
<section><h2>Most asked entries</h2>{bars([(f"{label}", n) for _, label, n in report.most_asked])}</section>
<section><h2>Lowest-rated answers</h2><table><tr><th>entry</th><th class=n>helpful</th><th class=n>not helpful</th>
<th class=n>helpful share</th></tr>{rated}</table></section>
<section><h2>Unanswered questions, grouped</h2><table><tr><th class=n>asked</th><th>questions</th></tr>{clusters}
</table>{missing}</section>
</main></body></html>
"""
