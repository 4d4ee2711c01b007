"""Triage: does a message describe an emergency happening now, and of which kind?

Signs come from the knowledge-base file (word classes found together in a sentence); whether a
sign counts comes from ConText (``context.py``): denied, long past, asked about, figurative or
mild mentions do not. Outcomes: ``emergency``, ``crisis`` (self-harm) and ``urgent_care``.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .. import encoder
from ..domain import DomainModel
from ..paths import read_yaml
from ..text import normalize
from .config import OUTCOMES, Concept, TriageConfig
from .context import BLANK as _BLANK
from .context import Context, recurs_now
from .lexicon import Hit, Lexicon, Token, normal_temperature, phrase_tokens, pieces, sentences, temperatures

#: Widest span, in tokens, over which a sign's classes count as one finding.
SIGN_WINDOW = 18
#: Probability from the learned model at which a message with no sign found still raises an emergency.
LEARNED_ALARM = 0.7
#: ... and at which the learned model of self-harm messages raises a crisis (its examples are fewer).
LEARNED_CRISIS = 0.8
#: ... or when a word of a crisis sign backs it ("cut my wrists"), chosen on the looked-at parts between 0.6
#: and 0.7: 0.6 caught 6 more looked-at emergencies than 0.7 and raised 2 more calm messages.
LEARNED_CRISIS_BACKED = 0.7
#: Where the n-gram crisis model reads at least this but less than its level, the sentence encoder's model
#: of self-harm (``encoder.py``, 10-20 ms a message) is asked too: indirect self-harm names a place, a means
#: or a farewell in words of every day ("I'm on the platform now waiting for the fast one that doesn't stop").
#: Chosen on the tuned-on halves: below 0.4 it caught one more self-harm message and raised two calm ones.
ENCODER_GATE = 0.4
#: ... and raises a crisis when that model reads this much. Chosen on the tuned-on halves, each writer's
#: half read by a model trained without it. Of the logistic regression first shipped, 0.9 caught 29 more
#: self-harm messages of 527 and raised 9 calm messages of 1,523 (0.8: +49 / -25; 0.96: +13 / -3); the network
#: that replaced it, at 0.96, caught 10 more of 627 than that for 2 more calm messages of 1,653 (0.85 / 0.9 /
#: 0.93: +25 / +19 / +17 for -7 / -4 / -3), and raised as few of CLINC150's queries (17 against 16).
ENCODER_CRISIS = 0.96
#: A message of at most this many words (fillers aside) and no sign word is never raised by the model.
FEW_WORDS = 4
_STAND_DOWN = frozenset({"negation_before", "historical", "chronic", "lasting", "hypothetical", "remote",
                         "joking", "mild", "limited", "permission", "decision", "fate", "harmless_cause",
                         "episodic", "nuisance"})
#: Self-harm thoughts that have lasted weeks are no less a crisis: "chronic" does not stand them down.
_CRISIS_STAND_DOWN = frozenset({"historical", "remote", "joking", "fate"})
#: A question about what will happen to someone ("is she going to be sick", "will he be ok"): no report of now.
_FUTURE_QUESTION = re.compile(r"(?:is|are|am|will|would) (?:\w+ ){1,2}(?:going to|gonna|be)\b")
_NOW = frozenset({"present", "report", "reassurance"})
#: Words by which a message speaks of its writer ("ill", for "I'll", is left out: it is also "sick").
_FIRST_PERSON = frozenset("i im ive id me my myself mine".split())
_DENIALS = frozenset({"negation_before", "negation_adjacent"})
#: How close to a sign an ``unless`` class must stand to make the sign about something else: after it
#: ("I don't want to go on with chemo"; "chemo is hard, I want it all to end" is no treatment decision),
#: or on either side for ``unless_near`` ("statistics on suicide", "where I want to die").
UNLESS_REACH = 3


@dataclass(frozen=True)
class Finding:
    """Triage's decision: the outcome, the concept that raised it and the words that showed it."""

    outcome: str
    concept: str
    message: str
    evidence: str
    #: The message names a person or says "now": a report, not a topic ("seizures with breast cancer").
    personal: bool = True
    #: The message says it is happening now ("right now", "I took", "is it normal").
    now: bool = False


