"""How the engine scales: load time, memory and time per question at 1,000 to 100,000 entries.

    python benchmarks/scale.py [--sizes 1000 10000 100000] [--questions 300] [--repeat 3]

Each size runs in a fresh process (so peak RSS is that size's own) on a synthetic but realistic
knowledge base: a product-support FAQ with shared vocabulary (every entry says "how", "my",
"device"…; product names and parts recur across hundreds of entries), varied question templates
and alternates, so a prefilter is really exercised. Questions come in three kinds: answerable
(an entry's alternate, reworded), typo-laden (the same with two typos) and unanswerable (words the
knowledge base has never seen, mixed with its commonest words).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

PRODUCTS = [a + b for a in ("zen", "astra", "nova", "ultra", "pico", "terra", "lumen", "vista", "orbi", "kappa",
                            "delta", "sigma", "flux", "echo", "pulse", "quanta", "rivo", "sola", "vanta", "xeno")
            for b in ("phone", "pad", "book", "watch", "cam", "hub", "buds", "tv", "drive", "router")]
MODELS = ["mini", "pro", "max", "lite", "plus", "air", "one", "go", "x", "s"]
PARTS = ["battery", "screen", "charger", "speaker", "microphone", "camera", "keyboard", "strap", "lens", "port",
         "antenna", "fan", "sensor", "button", "cable", "case", "memory", "firmware", "display", "hinge"]
ASPECTS = {
    "replace": ("How do I replace the {part} on my {product}?",
                ["replace {part} {product}", "swap the {part} of a {product}", "new {part} for {product}",
                 "{product} {part} replacement"]),
    "reset": ("How do I reset the {part} of my {product}?",
              ["reset {product} {part}", "{part} reset on {product}", "restart the {product} {part}"]),
    "warranty": ("Is the {part} of the {product} covered by warranty?",
                 ["{product} {part} warranty", "warranty for broken {part} {product}",
                  "does warranty cover {product} {part}"]),
    "clean": ("How should I clean the {part} of my {product}?",
              ["clean {product} {part}", "{part} cleaning {product}", "wipe the {part} on a {product}"]),
    "fault": ("Why is the {part} on my {product} not working?",
              ["{product} {part} not working", "{part} broken {product}", "{product} {part} stopped working",
               "fix {part} {product}"]),
    "update": ("How do I update the {part} software on my {product}?",
               ["update {product} {part}", "{part} update for {product}", "upgrade {product} {part} software"]),
    "compatible": ("Which {part} is compatible with my {product}?",
                   ["compatible {part} for {product}", "{product} {part} compatibility",
                    "does any {part} fit the {product}"]),
    "lifespan": ("How long does the {part} of a {product} last?",
                 ["{product} {part} lifespan", "how long {part} lasts {product}", "{part} life of {product}"]),
}
UNKNOWN = ["giraffe", "volcano", "sonnet", "tapestry", "marathon", "alchemy", "quartz", "saffron", "nebula", "origami",
           "lagoon", "citadel", "meadow", "harpoon", "lantern", "mosaic", "pyramid", "tundra", "violin", "zeppelin"]


def generate(n: int, seed: int = 7) -> dict:
    """A knowledge base of ``n`` entries in this project's YAML shape."""
    rng = random.Random(seed)
    combos = [(p, m, part, a) for p in PRODUCTS for m in MODELS for part in PARTS for a in ASPECTS]
    rng.shuffle(combos)
    if n > len(combos):
        raise ValueError(f"at most {len(combos)} entries")
    entries = []
    for i, (product, model, part, aspect) in enumerate(combos[:n]):
        name = f"{product} {model}"
        question, alternates = ASPECTS[aspect]
        fill = {"part": part, "product": name}
        entries.append({
            "id": f"e{i}",
            "question": question.format(**fill),
            "alternates": [a.format(**fill) for a in alternates],
            "answer": f"For the {name}, the {part} {aspect} procedure is described in the manual. "
                      f"Contact support if the {part} still has problems after you {aspect} it.",
            "source": f"{product.title()} manual",
            "related": [f"e{(i + 1) % n}"] if n > 1 else [],
            "topic": product.title(),
        })
    return {"name": f"synthetic FAQ ({n} entries)", "entries": entries}


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def questions(kb: dict, count: int, seed: int = 11) -> dict[str, list[tuple[str, str | None]]]:
    rng = random.Random(seed)
    picks = rng.sample(kb["entries"], min(count, len(kb["entries"])))
    answerable = [(rng.choice(e["alternates"]), e["id"]) for e in picks]
    typos = []
    for text, eid in answerable:
        words = text.split()
        for _ in range(2):
            k = rng.randrange(len(words))
            words[k] = typo(words[k], rng)
        typos.append((" ".join(words), eid))
    common = ["how", "my", "the", "do", "i", "is", "of", "for"]
    unanswerable = [(" ".join(rng.sample(UNKNOWN, 2) + rng.sample(common, 2)), None) for _ in range(len(picks))]
    return {"answerable": answerable, "typos": typos, "unanswerable": unanswerable}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(path: str, count: int) -> dict:
    """Runs inside a fresh process: load, then time every question."""
    import resource

    from chatbot import Bot

    start = time.perf_counter()
    bot = Bot.from_files([path])
    load_s = time.perf_counter() - start
    gc.freeze()  # as the CLI and the server do once the index is built
    peak_after_load = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kb = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    result = {"entries": len(bot.kb), "load_s": round(load_s, 3)}
    for kind, items in questions(kb, count).items():
        times, hits = [], 0
        for text, eid in items:
            t0 = time.perf_counter()
            reply = bot.ask(text)
            times.append((time.perf_counter() - t0) * 1000)
            hits += (reply.entry_id == eid) if eid else (reply.kind == "fallback")
        result[kind] = {"p50_ms": round(pct(times, 0.5), 3), "p99_ms": round(pct(times, 0.99), 3),
                        "correct": round(hits / len(items), 3)}
    result["peak_rss_mb"] = round(peak_after_load, 1)  # the benchmark's own YAML parse comes after
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per size (median reported)")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, args.questions)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        print("| entries | load s, cold | load s, cached | peak RSS MB cold / cached | answerable p50/p99 ms "
              "| typos p50/p99 ms | unanswerable p50/p99 ms | correct (ans/typo/unans) |")
        print("|---:|---:|---:|---:|---:|---:|---:|---|")
        for size in args.sizes:
            path = Path(tmp) / f"kb{size}.yaml"
            path.write_text(yaml.safe_dump(generate(size), sort_keys=False), encoding="utf-8")
            env = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / f"cache{size}")}
            command = [sys.executable, __file__, "--measure", str(path), "--questions", str(args.questions)]
            # The first run builds the index (cold); the others read it from the cache (warm).
            cold = json.loads(subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout)
            runs = [json.loads(subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout)
                    for _ in range(args.repeat)]

            def med(*keys: str, runs: list[dict] = runs) -> float:
                values = []
                for run in runs:
                    value = run
                    for key in keys:
                        value = value[key]
                    values.append(value)
                return statistics.median(values)

            spread = max(r["load_s"] for r in runs) - min(r["load_s"] for r in runs)
            cells = [f"{size:,}", f"{cold['load_s']:.2f}", f"{med('load_s'):.2f} (±{spread / 2:.2f})",
                     f"{cold['peak_rss_mb']:.0f} / {med('peak_rss_mb'):.0f}"]
            for kind in ("answerable", "typos", "unanswerable"):
                cells.append(f"{med(kind, 'p50_ms'):.2f} / {med(kind, 'p99_ms'):.2f}")
            cells.append(" / ".join(f"{med(k, 'correct'):.0%}" for k in ("answerable", "typos", "unanswerable")))
            print("| " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
