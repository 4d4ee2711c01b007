"""Open traffic kept aside: general messages the default knowledge base must not answer.

    .venv/bin/python benchmarks/traffic.py [--after-answer] [--clinc val|train] [-v]

tests/data/independent/traffic_holdout.txt is half of a corpus written for this project (the other
half ships as the background of ``chatbot/engine/background.py``); it was never used to tune anything.
``--clinc`` asks CLINC150's queries of that split instead (all intents and out-of-scope, from
../shared/data/clinc150, which is not part of the package). ``--after-answer`` asks each message as the
second turn of a conversation, after a question of the base got its answer: a support desk's traffic
comes mid-conversation too, and "how do i cancel it" must not be read as about the last answer.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from chatbot import Bot

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "independent" / "traffic_holdout.txt"
CLINC = ROOT.parent / "shared" / "data" / "clinc150" / "clinc150_train_val.json"
#: First turns of the conversations in ``--after-answer``: each gets an answer of the shipped base.
OPENERS = ("what is metastatic breast cancer", "how is bone metastasis treated", "what are the symptoms of liver mets",
           "where does breast cancer spread", "what is targeted therapy", "how common is brain metastasis",
           "what are lymph nodes", "can diet help")


def messages(clinc: str | None) -> list[str]:
    if clinc is None:
        return [line.strip() for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    data = json.loads(CLINC.read_text(encoding="utf-8"))
    return [query for query, _ in (*data[clinc], *data[f"oos_{clinc}"])]


def false_answers(bot: Bot, texts: list[str], after_answer: bool = False, verbose: bool = False) -> float:
    wrong = 0
    for k, text in enumerate(texts):
        session = None
        if after_answer:
            session = f"traffic-{k}"
            opener = OPENERS[k % len(OPENERS)]
            assert bot.ask(opener, session=session).kind == "answer", opener
        reply = bot.ask(text, session=session)
        if reply.kind == "answer":
            wrong += 1
            if verbose:
                print(f"  {text!r} -> {reply.entry_id} ({reply.score})")
    rate = wrong / len(texts)
    where = " after an answer" if after_answer else ""
    print(f"false answers{where} {wrong}/{len(texts)} = {rate:.2%}")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--after-answer", action="store_true", help="ask each message after an answer")
    parser.add_argument("--clinc", choices=["val", "train"], help="CLINC150's queries of this split instead")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if args.clinc and not CLINC.exists():
        parser.error(f"{CLINC} is not there (the shared data beside this checkout)")
    false_answers(Bot.from_default(), messages(args.clinc), args.after_answer, args.verbose)


if __name__ == "__main__":
    main()
