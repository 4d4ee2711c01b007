"""The bot against baseline matchers on the shared development set: quality and cost per question.

    python benchmarks/quality.py [--methods wratio,bm25,tfidf,embed] [--kb PATH] [--passes 10] [--repeat 3]

Needs the `bench` extra (and torch for the embedding baseline: `pip install torch==2.13.0` first;
without it that baseline is skipped with a note).

1. Threshold: each baseline (benchmarks/baselines.py) scores every dev-set question once, in this
   process; a grid of thresholds is swept and the one that maximises answer rate + reject rate is
   kept (ties: the middle of the tied thresholds). Replies are judged by score.py's own check.
2. Quality: score.py (`--json`) runs the bot (`python -m chatbot batch`) and each baseline at its
   threshold through the batch protocol, as whole processes.
3. Cost: the dev requests repeated --passes times are sent at once to a whole process of each
   system; replies are flushed one by one, so ms per question = (arrival of the last reply - arrival
   of the first) / (replies - 1): start-up left out. --repeat runs: median (min-max).

Prints one Markdown table, then notes and the target check (bot ahead of every baseline on
answer and reject at once, and the cost ratios).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import baselines  # noqa: E402
import yaml  # noqa: E402

from chatbot.engine.loader import load  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
LABELS = {
    "bot": "faq-chatbot (`chatbot batch`)",
    "wratio": "rapidfuzz WRatio (questions)",
    "bm25": "BM25 (rank-bm25)",
    "tfidf": "TF-IDF char 2–4-grams + cosine",
    "embed": "all-MiniLM-L6-v2 embeddings + cosine",
}
GROUPS = ("answer", "reject", "unanswerable")


def grid(method: str) -> list[float]:
    """Thresholds swept per method, on each method's own score scale (see baselines.py)."""
    if method == "bm25":
        return [i / 4 for i in range(0, 161)]  # raw BM25 0-40: dev-set best scores lie in 0-25
    return [float(i) for i in range(0, 101)]  # WRatio 0-100, cosine x 100


