"""Open traffic kept aside: general messages the default knowledge base must not answer.

    .venv/bin/python benchmarks/traffic.py [-v]

tests/data/independent/traffic_holdout.txt is half of a corpus written for this project (the other
half ships as the background of ``chatbot/engine/background.py``); it was never used to tune anything.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from chatbot import Bot

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "independent" / "traffic_holdout.txt"


def false_answers(bot: Bot, verbose: bool = False) -> float:
    messages = [line.strip() for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    wrong = 0
    for text in messages:
        reply = bot.ask(text)
        if reply.kind == "answer":
            wrong += 1
            if verbose:
                print(f"  {text!r} -> {reply.entry_id} ({reply.score})")
    rate = wrong / len(messages)
    print(f"false answers {wrong}/{len(messages)} = {rate:.2%}")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true")
    false_answers(Bot.from_default(), parser.parse_args().verbose)


if __name__ == "__main__":
    main()
