"""ConText for triage (after NegEx and ConText, Chapman et al.): is a symptom asserted, now, of a person?

A mention of "seizure" means an emergency only when the sentence around it says so. Modifiers,
from package data (general English, the same for every knowledge base):
negated ("no chest pain"), historical ("last year"), hypothetical or informational ("what if",
"is X a sign of"), mild ("a bit breathless"), and whether a person is in the sentence at all
("is a seizure a sign of..." speaks of nobody). Markers of the present ("right now", "suddenly")
outweigh a hypothetical or question form. Figurative idioms ("this wait is killing me") are blanked
out before anything is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..language import QUESTION_OPENERS
from ..paths import read_yaml
from ..text import normalize, tokenize
from .lexicon import FILLERS, Hit, Lexicon, Token

#: How far before a symptom a negation or a mild word may stand, in tokens.
NEGATION_REACH = 6
MILD_REACH = 3
HISTORICAL_REACH = 5
_FAR = 10_000
#: What a figurative idiom's tokens become.
BLANK = "_"
_YEAR = re.compile(r"(?:19[5-9]\d|20[0-2]\d)")  # "in 2018": a year is the past (or a plan)
#: Tokens before a sign searched for a past-tense verb ("she had a fit", "I had bad thoughts and a plan to end it"):
#: in practice the sentence so far ("I had a bad reaction to the contrast dye at my first CT, hives").
PAST_REACH = 30
#: How far after a "resolved" phrase a "now" still belongs to it ("seizure free for 8 months now").
RESOLVED_REACH = 4
#: How far after "if" a marker of now is the what-if's ("if I started vomiting", "if she suddenly can't breathe").
CONDITION_REACH = 3
#: Past forms that do not end in -ed (English grammar, not a list of symptoms).
_IRREGULAR_PAST = frozenset("had was were went felt got came fell lost bled took threw became began broke woke "
                            "kept left gave did ran hit thought told said wrote tore spent slept sat saw found "
                            "made stood caught ate drank drove fought bought brought held heard sent couldnt "
                            "didnt wasnt werent".split())
#: Finite verbs of the present (and the modal ones): a sentence with one of these tells its own time.
_PRESENT = frozenset("is are am im isnt arent has have hasnt havent does do doesnt dont can cant cannot could "
                     "will wont would keeps keep feels feel gets get looks look seems seem shes hes its "
                     "theyre ive weve youre need needs want wants goes go".split())
#: Before a verb in the past, these say it did not happen.
_NEARLY = frozenset({"nearly", "almost"})
#: An -ed word after one of these is a state now, not a past event ("she is confused", "so tired").
_STATE = frozenset("is are am im shes hes theyre seems seem looks look feels feel getting gets very so really "
                   "too more quite".split())


@dataclass(frozen=True)
class Modifiers:
    negated: bool = False
    historical: bool = False
    hypothetical: bool = False
    mild: bool = False
    experiencer: bool = False  # a person (the writer or someone they describe) is in the sentence
    present: bool = False  # a marker of now (or of something just done: "took") in the same clause
    reassurance: bool = False  # "is it normal", "should I be worried": asking about a situation one is in
    chronic: bool = False  # "been the same since last year": long-standing, unchanged
    lasting: bool = False  # "for months": how long it has lasted
    remote: bool = False  # "if I ever felt...": conditional on something that has not happened
    joking: bool = False  # "just joking", "lol"
    routine: bool = False  # "with breakfast", "at the same time": how medicines are taken, nothing taken now
    fear: bool = False  # "I'm scared I'll ...": an outcome feared, not wished or done

    def asserted(self, reads: frozenset[str], present_elsewhere: bool, question: bool) -> bool:
        """An emergency now, of a person: what triage acts on. ``reads``: the modifiers that count."""
        present = self.present or present_elsewhere
        if "negation" in reads and self.negated:
            return False
        if "mild" in reads and self.mild:
            return False
        if "historical" in reads and self.historical:  # weighed against "now" already
            return False
        if "chronic" in reads and (self.chronic or self.lasting):  # long-standing: not new (self-harm aside)
            return False
        if "remote" in reads and self.remote:
            return False
        if "routine" in reads and self.routine:
            return False
        if "fear" in reads and self.fear:
            return False
        if "hypothetical" in reads and self.joking:
            return False
        if "hypothetical" in reads and self.hypothetical and not present_elsewhere:
            return False
        # A question that names nobody ("are seizures common with brain mets") asks for information,
        # unless it asks for reassurance ("is it normal to cough up this much blood?").
        return not ("question" in reads and question and not self.experiencer and not present
                    and not self.reassurance)


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = read_yaml("context.yaml")
    return data


class Context:
    """The modifier lexicon, compiled once per process."""

    def __init__(self) -> None:
        data = _data()
        keys = ("negation_before", "negation_after", "historical", "chronic", "hypothetical", "remote", "present",
                "report", "reassurance", "mild", "joking", "figurative", "terminators", "resolved", "pseudo_negation",
                "limited", "negation_adjacent", "lasting", "permission", "looks_back", "decision", "fate",
                "recurrence", "harmless_cause", "episodic", "routine", "nuisance", "fear")
        # "{someone}" in a phrase stands for any word that names a person ("is it ok for {someone} to": for me,
        # for him, for my mum); a filler ("my", "her") is skipped in reading, so it fills nothing itself.
        people = [w for w in map(str, data["experiencers"]) if w not in FILLERS]
        treatments = [str(w) for w in data["treatments"]]
        phrases = {k: [t for p in data[k] for f in _filled(str(p), people) for t in _treated(f, treatments)]
                   for k in keys}
        times = [str(t) for t in data["named_times"]]
        phrases["historical"] += [f"{lead} {t}" for lead in ("last", *map(str, data["time_leads"])) for t in times]
        phrases["duration"] = [f"{lead} {n} {unit}" for lead in map(str, data["duration_leads"])
                               for n in map(str, data["short_counts"]) for unit in map(str, data["short_units"])]
        leads, episodes = [str(t) for t in data["episode_leads"]], [str(t) for t in data["episodes"]]
        phrases["episode"] = [f"{lead} {o} {e}" for lead in leads for o in map(str, data["ordinals"]) for e in episodes]
        phrases["episode"] += [f"{lead} {e} {n}" for lead in leads for e in episodes for n in range(1, 13)]
        # ... with the drug between ("during my first paclitaxel infusion"): the lead and a later ordinal
        # ("at first" and "in first" are no episode).
        phrases["episode"] += [f"{lead} {o}" for lead in leads for o in map(str, data["ordinals"])
                               if not (o in ("first", "1st") and lead in ("at", "in"))]
        phrases["episode"] += [f"{lead} {p}" for lead in ("after", "following", "during")
                               for p in map(str, data["procedures"])]
        # The word that opens a what-if, apart from the other hypothetical phrases (``_without_recovery_tails``).
        phrases["condition"] = ["if"]
        self.lexicon = Lexicon(phrases)
        self.experiencers = frozenset(str(w) for w in data["experiencers"])

    def blank_figurative(self, tokens: list[Token], keep: list[Hit] = ()) -> list[Token]:  # type: ignore[assignment]
        """Tokens with every figurative idiom blanked out ("killing me" no longer mentions killing),
        except inside a longer literal phrase in ``keep`` ("my head is killing me"); ``tokens`` itself when
        there is none."""
        out = tokens
        for hit in self.lexicon.find(tokens):
            inside = any(k.start <= hit.start and hit.end <= k.end and k.end - k.start > hit.end - hit.start
                         for k in keep)
            if hit.label == "figurative" and not inside and not self._timed(tokens, hit):
                out = list(out) if out is tokens else out
                for i in range(hit.start, hit.end):
                    out[i] = Token(BLANK, BLANK)
        return out

    def _timed(self, tokens: list[Token], idiom: Hit) -> bool:
        """Does the idiom run into how long something has gone on? Then it is no idiom: "fitting for ten
        minutes" is a fit, "fitting for a wig" is not. (The idiom's words are read first, so the duration is
        looked for past its first word.)"""
        after = idiom.start + 1
        return any(h.label == "duration" and h.start + after < idiom.end
                   for h in self.lexicon.find(tokens[after:]))

    def hits(self, tokens: list[Token]) -> list[Hit]:
        """The modifiers in a sentence. Where phrases overlap, the more specific reading wins: a denial
        inside a pseudo-denial ("she isn't herself"), a question form inside a marker of now ("what's
        happening", which stems like "what happens") or inside a request for reassurance ("my legs are
        weak, is that a sign of...": the sign is hers) are dropped."""
        found = [h for h in self.lexicon.find(tokens) if h.label != "figurative"] + _ages_past(tokens)
        found = [_ongoing(h, tokens) if h.label == "duration" else h for h in found]
        found = [h for h in found if h.label != "duration"]
        covers = {"negation_before": ("pseudo_negation",), "negation_after": ("pseudo_negation",),
                  "hypothetical": ("present", "reassurance"), "looks_back": ("reassurance",)}
        return [h for h in found if not any(o.label in covers.get(h.label, ()) and o.start < h.end and h.start < o.end
                                            for o in found)]

    @staticmethod
    def live_present(hits: list[Hit]) -> bool:
        """A marker of now that is not the tail of a recovery ("fine now", "free for 8 months now")."""
        return any(h.label == "present" for h in _without_recovery_tails(hits, conditioned=True))

    @staticmethod
    def told_in_past(tokens: list[Token], start: int, end: int) -> bool:
        """Is the sign at [start, end) told in the past tense ("had a fit", "passed out", "bled a lot")?"""
        return any(_past_verb(tokens, i) for i in range(max(0, start - PAST_REACH), end))

    @classmethod
    def dated(cls, tokens: list[Token], hits: list[Hit]) -> bool:
        """Does the sentence put itself in the past ("years ago", "last year", "in 2021", "I had a reaction
        during my second infusion")?"""
        return (any(h.label == "historical" for h in hits) or any(_YEAR.fullmatch(t.raw) for t in tokens)
                or (any(h.label == "episode" for h in hits) and cls.told_in_past(tokens, 0, len(tokens))))

    @staticmethod
    def tenseless(tokens: list[Token]) -> bool:
        """A fragment with no verb that tells its time ("- hives and wheezing."): it belongs to the sentence
        before it. Only common finite verbs are known; a verb in -s is missed."""
        return not any(t.raw in _IRREGULAR_PAST or t.raw in _PRESENT or (len(t.raw) > 4 and t.raw.endswith("ed"))
                       for t in tokens)

    @staticmethod
    def is_question(sentence: str, tokens: list[Token]) -> bool:
        first = tokens[0].raw if tokens else ""
        return sentence.rstrip().endswith("?") or first in QUESTION_OPENERS

    def names_someone(self, sentence: str) -> bool:
        """Is a person (the writer, or someone they describe) in the sentence? Read before fillers go."""
        return any(word in self.experiencers for word in tokenize(normalize(sentence)))

    def modifiers(self, tokens: list[Token], hits: list[Hit], start: int, end: int, someone: bool,
                  joking: bool = False) -> Modifiers:
        """What the sentence says about the symptom at tokens [start, end)."""
        # The clause: bounded by terminators ("but", "however") on either side of the symptom.
        left, right = 0, len(tokens)
        for h in hits:
            if h.label == "terminators":
                if h.end <= start:
                    left = max(left, h.end)
                elif h.start >= end:
                    right = min(right, h.start)
        # A phrase that shares a word with the sign is not about it ("myself again" in "kill myself again now").
        apart = [h for h in hits if not (h.start < end and h.end > start)]
        in_clause = [h for h in _without_recovery_tails(apart) if h.start >= left and h.end <= right]
        before = [h for h in in_clause if h.end <= start]
        after = [h for h in in_clause if h.start >= end]
        years = [Hit("historical", i, i + 1) for i in range(left, right) if _YEAR.fullmatch(tokens[i].raw)]
        dated = in_clause + years
        episodes = [Hit("historical", h.start, h.end) for h in in_clause if h.label == "episode"]
        if episodes and self.told_in_past(tokens, start, end):  # "at my second cycle I couldn't breathe"
            dated += episodes
        historical = _nearest(dated, "historical", start, end)
        # A time that opens the clause ("Back in November my mum couldn't pass urine and her legs were
        # weak") dates all of it, unless a marker of now stands between it and the sign.
        opening = [h for h in dated if h.label == "historical" and h.start <= left + 1 and h.end <= start]
        if opening and not any(h.label == "present" and opening[0].end <= h.start < start for h in in_clause):
            historical = 0
        # A sign told in the past in a clause dated in the past ("mum went unconscious briefly after her first
        # dose, when she was frail, in 2020") is history wherever the date stands, unless the clause says now.
        if (historical >= HISTORICAL_REACH and self.told_in_past(tokens, start, end)
                and not any(t.raw in _PRESENT for t in tokens[max(0, start - PAST_REACH):end])
                and any(h.label == "historical" for h in dated)
                and not any(h.label in ("present", "report") for h in in_clause)):
            historical = 0
        lasting = _nearest(in_clause, "lasting", start, end)
        # About a person, a what-if or question form governs the sign after it, or one that looks back; about
        # nobody ("are seizures common with brain mets"), any in the clause does.
        governing = in_clause if not someone else [
            h for h in in_clause if h.end <= start or any(o.label == "looks_back" and o.start == h.start
                                                          for o in in_clause)]
        hypothetical = _nearest(governing, "hypothetical", start, end)
        present = _nearest(in_clause, "present", start, end)
        report = _nearest(in_clause, "report", start, end)
        # A sign that is itself a denial ("isn't breathing", "not responding") is not undone by an earlier
        # one ("she hasn't woken up and isn't breathing", "no, he isn't breathing").
        denial = any(h.label == "negation_before" and h.start < end and h.end > start for h in hits)
        # A denied verb does not reach past "and" to another one ("she hasn't been to the toilet all day and her
        # legs feel numb"), as "no" reaches over a list ("no fever and chills").
        def reaches(h: Hit) -> bool:
            verbal = any(t.raw.endswith("nt") or t.raw in ("has", "have", "did") for t in tokens[h.start:h.end])
            return not (verbal and any(t.raw == "and" for t in tokens[h.end:start]))

        return Modifiers(
            negated=any(h.label == "negation_before" and start - h.end < NEGATION_REACH and not denial and reaches(h)
                        for h in before)
            or any(h.label == "negation_adjacent" and h.end == start for h in hits)
            or any(h.label == "negation_after" and h.start - end < NEGATION_REACH for h in after)
            # "I nearly collapsed", "she almost choked": what nearly happened did not ("nearly unconscious" is).
            or (start > 0 and tokens[start - 1].raw in _NEARLY and _past_verb(tokens, start)),
            # The nearer marker wins: "in 2018 ... now" is history; "last year, and now again" is now.
            # ... and a sign said to come back, with a marker of now, is now ("years ago, and again today").
            historical=historical < HISTORICAL_REACH and historical < present and not recurs_now(after + years),
            lasting=lasting < HISTORICAL_REACH and lasting < present,
            hypothetical=(hypothetical < _FAR and hypothetical <= min(present, report))
            or (_conditions_leave(tokens, in_clause, start) and present >= _FAR and report >= _FAR),
            # "a bit" weakens what follows it, inside a sign too ("legs are a bit weak"); "-ish" what it ends.
            mild=any(h.label == "mild" and start - MILD_REACH < h.end <= end + 1 for h in hits if left <= h.start)
            or any(h.label == "limited" and end <= h.start <= end + 1 for h in hits)
            or any(h.label == "harmless_cause" for h in in_clause),
            experiencer=someone,
            present=present < _FAR or report < _FAR,
            reassurance=any(h.label == "reassurance" for h in in_clause),
            # ... and episodes that come and go, unless one is said to be happening now.
            chronic=any(h.label == "chronic" for h in in_clause)
            or (any(h.label == "episodic" for h in in_clause) and present >= _FAR and report >= _FAR),
            remote=any(h.label == "remote" for h in in_clause),
            # Fear governs what follows it in the clause, unless a marker of now stands nearer.
            fear=_nearest(before, "fear", start, end) < min(present, report, _FAR),
            joking=joking,
            routine=any(h.label == "routine" for h in in_clause) and present >= _FAR and report >= _FAR,
        )


SOMEONE = "{someone}"


def _filled(phrase: str, people: list[str]) -> list[str]:
    """The phrase, with each person word in place of ``{someone}`` if it has that slot."""
    if SOMEONE not in phrase:
        return [phrase]
    # ... and as a filler leaves it: "for her" reads "for" (an object after "for"; "is her dying" is no English).
    emptied = [" ".join(phrase.replace(SOMEONE, "").split())] if f"for {SOMEONE}" in phrase else []
    return [phrase.replace(SOMEONE, w) for w in people] + emptied


TREATMENT = "{treatment}"


def _treated(phrase: str, treatments: list[str]) -> list[str]:
    """The phrase, with each word for a treatment in place of ``{treatment}`` if it has that slot."""
    return [phrase.replace(TREATMENT, w) for w in treatments] if TREATMENT in phrase else [phrase]


#: Words that make the sign after them the condition of what is asked ("can I drive after a seizure"), and how many
#: tokens may stand between ("after having a seizure").
_CONDITION_LEADS = frozenset("after following".split())
CONDITION_REACH = 2


def _conditions_leave(tokens: list[Token], in_clause: list[Hit], start: int) -> bool:
    """Is the sign the condition of a request for leave ("can my mum still drive after having a seizure", "am I
    allowed to swim after a stroke")? It asks what may be done once such a thing has happened: no report of now."""
    asks_leave = any(h.label == "permission" and h.end <= start for h in in_clause)
    return asks_leave and any(t.raw in _CONDITION_LEADS for t in tokens[max(0, start - CONDITION_REACH):start])


#: How far before a duration "been" makes it one still going on.
ONGOING_REACH = 6


def _ongoing(hit: Hit, tokens: list[Token]) -> Hit:
    """A duration of minutes or hours is a marker of now when it tells how long something has been going on
    ("has been bleeding on and off for two hours"), not how long each episode lasts ("bleeds for a few minutes")."""
    been = any(t.raw == "been" for t in tokens[max(0, hit.start - ONGOING_REACH):hit.start])
    return Hit("present", hit.start, hit.end) if been else hit


def _past_verb(tokens: list[Token], i: int) -> bool:
    """Is token ``i`` a verb in the past tense ("had", "passed"; not the state in "she is confused")?"""
    word = tokens[i].raw
    if word in _IRREGULAR_PAST:
        return True
    regular = len(word) > 4 and word.endswith("ed") and not word.endswith("eed")
    return regular and (i == 0 or tokens[i - 1].raw not in _STATE)


def recurs_now(after: list[Hit]) -> bool:
    """After the sign, it comes back, and the first time said after that is now ("... and again today"),
    not another past one ("... and again in 2021")."""
    for back in (h for h in after if h.label == "recurrence"):
        times = sorted((h for h in after if h.label in ("present", "historical") and h.start >= back.start),
                       key=lambda h: h.start)
        if times and times[0].label == "present":
            return True
    return False


#: "when she was 10", "when I was little": a time of life that is over.
_WHEN_WAS = frozenset("was were".split())
_CHILDHOOD = frozenset("little young younger small child kid baby toddler teenager teen girl boy".split())


def _ages_past(tokens: list[Token]) -> list[Hit]:
    """"when <someone> was <an age or a time of life>": the past, however the person is named."""
    raw = [t.raw for t in tokens]
    hits = []
    for i, word in enumerate(raw):
        if word != "when":
            continue
        for j in range(i + 2, min(i + 4, len(raw) - 1)):  # "when she was", "when my mum was"
            if raw[j] in _WHEN_WAS:
                after = raw[j + 1]
                if (after.isdigit() and len(after) <= 2) or after in _CHILDHOOD:
                    hits.append(Hit("historical", i, j + 2))
                break
    return hits


def _without_recovery_tails(hits: list[Hit], conditioned: bool = False) -> list[Hit]:
    """The hits, less every marker of now that ends a recovery ("I'm fine now" is no emergency now) or opens one
    ("now she's much better"), or is a word of a time in the past ("started" in "when I first started my pain
    meds")."""
    spans = [(h.start, h.end) for h in hits if h.label == "resolved"]
    past = [(h.start, h.end) for h in hits if h.label == "historical"]
    # ... or, with ``conditioned``, that an "if" puts in a what-if: "if I started vomiting" starts nothing now. (Not
    # where a sign's own words are read: "what should I do if my sister suddenly can't smile" is asked in the moment.)
    conditions = [h.end for h in hits if conditioned and h.label == "condition"]
    return [h for h in hits
            if h.label != "present" or not (any(start <= h.start < end + RESOLVED_REACH or h.end <= start < h.end
                                                + RESOLVED_REACH for start, end in spans)
                                             or any(start <= h.start and h.end <= end for start, end in past)
                                             or any(0 <= h.start - end < CONDITION_REACH for end in conditions))]


def _nearest(hits: list[Hit], label: str, start: int, end: int) -> int:
    """Tokens from the symptom to the nearest ``label`` marker (_FAR when there is none)."""
    return min((_gap(h, start, end) for h in hits if h.label == label), default=_FAR)


def _gap(hit: Hit, start: int, end: int) -> int:
    """Tokens between a modifier and the symptom at [start, end)."""
    return start - hit.end if hit.end <= start else hit.start - end
