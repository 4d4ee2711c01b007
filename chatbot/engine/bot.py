"""The Bot: one message in, one Reply out. Pure and thread-safe once built.

The whole reply policy is the ordered list in ``Bot.stages``: each stage looks at the turn and
either decides (returns a Reply) or passes. Their bodies live in ``stages.py``.
"""

from __future__ import annotations

import dataclasses
import os
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from .analysis import Analyzer
from .background import general_messages
from .conversation import Context, FollowUps, SessionStore
from .domain import DomainModel
from .guards import Guards
from .knowledge import Entry, KnowledgeBase
from .loader import load
from .matcher import Matcher
from .ranker import Ranker
from .replies import MAX_RELATED
from .reply import Reply
from .smalltalk import SmallTalk
from .stages import SUGGEST_THRESHOLD, Stages, Turn, base_bar
from .triage import Triage

__all__ = ["MAX_RELATED", "SUGGEST_THRESHOLD", "Bot"]

#: Phrasings the learned parts (domain model, background filter, triage negatives) train on at most.
MAX_TRAINING = 20_000
#: A small-talk intent is the base's own when one of its entries answers this share of the intent's phrases
#: (CLINC150 as an FAQ: its "cancel" entry answers 41 % of the stop phrases, its "no" 44 % of "that's not
#: it"; the breast-cancer base's best is 20 %, "talk to someone" reaching its seek-advice entry).
OWNED_SHARE = 1 / 3

Stage = Callable[[Turn], Reply | None]


class Bot:
    """Answers messages from a knowledge base.

    >>> bot = Bot.from_default()
    >>> bot.ask("where does it spread?", session="user-42").kind
    'answer'
    """

    def __init__(self, kb: KnowledgeBase, *, max_sessions: int = 10_000):
        self.kb = kb
        self.max_sessions = max_sessions
        self.smalltalk = SmallTalk.packaged()
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
        # The learned parts see at most MAX_TRAINING phrasings (an even sample): enough to learn a
        # domain, and a 100,000-entry base builds in bounded time and memory.
        labelled = [(p, i) for i, e in enumerate(kb.entries) for p in e.phrasings]
        labelled = labelled[:: max(1, -(-len(labelled) // MAX_TRAINING))]
        phrasings = [p for p, _ in labelled]
        general = general_messages(phrasings)  # used only here: the index does not keep them
        self.domain = DomainModel(phrasings, general)
        self.ranker = Ranker.build(kb, self.analyzer, self.matcher, labelled, general)
        self.smalltalk = self.smalltalk.without(self._owned_intents()).learned(general, phrasings)
        self.triage = Triage(kb.triage, calm=[*phrasings, *general[::3]])
        self.followups = FollowUps(kb, self.analyzer)
        self.sessions = SessionStore(max_sessions)
        self._stages = Stages(self)

    def _owned_intents(self) -> set[str]:
        """Small-talk intents this base answers itself: a third of the intent's phrases are answered, by
        one of its entries, with the confidence an answer needs (a voice assistant's FAQ with its own
        "repeat" and "cancel" entries). The breast-cancer base owns none."""
        bar = base_bar(self.kb, self.ranker.calibrated)
        owned = set()
        for intent in self.smalltalk.intents:
            answered = Counter(top[0].entry.id for top in (self.ranker.rank(self.analyzer.analyze(p), limit=1)
                                                             for p in intent.phrases)
                               if top and (top[0].confidence or 0.0) >= bar)
            if answered and answered.most_common(1)[0][1] >= OWNED_SHARE * len(intent.phrases):
                owned.add(intent.id)
        return owned

    @property
    def stages(self) -> tuple[tuple[str, Stage], ...]:
        """The reply policy, in order: the first stage that returns a Reply decides."""
        s = self._stages
        return (
            ("triage", s.triage),  # emergencies, crises and urgent care come before anything else
            ("pick", s.pick),  # "2" picks the second topic offered
            ("item", s.item),  # "what's the last one" reads the last item the answer listed
            ("control", s.control),  # "say that again", "stop", "no, that's not it", "yes", "a person"
            ("smalltalk", s.smalltalk),  # greetings, thanks, "who are you"
            ("scope", s.scope),  # about another subject altogether
            ("not_covered", s.not_covered),  # a subject the document is known not to cover
            ("follow_up", s.follow_up),  # "and the liver?" continues the last topic
            ("matcher", s.matcher),  # the knowledge base's best entry, a clarify, or a fallback
        )

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
    def from_default(cls, *, cache: bool = True, **kwargs: int) -> Bot:
        """The embedded breast-cancer-metastasis knowledge base."""
        return cls.from_files([], cache=cache, **kwargs)

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        del state["sessions"]  # conversations belong to a process, not to the index
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.sessions = SessionStore(self.max_sessions)

    # -- public API -------------------------------------------------------------------

    def ask(self, text: str, session: str | None = None, context: Context | None = None, *,
            threshold: float | None = None, explain: bool = False) -> Reply:
        """Answer one message.

        With ``session``, the conversation's context is kept in a bounded in-memory store.
        With ``context`` (e.g. sent back by an HTTP client), nothing is stored. With neither,
        every message stands alone. ``threshold`` (0–1) overrides the knowledge base's confidence
        bar; ``explain`` attaches why the reply was chosen.
        """
        if context is None:
            context = self.sessions.get(session) if session is not None else Context()
        reply = self.respond(text, context, threshold=threshold, explain=explain)
        if session is not None:
            self.sessions.put(session, reply.context)
        return reply

    def forget(self, session: str) -> None:
        """End a session's conversation: its next message stands alone ("2" picks nothing offered before,
        "and the liver?" continues nothing)."""
        self.sessions.forget(session)

    def respond(self, text: str, context: Context, *, threshold: float | None = None,
                explain: bool = False) -> Reply:
        """The pure core: message and context in, reply (carrying the next context) out."""
        if not isinstance(text, str):
            raise TypeError("text must be a string")
        if threshold is not None and not 0.0 <= threshold <= 1.0:
            raise ValueError("threshold must be between 0 and 1")
        turn = Turn(text, self.analyzer.analyze(text), context, threshold, explain)
        for name, stage in self.stages:
            reply = stage(turn)
            if reply is not None:
                explanation = {"stage": name, **(reply.explanation or {})} if explain else None
                reply = dataclasses.replace(reply, stage=name, explanation=explanation)
                return self._stages.after(turn, reply)
        raise AssertionError("the matcher stage always replies")

    def entry(self, entry_id: str) -> Entry | None:
        return self.kb.get(entry_id)
