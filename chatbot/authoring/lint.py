"""Checks beyond validation: what makes a valid knowledge base answer badly.

``lint`` takes a loaded KnowledgeBase (the loader has already rejected what is malformed) and
reports what will confuse matching or readers: near-duplicate phrasings in different entries,
phrasings that do not bring back their own entry, entries nothing links to, long answers.
Pure: no files are read here; ``locate`` turns the loader's line numbers into entry locations.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import combinations

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from ..engine.analysis import contains_phrase
from ..engine.bot import Bot
from ..engine.knowledge import Entry, KnowledgeBase, Problem
from ..engine.reply import Reply

#: Answers longer than this are hard to read in a chat (the loader's hard limit is 1,000).
SOFT_ANSWER_CHARS = 700
#: Canonical phrasings of different entries at least this similar (rapidfuzz ratio) are near-duplicates.
DUPLICATE_RATIO = 95.0
#: Content words this few edits apart count as spellings of one word when comparing phrasings.
SPELLING_EDITS = 1

#: A word said twice with only spaces, punctuation or an opening bracket between ("the the", "estrogen (estrogen)":
#: the remains of an edit, such as a spelling made uniform beside the gloss that explained it).
_REPEATED_WORD = re.compile(r"\b(\w+)[\s,;:(\"']+\1\b", re.IGNORECASE)

#: Where each entry is defined: entry id → (file, line).
Locations = Mapping[str, tuple[str, int | None]]


def locate(kb: KnowledgeBase, lines_by_file: Mapping[str, Mapping[int, int]]) -> dict[str, tuple[str, int | None]]:
    """Entry id → (file, line), from each file's ``loader.entry_lines`` (index in ``entries`` → line).

    A loaded knowledge base keeps every entry of every file, in file order, so the n-th entry of
    a file is the n-th item of its ``entries`` list.
    """
    located: dict[str, tuple[str, int | None]] = {}
    remaining = iter(kb.entries)
    for file in kb.files:
        lines = lines_by_file.get(file, {})
        for index in range(len(lines)):
            entry = next(remaining, None)
            if entry is None:
                return located
            located[entry.id] = (file, lines.get(index))
    return located


def lint(
    kb: KnowledgeBase,
    locations: Locations,
    *,
    bot: Bot | None = None,
    soft_answer_chars: int = SOFT_ANSWER_CHARS,
    duplicate_ratio: float = DUPLICATE_RATIO,
) -> list[Problem]:
    """Every finding, as warnings, in file order (then by check)."""
    bot = bot or Bot(kb)
    default_file = kb.files[0] if len(kb.files) == 1 else (", ".join(kb.files) or "<knowledge base>")
    order = {entry.id: i for i, entry in enumerate(kb.entries)}
    found: list[tuple[int, int, Problem]] = []

    def warn(check: int, entry: Entry, message: str) -> None:
        file, line = locations.get(entry.id, (default_file, None))
        found.append((order[entry.id], check, Problem(file, line, entry.id, message, "warning")))

    for entry, message in near_duplicates(kb, bot, duplicate_ratio, locations):
        warn(0, entry, message)
    for entry, message in self_retrieval_failures(kb, bot):
        warn(1, entry, message)
    for entry in orphans(kb):
        warn(2, entry, "no other entry relates to it (add its id to a related entry's 'related')")
    for entry in kb.entries:
        if len(entry.answer) > soft_answer_chars:
            warn(3, entry, f"answer is {len(entry.answer)} characters (soft limit {soft_answer_chars})")
        if repeated := repeated_word(entry.answer):
            warn(4, entry, f"answer says {repeated!r}: a word twice in a row")
    found.sort(key=lambda item: item[:2])
    return [problem for _, _, problem in found]


def repeated_word(text: str) -> str | None:
    """The first place ``text`` says a word twice in a row, if it does (numbers aside: "2, 2")."""
    found = next((m for m in _REPEATED_WORD.finditer(text) if not m.group(1).isdigit()), None)
    return found.group(0) if found else None


def near_duplicates(
    kb: KnowledgeBase, bot: Bot, min_ratio: float = DUPLICATE_RATIO, locations: Locations | None = None
) -> list[tuple[Entry, str]]:
    """Phrasings of different entries that read the same once analysed; reported on the later entry."""
    phrasings: list[tuple[Entry, str, str, frozenset[str]]] = []
    for entry in kb.entries:
        for text in dict.fromkeys(entry.phrasings):
            analysis = bot.analyzer.analyze(text, correct=False)
            phrasings.append((entry, text, analysis.canonical, frozenset(analysis.content)))
    canonical = [p[2] for p in phrasings]
    # process.extract rather than process.cdist: cdist needs numpy, which the core install lacks.
    scores: dict[tuple[int, int], float] = {}
    for i, text in enumerate(canonical):
        for _, score, j in process.extract(text, canonical, scorer=fuzz.ratio, score_cutoff=min_ratio, limit=None):
            if i < j:
                scores[i, j] = score
    pairs = set(scores)
    by_words: dict[frozenset[str], list[int]] = {}
    for index, (_, _, _, words) in enumerate(phrasings):
        if words:
            by_words.setdefault(words, []).append(index)
    pairs.update(pair for group in by_words.values() for pair in combinations(group, 2))
    where = locations or {}
    out = []
    for i, j in sorted(pairs):
        (first, first_text, _, first_words), (second, text, _, words) = phrasings[i], phrasings[j]
        if first.id == second.id:
            continue
        ratio = scores.get((i, j), 0.0)
        if words != first_words and _swaps_a_word(first_words, words):
            continue
        file, line = where.get(first.id, (None, None))
        at = f" ({file}:{line})" if file and line else ""
        why = f"ratio {ratio:.0f}" if ratio >= min_ratio else "same content words"
        out.append((second, f"{_kind(second, text)} {text!r} near-duplicates {_kind(first, first_text)} "
                            f"{first_text!r} of {first.id}{at} ({why})"))
    return out


def _swaps_a_word(first: frozenset[str], second: frozenset[str]) -> bool:
    """Whether each side has a content word the other lacks, beyond spelling variants.

    "... gone to her brain ..." and "... gone to her bones ..." read alike but ask different
    things; "mum's" and "mums" do not.
    """
    only_first, only_second = first - second, second - first

    def distinct(words: frozenset[str], others: frozenset[str]) -> bool:
        return any(all(OSA.distance(w, o) > SPELLING_EDITS for o in others) for w in words)

    return distinct(only_first, only_second) and distinct(only_second, only_first)


def self_retrieval_failures(kb: KnowledgeBase, bot: Bot) -> list[tuple[Entry, str]]:
    """Phrasings that, asked as-is in a fresh conversation, do not answer with their own entry."""
    out = []
    for entry in kb.entries:
        for text in dict.fromkeys(entry.phrasings):
            reply = bot.ask(text)
            if reply.kind == "answer" and reply.entry_id == entry.id:
                continue
            got = _got(bot, text, reply)
            out.append((entry, f"{_kind(entry, text)} {text!r} does not retrieve its entry: gets {got}"))
    return out


def orphans(kb: KnowledgeBase) -> list[Entry]:
    """Entries that no other entry lists in ``related`` (a knowledge base of one has none)."""
    if len(kb) < 2:
        return []
    linked = {rel for entry in kb.entries for rel in entry.related if rel != entry.id}
    return [entry for entry in kb.entries if entry.id not in linked]


def _kind(entry: Entry, text: str) -> str:
    return "question" if text == entry.question else "alternate"


def _got(bot: Bot, text: str, reply: Reply) -> str:
    if reply.kind == "answer":
        return f"{reply.entry_id} (score {reply.score:.1f})"
    if reply.kind == "clarify":
        return f"clarify between {', '.join(t.id for t in reply.options)} (score {reply.score:.1f})"
    if reply.kind == "urgent":
        return "urgent (an urgent rule's pattern matches it)"
    if reply.kind != "fallback":
        return reply.kind
    analysis = bot.analyzer.analyze(text)
    subject = bot.guards.out_of_scope(analysis)
    if subject is not None:
        return f"fallback (out of scope: {subject!r})"
    gap = bot.guards.not_covered(analysis)
    if gap is not None:
        term = next((t for t in gap.terms if contains_phrase(analysis.canonical, bot.analyzer.canonicalize(t))),
                    gap.terms[0])
        return f"fallback (not covered: {term!r})"
    best = bot.matcher.rank(analysis, limit=1)
    return f"fallback (best: {best[0].entry.id}, score {best[0].score:.1f})" if best else "fallback (no candidate)"


def summary(problems: Sequence[Problem]) -> tuple[int, int]:
    """(errors, warnings) among ``problems``."""
    errors = sum(1 for p in problems if p.severity == "error")
    return errors, len(problems) - errors
