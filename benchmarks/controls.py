"""Conversation controls on independently written messages: each must do what it asks, look-alikes must not.

    .venv/bin/python benchmarks/controls.py [--part tune|holdout|both] [-v]

tests/data/independent/controls_*.yaml was written by someone who saw neither the code nor the knowledge
base: requests for a person, to repeat, to stop, "that's not it", "yes", thanks, and questions that use the
same words ("who should I talk to about bone pain", "should I stop tamoxifen") and must stay questions.
Each message is sent in a conversation of its own, after an answer (after a list of options, for "yes").
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

import yaml

from chatbot import Bot, Reply

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "independent"
#: What comes before the message: an answer, or (for "yes") an offer of topics to choose from.
ANSWERED = "how is bone metastasis treated"
OFFERED = "im scared im going to die"


def done(want: str, reply: Reply, before: Reply, bot: Bot) -> bool:
    """Did the reply do what the message asked?"""
    replies = {i.id: i.reply for i in bot.smalltalk.intents}
    if want == "handoff":
        return reply.kind == "handoff"
    if want == "repeat":
        return reply.stage == "control" and reply.answer == before.answer
    if want == "stop":  # dropping the thread or saying goodbye both end it politely
        return reply.kind == "smalltalk" and reply.answer in (replies.get("stop"), replies.get("goodbye"))
    if want == "not_it":
        return reply.stage == "control" and reply.kind in ("clarify", "fallback")
    if want == "yes":
        return reply.kind == "answer"
    if want == "thanks":
        return reply.kind == "smalltalk" and reply.answer == replies.get("thanks")
    return reply.stage not in ("control", "smalltalk", "pick")  # a question stays a question


def rates(bot: Bot, part: str, verbose: bool = False) -> dict[str, tuple[int, int]]:
    messages = yaml.safe_load((DATA / f"controls_{part}.yaml").read_text())["messages"]
    good: collections.Counter[str] = collections.Counter()
    total: collections.Counter[str] = collections.Counter()
    for n, m in enumerate(messages):
        session = f"{part}-{n}"
        before = bot.ask(OFFERED if m["want"] == "yes" else ANSWERED, session=session)
        reply = bot.ask(m["text"], session=session)
        ok = done(m["want"], reply, before, bot)
        good[m["want"]] += ok
        total[m["want"]] += 1
        if verbose and not ok:
            print(f"  MISS {m['want']}: {m['text']!r} -> {reply.kind} ({reply.stage})")
    out = {k: (good[k], total[k]) for k in total}
    requests = [k for k in total if k != "question"]
    detail = ", ".join(f"{k} {good[k]}/{total[k]}" for k in requests)
    print(f"{part:8} requests {sum(good[k] for k in requests)}/{sum(total[k] for k in requests)} ({detail}); "
          f"questions left alone {good['question']}/{total['question']}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["tune", "holdout", "both"], default="both")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every miss (tune part only)")
    args = parser.parse_args()
    bot = Bot.from_default()
    for part in (["tune", "holdout"] if args.part == "both" else [args.part]):
        rates(bot, part, verbose=args.verbose and part == "tune")


if __name__ == "__main__":
    main()
