"""Matching speed of this checkout against another commit, side by side in one process.

    python benchmarks/speed_ab.py [--base REV] [--passes 15] [--limit N]

This machine's speed drifts by a third from one minute to the next, so two runs one after the other
compare the moments more than the code. Here the other commit's package is extracted (`git archive`)
under another name and imported beside this one; both Bots answer the questions of
tests/data/questions.yaml in alternate passes, and the ratio of each pair of passes is reported
(median and range), with each side's fastest and median pass.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "tests" / "data" / "questions.yaml"
ALIAS = "chatbot_base"


def import_base(rev: str, into: Path) -> Any:
    """The ``chatbot`` package of ``rev``, importable as ``chatbot_base`` (its imports are relative)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "chatbot", "faq"], check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later: no links or paths out of ``into``
            tar.extractall(into, filter="data")
        else:
            tar.extractall(into)  # our own repository's archive
    (into / "chatbot").rename(into / ALIAS)
    for name in [m for m in sys.modules if m == ALIAS or m.startswith(f"{ALIAS}.")]:
        del sys.modules[name]  # another commit's, from an earlier call in this process
    sys.path.insert(0, str(into))
    return importlib.import_module(ALIAS)


def passes(bots: list[Any], questions: list[str], count: int) -> list[list[float]]:
    """Milliseconds per question of each bot, pass by pass, the bots taking turns."""
    times: list[list[float]] = [[] for _ in bots]
    for _ in range(count):
        for bot, out in zip(bots, times, strict=True):
            start = time.perf_counter()
            for text in questions:
                bot.ask(text)
            out.append((time.perf_counter() - start) / len(questions) * 1000)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="HEAD~1", help="the commit to compare with (default: HEAD~1)")
    parser.add_argument("--passes", type=int, default=15)
    parser.add_argument("--limit", type=int, default=None, help="ask only the first this many questions")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    import chatbot

    questions = [c["q"] for c in yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["cases"]][:args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        try:
            base = import_base(args.base, Path(tmp))
        except subprocess.CalledProcessError as error:
            print(f"cannot read {args.base!r}: {error.stderr.decode().strip()}", file=sys.stderr)
            return 2
        bots = [base.Bot.from_default(cache=False), chatbot.Bot.from_default(cache=False)]
        gc.freeze()
        passes(bots, questions, 1)  # every word read once by each (spelling, n-grams, the classifier's rows)
        before, after = passes(bots, questions, args.passes)
    ratios = sorted(b / a for a, b in zip(before, after, strict=True))
    print(f"{len(questions)} questions, {args.passes} passes each, alternating")
    for name, times in ((args.base, before), ("this checkout", after)):
        print(f"  {name:14} fastest {min(times):.3f} ms, median {statistics.median(times):.3f} ms a question")
    print(f"  ratio (this / {args.base}) median {statistics.median(ratios):.3f}, "
          f"range {ratios[0]:.2f}-{ratios[-1]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
