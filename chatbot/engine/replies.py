"""The replies the stages build: an answer with its related topics, a clarify, a fallback with topics,
a handoff. The context each carries decides what the next message may refer back to."""

from __future__ import annotations

from .conversation import Context
from .knowledge import Entry, KnowledgeBase
from .matcher import Candidate
from .reply import Reply, Topic

#: How many related topics an answer offers.
MAX_RELATED = 4


class Replies:
    """Builds replies for one knowledge base."""

    kb: KnowledgeBase

    def related_entries(self, entry: Entry) -> list[Entry]:
        """The entries an answer offers next, at most MAX_RELATED."""
        return [e for e in (self.kb.get(r) for r in entry.related) if e is not None][:MAX_RELATED]

    def related(self, entry: Entry) -> tuple[Topic, ...]:
        return tuple(Topic.of(e) for e in self.related_entries(entry))

    def answer(self, entry: Entry, score: float, context: Context, alternatives: tuple[str, ...] = ()) -> Reply:
        related = self.related(entry)
        return Reply(
            kind="answer",
            answer=entry.answer,
            entry_id=entry.id,
            question=entry.question,
            score=score,
            source=entry.source,
            related=related,
            context=Context(last_entry=entry.id, options=tuple(t.id for t in related), alternatives=alternatives,
                            subject=self.subject_of(entry) or context.subject),
        )

    def subject_of(self, entry: Entry) -> str:
        """The entry's value of the base's first facet (its subject), or ""."""
        facet = self.kb.subject_facet
        return entry.facets.get(facet, "") if facet is not None else ""

    def clarify(self, candidates: list[Candidate], context: Context, message: str | None = None) -> Reply:
        options = tuple(Topic.of(c.entry) for c in candidates)
        lines = [message or self.kb.message("clarify")] + [f"{i}. {t.title}" for i, t in enumerate(options, 1)]
        return Reply(
            kind="clarify",
            answer="\n".join(lines),
            score=candidates[0].score,
            options=options,
            context=Context(last_entry=context.last_entry, options=tuple(t.id for t in options), offer="clarify",
                            subject=context.subject),
        )

    def with_topics(self, kind: str, message: str, entries: list[Entry], score: float, context: Context) -> Reply:
        topics = tuple(Topic.of(e) for e in entries)
        return Reply(
            kind=kind,
            answer=message,
            score=round(score, 1),
            related=topics,
            context=Context(last_entry=context.last_entry, options=tuple(t.id for t in topics),
                            fallbacks=context.fallbacks, subject=context.subject),
        )

    def handoff(self, context: Context) -> Reply:
        contact = self.kb.handoff
        return Reply("handoff", contact.text(), handoff=contact,
                     context=Context(last_entry=context.last_entry, fallbacks=context.fallbacks,
                                     subject=context.subject))

    def _fallback(self, message: str, context: Context, score: float = 0.0, topics: list[Entry] | None = None) -> Reply:
        """``message``, then topics to ask about: ``topics``, else the base's suggested entries."""
        suggest = f"{message} {self.kb.message('suggest')}"
        return self.with_topics("fallback", suggest, topics or self.kb.suggested_entries(), score, context)
