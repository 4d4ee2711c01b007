"""Answers on the independently written question sets, per set and part, judged as the shared scorer judges.

    .venv/bin/python benchmarks/questions.py [--part tune|holdout|both] [-v] [--json FILE]

tests/data/independent/questions*_{tune,holdout}.yaml were written by people who saw neither the code nor
the knowledge base, only the article (see each file's header). Each set prints its answer, conversation and
unanswerable rates; each part ends with its totals as counts: answerable questions answered right, answered
wrongly (an answer without the expected facts: worse than no answer), and the questions not to be answered
(unanswerable, out of scope) that got the reply their case asks for. `-v` lists the
misses of the tune halves only: the held-out halves are scored, never read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from benchmarks.quality import load_score_module, rates  # noqa: E402
from chatbot import Bot  # noqa: E402

DATA = ROOT / "tests" / "data" / "independent"
SCORE = ROOT.parent / "shared" / "eval" / "score.py"


def sets(part: str) -> list[tuple[str, Path]]:
    """(name, file) of each set's part, in set order ("1" is questions_<part>.yaml)."""
    found = [(p.name.removeprefix("questions").removesuffix(f"_{part}.yaml") or "1", p)
             for p in DATA.glob(f"questions*_{part}.yaml")]
    return sorted(found, key=lambda item: int(item[0]))


def score_part(bot: Bot, score, part: str, verbose: bool = False) -> dict[str, object]:
    totals = {"right": 0, "wrong": 0, "answerable": 0, "refused": 0, "unanswerable": 0}
    per_set: dict[str, dict[str, float]] = {}
    for name, path in sets(part):
        cases = yaml.safe_load(path.read_text())
        requests, expects = score.build_requests(cases)
        replies = [{"id": r["id"], **bot.ask(r["text"], session=f"{name}{part}-{r['session']}").to_dict()}
                   for r in requests]
        per_set[name] = rates(score, expects, replies)
        for expect, reply in zip(expects, replies, strict=True):
            if expect["cat"] == "conversation":
                continue  # judged in order above, with the turn before
            ok = score.check(expect, reply, None) is None
            if expect.get("kind", "answer") == "answer":
                totals["answerable"] += 1
                totals["right"] += ok
                totals["wrong"] += not ok and reply["kind"] == "answer"
            else:  # unanswerable, out of scope, small talk: any reply but a wrong answer as the case says
                totals["unanswerable"] += 1
                totals["refused"] += ok
            if verbose and not ok:
                print(f"  MISS set {name}: {expect['q'][:100]!r} -> {reply['kind']} {reply.get('entry_id')}")
        shown = "  ".join(f"{group} {rate:.1%}" for group, rate in sorted(per_set[name].items()))
        print(f"set {name:>2} {part:8} {shown}", flush=True)
    print(f"{part}: {totals['right']} / {totals['answerable']} answerable right, {totals['wrong']} answered wrongly, "
          f"{totals['refused']} / {totals['unanswerable']} not to be answered (unanswerable, out of scope) met")
    return {"sets": per_set, "totals": totals}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["tune", "holdout", "both"], default="both")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every miss (tune part only)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if not SCORE.exists():
        raise SystemExit(f"the shared scorer is not beside this checkout: {SCORE}")
    score = load_score_module(SCORE)
    bot = Bot.from_default()
    figures = {part: score_part(bot, score, part, verbose=args.verbose and part == "tune")
               for part in (["tune", "holdout"] if args.part == "both" else [args.part])}
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