def load_score_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("faq_eval_score", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def group_of(cat: str, reject_cats: set[str]) -> str:
    """The group score.py reports a category under."""
    if cat == "conversation":
        return "conversation"
    if cat in reject_cats:
        return "reject"
    if cat in ("unanswerable", "smalltalk", "urgent"):
        return cat
    return "answer"


def rates(score: ModuleType, expects: list[dict], replies: list[dict]) -> dict[str, float]:
    """Rate per group, judged exactly as score.py judges a batch."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    previous = None
    for exp, rep in zip(expects, replies, strict=True):
        prev = previous if exp["cat"] == "conversation" and exp.get("turn", 0) > 0 else None
        ok = score.check(exp, rep, prev) is None
        group = group_of(exp["cat"], score.REJECT_CATS)
        counts[group][0] += ok
        counts[group][1] += 1
        previous = rep
    return {g: ok / n for g, (ok, n) in counts.items()}


def sweep(score: ModuleType, kb, matcher: baselines.Matcher, requests: list[dict], expects: list[dict],
          thresholds: list[float]) -> list[tuple[float, dict[str, float]]]:
    """Rates per group at every threshold, from one scoring pass over the requests."""
    found = [matcher.best(r["text"]) for r in requests]  # the expensive part, done once
    results = []
    for t in thresholds:
        replies = [baselines.decide(kb, entry, s, t).to_dict() for entry, s in found]
        results.append((t, rates(score, expects, replies)))
    return results


def choose(results: list[tuple[float, dict[str, float]]]) -> tuple[float, dict[str, float], list[float]]:
    """The threshold with the best answer + reject (ties: the middle one), its rates, and every tied one."""

    def total(r: dict[str, float]) -> float:
        return r.get("answer", 0) + r.get("reject", 0)

    best = max(total(r) for _, r in results)
    tied = [(t, r) for t, r in results if abs(total(r) - best) < 1e-9]
    chosen, chosen_rates = tied[(len(tied) - 1) // 2]
    return chosen, chosen_rates, [t for t, _ in tied]


def dominates(a: dict[str, float], b: dict[str, float]) -> bool:
    """a is at least as good as b on answer and reject, and better on one of them."""
    pairs = [(a.get(g, 0), b.get(g, 0)) for g in ("answer", "reject")]
    return all(x >= y for x, y in pairs) and any(x > y for x, y in pairs)


def run_score(score_py: Path, cases: Path, cmd: list[str], timeout: float) -> dict:
    """score.py on one command; its --json metrics."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "metrics.json"
        proc = subprocess.run(
            [sys.executable, str(score_py), "--cases", str(cases), "--cmd", shlex.join(cmd), "--json", str(out),
             "--timeout", str(timeout)],
            capture_output=True, text=True, timeout=timeout + 30,
        )
        if proc.returncode != 0 or not out.is_file():
            raise SystemExit(f"score.py failed on {shlex.join(cmd)}:\n{proc.stdout[-1500:]}{proc.stderr[-1500:]}")
        return json.loads(out.read_text())


def stream(cmd: list[str], lines: list[str], timeout: float) -> tuple[float, list[float]]:
    """Send every line at once; return the time to the first reply and the arrival time of each reply."""
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdin is not None and proc.stdout is not None

    def feed() -> None:
        try:
            proc.stdin.writelines(lines)
            proc.stdin.close()
        except BrokenPipeError:
            pass

    watchdog = threading.Timer(timeout, proc.kill)
    start = time.perf_counter()
    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    watchdog.start()
    arrivals = []
    try:
        for _ in lines:
            if not proc.stdout.readline():
                break
            arrivals.append(time.perf_counter() - start)
    finally:
        watchdog.cancel()
        proc.stdout.close()
        proc.wait()
        writer.join()
    if len(arrivals) != len(lines):
        raise SystemExit(f"{shlex.join(cmd)}: {len(arrivals)} replies to {len(lines)} requests "
                         f"(exit {proc.returncode})")
    return arrivals[0], arrivals


def cost(cmd: list[str], requests: list[dict], passes: int, repeat: int, timeout: float) -> dict:
    """ms per question with start-up left out, ``repeat`` times.

    The dev requests, repeated ``passes`` times (a fresh session per pass), are sent at once; replies
    are flushed one by one, so (last arrival - first arrival) / (replies - 1) is the steady cost of a
    question through the protocol, and the first arrival is start-up plus one question.
    """
    lines = []
    for p in range(passes):
        for r in requests:
            lines.append(json.dumps({**r, "id": f"{p}.{r['id']}", "session": f"{p}.{r['session']}"}) + "\n")
    per_q, startup = [], []
    for _ in range(repeat):
        first, arrivals = stream(cmd, lines, timeout)
        startup.append(first * 1000)
        per_q.append((arrivals[-1] - arrivals[0]) * 1000 / max(1, len(arrivals) - 1))
    return {"ms_per_question": per_q, "startup_ms": startup, "questions_per_run": len(lines)}


def fmt_ms(values: list[float]) -> str:
    med = statistics.median(values)
    digits = 3 if med < 1 else 2 if med < 10 else 1
    if len(values) == 1:
        return f"{med:.{digits}f}"
    return f"{med:.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--methods", default=",".join(baselines.METHODS), help="comma-separated baselines")
    parser.add_argument("--kb", action="append", default=[], help="knowledge base (default: the shipped one)")
    parser.add_argument("--cases", type=Path, default=EVAL / "dev.yaml")
    parser.add_argument("--score", type=Path, default=EVAL / "score.py", help="the shared scorer")
    parser.add_argument("--passes", type=int, default=10, help="dev requests repeated this often per timed run")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per system")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per process")
    parser.add_argument("--json", type=Path, help="also write every result here")
    args = parser.parse_args(argv)
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = [m for m in methods if m not in baselines.METHODS]
    if unknown:
        parser.error(f"unknown methods {unknown}; choose from {', '.join(baselines.METHODS)}")

    score = load_score_module(args.score)
    kb = load(args.kb or None)
    requests, expects = score.build_requests(yaml.safe_load(args.cases.read_text(encoding="utf-8")))
    kb_args = [a for path in args.kb for a in ("--kb", str(path))]
    started = time.perf_counter()

    systems: dict[str, dict] = {"bot": {"cmd": [sys.executable, "-m", "chatbot", "batch", *kb_args]}}
    notes: list[str] = []
    for method in methods:
        try:
            matcher = baselines.make_matcher(method, kb)
        except Exception as exc:  # ImportError, or the model failing to load: skip, say why
            notes.append(f"{LABELS[method]}: skipped ({type(exc).__name__}: {exc}).")
            continue
        results = sweep(score, kb, matcher, requests, expects, grid(method))
        threshold, predicted, tied = choose(results)
        cmd = [sys.executable, str(HERE / "baselines.py"), "--method", method, "--threshold", f"{threshold:g}",
               *kb_args]
        systems[method] = {"cmd": cmd, "threshold": threshold, "predicted": predicted,
                           "tied": [min(tied), max(tied)], "sweep": results}

    for name, info in systems.items():
        info["metrics"] = run_score(args.score, args.cases, info["cmd"], args.timeout)
        info["cost"] = cost(info["cmd"], requests, args.passes, args.repeat, args.timeout)
        predicted = info.get("predicted")
        if predicted and any(abs(predicted.get(g, 0) - info["metrics"]["rates"].get(g, 0)) > 1e-9 for g in GROUPS):
            notes.append(f"{LABELS[name]}: score.py's rates differ from the sweep's ({predicted}).")

    print("| system | answer % | reject % | unanswerable % | ms/question | threshold |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, info in systems.items():
        r = info["metrics"]["rates"]
        cells = [f"{100 * r.get(g, 0):.0f}" for g in GROUPS]
        threshold = "built in" if name == "bot" else f"{info['threshold']:g}"
        print(f"| {LABELS[name]} | {' | '.join(cells)} | {fmt_ms(info['cost']['ms_per_question'])} | {threshold} |")

    bot = systems["bot"]
    bot_rates, bot_ms = bot["metrics"]["rates"], statistics.median(bot["cost"]["ms_per_question"])
    counts = bot["metrics"].get("counts", {})
    print()
    print(f"Dev set {args.cases.name}: {', '.join(f'{g} {counts[g][1]}' for g in GROUPS if g in counts)} questions "
          f"(of {len(requests)} requests); knowledge base of {len(kb)} entries.")
    print("Baselines reply `answer` or `fallback` only: no small talk, emergencies or conversation context "
          "(those categories are left out of the table). Thresholds: the best answer + reject on this dev set "
          "(ties: the middle one), on each method's own scale (WRatio 0–100, BM25 raw, cosine × 100).")
    print(f"ms/question: median (min–max) of {args.repeat} runs, each a whole process sent {args.passes} × the dev "
          "requests at once: (last reply's arrival − first reply's) ÷ (replies − 1), so start-up is left out. "
          "Time to the first reply (median ms): "
          + ", ".join(f"{name} {statistics.median(info['cost']['startup_ms']):.0f}" for name, info in systems.items())
          + ".")
    for note in notes:
        print(note)

    baseline_names = [n for n in systems if n != "bot"]
    ahead = [n for n in baseline_names if dominates(bot_rates, systems[n]["metrics"]["rates"])]
    ratios = {n: statistics.median(systems[n]["cost"]["ms_per_question"]) / bot_ms if bot_ms else float("inf")
              for n in baseline_names}
    print()
    verdict = "MET" if baseline_names and len(ahead) == len(baseline_names) else "NOT MET"
    behind = [n for n in baseline_names if n not in ahead]
    print(f"Quality target {verdict}: the bot is ahead on answer and reject at once (at least as good on both, "
          f"better on one) of {len(ahead)}/{len(baseline_names)} baselines at their chosen thresholds"
          + (f" (not of: {', '.join(behind)})" if behind else "") + ".")
    for n in baseline_names:
        # Any threshold at all: the best answer rate a baseline reaches while rejecting as well as the bot.
        keeping = [(r.get("answer", 0), t) for t, r in systems[n]["sweep"]
                   if r.get("reject", 0) >= bot_rates.get("reject", 0)]
        matched = [t for t, r in systems[n]["sweep"] if not dominates(bot_rates, r)]
        best = max(keeping) if keeping else None
        top_t, top = max(systems[n]["sweep"], key=lambda tr: (tr[1].get("answer", 0), tr[1].get("reject", 0)))
        print(f"- {n}: rejecting at least {100 * bot_rates.get('reject', 0):.0f}% it answers at best "
              + (f"{100 * best[0]:.0f}% (threshold {best[1]:g})" if best else "— (never)")
              + f"; at any threshold it answers at most {100 * top.get('answer', 0):.0f}% "
              + f"(threshold {top_t:g}, rejecting {100 * top.get('reject', 0):.0f}%)"
              + f"; thresholds where it is not behind the bot: {len(matched)} of {len(systems[n]['sweep'])}"
              + f"; cost per question {ratios[n]:.2g}× the bot's.")
    cheaper = [n for n in baseline_names if ratios[n] > 1]
    print(f"Cost target {'MET' if len(cheaper) == len(baseline_names) else 'NOT MET'}: the bot costs less per "
          f"question than {len(cheaper)}/{len(baseline_names)} baselines"
          + (f" (not than: {', '.join(n for n in baseline_names if n not in cheaper)})"
             if len(cheaper) < len(baseline_names) else "") + ".")
    print(f"(whole benchmark: {time.perf_counter() - started:.0f} s)")
    if args.json:
        for info in systems.values():
            info["cmd"] = shlex.join(info["cmd"])
            info["sweep"] = [{"threshold": t, "rates": r} for t, r in info.get("sweep", [])]
        args.json.write_text(json.dumps({"systems": systems, "notes": notes, "ratios": ratios}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
