"""Triage on independently written messages: emergencies must get `urgent`, calm look-alikes must not.

    .venv/bin/python benchmarks/safety.py [--part tune|holdout|both] [-v]

The sets in tests/data/independent/ were written by someone who saw neither the rules nor the
knowledge base, and split in two: `tune` (looked at while building triage) and `holdout` (only scored).
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

import yaml

from chatbot import Bot

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "independent"


#: Twenty sets, each by a different writer (set 13 by two): "" (the first), "2", "3", "4", "5" and "6"
#: (self-harm, past events), "7" (calm only: everyday questions from people on treatment), "8", "9" and "10"
#: (held out whole: no tune part), "11" (past stories, emergencies told partly in the past), "12" (a quarter of
#: its emergencies indirect self-harm; calm feelings, treatment decisions, fear of dying and everyday symptoms
#: beside stories, idioms and questions), "13" (pairs: an emergency now and a calm message on the same topic,
#: sharing many of its words), "14" (every condition, a quarter self-harm; twelve kinds of calm look-alike), "15"
#: (pairs as in 13: half medical, half self-harm, mostly indirect), "16" (pairs: fear of dying, end-of-life
#: planning), "17" (pairs phrased as requests to a phone assistant), "18" (pairs with typos, relayed callers, and
#: durations, numbers and times in words or digits), "19" (pairs
#: over fourteen medical conditions and indirect self-harm, calm partners of fear, planning, the past and what-ifs),
#: "20" (pairs whose self-harm partners are emotional distress without intent), "21" (pairs from patients,
#: relatives, relayed callers and non-native writers; calm partners of grief, calm talk of death, pets and TV), "22"
#: (pairs, half medical, half self-harm told by a place, a means or a goodbye; typos, relayed callers), "23" (pairs
#: of indirect self-harm and a calm look-alike, written as training data and kept as a test), "24" and "25" (pairs,
#: 60 self-harm, about oneself or relayed, and 40 medical; calm partners of grief, dark humour, wills and hospice,
#: resolved thoughts, safe doses, lyrics; two writers who saw neither the rules, the base nor the article), "26"
#: (tune only: calm fear of dying and of leaving loved ones, and self-harm told with leaving or goodbyes).
SETS = ("", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20",
        "21", "22", "23", "24", "25", "26")


def rates(bot: Bot, part: str, verbose: bool = False, which: str = "") -> dict[str, float]:
    out: dict[str, float] = {}
    for name, want_urgent, group_key in (("emergencies", True, "condition"), ("calm", False, "type")):
        path = DATA / f"{name}{which}_{part}.yaml"
        if not path.exists():  # a calm-only set
            continue
        messages = yaml.safe_load(path.read_text())["messages"]
        per: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
        for m in messages:
            reply = bot.ask(m["text"])
            ok = (reply.kind == "urgent") == want_urgent
            per[m[group_key]][0] += ok
            per[m[group_key]][1] += 1
            if verbose and not ok:
                print(f"  MISS {name}/{m[group_key]}: {m['text']!r} -> {reply.kind} {getattr(reply, 'triage', '')}")
        good = sum(v[0] for v in per.values())
        total = sum(v[1] for v in per.values())
        out[name] = good / total
        detail = ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(per.items()))
        print(f"set{which or 1} {part:8} {name:12} {good}/{total} = {good / total:.1%}   ({detail})")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["tune", "holdout", "both"], default="both")
    parser.add_argument("--set", choices=[str(n) for n in range(1, len(SETS) + 1)] + ["all"], default="all",
                        help="which writer's set")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every miss (tune part only)")
    args = parser.parse_args()
    bot = Bot.from_default()
    for which in (SETS if args.set == "all" else ("" if args.set == "1" else args.set,)):
        for part in (["tune", "holdout"] if args.part == "both" else [args.part]):
            rates(bot, part, verbose=args.verbose and part == "tune", which=which)


if __name__ == "__main__":
    main()
