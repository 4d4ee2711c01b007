"""Matching speed on a knowledge base, and start-up time of `chatbot ask`.

    python benchmarks/speed.py [--kb PATH] [--repeat 5] [--cold 3]

Matching excludes start-up: the questions of tests/data/questions.yaml are asked (each on its own,
no session) after the Bot is built, once to read their words for the first time, then `--repeat` times.
Start-up is whole `chatbot ask` processes, with the index cached; `--cold N` also times N processes that
build it (CHATBOT_NO_CACHE=1). Triage's sentence encoder (engine/encoder.py) is timed on its own: loading,
a message it reads, how many of the questions reach it, and a whole `chatbot ask` of a message that does.
For CLINC150's 150 intents: `python ../shared/eval/intents.py faq --kb-out /tmp/clinc.yaml`, then
`--kb /tmp/clinc.yaml`.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

from chatbot import Bot
from chatbot.engine import encoder

QUESTIONS = Path(__file__).resolve().parent.parent / "tests" / "data" / "questions.yaml"


def matching_times(bot: Bot, questions: list[str], repeat: int) -> list[list[float]]:
    """Per-question times in milliseconds, pass by pass (``repeat`` passes)."""
    passes = []
    for _ in range(repeat):
        times = []
        for text in questions:
            start = time.perf_counter()
            bot.ask(text)
            times.append((time.perf_counter() - start) * 1000)
        passes.append(times)
    return passes


#: A message only the sentence encoder reads as self-harm (tests/engine/test_encoder.py).
ENCODED = "i'm at the top of the car park, i'm not coming down"


def encoder_figures(bot: Bot, questions: list[str]) -> str:
    """Loading, a message read (median over the questions), and how many of the questions triage asks it about."""
    asked = []
    real = encoder.shipped_model

    def counting(name: str) -> encoder.EncodedModel | None:
        asked.append(name)
        return real(name)

    encoder.shipped_model = counting  # type: ignore[assignment]
    try:
        for text in questions:
            bot.triage.assess(text)
    finally:
        encoder.shipped_model = real  # type: ignore[assignment]
    encoder.shipped.cache_clear()
    start = time.perf_counter()
    model = encoder.shipped()
    load_ms = (time.perf_counter() - start) * 1000
    if model is None:
        return "sentence encoder: not installed"
    reads = []
    for text in questions:
        start = time.perf_counter()
        model.encode(text)
        reads.append((time.perf_counter() - start) * 1000)
    return (f"sentence encoder (triage): loaded in {load_ms:.0f} ms; a message read in "
            f"{statistics.median(reads):.1f} ms median (p99 {percentile(reads, 0.99):.1f}); "
            f"triage asked it about {len(asked)} of {len(questions)} questions")


def startup_times(repeat: int, kb: list[str], cold: bool = False, text: str = "where does breast cancer spread"
                  ) -> list[float]:
    """Whole processes, as an installed package runs: its modules compiled once. (A sandbox that sets
    PYTHONDONTWRITEBYTECODE=1 for an editable install makes every process compile the package again: 430 ms
    where this reads 230-270 on the day it was measured.)"""
    args = [sys.executable, "-m", "chatbot", "ask", text]
    for path in kb:
        args += ["--kb", path]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if cold:
        env["CHATBOT_NO_CACHE"] = "1"
    else:
        subprocess.run(args, check=True, capture_output=True, env=env)  # writes the bytecode and the index cache
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, env=env)
        times.append((time.perf_counter() - start) * 1000)
    return times


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kb", action="append", default=[])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cold", type=int, default=0, help="also time this many processes that build the index")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    bot = Bot.from_files(args.kb) if args.kb else Bot.from_default()
    load_ms = (time.perf_counter() - start) * 1000
    gc.freeze()  # as the CLI does once the index is built
    data = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    questions = [c["q"] for c in data["cases"]]
    first, *passes = matching_times(bot, questions, args.repeat + 1)
    ms = [t for times in passes for t in times]
    means = [statistics.mean(times) for times in passes]
    print(f"knowledge base: {len(bot.kb)} entries, built in {load_ms:.0f} ms")
    # The first pass reads every word for the first time (spelling, n-grams, the classifier's rows); the
    # machine's speed drifts from pass to pass, so the median and the fastest pass are shown beside the mean.
    print(f"matching, first pass: {len(first)} questions, mean {statistics.mean(first):.3f} ms")
    print(f"matching: {len(ms)} questions, mean {statistics.mean(ms):.3f} ms, p50 {percentile(ms, 0.5):.3f} ms, "
          f"p99 {percentile(ms, 0.99):.3f} ms, max {max(ms):.3f} ms; pass means median {statistics.median(means):.3f} "
          f"ms, fastest {min(means):.3f} ms")
    starts = startup_times(args.repeat, args.kb)
    print(f"`chatbot ask` start to answer: median {statistics.median(starts):.0f} ms "
          f"(min {min(starts):.0f}, max {max(starts):.0f}) over {len(starts)} runs, index cached")
    if bot.triage.crisis is not None:  # a base whose triage has a crisis message
        print(encoder_figures(bot, questions))
        encoded = startup_times(args.repeat, args.kb, text=ENCODED)
        print(f"`chatbot ask` of a message the encoder reads: median {statistics.median(encoded):.0f} ms "
              f"(min {min(encoded):.0f}, max {max(encoded):.0f}) over {len(encoded)} runs, index cached")
    if args.cold:
        colds = startup_times(args.cold, args.kb, cold=True)
        print(f"`chatbot ask` building the index: median {statistics.median(colds) / 1000:.1f} s "
              f"(min {min(colds) / 1000:.1f}, max {max(colds) / 1000:.1f}) over {len(colds)} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
