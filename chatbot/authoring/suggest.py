"""Learning from unanswered questions: group what people asked, propose where it belongs.

``read_log`` reads the JSON Lines written by ``--log-unanswered`` (fallbacks, low-confidence
answers, and answers marked unhelpful), ``read_store`` the same from a conversation store;
``group`` clusters similar questions greedily with rapidfuzz over their canonical words (typos
fixed, synonyms folded); ``propose`` ranks each group against the knowledge base and says whether
it is new wording for an existing entry (new alternates) or a new entry; ``to_patch`` prints that
as YAML for review.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from ..engine.bot import SUGGEST_THRESHOLD, Bot
from ..engine.text import normalize

#: Two questions whose canonical words are at least this similar (token_set_ratio) share a group.
SIMILARITY = 75.0


@dataclass
class Group:
    """Similar questions, most asked first, and what to do with them."""

    questions: list[tuple[str, int]]  # (text, times asked)
    entry_id: str | None = None  # the entry they probably belong to
    score: float = 0.0
    outside: str = ""  # why the knowledge base declines them ("out of scope", a not-covered message)
    keys: list[str] = field(default_factory=list, repr=False)

    @property
    def asked(self) -> int:
        return sum(count for _, count in self.questions)


def read_log(path: str | Path) -> tuple[list[str], list[str]]:
    """The logged question texts, and a warning for each line that could not be read."""
    texts, warnings = [], []
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        raise ValueError(f"{path}: file not found") from None
    except OSError as exc:
        raise ValueError(f"{path}: cannot read ({exc.strerror or exc})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            warnings.append(f"{path}:{number}: skipped, not JSON ({exc.msg})")
            continue
        text = record.get("text") if isinstance(record, dict) else None
        if not isinstance(text, str) or not text.strip():
            warnings.append(f"{path}:{number}: skipped, no 'text'")
            continue
        texts.append(text.strip())
    return texts, warnings


def read_store(url: str, since: float = 0.0) -> tuple[list[str], list[str]]:
    """From a conversation store: questions that got a fallback, a clarification or a low-confidence
    answer, and questions whose answer someone marked unhelpful. Needs ``--store-questions``."""
    from ..store import StoreError, open_store
    from .unanswered import LOW_CONFIDENCE

    store = open_store(url)
    try:
        replies, feedback = store.replies(since), store.feedback(since)
    except StoreError as exc:
        raise ValueError(str(exc)) from None
    except Exception as exc:
        raise ValueError(f"{store.describe()}: cannot read the store ({exc})") from None
    finally:
        store.close()
    texts, missing = [], 0
    for _, _, kind, _, score, _, _, _, question in replies:
        if kind in ("fallback", "clarify") or (kind == "answer" and score < LOW_CONFIDENCE):
            if question and question.strip():
                texts.append(question.strip())
            else:
                missing += 1
    for _, _, helpful, _, _, _, question in feedback:
        if not helpful:
            if question and question.strip():
                texts.append(question.strip())
            else:
                missing += 1
    warnings = [f"{store.describe()}: {missing} unanswered or unhelpful replies without question text "
                "(the server keeps it only with --store-questions)"] if missing else []
    return texts, warnings


def _similar(a: str, b: str) -> float:
    if min(len(a.split()), len(b.split())) < 2:  # one word is a subset of too much
        return fuzz.ratio(a, b)
    return fuzz.token_set_ratio(a, b)


def group(texts: Iterable[str], bot: Bot, similarity: float = SIMILARITY) -> list[Group]:
    """Greedy clustering: most asked first, each question joins the first group it is similar to."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for text in texts:
        key = normalize(text)
        if key:
            counts[key] += 1
            shown.setdefault(key, text)
    groups: list[Group] = []
    for key, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        canonical = " ".join(bot.analyzer.analyze(shown[key]).content) or key
        home = next((g for g in groups if _similar(canonical, g.keys[0]) >= similarity), None)
        if home is None:
            groups.append(Group([(shown[key], count)], keys=[canonical]))
        else:
            home.questions.append((shown[key], count))
            home.keys.append(canonical)
    return groups


def propose(groups: list[Group], bot: Bot, min_score: float = SUGGEST_THRESHOLD) -> list[Group]:
    """Fill in each group's entry: the one most of its questions come closest to, if close enough."""
    for g in groups:
        votes: Counter[str] = Counter()
        scores: dict[str, list[float]] = {}
        for text, count in g.questions:
            analysis = bot.analyzer.analyze(text)
            if bot.guards.out_of_scope(analysis):
                g.outside = "out of scope"
                continue
            gap = bot.guards.not_covered(analysis)
            if gap is not None:
                g.outside = f"not covered: {gap.message}"
                continue
            ranked = bot.matcher.rank(analysis, limit=1)
            if ranked:
                votes[ranked[0].entry.id] += count
                scores.setdefault(ranked[0].entry.id, []).append(ranked[0].score)
        if not votes:
            continue
        best, best_votes = max(votes.items(), key=lambda kv: (kv[1], sum(scores[kv[0]])))
        mean = sum(scores[best]) / len(scores[best])
        if mean >= min_score and 2 * best_votes >= sum(votes.values()):
            g.entry_id, g.score = best, round(mean, 1)
    return groups


def _slug(text: str, taken: set[str]) -> str:
    from .draft import slug

    base = slug(text)
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def to_patch(groups: list[Group], bot: Bot, source: str = "the log") -> str:
    """A YAML document a maintainer reviews: new alternates per entry, new entries, declined questions."""
    from .convert import to_yaml

    taken = {e.id for e in bot.kb.entries}
    alternates: dict[str, dict[str, Any]] = {}
    new_entries, outside = [], []
    for g in groups:
        texts = [text for text, _ in g.questions]
        if g.outside:
            outside.append({"questions": texts, "asked": g.asked, "reason": g.outside})
        elif g.entry_id:
            entry = bot.kb.get(g.entry_id)
            known = {normalize(p) for p in entry.phrasings} if entry else set()
            item = alternates.setdefault(g.entry_id, {"entry": g.entry_id, "question": entry.question if entry else "",
                                                      "asked": 0, "score": g.score, "add_alternates": []})
            item["asked"] += g.asked
            item["add_alternates"] += [t for t in texts if normalize(t) not in known]
        else:
            new_entries.append({"id": _slug(texts[0], taken), "question": texts[0], "alternates": texts[1:],
                                "answer": "TODO: write the answer", "source": "TODO: the document section",
                                "asked": g.asked})
    patch: dict[str, Any] = {}
    kept = [a for a in alternates.values() if a["add_alternates"]]
    if kept:
        patch["alternates"] = kept
    if new_entries:
        patch["new_entries"] = new_entries
    if outside:
        patch["declined"] = outside
    asked = sum(g.asked for g in groups)
    head = (f"# Suggestions from {asked} unanswered question(s) in {source}, in {len(groups)} group(s).\n"
            "# alternates: wording to add to an existing entry (\"new alternates\").\n"
            "# new_entries: new entry needed; write the answer and source, drop 'asked', then add it.\n"
            "# declined: questions the knowledge base turns away on purpose (scope, not covered).\n")
    return head + (to_yaml(patch) if patch else "{}\n")
