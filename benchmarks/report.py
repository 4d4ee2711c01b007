"""How long `chatbot report` takes on a store of 100,000 events (the target: under 5 s).

    python benchmarks/report.py [--events 100000] [--days 30] [--html artifacts/report.html]

Fills a fresh SQLite store with synthetic events over the last ``--days`` days (answers over the
shipped FAQ's entries, clarifications, fallbacks with question text, urgent replies, handoffs,
small talk, and feedback on one answer in twenty), then times the whole report in a fresh
process: reading the store, grouping the unanswered questions, the terminal tables and the HTML.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from chatbot import Bot
from chatbot.store import feedback_event, open_store
from chatbot.store.events import ReplyEvent

KINDS = [("answer", 0.68), ("clarify", 0.08), ("fallback", 0.12), ("urgent", 0.03), ("handoff", 0.02),
         ("smalltalk", 0.07)]
UNANSWERED = ["can i drink alcohol on {x}", "does {x} cause hair loss", "how much does {x} cost",
              "is {x} covered by insurance", "where can i buy {x}", "can i fly after {x}", "is {x} safe in pregnancy",
              "what food helps with {x}", "can my dog catch {x}", "how long is the waiting list for {x}"]
THINGS = ["tamoxifen", "chemo", "radiotherapy", "herceptin", "surgery", "a bone scan", "letrozole", "the port",
          "immunotherapy", "a biopsy", "palliative care", "the trial", "a wig", "the mri", "physio"]


def fill(url: str, events: int, days: float, seed: int = 5) -> None:
    rng = random.Random(seed)
    entries = [e.id for e in Bot.from_default().kb.entries]
    weights = [1 / (i + 1) for i in range(len(entries))]  # a few entries are asked most
    now = time.time()
    store = open_store(url)
    batch: list = []
    for i in range(events):
        kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
        when = now - rng.random() * days * 86400
        entry = rng.choices(entries, weights)[0] if kind == "answer" else None
        question = None
        if kind in ("fallback", "clarify"):
            question = rng.choice(UNANSWERED).format(x=rng.choice(THINGS))
        reply_id = f"r{i}"
        batch.append(ReplyEvent(when, f"s{rng.randrange(events // 4)}", kind, entry, 70 + rng.random() * 30,
                                "matcher", "emergency" if kind == "urgent" else None, reply_id, question))
        if kind == "answer" and rng.random() < 0.05:
            helpful = rng.random() < (0.4 if entries.index(entry) % 7 == 0 else 0.85)
            batch.append(feedback_event(reply_id, helpful, None, when=when + 30))
        if len(batch) >= 5000:
            store.write(batch)
            batch = []
    store.write(batch)
    store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--days", type=float, default=30)
    parser.add_argument("--html", default=None, help="where to write the page (default: a temporary file)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/events.db"
        start = time.perf_counter()
        fill(url, args.events, args.days)
        print(f"filled {args.events:,} events in {time.perf_counter() - start:.1f} s")
        html = args.html or str(Path(tmp) / "report.html")
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "chatbot", "report", "--store", url, "--since",
                               f"{args.days + 1:g}d", "--html", html], capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return 1
        print(f"report of {args.events:,} events (tables and HTML, whole process): {elapsed:.2f} s")
        print(f"html: {Path(html).stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
