"""Azure question answering's concepts over ours: numbered QnAs, ranked answers, prompts, follow-ups.

CQA and QnA Maker clients speak of QnAs with integer ids, answers with confidence scores, and
multi-turn prompts. This module maps the engine's replies onto those, with no matching logic of
its own: one ``Bot.respond`` call per question (plus ``Matcher.rank`` when more than one answer
is asked for). ``chatbot.azure.routes`` writes the results over HTTP; this module imports no web framework.

- ``id`` / ``qnaId`` is a stable integer per entry: N for every entry when all ids read ``qna-N``
  (as ``chatbot convert`` writes imports, so clients keep their stored QnA ids), otherwise the
  entry's 1-based position in the knowledge base (file order), unchanged while the file is;
- ``related`` becomes prompts, numbered from 1 like our picks;
- a previous QnA id becomes ``Context(last_entry=…, options=its related ids)``, so "2",
  "and the liver?" or a prompt's own text follow up as in our chat;
- a fallback is the knowledge base's default answer (``messages.fallback``, or the more specific
  message the engine chose) with ``id`` -1 and score 0, its suggested topics as prompts;
  small talk and urgent messages, which are no entries, have ``id`` 0;
- more answers than one are the matcher's next candidates scoring at least SUGGEST_THRESHOLD
  (the bot's own "did you mean" floor); metadata is an entry's ``tags``.
"""

import re
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..engine.bot import MAX_RELATED, SUGGEST_THRESHOLD, Bot
from ..engine.conversation import Context
from ..engine.knowledge import Entry, KnowledgeBase
from ..engine.matcher import REFINE_TOP, Candidate

#: ``id`` of the default answer, as CQA and QnA Maker use it.
NO_ANSWER = -1
#: ``id`` of a reply that is no entry (small talk, an urgent message).
ENGINE_REPLY = 0
_QNA_ID = re.compile(r"qna-([1-9][0-9]{0,8})")


# -- our entries as numbered QnAs -----------------------------------------------------------

@dataclass(frozen=True)
class Numbering:
    """The integer id of each entry of one knowledge base, both ways."""

    entries: Mapping[int, Entry]
    numbers: Mapping[str, int]

    @classmethod
    def of(cls, kb: KnowledgeBase) -> "Numbering":
        found = [_QNA_ID.fullmatch(entry.id) for entry in kb.entries]
        if kb.entries and all(found):
            numbers = {entry.id: int(match.group(1)) for entry, match in zip(kb.entries, found, strict=True) if match}
        else:
            numbers = {entry.id: position for position, entry in enumerate(kb.entries, 1)}
        return cls({number: kb.get(entry_id) for entry_id, number in numbers.items()}, numbers)  # type: ignore[misc]


_numberings: weakref.WeakKeyDictionary[Bot, Numbering] = weakref.WeakKeyDictionary()


def numbering(bot: Bot) -> Numbering:
    """Computed once per Bot: a reload brings a new Bot, and with it new numbers if the file changed."""
    found = _numberings.get(bot)
    if found is None:
        found = _numberings[bot] = Numbering.of(bot.kb)
    return found


@dataclass(frozen=True)
class Found:
    """One answer to write in either shape. ``entry`` is None for the default answer and for
    replies that are no entry; ``number`` is then NO_ANSWER or ENGINE_REPLY."""

    text: str
    score: float  # 0–100
    number: int
    entry: Entry | None = None
    prompts: tuple[Entry, ...] = ()


@dataclass(frozen=True)
class Asked:
    """What both APIs ask, in our terms."""

    question: str
    qna_id: int | None = None
    previous_id: int | None = None
    top: int = 1
    threshold: float = 0.0  # 0–100
    keep: Callable[[Entry], bool] | None = None


def prompts_of(kb: KnowledgeBase, entry: Entry) -> tuple[Entry, ...]:
    """The related entries an answer offers, as the bot offers them."""
    related = (kb.get(entry_id) for entry_id in entry.related)
    return tuple(e for e in related if e is not None)[:MAX_RELATED]


