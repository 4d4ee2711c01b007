"""The Bot: one message in, one Reply out. Pure and thread-safe once built."""

from __future__ import annotations

import os
from collections.abc import Iterable

from .analysis import Analysis, Analyzer
from .conversation import Context, FollowUps, SessionStore, picked_number
from .guards import Guards
from .knowledge import Entry, KnowledgeBase
from .loader import load
from .matcher import Candidate, Matcher
from .reply import Reply, Topic
from .smalltalk import SmallTalk, load_intents

#: Below this score nothing is answered: a wrong confident answer is worse than none.
ANSWER_THRESHOLD = 52.0
#: Entries this close to the best are a tie: ask which one was meant.
CLARIFY_MARGIN = 1.0
#: A phrasing matched this well is the entry the person meant, ties or not.
EXACT_SCORE = 99.5
#: Below the threshold, candidates above this are offered as "did you mean" suggestions.
SUGGEST_THRESHOLD = 38.0
#: A message whose weight is mostly in words the knowledge base never uses is about something else,
#: however well its other words match ("where can i buy tamoxifen").
UNKNOWN_SHARE = 0.45
#: How many related topics an answer offers.
MAX_RELATED = 4


class Bot:
    """Answers messages from a knowledge base.

    >>> bot = Bot.from_default()
    >>> bot.ask("where does it spread?", session="user-42").kind
    'answer'
    """

    def __init__(self, kb: KnowledgeBase, *, max_sessions: int = 10_000):
        self.kb = kb
        self.max_sessions = max_sessions
        self.smalltalk = SmallTalk(load_intents())
        vocabulary: list[str] = [*self.smalltalk.vocabulary(), *kb.anchors, *kb.out_of_scope]
        for entry in kb.entries:
            vocabulary.extend((*entry.phrasings, entry.title, entry.answer))
        for group in kb.not_covered:
            vocabulary.extend(group.terms)
        for values in kb.facets.values():
            for value, words in values.items():
                vocabulary.extend((value, *words))
        self.analyzer = Analyzer(kb.synonyms, vocabulary)
        self.matcher = Matcher(kb, self.analyzer)
        self.guards = Guards(kb, self.analyzer)
        self.followups = FollowUps(kb, self.analyzer)
        self.sessions = SessionStore(max_sessions)

    @classmethod
    def from_files(cls, paths: Iterable[str | os.PathLike[str]], *, cache: bool = True, **kwargs: int) -> Bot:
        """Load knowledge-base files or directories (raises KnowledgeBaseError on problems).

        With ``cache``, the built index is kept on disk keyed by the files' contents, so a large
        knowledge base loads in a fraction of the time from the second run on.
        """
        paths = list(paths)
        if cache:
            from .cache import cached_bot

            return cached_bot(cls, paths, **kwargs)
        return cls(load(paths), **kwargs)

    @classmethod
    def from_default(cls, **kwargs: int) -> Bot:
        """The embedded breast-cancer-metastasis knowledge base."""
        return cls.from_files([], **kwargs)

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        del state["sessions"]  # conversations belong to a process, not to the index
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.sessions = SessionStore(self.max_sessions)

    # -- public API -------------------------------------------------------------------

    def ask(self, text: str, session: str | None = None, context: Context | None = None) -> Reply:
        """Answer one message.

        With ``session``, the conversation's context is kept in a bounded in-memory store.
        With ``context`` (e.g. sent back by an HTTP client), nothing is stored. With neither,
        every message stands alone.
        """
        if context is None:
            context = self.sessions.get(session) if session is not None else Context()
        reply = self.respond(text, context)
        if session is not None:
            self.sessions.put(session, reply.context)
        return reply

    def respond(self, text: str, context: Context) -> Reply:
        """The pure core: message and context in, reply (carrying the next context) out."""
        if not isinstance(text, str):
            raise TypeError("text must be a string")
        analysis = self.analyzer.analyze(text)
        if not analysis.normalized:
            return self._fallback("Please type a question.", context)
        rule = self.guards.urgent(analysis)
        if rule is not None:
            return Reply("urgent", rule.message, score=100.0, context=context)
        number = picked_number(analysis.normalized)
        if number is not None:
            return self._pick(number, context)
        talk = self.smalltalk.match(analysis.normalized)
        if talk is not None:
            intent, score = talk
            message = intent.reply.format(name=self.kb.name)
            if intent.offers_topics:
                return self._with_topics("smalltalk", message, self.kb.suggested_entries(), score, context)
            return Reply("smalltalk", message, score=score, context=context)
        if self.guards.out_of_scope(analysis):
            return self._fallback(self.kb.message("out_of_scope"), context)
        gap = self.guards.not_covered(analysis)
        if gap is not None:
            return self._fallback(gap.message, context)
        return self._match(analysis, context)

    def entry(self, entry_id: str) -> Entry | None:
        return self.kb.get(entry_id)

    # -- helpers ----------------------------------------------------------------------

    def _match(self, analysis: Analysis, context: Context) -> Reply:
        if self.followups.is_follow_up(analysis):
            entry = self.followups.resolve(analysis, context)
            if entry is not None:
                return self._answer(entry, 100.0, context)
        candidates = self.matcher.rank(analysis)
        confident = [c for c in candidates if c.score >= ANSWER_THRESHOLD]
        if self.matcher.unknown_share(analysis, self.guards.anchor_words) >= UNKNOWN_SHARE:
            confident = []  # mostly about things this knowledge base never mentions
        if not confident:
            entry = self.followups.resolve(analysis, context)
            if entry is not None:
                return self._answer(entry, 100.0, context)
            close = [c.entry for c in candidates if c.score >= SUGGEST_THRESHOLD][:3]
            best = candidates[0].score if candidates else 0.0
            if close:
                return self._with_topics("fallback", self.kb.message("not_sure"), close, best, context)
            return self._fallback(self.kb.message("fallback"), context, best)
        top = confident[0]
        ties = [c for c in confident if top.score - c.score <= CLARIFY_MARGIN]
        if len(ties) > 1 and (top.score < EXACT_SCORE or ties[1].score >= EXACT_SCORE):
            # A tie the conversation settles ("what are the signs" after lung treatment) is no tie.
            entry = self.followups.resolve(analysis, context)
            if entry is not None:
                return self._answer(entry, top.score, context)
            return self._clarify(ties[:3], context)
        return self._answer(top.entry, top.score, context)

    def _related(self, entry: Entry) -> tuple[Topic, ...]:
        entries = (self.kb.get(r) for r in entry.related)
        return tuple(Topic.of(e) for e in entries if e is not None)[:MAX_RELATED]

    def _answer(self, entry: Entry, score: float, context: Context) -> Reply:
        related = self._related(entry)
        return Reply(
            kind="answer",
            answer=entry.answer,
            entry_id=entry.id,
            question=entry.question,
            score=score,
            source=entry.source,
            related=related,
            context=Context(last_entry=entry.id, options=tuple(t.id for t in related)),
        )

    def _clarify(self, candidates: list[Candidate], context: Context) -> Reply:
        options = tuple(Topic.of(c.entry) for c in candidates)
        lines = [self.kb.message("clarify")] + [f"{i}. {t.title}" for i, t in enumerate(options, 1)]
        return Reply(
            kind="clarify",
            answer="\n".join(lines),
            score=candidates[0].score,
            options=options,
            context=Context(last_entry=context.last_entry, options=tuple(t.id for t in options)),
        )

    def _with_topics(self, kind: str, message: str, entries: list[Entry], score: float, context: Context) -> Reply:
        topics = tuple(Topic.of(e) for e in entries)
        return Reply(
            kind=kind,
            answer=message,
            score=round(score, 1),
            related=topics,
            context=Context(last_entry=context.last_entry, options=tuple(t.id for t in topics)),
        )

    def _fallback(self, message: str, context: Context, score: float = 0.0) -> Reply:
        suggest = f"{message} {self.kb.message('suggest')}"
        return self._with_topics("fallback", suggest, self.kb.suggested_entries(), score, context)

    def _pick(self, number: int, context: Context) -> Reply:
        if 1 <= number <= len(context.options):
            entry = self.kb.get(context.options[number - 1])
            if entry is not None:
                return self._answer(entry, 100.0, context)
        if context.options:
            message = f"Please pick a number between 1 and {len(context.options)}, or ask a question."
        else:
            message = "There is no numbered list to pick from yet. Ask a question, or type /topics."
        return Reply("fallback", message, context=context)

