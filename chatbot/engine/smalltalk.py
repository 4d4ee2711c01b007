"""Generic small talk (greetings, thanks, goodbyes, "who are you") shipped with the package."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .classifier import EntryClassifier
from .language import ADDRESSED, QUESTION_OPENERS, STOPWORDS
from .paths import read_yaml
from .text import normalize, tokenize

#: Longer messages are questions, even when they start with "hi".
MAX_SMALLTALK_WORDS = 8
MIN_SIMILARITY = 86
#: Looser bar for messages made only of small-talk words ("cheers, that helped").
MIN_SIMILARITY_ALL_SMALLTALK = 80
#: In a message of small-talk words only, a phrase of the message is small talk when the message is at most
#: this many times longer ("cheers, that helped" is thanks; "anything i can do myself to help" is no request for help).
MAX_EXTRA_WORDS = 4
#: The learned model reads messages up to this many words ("is there a real person i can talk to please")...
MAX_LEARNED_WORDS = 12
#: ... and decides when its best intent has at least this probability (chosen on the looked-at half of an
#: independently written set of conversation controls and look-alike questions).
LEARNED_SMALLTALK = 0.5
#: Pronouns that point back at something said before (not "this": the chat itself, in "how does this work"; "these"
#: and "those" are what was said: "how do those work" after the hormone therapies).
_POINTING = frozenset({"it", "they", "them", "these", "those"})
#: The intent whose phrases say how the writer feels (``SmallTalk.says_feeling``).
FEELINGS = "feelings"


@dataclass(frozen=True)
class Intent:
    id: str
    phrases: tuple[str, ...]
    reply: str
    offers_topics: bool = False
    #: A conversation control ("repeat", "simpler", "stop", "not_it", "yes", "more", "handoff"), else small talk.
    control: str = ""
    #: More wordings that train the learned model only: never matched as phrases, whose closeness to short
    #: questions ("go for it", "any tips for it") would make them small talk.
    examples: tuple[str, ...] = ()


def load_intents() -> tuple[Intent, ...]:
    """Read the packaged small-talk file (called once, when a Bot is built)."""
    data = read_yaml("smalltalk.yaml")
    return tuple(
        Intent(
            id=item["id"],
            phrases=tuple(normalize(p) for p in item["phrases"]),
            reply=item["reply"],
            offers_topics=bool(item.get("related")),
            control=str(item.get("control") or ""),
            examples=tuple(normalize(p) for p in item.get("examples", ())),
        )
        for item in data["intents"]
    )


def load_wording() -> tuple[dict[str, str], frozenset[str]]:
    """The packaged small-talk file's ``equivalents`` (word -> the word it is read as) and ``courtesy``
    words (dropped before matching)."""
    data = read_yaml("smalltalk.yaml")
    same = {word: canonical for canonical, words in data.get("equivalents", {}).items() for word in words}
    return same, frozenset(data.get("courtesy", ()))


class SmallTalk:
    """Recognises a whole message as small talk; anything longer is left to the matcher."""

    def __init__(self, intents: tuple[Intent, ...], equivalents: Mapping[str, str] | None = None,
                 courtesy: Collection[str] = (), owned: Collection[str] = ()):
        """``owned``: intents the knowledge base answers itself. They are still matched, so that a message nearest
        one of them goes to the base ("can you say that again please" to a voice assistant's own "repeat" entry),
        not to the next-nearest intent ("say that another way")."""
        self._all = intents
        self.owned = frozenset(owned)
        self.intents = tuple(i for i in intents if i.id not in self.owned)
        self._same = dict(equivalents or {})
        self._courtesy = frozenset(courtesy)
        self._phrases = [" ".join(self._read(tokenize(p))) for intent in intents for p in intent.phrases]
        self._owner = [intent for intent in intents for _ in intent.phrases]
        self._words = frozenset(w for p in self._phrases for w in tokenize(p)) | STOPWORDS
        self._model: EntryClassifier | None = None
        self._topic_words: frozenset[str] = frozenset()

    @classmethod
    def packaged(cls) -> SmallTalk:
        return cls(load_intents(), *load_wording())

    def without(self, ids: Collection[str]) -> SmallTalk:
        """The same small talk less the intents ``ids`` (those a knowledge base answers itself)."""
        if not ids:
            return self
        return SmallTalk(self._all, self._same, self._courtesy, self.owned.union(ids))

    def learned(self, general: Sequence[str], questions: Sequence[str]) -> SmallTalk:
        """The same small talk with a model of its intents, learned from their phrases against ``general`` chat
        and the base's own ``questions`` ("can I cancel my flight" and "who should I talk to about bone pain" are
        no controls), for wordings no phrase is close to ("is there a helpline I can ring"). Its guess yields to
        any word of the base's that small talk never uses ("does age matter" is no "it doesn't matter")."""
        out = SmallTalk(self._all, self._same, self._courtesy, self.owned)
        out._topic_words = frozenset(w for q in questions for w in self._read(tokenize(normalize(q)))) - self._words
        examples = [(" ".join(self._read(tokenize(e))), k)
                    for k, intent in enumerate(self._all) for e in intent.examples]
        labels = [k for k, intent in enumerate(self._all) for _ in intent.phrases] + [k for _, k in examples]
        if labels:
            out._model = EntryClassifier([*self._phrases, *(e for e, _ in examples)], labels, len(self._all),
                                         [*general, *questions])
        return out

    def says_feeling(self, normalized: str) -> bool:
        """Does the message say how its writer feels in the words of the ``feelings`` intent, anywhere in it ("im
        scared shes going to die and i cant cope"), as a whole message would be that small talk?"""
        text = f" {' '.join(self._read(tokenize(normalized)))} "
        return any(f" {phrase} " in text for phrase, intent in zip(self._phrases, self._owner, strict=True)
                   if intent.id == FEELINGS)

    def vocabulary(self) -> list[str]:
        return [p for intent in self.intents for p in intent.phrases]

    def _read(self, words: list[str]) -> list[str]:
        """Words as small talk reads them: one word for each set of equivalents ("speak to a human" is
        "talk to a person"), courtesy dropped ("pls") unless it is all there is."""
        kept = [w for w in words if w not in self._courtesy] or words
        return [self._same.get(w, w) for w in kept]

    def match(self, normalized: str, after_answer: bool = False) -> tuple[Intent, float] | None:
        """The intent the whole message is, if it is small talk. ``after_answer``: an answer came before, which
        "it", "they" and "them" may point at."""
        words = tokenize(normalized)
        if not words or len(words) > MAX_LEARNED_WORDS:
            return None
        words = self._read(words)
        normalized = " ".join(words)
        found = self._close(normalized, words, after_answer) if len(words) <= MAX_SMALLTALK_WORDS else None
        if found is None and self._model is not None and self._topic_words.isdisjoint(words):
            p = self._model.probabilities(normalized)
            best = max(range(len(self._all)), key=p.__getitem__)
            # Conversation controls only: "are they good" is no greeting, though "how are you" is close in words.
            if p[best] >= LEARNED_SMALLTALK and self._all[best].control:
                found = self._all[best], round(100 * p[best], 1)
        return None if found is None or found[0].id in self.owned else found

    def _close(self, normalized: str, words: list[str], after_answer: bool = False) -> tuple[Intent, float] | None:
        """A phrase close to the whole message, by rapidfuzz."""
        best = process.extractOne(normalized, self._phrases, scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY)
        if best is None and all(w in self._words for w in words):
            # Only small-talk words: word overlap is enough, whatever the order or extras (of the phrases that
            # overlap best, the longest: "thanks for your help" rather than "thanks")...
            found = process.extract(normalized, self._phrases, scorer=fuzz.token_set_ratio,
                                    score_cutoff=MIN_SIMILARITY_ALL_SMALLTALK, limit=None)
            # (Of equals, the phrase of more words, then a conversation control: "get me a human now, this is useless"
            # asks for a person.)
            def rank(f: tuple[str, float, int]) -> tuple[float, int, bool, int]:
                return f[1], len(f[0].split()), bool(self._owner[f[2]].control), len(f[0])

            best = max(found, key=rank, default=None)
            # ... unless a question came down to a phrase that is none: "is she going to be ok" is not "ok".
            if best is not None and words[0] in QUESTION_OPENERS and tokenize(best[0])[0] not in QUESTION_OPENERS:
                best = None
            # ... or one addressed to the bot about someone else: "what can they do for it" is not "what can you do"
            # (a message not addressed to the bot that says no question is the equal phrase not addressed to it:
            # "thanks for" is "thanks", not "thanks for your help");
            # ... or a phrase that is a small part of the message: "anything i can do myself to help" is not "help".
            phrase = tokenize(best[0]) if best is not None else []
            if best is not None and ADDRESSED.intersection(phrase) and not ADDRESSED.intersection(words) \
                    and words[0] not in QUESTION_OPENERS:
                best = max((f for f in found if f[1] == best[1] and not ADDRESSED.intersection(tokenize(f[0]))),
                           key=rank, default=None)
                phrase = tokenize(best[0]) if best is not None else []
            if best is not None and ((ADDRESSED.intersection(phrase) and not ADDRESSED.intersection(words))
                                     or len(phrase) * MAX_EXTRA_WORDS < len(words)):
                best = None
        # ... nor, after an answer, a question about the chat itself asked of something pointed back at: "how does it
        # work" asks about the treatment just described, where "how does this work" asks about the bot. ("maybe it
        # does" answers; it asks nothing.)
        if best is not None and after_answer and words[0] in QUESTION_OPENERS and not self._owner[best[2]].control \
                and _POINTING.intersection(words) and not _POINTING.intersection(tokenize(best[0])):
            best = None
        if best is None:
            return None
        _, score, index = best
        return self._owner[index], float(score)