@dataclass(frozen=True)
class _Sentence:
    text: str
    tokens: list[Token]
    hits: list[Hit]  # concept classes
    context: list[Hit]  # ConText modifiers
    question: bool
    someone: bool  # names a person
    continues: bool = False  # joined by a dash to the sentence before: tells more of it
    at: int = 0  # its place in the message
    commas: tuple[int, ...] = ()  # token positions of its commas


class Triage:
    def __init__(self, config: TriageConfig, calm: Sequence[str] = ()):
        """``calm``: messages that are no emergency (the base's own questions, general chat), which the
        learned part of triage takes as negatives besides the shipped calm look-alikes."""
        self.config = config
        self.lexicon = Lexicon(config.terms)
        self.context = Context() if config.concepts else None
        self.model: DomainModel | None = None
        self.crisis: DomainModel | None = None
        if config.concepts and config.messages.get("emergency"):
            examples = read_yaml("triage_examples.yaml")
            emergencies = [self._literal(t) for t in examples["emergencies"]]
            calm_words = [self._literal(t) for t in [*examples["calm"], *calm]]
            self.model = DomainModel(emergencies, calm_words)
            if config.messages.get("crisis"):
                crises = {self._literal(t) for t in examples["crisis"]}
                self.crisis = DomainModel(sorted(crises), [*(e for e in emergencies if e not in crises), *calm_words])
        self._crises = [c for c in config.concepts if c.outcome == "crisis"]
        # Warning signs back the crisis model, but a denial of one denies nothing ("I won't be a burden much longer").
        self._warnings = frozenset(label for c in self._crises for label in c.backs)
        signs = frozenset(label for c in self._crises for sign in c.signs for label in sign)
        self._crisis_words = signs | self._warnings

    def assess(self, text: str) -> Finding | None:
        """The most pressing finding in ``text``, or None when nothing asserted was found."""
        if self.context is None:
            return None
        parsed = [self._parse(s, joined, at) for at, (s, joined) in enumerate(pieces(text))]
        named = frozenset(h.label for s in parsed for h in s.hits)
        findings = [f for c in self.config.concepts if (f := self._concept(c, parsed, named))]
        if not findings and (learned := self._learned(parsed)) is not None:
            findings = [learned]
        if not findings:
            return None
        best = min(findings, key=lambda f: OUTCOMES.index(f.outcome))
        now = any(h.label in _NOW for s in parsed for h in s.context)
        personal = now or any(s.someone for s in parsed)
        return dataclasses.replace(best, personal=personal, now=now)

    def _learned(self, parsed: list[_Sentence]) -> Finding | None:
        """The learned part: a model of emergency messages catches wordings the signs do not list,
        unless the message's own words stand it down (denied, past, what-if, mild, joking) with no
        marker of now."""
        if self.model is None:
            return None
        words = _words(parsed)
        crisis = self.crisis.probability(words) if self.crisis is not None else 0.0
        probability = self.model.probability(words)
        # A word of a crisis sign that nothing makes about something else backs a lower level ("i cut my
        # wrists, not deep i think" names a means but no intent; "I don't want to go on with chemo" backs nothing).
        backed = any(h.label in self._crisis_words and not any(_excluded(c, s, h.start, h.end) for c in self._crises)
                     for s in parsed for h in s.hits)
        level = LEARNED_CRISIS_BACKED if backed else LEARNED_CRISIS
        evidence = f"model: {crisis:.2f}"
        # (``crisis`` is 0.0 without a crisis model: below the gate.)
        if (self.config.encoder and ENCODER_GATE <= crisis < level
                and (model := encoder.shipped_model("crisis_head.json")) is not None
                and (read := model.probability(words)) >= ENCODER_CRISIS):
            crisis, evidence = level, f"sentence encoder: {read:.2f}"
        outcome = "crisis" if crisis >= level else "emergency" if probability >= LEARNED_ALARM else None
        if outcome is None:
            return None
        # A temperature taken and normal, every one the message gives ("temp is 36.8, no shivers, ok to have chemo
        # tomorrow?"), says there is no fever: the emergency model, reading chemotherapy and a thermometer, alone does
        # not raise it. (A sign the file lists still does: shivering under three duvets at 37.2.)
        if outcome == "emergency" and (taken := [t for s in parsed for t in temperatures([w.raw for w in s.tokens])]) \
                and all(map(normal_temperature, taken)):
            return None
        assert self.context is not None
        labels = {h.label for s in parsed for h in s.context}
        # Asking leave ("is it ok to have a glass of wine") is not asking for reassurance about a symptom.
        reassured = any(h.label == "reassurance" and not _within_label(h, s.context, "permission")
                        for s in parsed for h in s.context)
        now = "report" in labels or reassured or any(self.context.live_present(s.context) for s in parsed)
        # A story of a sign that ended well: only a "now" that speaks of a sign reopens it ("it's been okay
        # since. Do I need to drink a set amount now?" asks about now, of nothing alarming).
        if now and outcome == "emergency" and any(self._over(s, h.start, h.end, parsed)
                                                  for s in parsed for h in s.hits):
            now = "report" in labels or any(self.context.live_present(s.context) for s in parsed
                                            if s.hits or _points_back(s))
        # Thoughts of self-harm come as questions and what-ifs too: only the past and the remote count, and
        # a sign the message itself denies ("I don't want to die": fear, not intent; "I haven't taken too
        # many tablets"). A denial with no sign ("everyone would cope better if I wasn't here") is no stand-down.
        down = _CRISIS_STAND_DOWN if outcome == "crisis" else _STAND_DOWN
        if labels & (down | {"resolved"}) and not now:
            return None
        # ... in its own clause: "she's not end stage, she's doing ok on treatment" denies nothing of the rest;
        # and only a word of a crisis sign: "doing it tonight so I don't have to face the next scan" denies no intent.
        if outcome == "crisis" and any(_denied_in(self.context, s, h, by_clause=True) for s in parsed for h in s.hits
                                       if h.label in self._crisis_words and h.label not in self._warnings):
            return None
        # A question about what will happen, and nothing more, is no emergency now whatever words it uses ("is she
        # going to be sick" read 0.85 to the model): the emergency model alone does not raise it, as it does not
        # raise a worry about one's fate. The crisis model reads one that speaks of oneself or has a word of a crisis
        # sign: thoughts of self-harm come as questions ("is it going to be painful when i jump"); not one of what the
        # illness will do to another ("is it going to hurt her": 0.82 to the crisis model, found in the REPL).
        if all(_FUTURE_QUESTION.match(normalize(s.text)) for s in parsed) and (
                outcome == "emergency" or not (backed or any(_FIRST_PERSON & set(normalize(s.text).split())
                                                             for s in parsed))):
            return None
        if not any(s.hits for s in parsed):
            # No word of any condition's signs: a question about nobody is not enough, nor one about someone for
            # an emergency ("is she going to lose her hair"; thoughts of self-harm come as questions too), and a
            # message of a few words ("stop it now!") gives the model too little to go on.
            count = len(words.split())  # idioms removed: "I'm choking up thinking about it" is four words
            if all(s.question and (not s.someone or outcome == "emergency") for s in parsed) or count <= FEW_WORDS:
                return None
        # An alarm the emergency model raises that the crisis model reads as self-harm, at the level a backing word
        # would need ("i just feel like giving up on everything": 0.95 and 0.80), gets the crisis text, which gives
        # the emergency number too: its examples of self-harm are emergencies as well. The stand-downs applied are
        # the emergency's, the wider set: no alarm is added.
        if outcome == "emergency" and crisis >= LEARNED_CRISIS_BACKED:  # 0.0 when there is no crisis model
            outcome = "crisis"
        if outcome == "emergency":
            evidence = f"model: {probability:.2f}"
        return Finding(outcome, "learned", self.config.messages[outcome], evidence)

    def _literal(self, text: str) -> str:
        """The words the learned model reads: the message without its figurative idioms ("bleeding
        money", "this wait is killing me"), as the signs read it."""
        return _words([self._parse(s) for s in sentences(text)])

    def _parse(self, text: str, continues: bool = False, at: int = 0) -> _Sentence:
        assert self.context is not None
        read = self.lexicon.tokens(text)
        signs = self.lexicon.find(read)
        tokens = self.context.blank_figurative(read, keep=signs)
        if tokens is not read:  # an idiom was blanked: its words are no sign
            signs = self.lexicon.find(tokens)
        # No phrase runs across a comma: "an hour later, on chemo" says nothing "later on".
        commas = _commas(text) if "," in text else ()

        def whole(hits: list[Hit]) -> list[Hit]:
            return [h for h in hits if not any(h.start < c < h.end for c in commas)] if commas else hits

        return _Sentence(text, tokens, whole(signs), whole(self.context.hits(tokens)),
                         self.context.is_question(text, tokens), self.context.names_someone(text), continues, at,
                         commas)

    def _concept(self, concept: Concept, parsed: list[_Sentence], named: frozenset[str]) -> Finding | None:
        """``named``: the classes the message names anywhere."""
        for sign in concept.signs:
            if not named.issuperset(sign):  # most messages name few classes: most signs are out at once
                continue
            if concept.scope == "message":
                evidence = self._across(concept, sign, parsed)
            else:
                evidence = next((e for s in parsed if (e := self._within(concept, sign, s, parsed))), None)
            if evidence is not None:
                return Finding(concept.outcome, concept.id, self.config.messages[concept.outcome], evidence)
        return None

    def _asserted(self, concept: Concept, sentence: _Sentence, start: int, end: int, parsed: list[_Sentence]) -> bool:
        assert self.context is not None
        if "historical" in concept.reads and (self._over(sentence, start, end, parsed)
                                              or self._dated_before(sentence, start, end, parsed)):
            return False
        joking = any(h.label == "joking" for s in parsed for h in s.context)
        # A denial that is a word of another sign ("she has not woken up and her lips are blue") denies that
        # sign's words, not this one's.
        others = [h for h in sentence.hits if not (h.start < end and h.end > start)]
        context = [c for c in sentence.context if c.label not in _DENIALS
                   or not any(h.start <= c.start and c.end <= h.end for h in others)]
        mods = self.context.modifiers(sentence.tokens, context, start, end, sentence.someone, joking)
        # Another sentence can say it is happening now ("Is X a side effect? I've got it right now").
        # ... when it speaks of a sign: names one, points back to one ("it", "this") or reports taking
        # something ("I've had about 20 today"); "Now he has breast cancer" does not.
        elsewhere = any(self.context.live_present(s.context) for s in parsed
                        if s is not sentence and (s.hits or _points_back(s)))
        # A later sentence can say it came back now ("I had a seizure years ago. It happened again today.").
        if mods.historical and any(_points_back(s) and recurs_now(s.context) for s in parsed[sentence.at + 1:]):
            mods = dataclasses.replace(mods, historical=False)
        return mods.asserted(concept.reads, elsewhere, sentence.question)

    def _over(self, sentence: _Sentence, start: int, end: int, parsed: list[_Sentence]) -> bool:
        """A story that ends well: the sign told in the past, a recovery said after it ("had a fit at
        christmas, seizure free since"), and no marker of now besides the recovery's own."""
        assert self.context is not None
        at = sentence.at
        # A fragment with no verb of its own ("I had a reaction at my first CT - hives and wheezing") is told
        # in the time of the sentence before it.
        before = parsed[at - 1].tokens if at > 0 and self.context.tenseless(sentence.tokens) else []
        if not (self.context.told_in_past(sentence.tokens, start, end)
                or (before and self.context.told_in_past(before, 0, len(before)))):
            return False
        later = parsed[at + 1:]
        # ... told by a recovery, or by the end of the sign ("they stopped it and I was fine", "it went away").
        ended = ("resolved", "negation_after")
        recovered = any(h.label in ended and h.start >= end for h in sentence.context) or any(
            h.label in ended for s in later for h in s.context)
        # A "now" about something else ("Now I'm offered capecitabine") does not reopen the story.
        return recovered and not any(self.context.live_present(s.context) for s in parsed if s.hits)

    def _dated_before(self, sentence: _Sentence, start: int, end: int, parsed: list[_Sentence]) -> bool:
        """Told after a dash in the past, in a sentence dated in the past ("an allergic reaction to penicillin
        years ago - face swelled up"): the time of the sentence it tells more of, unless it says now."""
        assert self.context is not None
        at = sentence.at
        if not sentence.continues or at == 0 or self.context.live_present(sentence.context):
            return False
        if not self.context.told_in_past(sentence.tokens, start, end):
            return False
        before = parsed[at - 1]
        return self.context.dated(before.tokens, before.context) and not self.context.live_present(before.context)

    def _within(self, concept: Concept, sign: tuple[str, ...], sentence: _Sentence,
                parsed: list[_Sentence]) -> str | None:
        """The words of ``sign`` asserted together in one sentence, or None."""
        options = [[h for h in sentence.hits if h.label == label] for label in sign]
        if not all(options):
            return None
        combos = sorted(itertools.islice(itertools.product(*options), 64), key=_width)
        for combo in combos:
            start, end = min(h.start for h in combo), max(h.end for h in combo)
            if end - start > SIGN_WINDOW:
                break
            if _excluded(concept, sentence, start, end):
                continue
            if _denied_inside(sentence, combo):
                continue
            if self._out_of_reach(combo):
                continue
            if self._asserted(concept, sentence, start, end, parsed):
                # Whether the story told it before depends on the sign, not on which of its words: ask once.
                return None if self._told_before(sign, sentence, parsed) else " ".join(
                    t.raw for t in sentence.tokens[start:end])
        return None

    def _out_of_reach(self, combo: tuple[Hit, ...]) -> bool:
        """A class that qualifies the words after it (``reach`` in the config) with none of the sign's other
        words shortly after it: "won't" in "a cough that won't go away and gets out of breath"."""
        reach = self.config.reach
        return len(combo) > 1 and any(
            h.label in reach and not any(0 <= o.start - h.end <= reach[h.label] for o in combo if o is not h)
            for h in combo)

    def _told_before(self, sign: tuple[str, ...], sentence: _Sentence, parsed: list[_Sentence]) -> bool:
        """Named again after a story of it that is over or dated, with nothing of now: the same event ("My
        brother had a heart attack at 40, he's fine. Does his heart attack make any difference to ...?")."""
        assert self.context is not None
        if sentence.at == 0 or self.context.live_present(sentence.context):
            return False
        for before in parsed[:sentence.at]:
            spans = [h for h in before.hits if h.label in sign]
            if {h.label for h in spans} != set(sign):
                continue
            start, end = min(h.start for h in spans), max(h.end for h in spans)
            if self.context.told_in_past(before.tokens, start, end) and (
                    self.context.dated(before.tokens, before.context) or self._over(before, start, end, parsed)):
                return True
        return False

    def _denied(self, sentence: _Sentence, hit: Hit) -> bool:
        assert self.context is not None
        return _denied_in(self.context, sentence, hit)

    def _across(self, concept: Concept, sign: tuple[str, ...], parsed: list[_Sentence]) -> str | None:
        """Message scope: the first class asserted somewhere, the others named, not denied, anywhere
        ("not on chemo at the moment" names no chemotherapy)."""
        first, rest = sign[0], sign[1:]
        named = {h.label for s in parsed for h in s.hits if not self._denied(s, h)}
        if not all(label in named for label in rest):
            return None
        for sentence in parsed:
            # A time said of another class of the sign dates that class, not the first: "temperature is
            # 38.4 and I had chemo last week" is a fever now, a week after chemotherapy.
            dating = [h for h in sentence.context if h.label == "historical" and any(
                o.label in rest and o.start < h.start <= o.end + 1 for o in sentence.hits)]
            if dating:
                sentence = dataclasses.replace(sentence, context=[h for h in sentence.context if h not in dating])
            for hit in sentence.hits:
                if hit.label == first and self._asserted(concept, sentence, hit.start, hit.end, parsed):
                    return " ".join(t.raw for t in sentence.tokens[hit.start : hit.end])
        return None