def find(bot: Bot, query: Asked) -> list[Found]:
    """The answers to a query, best first; never empty (the default answer when nothing fits)."""
    kb, numbers = bot.kb, numbering(bot)
    if query.qna_id:
        entry = numbers.entries.get(query.qna_id)
        return [_answer(kb, entry, 100.0, numbers)] if entry else [_default(kb.message("fallback"))]
    text, context = query.question, Context()
    previous = numbers.entries.get(query.previous_id) if query.previous_id else None
    if previous is not None:
        choices = prompts_of(kb, previous)
        context = Context(last_entry=previous.id, options=tuple(e.id for e in choices))
        text = _as_pick(text, choices)
    reply = bot.respond(text, context)
    offered = tuple(e for e in (kb.get(topic.id) for topic in reply.related) if e is not None)
    if reply.kind in ("urgent", "smalltalk"):
        return [Found(reply.answer, reply.score, ENGINE_REPLY, None, offered)]
    if reply.kind not in ("answer", "clarify"):
        return [_default(_without_suggest(reply.answer, kb), offered)]
    primary = [reply.entry_id or ""] if reply.kind == "answer" else [topic.id for topic in reply.options]
    ranked: list[Candidate] = []
    if query.top > len(primary) or query.keep is not None or reply.kind == "clarify":
        ranked = bot.ranker.rank(bot.analyzer.analyze(text), limit=REFINE_TOP)
    scores = {c.entry.id: c.score for c in ranked}
    pairs = [(entry_id, reply.score if reply.kind == "answer" else scores.get(entry_id, reply.score))
             for entry_id in primary]
    pairs += [(c.entry.id, c.score) for c in ranked if c.score >= SUGGEST_THRESHOLD and c.entry.id not in primary]
    found = []
    for entry_id, score in pairs:
        entry = kb.get(entry_id)
        if entry is None or score < query.threshold or (query.keep is not None and not query.keep(entry)):
            continue
        found.append(_answer(kb, entry, score, numbers))
    return found[: query.top] or [_default(kb.message("fallback"))]


def _answer(kb: KnowledgeBase, entry: Entry, score: float, numbers: Numbering) -> Found:
    return Found(entry.answer, score, numbers.numbers[entry.id], entry, prompts_of(kb, entry))


def _default(text: str, prompts: tuple[Entry, ...] = ()) -> Found:
    return Found(text, 0.0, NO_ANSWER, None, prompts)


def _without_suggest(answer: str, kb: KnowledgeBase) -> str:
    """A fallback's message without "You could ask about:", whose topics become prompts."""
    return answer.removesuffix(" " + kb.message("suggest"))


def _as_pick(text: str, offered: Sequence[Entry]) -> str:
    """A prompt's own text (what Bot Framework sends when one is clicked) picks it, as "2" would."""
    said = text.strip().casefold()
    for number, entry in enumerate(offered, 1):
        if said in (entry.label.casefold(), entry.question.casefold()):
            return str(number)
    return text


def tag_filter(pairs: Iterable[tuple[str, str]], any_of: bool) -> Callable[[Entry], bool]:
    """Entries tagged with all (or, with ``any_of``, any) of the pairs; case does not matter."""
    wanted = [(key.casefold(), value.casefold()) for key, value in pairs]

    def tagged(entry: Entry) -> bool:
        tags = {(key.casefold(), value.casefold()) for key, value in entry.tags.items()}
        return (any if any_of else all)(pair in tags for pair in wanted)

    return tagged


def _prompts(found: Found, numbers: Numbering) -> list[dict[str, Any]]:
    return [{"displayOrder": order, "qnaId": numbers.numbers[entry.id], "displayText": entry.label}
            for order, entry in enumerate(found.prompts, 1)]


def to_cqa(found: Found, numbers: Numbering) -> dict[str, Any]:
    entry = found.entry
    return {"questions": list(entry.phrasings) if entry else [], "answer": found.text,
            "confidenceScore": round(min(max(found.score, 0.0), 100.0) / 100, 4), "id": found.number,
            "source": entry.source if entry else None, "metadata": dict(entry.tags) if entry else {},
            "dialog": {"isContextOnly": False, "prompts": _prompts(found, numbers)}}


def to_qnamaker(found: Found, numbers: Numbering) -> dict[str, Any]:
    entry = found.entry
    return {"questions": list(entry.phrasings) if entry else [], "answer": found.text,
            "score": round(min(max(found.score, 0.0), 100.0), 2), "id": found.number,
            "source": entry.source if entry else None,
            "metadata": [{"name": k, "value": v} for k, v in entry.tags.items()] if entry else [],
            "context": {"isContextOnly": False, "prompts": _prompts(found, numbers)}}
