"""Score the bot on the project's own question set (tests/data/questions.yaml).

    python benchmarks/regression.py [--kb PATH] [-v]

Prints the rate per kind and every failure with -v. The test suite runs the same check.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from chatbot import Bot

QUESTIONS = Path(__file__).resolve().parent.parent / "tests" / "data" / "questions.yaml"


def missing_facts(answer: str, facts: list[list[str]] | None) -> list[list[str]]:
    """Fact groups (each a list of alternatives) of which the answer contains none."""
    low = answer.lower()
    return [group for group in facts or [] if not any(str(alt).lower() in low for alt in group)]


def evaluate(bot: Bot, path: Path = QUESTIONS) -> tuple[dict[str, list[int]], list[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rates: dict[str, list[int]] = {}
    failures: list[str] = []

    def record(group: str, ok: bool, why: str) -> None:
        rates.setdefault(group, [0, 0])
        rates[group][0] += ok
        rates[group][1] += 1
        if not ok:
            failures.append(why)

    for case in data["cases"]:
        reply = bot.ask(case["q"])
        kind = case.get("kind", "answer")
        expect = case.get("expect")
        wanted = [expect] if isinstance(expect, str) else (expect or [])
        missing = missing_facts(reply.answer, case.get("facts"))
        ok = reply.kind == kind and (not wanted or reply.entry_id in wanted) and not missing
        record(kind, ok, f"[{kind}] {case['q']!r}: got {reply.kind} {reply.entry_id} ({reply.score}), "
                         f"want {wanted or kind}{f', missing {missing}' if missing else ''}")
    for n, turns in enumerate(data.get("conversations", [])):
        session, previous = f"conv-{n}", None
        for turn in turns:
            reply = bot.ask(turn["q"], session=session)
            if "pick_related" in turn:
                index = turn["pick_related"] - 1
                want = [previous.related[index].id] if previous and len(previous.related) > index else ["?"]
            else:
                expect = turn.get("expect")
                want = [expect] if isinstance(expect, str) else expect
            missing = missing_facts(reply.answer, turn.get("facts"))
            ok = reply.kind == "answer" and (want is None or reply.entry_id in want) and not missing
            record("conversation", ok, f"[conv {n}] {turn['q']!r}: got {reply.kind} {reply.entry_id}, want {want}")
            previous = reply
    return rates, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kb", action="append")
    parser.add_argument("--questions", type=Path, default=QUESTIONS, help="question set (default: %(default)s)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    bot = Bot.from_files(args.kb) if args.kb else Bot.from_default()
    rates, failures = evaluate(bot, args.questions)
    if args.verbose:
        print("\n".join(failures), end="\n\n")
    print(" | ".join(f"{k} {ok / n:.0%} ({ok}/{n})" for k, (ok, n) in sorted(rates.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
