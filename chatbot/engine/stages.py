"""The stages of the reply pipeline (their order is in ``Bot.stages``) and the replies they build."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from .analysis import Analysis, fold
from .asks import FIGURES, asked, effect_asked, given
from .conversation import Context, picked_number
from .english import is_english, zipf
from .explain import match_record
from .items import pointed_item
from .knowledge import Entry, KnowledgeBase
from .language import (
    QUANTIFIERS,
    QUESTION_OPENERS,
    QUESTION_WORDS,
    STOPWORDS,
    WHAT_ELSE,
    compared_terms,
    correction,
    opens_apart,
    points_back,
    set_apart,
    with_referent,
    without_set_apart,
)
from .matcher import DOMAIN_ZIPF, Candidate, telling
from .replies import Replies
from .reply import Reply
from .smalltalk import Intent
from .text import base_forms, sentences

if TYPE_CHECKING:
    from .bot import Bot

#: Below this calibrated confidence nothing is answered: a wrong confident answer is worse than none.
#: Chosen on CLINC150 (half of its validation set) and the breast-cancer tune sets (benchmarks/ablation.py).
ANSWER_CONFIDENCE = 0.35
#: ... and below this score, on a base too small or too large to calibrate (the score / 100 is used).
ANSWER_THRESHOLD = 52.0
#: Entries this close to the best are a tie: ask which one was meant.
CLARIFY_MARGIN = 1.0
#: A phrasing matched this well is the entry the person meant, ties or not.
EXACT_SCORE = 99.5
#: Below this score, a message that reads more like general chat than like the base is not answered.
BACKGROUND_VETO = 90.0
#: Below this probability (``domain.py``) that a message is for this base, a weak match is not answered.
DOMAIN_GATE = 0.3
#: A message that names nobody and matches a phrasing this well is a question about the topic, not a report.
TOPIC_SCORE = 85.0
#: ... and a message only the learned triage model alarms on, with no marker of now, needs less.
LEARNED_TOPIC_SCORE = 65.0
#: Conversation controls that a learned alarm (no sign found) yields to.
_MOVES = frozenset({"repeat", "simpler", "not_it", "handoff", "more"})
#: The stages a message read with the item it points at goes through (``Stages.item``): what it now asks.
_ITEM_READ = ("scope", "not_covered", "follow_up", "matcher")
#: Below the threshold, candidates above this are offered as "did you mean" suggestions.
SUGGEST_THRESHOLD = 38.0
#: A message whose weight is mostly in words the knowledge base never uses is about something else,
#: however well its other words match ("where can i buy tamoxifen"). Chosen among 0.25-0.55 on the tune halves
#: and half of CLINC150's validation data after the calibration weighting: 0.35 refuses one more unanswerable
#: question of each tune half than 0.45 at no cost; 0.3 one more again, for 4 of CLINC150's in-scope queries.
UNKNOWN_SHARE = 0.35
#: ... unless the entry classifier, which reads character n-grams and whole phrasings rather than the
#: base's vocabulary, gives the top entry at least this probability: "define antagonist for me please"
#: is a definitions question whatever the word, and "from now on, call me chuck" a change of name.
#: Chosen among 0.3-0.5 on the tune halves and half of CLINC150's validation data (after the calibration
#: weighting, 0.3 answers 8 more of its 1,471 in-scope queries for 1 of its 59 out-of-scope).
RECOGNISED = 0.3
#: ... nor does it hold back an answer calibrated at least this likely right (the calibrator weighs the matcher's score
#: already). Chosen on half of CLINC150's validation queries (0.6: 4 more right and none wrong of 1,500; 0.5: 5 and 3),
#: reported on the other half (7 more right, 1 more wrong); the breast-cancer sets' weak matches never reach 0.45.
CONFIDENT_ENOUGH = 0.6
#: An entry the classifier gives less than this is no answer, whatever the matcher finds. Chosen on the tune halves
#: (0.01: 4 fewer wrong answers for 1 fewer right; 0.02: the same for 2, and two conversation turns lost).
RULED_OUT = 0.01
#: Below this share of its own questions naming something unfamiliar (``Matcher.unfamiliar_share``), a base's answer
#: to a message that does is no answer: at most one answerable question in 200 would be turned away.
UNFAMILIAR_SHARE = 0.005
#: Candidates above this are kept as runners-up, offered when the person says "no, that's not it".
RUNNER_UP_THRESHOLD = 30.0
#: Topics offered with a fallback, at most.
MAX_TOPICS = 5
#: A message with at most this many content words may lean on the last topic when nothing else fits.
CARRY_MAX_WORDS = 3


def base_bar(kb: KnowledgeBase, calibrated: bool) -> float:
    """The confidence an answer needs unless a request says otherwise: the file's, else the engine's."""
    if kb.threshold is not None:
        return kb.threshold
    return ANSWER_CONFIDENCE if calibrated else ANSWER_THRESHOLD / 100


@dataclass(frozen=True)
class Turn:
    """One message on its way through the stages."""

    text: str
    analysis: Analysis
    context: Context
    threshold: float | None = None  # calibrated confidence bar for this request (0-1), else the base's
    explain: bool = False
    #: The small-talk reading, once asked for (three stages ask): a one-slot cache.
    small: list[tuple[Intent, float] | None] = dataclasses.field(default_factory=list, repr=False, compare=False)
    #: What a story asks (``Stages._asked_part``), once worked out (the not-covered stage and the matcher ask).
    asked: list[tuple[str, str] | None] = dataclasses.field(default_factory=list, repr=False, compare=False)
    #: The question sentence or clause a story ends with (``Stages._question``), once found.
    question: list[str | None] = dataclasses.field(default_factory=list, repr=False, compare=False)
    #: ... and its analysis (``Stages._question_read``): the aspect and the comparison rules both read it.
    question_read: list[Analysis] = dataclasses.field(default_factory=list, repr=False, compare=False)


class Stages(Replies):
    """Each method is one stage: it returns a Reply to decide, or None to pass."""

    def __init__(self, bot: Bot):
        self.bot = bot
        self.kb = bot.kb
        self._gives: dict[str, frozenset[str]] = {}  # the kinds of fact each entry gives (``asks.given``), by id
        self._answer_subjects: dict[str, set[str]] = {}  # the subjects each entry's answer names, by id
        self._phrased: dict[str, frozenset[tuple[str, str]]] = {}  # the facet values each entry's phrasings name
        #: What each answer sets apart, by the sentence it does it in (``_besides``).
        self._opens_apart: dict[str, list[tuple[int, frozenset[str]]]] | None = None

    # -- the stages, in pipeline order ---------------------------------------------------

    def triage(self, turn: Turn) -> Reply | None:
        if not turn.analysis.normalized:
            return self._fallback("Please type a question.", turn.context)
        finding = self.bot.triage.assess(turn.text)
        if finding is not None and not finding.personal and self._is_a_topic(turn, TOPIC_SCORE):
            finding = None  # names nobody, says nothing of now, and is one of the base's own questions
        elif finding is not None and finding.concept == "learned" and not finding.now \
                and self._is_a_topic(turn, LEARNED_TOPIC_SCORE):
            finding = None  # only the learned model alarmed, nothing says "now", and the base answers it
        elif finding is not None and finding.concept == "learned" and self._conversation_move(turn):
            finding = None  # only the learned model alarmed, at a request about the conversation itself
        if finding is not None:
            why = {"concept": finding.concept, "evidence": finding.evidence} if turn.explain else None
            # The guidance comes first; the entry the base would have answered is offered after it (type "1"),
            # so a question that reads as an emergency still reaches its answer. Never beside the crisis text.
            asked = self._asked_entry(turn) if finding.outcome != "crisis" else None
            urgent = self.with_topics("urgent", finding.message, [asked] if asked else [], 100.0, turn.context)
            return dataclasses.replace(urgent, triage=finding.outcome, explanation=why)
        rule = self.bot.guards.urgent(turn.analysis)  # a file's own urgent patterns, if it has any
        if rule is not None:
            return Reply("urgent", rule.message, score=100.0, context=turn.context, triage="emergency")
        return None

    def _small_talk(self, turn: Turn) -> tuple[Intent, float] | None:
        if not turn.small:
            # In a conversation, a message that names one of the base's facet values asks about it: "and what would
            # that feel like?" after lung frequency asks for the symptoms, not to hear the answer again.
            after_answer = bool(turn.context.last_entry)
            asks = after_answer and bool(self.bot.followups.mentioned(turn.analysis))
            found = None if asks else self.bot.smalltalk.match(turn.analysis.normalized, after_answer)
            # Agreeing needs something offered to agree to: with nothing offered, only a plain yes ("yes please") is
            # one; a message merely like one asks something ("give me examples of the first one").
            if found is not None and found[0].control == "yes" and found[1] < 100 and not turn.context.open_offer:
                found = None
            turn.small.append(found)
        return turn.small[0]

    def _conversation_move(self, turn: Turn) -> bool:
        """Is the message a request about the conversation ("sorry, could you say that again", "not what I
        asked", "can I talk to a person")? Stopping, agreeing and goodbyes are not: "make it all stop"."""
        found = self._small_talk(turn)
        return found is not None and found[0].control in _MOVES

    def _asked_entry(self, turn: Turn) -> Entry | None:
        """The entry that answers the message with the confidence an answer needs, if one does."""
        candidates = self.bot.ranker.rank(turn.analysis, limit=1)
        if candidates and (candidates[0].confidence or 0.0) >= self.answer_bar(turn):
            return candidates[0].entry
        return None

    def _is_a_topic(self, turn: Turn, bar: float) -> bool:
        candidates = self.bot.matcher.rank(turn.analysis, limit=1)
        return bool(candidates) and candidates[0].score >= bar

    def pick(self, turn: Turn) -> Reply | None:
        number = picked_number(turn.analysis.normalized)
        if number is None:
            return None
        context = turn.context
        if 1 <= number <= len(context.options):
            entry = self.kb.get(context.options[number - 1])
            if entry is not None:
                return self.answer(entry, 100.0, context)
        if context.options:
            message = f"Please pick a number between 1 and {len(context.options)}, or ask a question."
            return Reply("fallback", message, context=context)
        # Nothing offered yet: offer something to pick (a shell's own commands, such as the terminal's /topics, are
        # not the engine's to name: the same reply goes to the web chat and the support desk).
        return self._fallback("There is no numbered list to pick from yet.", context)

    def item(self, turn: Turn) -> Reply | None:
        """"what's the last one", "does the second one cause joint pain" after an answer that lists things: the
        message read with that item in place of the words that point at it (``items.py``). A bare "the second one"
        never reaches here: ``pick``, before, takes the second of the topics offered."""
        last = self.kb.get(turn.context.last_entry)
        if last is None:
            return None
        found = pointed_item(turn.analysis.normalized, last.answer)
        if found is None:
            return None
        item, read = found
        reread = Turn(read, self.bot.analyzer.analyze(read), turn.context, turn.threshold, turn.explain)
        for name, stage in self.bot.stages:
            if name in _ITEM_READ and (reply := stage(reread)) is not None:
                why = {"read_as": read, "item": item, "decided_by": name, **(reply.explanation or {})}
                return dataclasses.replace(reply, explanation=why if turn.explain else None)
        return None

    def control(self, turn: Turn) -> Reply | None:
        found = self._small_talk(turn)
        if found is None or not found[0].control:
            return None
        intent, score = found
        context = turn.context
        last = self.kb.get(context.last_entry)
        if intent.control == "handoff":
            return self.handoff(context)
        if intent.control == "repeat" and last is not None:
            # The same text again, as small talk: only an answer names an entry (the protocol's rule); its
            # source and related topics stay, as they were shown the first time.
            again = self.answer(last, 100.0, context)
            return dataclasses.replace(again, kind="smalltalk", entry_id=None, question=None)
        if intent.control == "repeat" and last is None and context.open_offer:
            # Nothing answered yet, but a choice was offered ("Did you mean one of these?"): that choice again,
            # still open to "1" or "yes".
            offered = [e for e in (self.kb.get(i) for i in context.options) if e is not None]
            again = self.with_topics("smalltalk", self.kb.message("clarify"), offered, score, context)
            return dataclasses.replace(again, context=dataclasses.replace(again.context, offer=context.offer))
        if intent.control == "simpler" and last is not None:
            # The same entry answered again (it is what was asked about), saying that no other words are at hand.
            again = self.answer(last, 100.0, context)
            return dataclasses.replace(again, answer=f"{self.kb.message('simpler')}\n\n{again.answer}")
        if intent.control == "stop":
            return Reply("smalltalk", intent.reply, score=score, context=Context())
        if intent.control == "not_it" and last is not None:
            others = [e for e in (self.kb.get(i) for i in context.alternatives) if e is not None]
            if others:
                return self.clarify([Candidate(e, 0.0, e.question) for e in others], context,
                                    message=self.kb.message("not_it"))
            # No runner-up (a follow-up settled the last answer): the topics next to it, not "I don't have an answer
            # to that" and the base's general suggestions, which read as if a question had been asked.
            return self.with_topics("fallback", self.kb.message("not_it"), self.related_entries(last) or
                                    self.kb.suggested_entries(), 0.0, context)
        if intent.control == "more" and last is not None and (topics := self.related_entries(last)):
            # The answer said what the article says; what it says next is in the related topics.
            return self.with_topics("smalltalk", self.kb.message("more"), topics, score, context)
        if intent.control == "yes" and context.open_offer:
            entry = self.kb.get(context.options[0])
            if entry is not None:
                return self.answer(entry, 100.0, context)
        return Reply("smalltalk", intent.reply, score=score, context=context)

    def smalltalk(self, turn: Turn) -> Reply | None:
        found = self._small_talk(turn)
        if found is None:
            return None
        intent, score = found
        message = intent.reply.format(name=self.kb.name)
        if intent.offers_topics:
            return self.with_topics("smalltalk", message, self.kb.suggested_entries(), score, turn.context)
        return Reply("smalltalk", message, score=score, context=turn.context)

    def scope(self, turn: Turn) -> Reply | None:
        other = self.bot.guards.out_of_scope(turn.analysis)
        if other is None:
            return None
        # Another subject an entry's own phrasings name ("has my breast cancer become bone cancer?") is that
        # entry's to answer, in a message it answers with the confidence an answer needs ("is it now bone
        # cancer?"); "melanoma brain mets" stays another subject.
        # ... also when that entry is not the best match but answers with the confidence an answer needs: "her
        # mum's secondaries in the liver, does she now have liver cancer" shares more words with liver symptoms.
        bar = self.answer_bar(turn)
        for rank, candidate in enumerate(self.bot.ranker.rank(turn.analysis, limit=3)):
            confidence = candidate.confidence or 0.0
            if confidence >= bar and self.bot.guards.names(candidate.entry, other):
                return None if rank == 0 else self.answer(candidate.entry, round(100 * confidence, 1), turn.context)
        return self._fallback(self.kb.message("out_of_scope"), turn.context)

    def not_covered(self, turn: Turn) -> Reply | None:
        # A gap blocks only what the message asks: in a story that ends with a question ("I have my first
        # appointment soon. What treatments are there?", "so many appointments, what are the signs it has gone
        # to the brain?") the question is what is asked.
        focus = self._asked_part(turn)
        asked = self.bot.analyzer.analyze(focus[0]) if focus is not None else turn.analysis
        gap = self.bot.guards.not_covered(asked)
        if gap is None:
            return None
        return self._fallback(gap.message, turn.context, topics=self._subject_topics(asked, turn.context))

    def _subject_topics(self, analysis: Analysis, context: Context) -> list[Entry]:
        """The entries of the subject a message names, else of the one the conversation holds: what a fallback that
        knows what the person is asking about offers ("is that better than radiotherapy for the lungs" got the
        base's general topics; now the lungs'). With no subject, a message that points back is offered the topics
        related to the last answer ("does it make your hair fall out" after Herceptin got the general topics)."""
        told = self._subject_in(self.bot.followups.mentioned(analysis))
        fits = {self.kb.subject_facet: told} if told and self.kb.subject_facet else self.bot.followups.held(context)
        return self._topics(fits) if fits else self._last_topics(analysis, context)

    def _last_topics(self, analysis: Analysis, context: Context) -> list[Entry]:
        """The topics related to the last answer, for a message that follows on from it (points back at it, or opens
        as a follow-up does: "and how many sessions do you usually need" after radiotherapy); else none."""
        last = self.kb.get(context.last_entry)
        return self.related_entries(last) if last is not None and self.bot.followups.is_follow_up(analysis) else []

    def follow_up(self, turn: Turn) -> Reply | None:
        followups = self.bot.followups
        if not followups.is_follow_up(turn.analysis):
            return None
        # A correction names what it meant, and maybe what it did not ("sorry i meant bones not brain"): the former.
        corrected = correction(turn.analysis.normalized)
        meant = self.bot.analyzer.analyze(corrected) if corrected else turn.analysis
        entry = followups.resolve(meant, turn.context)
        # Resolved to the entry just given, it changes nothing the last answer said: the matcher reads
        # what else it asks ("is it the same as bone cancer" after bone symptoms).
        if entry is None or entry.id == turn.context.last_entry:
            return None
        # What an opening condition says ("and if cancer is found in those, what's the treatment?") is not asked.
        main = conditioned_question(turn.text)
        question = meant if main is None else self.bot.analyzer.analyze(main)
        if self._asks_else(question, entry, turn.context) or self._lacks_asked(turn, entry):
            return None  # the matcher decides it
        return self.answer(entry, 100.0, turn.context)

    def _asked_besides(self, turn: Turn) -> list[str]:
        """The words a message that sets something apart asks besides it, its fillers and the facets it names
        ("apart from treatment, what else helps with the pain": the pain)."""
        rest = self.bot.analyzer.analyze(without_set_apart(turn.text)).content
        followups = self.bot.followups
        return [t for t in self.bot.matcher.topical(rest) if t not in _FILLERS and not followups.is_facet_word(t)]

    def _besides(self, turn: Turn, analysis: Analysis, apart: set[str], asked: list[str]) -> Entry | None:
        """The entry whose answer opens by setting apart what the message sets apart: "apart from the cancer
        treatment, what else can help" is answered by "In addition to medical treatment, supportive care ...", and
        so is "what help is there apart from the treatment itself" (setting a thing apart asks what else there is,
        "else" or not). Of those, the one that does so in its earliest sentence, then the best ranked, if it uses
        every word the message asks besides the facets it names ("apart from treatment, what else helps with the
        pain" needs the pain; "apart from watering, when should I prune" asks the pruning)."""
        matcher = self.bot.matcher
        if self._opens_apart is None:  # worked out once, at the first message that sets something apart
            self._opens_apart = {}
            for entry in self.kb.entries:
                for place, phrase in opens_apart(entry.answer):
                    words = {w for w in self.bot.analyzer.analyze(phrase, correct=False).content if telling(w)}
                    if words:
                        self._opens_apart.setdefault(entry.id, []).append((place, frozenset(words)))
        # The sentence where each answer sets apart what the message does: the earlier, the more the answer is about
        # what else there is ("In addition to medical treatment, supportive care ..." first, not in passing).
        fitting: dict[str, int] = {}
        for entry_id, opening in self._opens_apart.items():
            places = [place for place, words in opening if words & apart]
            if places:
                fitting[entry_id] = min(places)
        if not fitting:
            return None
        # The matcher orders them (the whole ranking's pool keeps only the best few, and "treatment" is everywhere).
        only = frozenset(matcher.positions[i] for i in fitting)
        ranked = matcher.rank(analysis, limit=len(only), only=only)
        for candidate in sorted(ranked, key=lambda c: fitting[c.entry.id]):  # stable: the matcher's order within
            if all(matcher.covers(candidate.entry.id, t) for t in asked):
                return candidate.entry
        return None

    def _listing(self, turn: Turn, analysis: Analysis, apart: set[str], asked: list[str]) -> Entry | None:
        """For a message that asks what else there is besides one thing ("what else is there besides surgery" after
        the liver's treatment), the one entry of the subject named or held whose answer names that thing among
        others: the rest of its list is what is asked. Not an entry the thing names (surgery's own), and only one
        that uses every telling word of ``asked`` (``_asked_besides``)."""
        if not WHAT_ELSE.search(turn.text.lower()):
            return None
        # The subject is the one the message names, in what it sets apart too ("besides chemo for lung mets": the
        # lungs' list), else the conversation's.
        told = self._subject_in(self.bot.followups.mentioned(analysis)) or turn.context.subject
        matcher = self.bot.matcher
        things = {w for w in matcher.topical(apart) if telling(w) and not self.bot.followups.is_facet_word(w)}
        if not told or not things:
            return None
        listing = [e for e in self.kb.entries if self.subject_of(e) == told
                   and all(matcher.in_answer(e.id, w) for w in things)
                   and not self._title_words(e) & things
                   and all(matcher.covers(e.id, t) for t in asked if telling(t))]
        # Of several, the one just given ("anything apart from surgery?" after how node spread is treated).
        last = [e for e in listing if e.id == turn.context.last_entry]
        return listing[0] if len(listing) == 1 else last[0] if last else None

    def _says_feeling(self, turn: Turn) -> bool:
        """Does the message say how its writer feels (``SmallTalk.says_feeling``)? A fallback then says so first."""
        return self.bot.smalltalk.says_feeling(turn.analysis.normalized)

    def _effect_unnamed(self, analysis: Analysis, entry: Entry) -> str | None:
        """The first word that tells something of what a message asks an effect on ("damage the heart") that the entry
        never uses, if it asks about one. Not where the verb names the entry's own aspect: "can liver mets cause
        itchy skin" asks the liver's symptoms ("cause" is a word of that aspect), however it names them; "does
        herceptin damage the heart" does not ask about HER2 therapy's aspect, treatment."""
        found = effect_asked(analysis.normalized)
        if found is None:
            return None
        verb, effect = found
        followups, matcher = self.bot.followups, self.bot.matcher
        named = followups.mentioned(self.bot.analyzer.analyze(verb))
        if named and _fits(entry, named):
            return None
        return next((t for t in self.bot.analyzer.analyze(effect).content
                     if telling(t) and not matcher.covers(entry.id, t)), None)

    def _title_words(self, entry: Entry) -> frozenset[str]:
        """The content words of an entry's title ("Radiation therapy": radiation); none for no title."""
        return frozenset(self.bot.analyzer.analyze(entry.title).content) if entry.title else frozenset()

    def _lacks_asked(self, turn: Turn, entry: Entry) -> bool:
        """Does the message ask for a kind of fact (a time, an amount, a price, which is better: ``asks.py``) the
        entry never gives? "how long does radiotherapy for bone mets take" is not answered by what radiotherapy
        does, nor "letrozole or anastrozole, which is better" by what hormone therapy is."""
        return bool(self._unstated(turn, entry))

    def _unstated(self, turn: Turn, entry: Entry) -> frozenset[str]:
        """The kinds of fact the message asks for that the entry never gives (``_lacks_asked``)."""
        kinds = asked(turn.text)
        if not kinds:
            return kinds
        if (gives := self._gives.get(entry.id)) is None:  # worked out for the entries asked about only
            gives = self._gives[entry.id] = given(entry.answer, entry.phrasings)
        missing = kinds - gives
        # A figure asked of one subject ("how long do people live with liver mets") is given only by that subject's
        # entry or one whose answer names it: the outlook's "many years" is of the disease as a whole.
        figures = kinds & FIGURES & gives
        subject = self.kb.subject_facet
        if figures and subject is not None:
            named = self.bot.followups.named_values(turn.analysis).get(subject, set())
            if named and not named <= self._subjects_of(entry, subject):
                missing |= figures
        return missing

    def _subjects_of(self, entry: Entry, subject: str) -> set[str]:
        """The subjects an entry is about: its own facet value and those its answer names (how often each site is
        affected names them all)."""
        if (found := self._answer_subjects.get(entry.id)) is None:
            answer = self.bot.analyzer.analyze(entry.answer, correct=False)
            found = self._answer_subjects[entry.id] = self.bot.followups.named_values(answer).get(subject, set())
        own = entry.facets.get(subject)
        return found | {own} if own else found

    def _asks_else(self, analysis: Analysis, entry: Entry, context: Context) -> bool:
        """Does a follow-up the facets resolve to ``entry`` ask something else? It does with a word of this base's
        that is no facet and that neither the entry nor the last one uses: "how long do people live with it in
        the liver" after brain frequency is about living, not about how often the liver is affected; and with a
        word of English that tells something and that the base never uses (``_brings_own_subject``)."""
        followups, matcher, last = self.bot.followups, self.bot.matcher, context.last_entry
        if self._brings_own_subject(analysis):
            return True  # "is it raining" after the liver's symptoms: not the liver's, whatever "it" is
        # (A quantifier names nothing: "is that less than liver" after the brain's frequency asks the liver's.)
        return any(matcher.knows(w) and not followups.is_facet_word(w) and not matcher.covers(entry.id, w)
                   and not (last and matcher.covers(last, w)) for w in analysis.content
                   if w not in QUESTION_WORDS and w not in QUANTIFIERS)

    def _brings_own_subject(self, analysis: Analysis) -> bool:
        """Does the message bring a word of English that tells something and that this base never uses ("is it
        raining", "how do i cancel it", "can she fly with it")? Then "it" is no licence to answer the last topic."""
        matcher = self.bot.matcher
        return any(t.isalpha() and telling(t) and t not in QUANTIFIERS and is_english(t)
                   and not any(map(matcher.knows, [t, *base_forms(t)])) for t in analysis.content)

    def matcher(self, turn: Turn) -> Reply:
        reply, record = self._match(turn)
        if not turn.explain:
            return reply
        return dataclasses.replace(reply, explanation=record)

    def _match(self, turn: Turn) -> tuple[Reply, dict[str, Any]]:
        if (terms := compared_terms(turn.text)) is not None and self._one_term(*terms):
            # "is metastatic the same thing as advanced breast cancer": two names this base reads as one (its
            # synonyms) are answered where it says what that one is; read whole, the message is one word twice.
            read = f"what is {terms[0]}"
            defined, defined_record = self._decide(turn, self.bot.analyzer.analyze(read))
            if defined.kind == "answer":
                return defined, {**defined_record, "read_as": read}
        last = self.kb.get(turn.context.last_entry)
        if last is not None and self._asks_why_of(turn, last):
            # "why would that help" after bone health: the reason is in the answer just given ("can help improve your
            # quality of life"); read with the bones it got their treatment.
            return self.answer(last, 100.0, turn.context), {"decision": "a why that points back: the last answer"}
        reply, record = self._decide(turn, turn.analysis)
        if reply.kind == "fallback" and (asked := self._asked_part(turn)) is not None:
            # A story with the question at the end ("… She's 42 and we have two kids. What are the main
            # treatments?"): the question alone may be clear where the whole message is not.
            focus, judged = asked
            told = self.named_subject(turn.analysis)
            for read in self._focus_reads(focus, told, turn.analysis, turn.text):
                focused, focus_record = self._decide(turn, self.bot.analyzer.analyze(read), judged=judged)
                entry = self.kb.get(focused.entry_id)
                # ... never with another subject than the story's (the lungs, where it told of the liver).
                clash = entry is not None and self.subject_of(entry) not in ("", told)
                if focused.kind in ("answer", "clarify") and not (told and clash):
                    return focused, {**focus_record, "focus": read}
        asked_of_last = last is not None and self._asked_of_last(turn, reply, last)
        read_plain = False  # read with the last entry and no subject added (the same reading below would repeat it)
        if last is not None and asked_of_last and not self.subject_of(last) and not turn.context.fallbacks:
            # "what does it do" after hormone therapy, in a conversation that held the lungs before it: "it" is the
            # subject-less entry just given, not the subject held from earlier (it got the lungs' symptoms). Not
            # after a fallback, which may have named the subject since ("what about the brain, what happens if it
            # goes there" fell back; "and how would that be treated" is the brain's treatment).
            read_plain = True
            if carried := self._read_with_last(turn, last, subject_now=""):
                return carried
        if reply.kind in ("answer", "clarify") and (held := self._held_subject(turn, reply)):
            # "how do they treat it there" after "her cancer has gone to her spine, what does that mean": the
            # general answer came first, but "it" and "there" are the subject the conversation holds.
            return held
        if reply.kind == "answer" and self._strays(turn, reply):
            # "what would we notice" after the brain got the lungs' symptoms, on "notice" in one of its phrasings:
            # another subject than the conversation's, named by nothing the message says, is no answer.
            topics = self._topics(self.bot.followups.held(turn.context))
            return (self._fallback(self.kb.message("fallback"), turn.context, topics=topics),
                    {**record, "decision": "fallback with the conversation's subject's topics: the answer strays "
                                           "to another subject on a word its answer does not use"})
        if last is not None and (reply.kind == "fallback" or asked_of_last) \
                and not (read_plain and not turn.context.subject) \
                and (carried := self._read_with_last(turn, last, turn.context.subject)):
            # "why do they give radiation for it", "some examples?": read with the last question, as little of
            # it as answers (``_carried_reads``); so is a message that points back at the last answer and was
            # answered (or offered a choice) on words that entry uses too ("what does it do" after hormone therapy
            # got what the liver does).
            return carried
        return reply, record

    def _read_with_last(self, turn: Turn, last: Entry, subject_now: str) -> tuple[Reply, dict[str, Any]] | None:
        """The answer to a message that leans on the last answer, read with it (``_carried_reads``; ``subject_now``:
        the subject the conversation holds, read in where the last entry has none), if a reading finds one."""
        if not self._leans_on_context(turn.analysis):
            return None
        named = self.bot.followups.mentioned(turn.analysis)
        heaviest = self._heaviest_own_word(turn.analysis)
        for joined, added in self._carried_reads(turn.analysis.normalized, last, named, subject_now):
            # The domain model judges the message as read with the last question: "can you give some examples"
            # after targeted therapy is general chat alone, not in the conversation.
            carried, carried_record = self._decide(turn, self.bot.analyzer.analyze(joined), judged=joined)
            # ... but what the message names itself stands: "how do I know if it's in my brain" after the
            # HER2 answer is about the brain, and an entry of another organ (or of none) does not answer it;
            # nor does one silent on the heaviest word of the base the message brings ("i dont want any
            # more chemo, i am done with it" after HER2 therapy).
            entry = self.kb.get(carried.entry_id)
            if (carried.kind == "answer" and entry is not None and _fits(entry, named)
                    and (heaviest is None or self.bot.matcher.covers(entry.id, heaviest))):
                return carried, {**carried_record, "read_with": added}
        return None

    def _asks_why_of(self, turn: Turn, last: Entry) -> bool:
        """Does the message ask why of what the last answer said ("why would that help", "why is that")? It opens
        with "why", points back, names no facet, and asks no word of this base's the last entry does not use ("why
        does it matter" after how lymph node spread is found asks why lymph nodes matter, another entry's)."""
        text = turn.analysis.normalized
        if not text.startswith("why ") or not points_back(text) or self.bot.followups.mentioned(turn.analysis):
            return False
        matcher = self.bot.matcher
        return all(matcher.covers(last.id, t) for t in matcher.topical(turn.analysis.content, known=True))

    def _asked_of_last(self, turn: Turn, reply: Reply, last: Entry) -> bool:
        """Is the reply (an answer of another entry than the last, or a choice) to a message that points back and
        could be asked of the last entry: it names no subject, and the last entry uses every word of the base's it
        asks ("what is it used for" after hormone therapy got CDK4/6 inhibitors on "used")?"""
        if reply.kind not in ("answer", "clarify") or reply.entry_id == last.id:
            return False
        if not points_back(turn.analysis.normalized) or self.named_subject(turn.analysis):
            return False
        matcher = self.bot.matcher
        return all(matcher.covers(last.id, t) for t in matcher.topical(turn.analysis.content, known=True))

    def _one_term(self, first: str, second: str) -> bool:
        """Are two terms one to this base: different words its synonyms read as one, and besides them only words
        most of its entries use ("metastatic" and "advanced breast cancer")? Words that are alike do not make
        terms one: "breast cancer in the bones" is no "bone cancer"."""
        one, other = (self.bot.analyzer.analyze(term) for term in (first, second))
        shared = set(one.content) & set(other.content)
        written = [set(fold(analysis.corrected).split()) for analysis in (one, other)]
        by_synonym = any(shared - words for words in written)
        return by_synonym and not self.bot.matcher.topical(set(one.content) ^ set(other.content))

    def _asked_part(self, turn: Turn) -> tuple[str, str] | None:
        """What a story asks, and the words the domain model judges it by: the last question of several
        sentences, judged alone; or of one sentence, a clause that asks with a telling word of the base's own
        ("the next time i change my oil, when should it be" has none), judged with the whole: alone, "where should
        i go" reads as this base's in "i'm hungry, where should i go"."""
        if not turn.asked:
            turn.asked.append(self._find_asked_part(turn.text, turn.analysis))
        return turn.asked[0]

    def _find_asked_part(self, text: str, story: Analysis) -> tuple[str, str] | None:
        """``story``: the whole message, analysed (``text`` as the turn read it)."""
        if (focus := question_sentence(text)) is not None:
            return focus, focus
        clause = question_clause(text)
        if clause is None:
            return None
        asked = self.bot.analyzer.analyze(clause)
        # ... or a clause that asks what something of the base's the story named is ("the nurse said to watch for
        # jaundice, what is that"), not something it never names ("... start capecitabine, what is it").
        defines = _DEFINITION.match(asked.normalized) is not None
        if self._heaviest_own_word(asked) is None and (
                not defines or self._pointed_at(story, asked) is None):
            return None
        return clause, text

    def _pointed_at(self, story: Analysis, asked: Analysis) -> str | None:
        """The weightiest word of the story that tells something, that not every entry uses and that the question
        does not: what "that" points at in "they mentioned the peritoneum at the appointment. what is that?"; None
        when that word is one the base never uses ("my friend is on capecitabine. what is it?")."""
        own = set(asked.content)
        matcher = self.bot.matcher
        named = [w for w in story.content if w not in own and telling(w) and matcher.topical([w])]
        # A word rare in English before one rare in this base: "peritoneum", not "appointment".
        term = max(named, key=lambda w: (zipf(w) < DOMAIN_ZIPF, matcher.weight(w))) if named else None
        return term if term is not None and matcher.knows(term) else None

    def _heaviest_own_word(self, analysis: Analysis) -> str | None:
        """The weightiest word of the base's own a message brings, of its telling words if it has any: "give" in
        "what can they give her for the pain" is not one. A reading with more words must still answer it."""
        own = self.bot.matcher.topical(analysis.content, known=True)
        weighed = [w for w in own if telling(w)] or own
        return max(weighed, key=self.bot.matcher.weight) if weighed else None

    def _topics(self, fits: dict[str, str]) -> list[Entry]:
        """The first entries whose facets agree with ``fits`` (a subject's topics, offered by a fallback)."""
        return list(islice((e for e in self.kb.entries if e.facets and _fits(e, fits)), MAX_TOPICS))

    def _strays(self, turn: Turn, reply: Reply) -> bool:
        """Is an answer about another subject than the conversation holds, to a message that names none, found on a
        word its answer does not use? A word of the other subject's own ("what about jaundice" after the brain) is
        in its answer; a word of one of its phrasings only is incidental. (A message that points back was read with
        the held subject first, ``_held_subject``; if that found nothing, "it" is no licence for another subject.)"""
        entry = self._off_subject(turn, reply)
        if entry is None or self.subject_of(entry) == "":
            return False
        heaviest = self._heaviest_own_word(turn.analysis)
        return heaviest is not None and not self.bot.matcher.in_answer(entry.id, heaviest)

    def _off_subject(self, turn: Turn, reply: Reply) -> Entry | None:
        """The entry answered (or offered first, by a choice), when the conversation holds a subject, the entry is
        not of it (of another or of none) and the message names none itself."""
        subject = turn.context.subject
        first = reply.entry_id or (reply.options[0].id if reply.options else None)
        entry = self.kb.get(first)
        if not subject or entry is None or self.subject_of(entry) == subject or self.named_subject(turn.analysis):
            return None
        return entry

    def _held_subject(self, turn: Turn, reply: Reply) -> tuple[Reply, dict[str, Any]] | None:
        """An answer of another subject than the conversation holds, to a message that names none (or of no
        subject, to one that points back): the entry of the held subject the message read with it is answered
        instead, if there is one ("is that common" after liver symptoms is about the liver, not the bones the
        nearest phrasing names; "what would the signs be" after the brain is not the liver's signs). So is a
        choice between such entries ("how does the cancer get into them" after what lymph nodes are)."""
        subject = turn.context.subject
        entry = self._off_subject(turn, reply)
        if entry is None:
            return None
        # An entry of no subject may answer a message that does not point back ("what is targeted therapy" after
        # the brain); one of another subject, to a message that names none, cannot ("what would the signs be").
        if not points_back(turn.analysis.normalized) and self.subject_of(entry) == "":
            return None
        joined = with_referent(turn.analysis.normalized, subject)
        held, record = self._decide(turn, self.bot.analyzer.analyze(joined))
        found = self.kb.get(held.entry_id) if held.kind == "answer" and held.entry_id else None
        heaviest = self._heaviest_own_word(turn.analysis)
        if heaviest is not None and zipf(heaviest) >= DOMAIN_ZIPF:
            heaviest = None  # a word of everyday English ("how often does that happen") is no topic of its own
        if (found is None or self.subject_of(found) != subject
                or (heaviest is not None and not self.bot.matcher.covers(found.id, heaviest))):
            return None
        return held, {**record, "read_with": subject}

    def _focus_reads(self, focus: str, told: str | None, story: Analysis, text: str) -> list[str]:
        """The question of a story with the subject the story names and the question does not ("... now
        scans show spots on the liver. Caller wants to know what symptoms to look out for."), then alone.
        A question that points back ("... told it's stage 4 last week. Can you live a long time with it?")
        is read with the words of the base's own subject (those most entries use) the story used and it does not."""
        asked = self.bot.analyzer.analyze(focus)
        reads = [f"{focus} {told}", focus] if told and self.named_subject(asked) is None else [focus]
        # A question of what it is ("the nurse mentioned jaundice. what's that?") asks of the word it points at.
        if _DEFINITION.match(asked.normalized) and (term := self._pointed_at(story, asked)) is not None:
            reads.insert(len(reads) - 1, f"what is {term}")
        if points_back(asked.normalized):
            own = set(asked.content)
            matcher = self.bot.matcher
            pointed = [w for w in dict.fromkeys(story.content) if w not in own and w not in QUESTION_WORDS
                       and (w in self.bot.guards.anchor_words or (matcher.knows(w) and not matcher.topical([w])))]
            if pointed:
                reads.insert(len(reads) - 1, f"{focus} {' '.join(pointed)}")
        # A request that names nothing of its own ("Can you list them?", "can you explain in plain english") is about
        # the question the story reports before it ("... asked me what the stages of metastasis are called"): read
        # with that question.
        pointless = points_back(asked.normalized) or not self.bot.matcher.topical(asked.content, known=True)
        if pointless and (reported := reported_before(text, focus)) is not None:
            reads.insert(len(reads) - 1, f"{reported} {focus}")
        return reads

    def named_subject(self, analysis: Analysis) -> str | None:
        """The value of the base's subject (its first facet) the message names, if it names one."""
        return self._subject_in(self.bot.followups.mentioned(analysis))

    def _subject_in(self, named: dict[str, str]) -> str | None:
        """The value of the base's subject (its first facet) among facet values named."""
        facet = self.kb.subject_facet
        return named.get(facet) if facet is not None else None

    def _carried_reads(self, text: str, last: Entry, named: dict[str, str],
                       subject_now: str = "") -> list[tuple[str, str]]:
        """What a message that leans on the last answer is read with, first to last, as (reading, words added):
        the last entry's subject (the base's first facet), in place of the word that points at it ("what can
        they give her for it" → "... for bone"), the topical words of its question (the ones most entries do
        not use), its whole question. The less is added, the more the message's own words decide: "what can I
        do to lower it" after "what affects the risk of spread" asks about lowering the risk, not the risk again."""
        reads = [(f"{text} {last.question}", last.question)]
        # The words that name the last entry's facets, but one the message names itself ("treatment" after the
        # treatments in general: "how do they choose which one" is how the treatment is chosen); not for a message
        # that sets something apart, which asks away from the last answer ("what else besides those two").
        subject = self.kb.subject_facet
        named_by = "" if set_apart(text) else " ".join(
            words[0] for facet, value in last.facets.items()
            if facet not in named and (words := self.kb.facets.get(facet, {}).get(value)))
        if named_by:
            reads.insert(0, (f"{named_by} {text}", named_by))  # before: not inside a clause it sets apart
        topical = " ".join(self.bot.matcher.topical(self.bot.analyzer.analyze(last.question).content))
        if topical:
            reads.insert(0, (f"{text} {topical}", topical))
        value = last.facets.get(subject) if subject is not None else None
        if value is None and subject_now:
            # The last answer named no subject, but the conversation has one ("what are lymph nodes", "how does
            # cancer get there", "how do they check for it").
            value = subject_now
        elif len(last.facets) <= 1:
            value = None
        if value is not None and subject not in named:
            reads.insert(0, (with_referent(text, value), value))
        return reads

    def _leans_on_context(self, analysis: Analysis) -> bool:
        """Pointing back ("it", "that", "there"), or short with a word this base knows: a message that
        may need the last topic. Pointing or not, a message leans on nothing if it brings a word this base
        never uses that is no English ("cn u tell me were it usally...": not understood) or that tells
        something of its own ("how do i cancel it", "can i get a mortgage with stage 4"); without a word
        pointing back, one that brings any word this base never uses."""
        if self._brings_own_subject(analysis) or any(
                t.isalpha() and not is_english(t) and not self.bot.matcher.knows(t) for t in analysis.content):
            return False
        if points_back(analysis.normalized):
            return True
        unknown = self.bot.matcher.unknown_share(analysis, self.bot.guards.anchor_words) > 0.0
        return len(analysis.content) <= CARRY_MAX_WORDS and not unknown

    def _decide(self, turn: Turn, analysis: Analysis, judged: str | None = None) -> tuple[Reply, dict[str, Any]]:
        """``judged``: the words the domain model reads, when not the whole message (a story's question)."""
        context = turn.context
        candidates = self.bot.ranker.rank(analysis)
        bar = self.answer_bar(turn)

        def domain() -> float:  # the learned model is asked only when a decision needs it
            return self.bot.domain.probability(judged or turn.text) if candidates else 0.0

        def record(decision: str, answered: Candidate | None = None) -> dict[str, Any]:
            if not turn.explain:
                return {}
            # The entry answered first (a facet may settle a near tie for the second), then the others.
            ranked = [answered, *(c for c in candidates if c is not answered)] if answered else candidates
            return match_record(analysis, ranked, self.bot.matcher, threshold=bar, domain=domain(),
                                decision=decision, classifier_read=self.bot.ranker.read(analysis)[0])

        why = "below the threshold"
        named = self.bot.followups.mentioned(analysis)  # the facet values the message names, found once
        if phrases := set_apart(turn.text):
            # "apart from the cancer treatment, what else can help someone with liver mets" got the liver's treatment:
            # what a message sets apart is neither what it names nor what answers it.
            apart = self.bot.followups.set_apart(phrases)
            named = {f: v for f, v in named.items() if v not in apart.get(f, ())}
            # ... nor is an entry whose title it names whole: "besides radiotherapy what else can help her back pain"
            # is not answered by radiation therapy.
            words = {w for p in phrases for w in self.bot.analyzer.analyze(p).content}
            candidates = [c for c in candidates
                          if not any(c.entry.facets.get(f) in values for f, values in apart.items())
                          and not ((title := self._title_words(c.entry)) and title <= words)]
            asked = self._asked_besides(turn)
            if (besides := self._besides(turn, analysis, words, asked)) is not None:
                return self.answer(besides, 100.0, context), record("answer: it tells what there is besides what "
                                                                   "the message sets apart")
            if (listing := self._listing(turn, analysis, words, asked)) is not None:
                return self.answer(listing, 100.0, context), record("answer: the subject's entry that lists what "
                                                                   "the message sets apart among others")
        told = self._subject_in(named)
        if told and candidates and self.subject_of(candidates[0].entry) not in ("", told):
            # The best match is about another subject than the one the message names ("secondaries in her bones
            # ... what treatment options exist" shares an agent's words with the brain's entry, not its subject):
            # the entries of the subject named, or of none, are the candidates.
            candidates = [c for c in candidates if self.subject_of(c.entry) in ("", told)]
            why = "the best match is about another subject than the one named; below the threshold"
        aspects = self._aspects_asked(turn, analysis) if candidates else {}
        if aspects and self._answers_other_aspect(candidates[0].entry, aspects):
            # "My wife was told last week it has spread to her bones. What's the prognosis?" got the bones' symptoms:
            # the question a story ends with names the aspect it asks, and an entry of another aspect does not answer
            # it. Only the question's: the story's own words name aspects too ("she finished her treatment").
            candidates = [c for c in candidates if not self._answers_other_aspect(c.entry, aspects)]
            why = "the best match is of another aspect than the story's question asks; below the threshold"
        compared = False
        if candidates and (general := self._of_every_subject(turn, analysis, candidates)) is not None:
            # "is the liver more common than the brain": the entry of one subject answers half of a comparison of two;
            # the entry of the same aspect for every subject answers it whole, as surely as the first was understood.
            # ... nor do the other entries of that aspect for one subject.
            first, halves = candidates[0], [c for c in candidates if c.entry is not general and self.subject_of(c.entry)
                                            and _fits(c.entry, dict(general.facets))]
            candidates = [dataclasses.replace(first, entry=general, phrasing=general.question),
                          *(c for c in candidates if c.entry is not general and c not in halves)]
            compared, why = True, f"{_COMPARISON}; below the threshold"
        confident = candidates if candidates and (candidates[0].confidence or 0.0) >= bar else []
        # No answer on a match weaker than a suggestion would need, unless the classifier recognises the entry: "my
        # wife has just heard it's metastatic, we're both numb. what can they do" got immunotherapy (31.9, at 0.37)
        # on "heard", a word of that entry's story phrasing.
        if (confident and confident[0].score < SUGGEST_THRESHOLD and (confident[0].learned or 0.0) < RECOGNISED
                and (confident[0].confidence or 0.0) < CONFIDENT_ENOUGH):
            confident, why = [], "a weaker match than a suggestion needs"
        # ... nor on one the classifier all but rules out, however the words overlap: "what does jaundice mean, the
        # nurse said to watch for it" got the warning signs (0.36) on "watch", at 0.003 to the classifier.
        if confident and confident[0].learned is not None and confident[0].learned < RULED_OUT:
            confident, why = [], "the entry classifier all but rules the entry out"
        # ... nor where the message asks for a time, an amount, a price or which is better, and its answer never gives
        # it (or gives a figure of another subject): "how many months do people live with liver mets" got the liver's
        # frequency (20 %), close in words.
        unstated = self._unstated(turn, confident[0].entry) if confident else frozenset()
        if unstated:
            confident, why = [], f"it asks for a kind of fact ({', '.join(sorted(unstated))}) the answer does not give"
        # ... nor where it asks what something does to a thing the answer never names: "does herceptin damage the
        # heart" got HER2 therapy, "can palbociclib cause lung inflammation" CDK4/6 inhibitors.
        unsaid = bool(confident) and (unnamed := self._effect_unnamed(analysis, confident[0].entry)) is not None
        if unsaid:
            confident, why = [], f"it asks what something does to {unnamed}, which the answer never names"
        # ... nor where it names something neither the base nor general English knows, in a base whose own questions
        # never do: "Tucatinib for brain mets?" got the brain's treatment, which never names it, however sure the
        # classifier was of the rest. A base of names and codes (restaurants, airports) answers such messages.
        matcher, unfamiliar = self.bot.matcher, None
        if (confident and matcher.unfamiliar_share < UNFAMILIAR_SHARE
                and (term := matcher.unfamiliar_word(analysis)) is not None):
            confident, unfamiliar, why = [], term, f"it names {term}, a word neither this base nor general English uses"
        # The two gates judge the message's words; a message the classifier recognises passes them.
        recognised = bool(candidates) and (candidates[0].learned or 0.0) >= RECOGNISED
        if not recognised and matcher.unknown_share(analysis, self.bot.guards.anchor_words) >= UNKNOWN_SHARE:
            confident, why = [], "mostly words this knowledge base never uses"
        elif (not recognised and confident and confident[0].score < BACKGROUND_VETO
              and not matcher.has_domain_word(analysis, self.bot.guards.anchor_words)
              and domain() < DOMAIN_GATE):
            # No word of the base's own subject, and the learned domain model reads it as general chat.
            confident, why = [], "reads as general chat (domain model)"
        # ... nor where the entry's subject is a guess (below: the aspect's entry for every subject, or which subject).
        kin: list[Candidate] = []
        every: Entry | None = None  # the guessed entry's aspect for every subject
        if confident and not told and self._subject_guessed(analysis, confident[0].entry, context):
            guessed = confident[0].entry
            rest = self._but_subject(guessed)
            kin = [c for c in candidates if c.score >= SUGGEST_THRESHOLD and self._but_subject(c.entry) == rest]
            every = self._for_every_subject(guessed)
            confident, why = [], "only its aspect is named, and the entry is of one subject among several"
        if not confident:
            # (A story's question is read as the whole when the story is about the base's subject: "... she has mets in
            # her bones. What's the outlook?"; not "do i have any pto days left, and if so, how many".)
            whole = judged is None or matcher.has_domain_word(turn.analysis, self.bot.guards.anchor_words)
            common = frozenset(analysis.content) - frozenset(matcher.topical(analysis.content))
            entry = self.bot.followups.resolve(analysis, context, whole=whole, common=common)
            if (entry is not None and not self._asks_else(analysis, entry, context)
                    and not self._lacks_asked(turn, entry)):
                return self.answer(entry, 100.0, context), record("follow-up settled by the context")
            # Where the subject was a guess, the aspect's entry for every subject answers ("which one is the most
            # common" after where it spreads: how often each site is affected); with none, which subject is asked.
            if (every is not None and not self._asks_else(analysis, every, context)
                    and not self._lacks_asked(turn, every)):
                return self.answer(every, 100.0, context), record("answer: the aspect's entry for every subject")
            if len(kin) > 1:
                return (self.clarify(kin[:3], context),
                        record(f"clarify: only its aspect is named, and {len(kin)} subjects' entries have it"))
            # A suggestion shares a word that tells something with the message, not only "going" or "get".
            close = [c.entry for c in candidates if c.score >= SUGGEST_THRESHOLD
                     and matcher.shares_telling_word(c.entry.id, analysis)][:3]
            best = candidates[0].score if candidates else 0.0
            if close:
                # "How long does radiotherapy take": understood, but the figure is not in the base.
                # "does fulvestrant work for bone mets", below the threshold anyway, is told which word the base
                # does not know rather than "I'm not sure I understood".
                if unfamiliar is None and not unstated:
                    unfamiliar = matcher.unfamiliar_word(analysis)
                    # ... and one below the threshold that asks for a kind of fact the first suggestion does not give
                    # is told so, not "I'm not sure I understood" ("and how long will the chemo go on for").
                    if unfamiliar is None:
                        unstated = self._unstated(turn, close[0])
                if unfamiliar is not None:
                    message = self.kb.message("unfamiliar").replace("{term}", unfamiliar)
                elif unstated:
                    # Which is better is no figure: "This FAQ doesn't say which is better."
                    message = self.kb.message("not_ranked" if unstated == {"merit"} else "not_stated")
                elif unsaid:
                    message = self.kb.message("not_said")
                else:
                    message = self.kb.message("not_sure")
                    if self._says_feeling(turn):
                        message = f"{self.kb.message('distress')} {message}"
                reply = self.with_topics("fallback", message, close, best, context)
                reply = dataclasses.replace(reply, context=dataclasses.replace(reply.context, offer="suggest"))
                return reply, record(f"fallback with suggestions: {why}")
            # Nothing matched well, but a message that names what it is about ("I'm scared it will go to
            # my brain") is offered that subject's entries rather than the base's general topics.
            # ... a subject, not an aspect alone: "angry since the diagnosis" names no organ to offer.
            # ... and one that names none, in a conversation that holds one ("is walking ok or should she rest"
            # after bone health), that subject's.
            held = {} if told else self.bot.followups.held(context)
            # (Only with a subject: the walk over every entry cost a 100,000-entry base 28 ms a fallback.)
            fits = {**named, **held}
            subject = self._topics(fits) if told or held else self._last_topics(analysis, context)
            which = "named" if told else "conversation's"
            # A message that says how its writer feels hears that first ("im scared shes going to die and i cant
            # cope with it all" got "I'm sorry, I don't have an answer to that in this FAQ."), and is offered the
            # base's support topics where it names no subject (it got where cancer spreads and bone symptoms), before
            # those of the conversation ("my wife died of it last month ..." after exercise got diet first).
            feeling = self._says_feeling(turn)
            message = self.kb.message("distress" if feeling else "fallback")
            decision = f"fallback with the {which} subject's topics: {why}" if subject else f"fallback: {why}"
            if feeling and not told and (support := self.kb.support_entries()):
                subject, decision = support, f"fallback with the support topics: {why}"
            return self._fallback(message, context, best, topics=subject), record(decision)
        top = confident[0]
        ties = [c for c in confident if top.score - c.score <= CLARIFY_MARGIN]
        settled = self._settle_tie(analysis, ties, named) if len(ties) > 1 else None
        if settled is not None:
            ties, top = [settled[0]], settled[0]
        if len(ties) > 1 and (top.score < EXACT_SCORE or ties[1].score >= EXACT_SCORE):
            # A tie the conversation settles ("what are the signs" after lung treatment) is no tie; settled for an entry
            # the message matches well enough to answer, not for one it hardly matches ("what can she do herself to
            # help her bones" after how common bone spread is, a tie of bone health and treatment, got the frequency).
            entry = self.bot.followups.resolve(analysis, context)
            if (entry is not None and any(c.entry.id == entry.id for c in confident)
                    and not self._lacks_asked(turn, entry)):
                return self.answer(entry, top.score, context), record("tie settled by the context")
            return self.clarify(ties[:3], context), record(f"clarify: {len(ties)} entries within {CLARIFY_MARGIN}")
        # The next best besides the entry answered (which a facet may have taken from second place).
        runners_up = tuple(c.entry.id for c in candidates if c is not top and c.score >= RUNNER_UP_THRESHOLD)[:3]
        confidence = 100 * (top.confidence or 0.0)  # the calibrated chance that the entry answered is right
        if settled is not None:
            decision = f"answer: the near tie settled by {settled[1]}"
        else:
            decision = f"answer: {_COMPARISON}" if compared else "answer"
        return (self.answer(top.entry, round(confidence, 1), context, alternatives=runners_up),
                record(decision, answered=top))

    def _settle_tie(self, analysis: Analysis, ties: list[Candidate],
                    named: dict[str, str]) -> tuple[Candidate, str] | None:
        """The one tied candidate the message itself picks, and by what; None where it picks none. In order:
        - the facets: the one entry whose facets match all the message names ("can lung tumours be shrunk with
          chemo": the lungs' treatment, not chemotherapy), unless it is silent on what else is asked;
        - the words asked: the one entry that uses every word the message asks besides facets and question words
          ("which targeted drugs work for hormone receptor positive breast cancer": CDK4/6 inhibitors, whose text
          names hormone receptors, not targeted therapy in general);
        - the question word the message opens with, where one tied phrasing alone asks it ("how does breast
          cancer spread": how cells travel, not "will my breast cancer spread"); not "what", which opens every
          kind of question."""
        matcher = self.bot.matcher
        fitting = [c for c in ties if named and _fits(c.entry, named)]
        if len(fitting) == 1 and not self._misses_what_is_asked(analysis, fitting[0], ties, named):
            return fitting[0], "the facets named"
        asked = self._asked_words(analysis)
        covering = [c for c in ties if asked and all(
            any(matcher.covers(c.entry.id, form) for form in (t, *base_forms(t))) for t in asked)]
        if len(covering) == 1:
            return covering[0], "the one entry that uses every word asked"
        opening = _opening_question_word(analysis)
        agreeing = [c for c in ties if opening is not None and re.search(rf"\b{opening}\b", c.phrasing.lower())]
        if len(agreeing) == 1:
            return agreeing[0], f"the question word '{opening}'"
        return None

    def _subject_guessed(self, analysis: Analysis, entry: Entry, context: Context) -> bool:
        """Is the entry's subject a guess: the message names no subject, the conversation holds another or none, and
        every word it shares with the entry only names a facet ("what should i do if i notice any of them" got the
        lungs' symptoms on "notice")?"""
        subject = self.subject_of(entry)
        if not subject or context.subject == subject:
            return False
        matcher, followups = self.bot.matcher, self.bot.followups
        shared = [t for t in analysis.content if telling(t) and matcher.covers(entry.id, t)]
        return bool(shared) and all(followups.is_facet_word(t) for t in shared)

    def _but_subject(self, entry: Entry) -> dict[str, str]:
        """The entry's facets but its subject ({"aspect": "symptoms"} for the lungs' symptoms and the bones')."""
        subject = self.kb.subject_facet
        return {f: v for f, v in entry.facets.items() if f != subject}

    def _for_every_subject(self, entry: Entry) -> Entry | None:
        """The one entry of no subject with the entry's other facets ("How often each site is affected" for "How
        common liver metastasis is"), if the base has one."""
        rest = self._but_subject(entry)
        return self.bot.followups.only_entry(rest) if rest else None

    def _answers_other_aspect(self, entry: Entry, aspects: dict[str, str]) -> bool:
        """Is the entry of another aspect than ``aspects``, and do none of its own phrasings ask that aspect? An entry
        whose author gave it such a phrasing answers it ("Can a targeted drug lower the chance of it spreading?" is
        HER2 therapy's, a treatment, though it asks about lowering the risk)."""
        if not _contradicts(entry, aspects):
            return False
        if (asked := self._phrased.get(entry.id)) is None:  # worked out for the entries met here only
            followups, analyzer = self.bot.followups, self.bot.analyzer
            asked = self._phrased[entry.id] = frozenset(
                item for p in entry.phrasings for item in followups.mentioned(analyzer.analyze(p)).items())
        return not set(aspects.items()) <= asked

    def _aspects_asked(self, turn: Turn, analysis: Analysis) -> dict[str, str]:
        """The facets besides the subject that the question a story ends with names, when ``analysis`` is the whole
        message and it is a story (its question is a sentence or clause of its own)."""
        read = self._question_read(turn) if analysis is turn.analysis else None
        if read is None:
            return {}
        subject = self.kb.subject_facet
        named = self.bot.followups.mentioned(read)
        return {facet: value for facet, value in named.items() if facet != subject}

    @staticmethod
    def _question(turn: Turn) -> str | None:
        """The question sentence or clause a story ends with, if it is one (found once per message)."""
        if not turn.question:
            turn.question.append(question_sentence(turn.text) or question_clause(turn.text))
        return turn.question[0]

    def _question_read(self, turn: Turn) -> Analysis | None:
        """The analysis of the question a story ends with, if it is one (worked out once per message)."""
        if (asked := self._question(turn)) is None:
            return None
        if not turn.question_read:
            turn.question_read.append(self.bot.analyzer.analyze(asked))
        return turn.question_read[0]

    def _of_every_subject(self, turn: Turn, analysis: Analysis, candidates: list[Candidate]) -> Entry | None:
        """For a message that compares two subjects or more (the base's first facet): the one entry with no subject
        and the best match's other facets ("How often each site is affected" for "is bone more common than liver",
        over "How common liver metastasis is"), if there is one. It compares them: its question names both, with a
        word that compares; a story that names two and tells of one ("secondaries in her liver and lungs, she's
        tired and not eating") does not, nor does a question after a story that names the other ("it's in her bones
        now, what's the chance it goes to her liver")."""
        facet = self.kb.subject_facet
        if facet is None:
            return None
        asked = self._question(turn) or turn.text
        if not _COMPARES.search(asked.lower()):
            return None
        question = self._question_read(turn) if asked != turn.text and analysis is turn.analysis else None
        read = analysis if question is None else question
        named = self.bot.followups.named_values(read).get(facet, set())
        top = candidates[0].entry
        if len(named) < 2 or self.subject_of(top) not in named:
            return None
        return self._for_every_subject(top)

    def _with_subject(self, turn: Turn, reply: Reply) -> Reply:
        """An answer whose entry names no subject, a clarify, a fallback or an emergency takes the one the message
        names, if any: after "it's spread to the liver, what symptoms should she watch for" and a choice of two, "how
        would they treat that" is about the liver."""
        # ... and so does the emergency guidance (not the crisis text): after it for "my mum has bone mets and suddenly
        # cant feel her legs", "how common is it" is about the bones (found in the REPL).
        if reply.kind not in ("answer", "clarify", "fallback") and not (reply.kind == "urgent"
                                                                        and reply.triage != "crisis"):
            return reply
        entry = self.kb.get(reply.entry_id) if reply.kind == "answer" and reply.entry_id else None
        if entry is not None and self.subject_of(entry):
            return reply
        named = self.named_subject(turn.analysis)
        return _with_context(reply, subject=named) if named and named != reply.context.subject else reply

    def _asked_words(self, analysis: Analysis) -> list[str]:
        """The words that say what a message asks besides the facets it names (``Matcher.topical``: no question
        words, none most entries use)."""
        return [t for t in self.bot.matcher.topical(analysis.content) if not self.bot.followups.is_facet_word(t)]

    def _misses_what_is_asked(self, analysis: Analysis, fitting: Candidate, ties: list[Candidate],
                              named: dict[str, str]) -> bool:
        """Is the entry a facet would pick silent on everything the message asks besides the facet and the
        base's subject, where another tied entry is not? "whats the outlook with liver spread": the liver
        names a facet, but the outlook is asked, and the symptoms of liver metastasis say nothing of it.
        A tied entry of another value of a facet named (the lungs, where the liver is named) is not asked,
        whatever words it shares ("what treatments exist")."""
        matcher = self.bot.matcher
        asked = self._asked_words(analysis)
        if not asked or any(matcher.covers(fitting.entry.id, t) for t in asked):
            return False
        return any(matcher.covers(c.entry.id, t) for c in ties if c is not fitting and not _contradicts(c.entry, named)
                   for t in asked)

    def answer_bar(self, turn: Turn) -> float:
        """The confidence an answer needs: the request's threshold, else the file's, else the engine's
        (0–1; the engine's depends on whether the base could be calibrated)."""
        return turn.threshold if turn.threshold is not None else base_bar(self.kb, self.bot.ranker.calibrated)

    # -- after a stage decided -----------------------------------------------------------

    def after(self, turn: Turn, reply: Reply) -> Reply:
        """Keep the conversation's subject; count fallbacks in a row (those to another subject aside); past the
        file's limit, offer a person."""
        reply = self._with_subject(turn, reply)
        if reply.kind != "fallback":
            return reply if reply.context.fallbacks == 0 else _with_context(reply, fallbacks=0)
        if reply.stage == "scope":
            # Another subject ("tell me about melanoma") is not a question this base failed: it neither counts
            # toward offering a person nor starts the count again. (The domain model cannot tell general chat
            # here: it reads "am i going to die from this" as chat, at 0.05.)
            return _with_context(reply, fallbacks=turn.context.fallbacks)
        count = turn.context.fallbacks + 1
        limit = self.kb.handoff.after_fallbacks
        if limit and count >= limit:
            # Still a fallback (nothing here answers it), now with the way to reach a person.
            contact, suggest = self.kb.handoff.offered(), self.kb.message("suggest")
            # Whatever introduces the topics offered stays next to them: "You could ask about:" at the
            # end of the text, or the whole text ("I'm not sure I understood. Did you mean one of these?").
            text = f"{reply.answer}\n\n{contact.text()}"
            if reply.answer.endswith(suggest):
                text = f"{reply.answer[: -len(suggest)].rstrip()}\n\n{contact.text()}\n\n{suggest}"
            elif reply.related:
                text = f"{contact.text()}\n\n{reply.answer}"
            return dataclasses.replace(reply, answer=text, handoff=contact,
                                       context=dataclasses.replace(reply.context, fallbacks=0))
        return _with_context(reply, fallbacks=count)


def question_sentence(text: str) -> str | None:
    """The last question of a message of several sentences, when it has one: where a story ends."""
    parts = sentences(text)
    if len(parts) < 2:
        return None
    for part in reversed(parts):
        if part.endswith("?") or _opens_question(part) or _REPORTED.search(part.lower()):
            return part
    return None


def _opens_question(text: str) -> bool:
    """Does a question word open the text? "what's that" opens with "what" too."""
    words = text.lower().split()
    if not words:
        return False
    first = re.split(r"['’]", words[0])[0]
    # ... and so does "whats", "hows", "wheres": the apostrophe dropped, as texts do.
    return first in QUESTION_OPENERS or (first.endswith("s") and first[:-1] in QUESTION_WORDS)


def reported_before(text: str, focus: str) -> str | None:
    """The question reported or asked in the last sentence before ``focus`` that has one, from its question word on
    ("she asked me what the stages are called" -> "what the stages are called"), if any."""
    parts = sentences(text)
    if focus not in parts:
        return None
    for part in reversed(parts[:parts.index(focus)]):
        words = part.split()
        at = next((i for i, w in enumerate(words) if w.lower().strip("?,.!'\"") in QUESTION_WORDS), None)
        if at is not None:
            return " ".join(words[at:])
    return None


def question_clause(text: str) -> str | None:
    """The last clause of a one-sentence message that a question word opens after a comma, where a story
    ends ("I have arthritis and a history of breast cancer, how would bone mets show up differently?")."""
    clauses = [c.strip() for c in text.split(",") if c.strip()]
    return next((c for c in reversed(clauses[1:]) if _opens_question(c)), None)


#: A question of what something pointed at is or means ("what is that", "what does it mean", "what are they").
_DEFINITION = re.compile(r"(?:what (?:is|are|was|were|does|do) |whats )(?:it|that|this|they|those|these)"
                         r"(?: mean| stand for)?$")

_CONDITION = re.compile(r"\s*(?:(?:and|so|but|ok|okay)\s+)?(?:if|when|once)\b", re.IGNORECASE)


def conditioned_question(text: str) -> str | None:
    """The question after a condition that opens the message, past its comma ("and if it has spread to the liver,
    how is it treated" asks how it is treated); None when the message does not open with one."""
    if not _CONDITION.match(text) or "," not in text:
        return None
    return text.split(",", 1)[1].strip() or None


#: A question reported rather than asked ("Caller wants to know what symptoms to look out for."): English.
_REPORTED = re.compile(r"\b(?:to know|asks?|asking|asked|wonders|wondering|wondered|enquiring|inquiring|"
                       r"querying)\b")


#: Words that compare ("is bone more common than liver", "liver vs lung", "the same symptoms", "lung or liver").
_COMPARES = re.compile(r"\b(?:than|vs|versus|compared?|comparison|same|differ\w*|or|both|either)\b")
#: What ``--explain`` says decided such a question.
_COMPARISON = "a comparison of subjects, answered by the entry of every subject"


def _opening_question_word(analysis: Analysis) -> str | None:
    """The question word a message opens with ("how", "why", "where"...), but "what"; None for any other opening."""
    first = analysis.normalized.split()[:1]
    return first[0] if first and first[0] in QUESTION_WORDS and first[0] != "what" else None


def _fits(entry: Entry, named: dict[str, str]) -> bool:
    """Does the entry agree with every facet the message names ("brain", "treatment")?"""
    return all(entry.facets.get(facet) == value for facet, value in named.items())


def _contradicts(entry: Entry, named: dict[str, str]) -> bool:
    """Does the entry have another value for a facet the message names (the lungs, where it names the liver)?"""
    return any(entry.facets.get(facet) not in (None, value) for facet, value in named.items())


#: Filler words as the stemmer leaves them ("anything" is "anyth"), which ask nothing.
_FILLERS = frozenset(fold(w) for w in STOPWORDS)


def _with_context(reply: Reply, **changes: Any) -> Reply:
    return dataclasses.replace(reply, context=dataclasses.replace(reply.context, **changes))