def _excluded(concept: Concept, sentence: _Sentence, start: int, end: int) -> bool:
    """Is the span at [start, end) about something else, by the concept's ``unless`` classes near it? Not
    when a word of time or cause ties that class to the span instead: "cutting my arms again since the scan"
    is not about the scan, "I don't want to go on with chemo" is about chemo."""
    tokens = sentence.tokens
    # ... nor across a comma: "I want to kill myself, the chemo isn't working" is no treatment decision.
    return any(((h.label in concept.unless and h.end > start and h.start <= end + UNLESS_REACH)
                or (h.label in concept.unless_near and start - UNLESS_REACH <= h.start <= end + UNLESS_REACH))
               and not (h.start > 0 and tokens[h.start - 1].raw in _WHEN)
               and not any(min(end, h.end) <= c <= max(start, h.start) for c in sentence.commas)
               for h in sentence.hits)


#: Words that make what follows a time or a cause, not an object: "since the scan", "after chemo".
_WHEN = frozenset("since after before during until till because".split())


def _denied_in(context: Context, sentence: _Sentence, hit: Hit, by_clause: bool = False) -> bool:
    """Is the hit denied? ``by_clause``: a comma bounds the denial too (a list of denied signs runs across
    commas, "not confused, drowsy or sick", so the signs' own reading does not use it)."""
    hits = sentence.context
    if by_clause:
        hits = hits + [Hit("terminators", i, i) for i in sentence.commas]
    return context.modifiers(sentence.tokens, hits, hit.start, hit.end, sentence.someone).negated


