"""What each part of understanding adds: the engine with parts switched off, side by side in one run.

    .venv/bin/python benchmarks/ablation.py [--clinc …/clinc150_train_val.json] [--rows 'all parts,…']

Rows switch parts off one at a time (in-process, the index built afresh for each). Columns:
false answers on open traffic (CLINC150's 18,200 queries, and the kept-aside corpus), and the
share of answerable questions answered with the right facts (the shared dev set, and the
independently written question set's held-out half).
"""

from __future__ import annotations

import argparse
import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from unittest import mock

import yaml

from chatbot import Bot
from chatbot.engine import analysis, classifier, matcher, ranker, stages
from chatbot.engine.builder import build
from chatbot.engine.loader import load

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@contextlib.contextmanager
def nothing() -> Iterator[None]:
    yield


def without_domain_model() -> contextlib.AbstractContextManager[object]:
    return mock.patch.object(stages, "DOMAIN_GATE", 0.0)


def without_english_typo_rule() -> contextlib.AbstractContextManager[object]:
    return mock.patch.object(analysis, "is_english", lambda word: False)


def without_common_word_weight() -> contextlib.AbstractContextManager[object]:
    return mock.patch.object(matcher, "common_word_factor", lambda token: 1.0)


def without_learned_ranker() -> contextlib.AbstractContextManager[object]:
    # Uncalibrated: the matcher alone.
    return mock.patch.object(ranker, "_calibrate", lambda *args: (None, ranker.SHARES[0]))


def without_word_vectors() -> contextlib.AbstractContextManager[object]:
    # A classifier told to read vectors finds none to read (the shipped base has them off already).
    return mock.patch.object(classifier, "dimensions", lambda: 0)


@contextlib.contextmanager
def none_of_them() -> Iterator[None]:
    with without_domain_model(), without_english_typo_rule(), without_common_word_weight(), \
            without_learned_ranker():
        yield


ROWS: dict[str, Callable[[], contextlib.AbstractContextManager[object]]] = {
    "all parts": nothing,
    "without the domain model": without_domain_model,
    "without 'real English is no typo'": without_english_typo_rule,
    "without common-word weights": without_common_word_weight,
    "without the learned ranker": without_learned_ranker,
    "without word vectors": without_word_vectors,
    "none of the four": none_of_them,
}


def answered_right(bot: Bot, cases: list[dict[str, object]]) -> float:
    good = 0
    for case in cases:
        reply = bot.ask(str(case["q"]))
        facts = case.get("facts") or []
        text = reply.answer.lower()
        good += reply.kind == "answer" and all(any(str(f).lower() in text for f in group) for group in facts)
    return good / len(cases)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinc", default=str(SHARED / "data" / "clinc150" / "clinc150_train_val.json"))
    parser.add_argument("--rows", help="comma-separated row names (default: all; each takes minutes)")
    args = parser.parse_args()
    rows = {n: ROWS[n] for n in args.rows.split(",")} if args.rows else ROWS
    data = json.loads(Path(args.clinc).read_text())
    traffic = [t for t, _ in data["train"]] + [t for t, _ in data["val"]] + [t for t, _ in data["oos_val"]]
    kept = [line for line in (ROOT / "tests/data/independent/traffic_holdout.txt").read_text().splitlines() if line]
    dev = [c for c in yaml.safe_load((SHARED / "eval" / "dev.yaml").read_text())["cases"]
           if c.get("kind", "answer") == "answer"]
    held = [c for c in yaml.safe_load((ROOT / "tests/data/independent/questions_holdout.yaml").read_text())["cases"]
            if c.get("kind") == "answer"]
    kb = load(None)
    # CLINC150 as another organisation's FAQ, as ../shared/eval/intents.py builds it.
    intents: dict[str, list[str]] = {}
    for text, intent in data["train"]:
        intents.setdefault(intent, []).append(text)
    other = build([("clinc", {"entries": [
        {"id": k, "question": k.replace("_", " ").capitalize() + "?", "alternates": sorted(set(v)),
         "answer": f"About {k}.", "source": "CLINC150"} for k, v in sorted(intents.items())]}, {})])
    print("| engine | CLINC150 traffic answered | kept-aside traffic answered | dev answers right | "
          "held-out questions right | CLINC150 FAQ in-scope right | CLINC150 FAQ out-of-scope refused |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, switch in rows.items():
        with switch():
            bot = Bot(kb)
            wrong = sum(bot.ask(t).kind == "answer" for t in traffic) / len(traffic)
            wrong_kept = sum(bot.ask(t).kind == "answer" for t in kept) / len(kept)
            faq = Bot(other)
            right = sum(faq.ask(t).entry_id == i for t, i in data["val"]) / len(data["val"])
            refused = sum(faq.ask(t).kind == "fallback" for t, _ in data["oos_val"]) / len(data["oos_val"])
            print(f"| {name} | {wrong:.2%} | {wrong_kept:.2%} | {answered_right(bot, dev):.0%} | "
                  f"{answered_right(bot, held):.0%} | {right:.1%} | {refused:.0%} |", flush=True)


if __name__ == "__main__":
    main()