def _commas(text: str) -> tuple[int, ...]:
    """Token positions of the commas of a sentence (tokens counted as ``Lexicon.tokens`` counts them)."""
    positions, count = [], 0
    for part in text.split(",")[:-1]:
        count += len(phrase_tokens(part))
        positions.append(count)
    return tuple(positions)


#: Words by which a sentence points back to something said before it: pronouns, and the pro-forms
#: of an elided verb ("because I do right now", "same here", "me too").
_BACK = frozenset("it its this that these those them one do does did same too also".split())


def _points_back(sentence: _Sentence) -> bool:
    return any(t.raw in _BACK for t in sentence.tokens) or any(h.label == "report" for h in sentence.context)


def _within_label(hit: Hit, hits: list[Hit], label: str) -> bool:
    return any(o.label == label and o.start <= hit.start and hit.end <= o.end for o in hits)


def _words(parsed: list[_Sentence]) -> str:
    return " ".join(t.raw for s in parsed for t in s.tokens if t.raw != _BLANK)


def _denied_inside(sentence: _Sentence, combo: tuple[Hit, ...]) -> bool:
    """A denial between a sign's words, just before one of them: "my legs aren't weak"."""
    later = [h for h in combo if h.start > min(c.start for c in combo)]
    return any(h.label == "negation_before" and any(0 <= c.start - h.end <= 1 for c in later)
               and not any(c.start <= h.start < c.end for c in combo) for h in sentence.context)


def _width(combo: tuple[Hit, ...]) -> int:
    return max(h.end for h in combo) - min(h.start for h in combo)
