"""Sentence patterns and the questions they answer: "X can cause Y" → "What can X cause?".

Each entry of ``PATTERNS`` is a regular expression (its group ``x`` the subject, when it has one)
and a builder that turns a match into a question and its alternates, or None.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .grammar import be, do

_PRONOUN_START = re.compile(r"^(?:it|its|this|that|these|those|they|there|here|he|she|we|you|i|one|such|"
                            r"which|what|who|some|many|most|each|both|all|other|another)\b", re.IGNORECASE)
# A noun phrase at the start of a sentence: no commas, at most eight words.
_NP = r"(?P<x>[^,;:()]{2,80}?)"
_QUANTIFIER = r"(?:about|around|approximately|roughly|nearly|almost|up to|over|under|more than|less than|some|only)"

Builder = Callable[[re.Match[str], str], tuple[str, list[str]] | None]


_NOT_LAST = frozenset("may can might could will would should must also often usually not is are be".split())


def np_ok(x: str) -> bool:
    """Does ``x`` read as the noun phrase a sentence is about (not "it", not a clause)?"""
    words = x.split()
    return (1 <= len(words) <= 8 and not _PRONOUN_START.match(x) and words[-1].lower() not in _NOT_LAST
            and not re.search(r"\b(?:if|when|because|that|who|which)\b", x, re.IGNORECASE))


def _cause(m: re.Match[str], x: str) -> tuple[str, list[str]]:
    verb = re.sub(r"^(cause|lead|result)s\b", r"\1", m.group("v").lower())
    alternates = [f"what does {x} {verb}", f"effects of {x}", f"what happens with {x}"]
    if verb == "cause":
        alternates += [f"what problems can {x} cause", f"{x} symptoms", f"symptoms of {x}", f"signs of {x}"]
    return f"What can {x} {verb}?", alternates


def _frequency(m: re.Match[str], x: str) -> tuple[str, list[str]]:
    alternates = [f"how often {do(x)} {x} occur", f"{x} how common", f"percentage of {x}", f"{x} frequency",
                  f"how likely {be(x)} {x}"]
    population = (m.groupdict().get("pop") or "").strip()
    if population:
        head = population.split()[0]
        alternates.append(f"how many {head} get {x}")
    return f"How common {be(x)} {x}?", alternates


def _treated(m: re.Match[str], x: str) -> tuple[str, list[str]]:
    return f"How {be(x)} {x} treated?", [f"{x} treatment", f"treatment options for {x}", f"how to treat {x}",
                                          f"treating {x}", f"what helps with {x}", f"therapy for {x}"]


def _definition(m: re.Match[str], x: str) -> tuple[str, list[str]]:
    return f"What {be(x)} {x}?", [x, f"what does {x} mean", f"define {x}", f"explain {x}"]


def _important(m: re.Match[str], x: str) -> tuple[str, list[str]]:
    return f"Why {be(x)} {x} important?", [f"{be(x)} {x} important", f"benefits of {x}", f"why {x}"]


def _depends(m: re.Match[str], x: str) -> tuple[str, list[str]]:
    return f"What {do(x)} {x} depend on?", [f"what affects {x}", f"factors affecting {x}", f"{x} factors",
                                             f"what determines {x}"]


def _includes(m: re.Match[str], x: str) -> tuple[str, list[str]]:
    return f"What {be(x)} {x}?", [f"list of {x}", f"{x} list", f"which {x}"]


def _listed(m: re.Match[str], x: str) -> tuple[str, list[str]] | None:
    y = m.group("y").strip()
    if len(y.split()) > 12:
        return None
    return f"What {be(y)} {y}?", [y, f"which {y}"]


def _function(m: re.Match[str], x: str) -> tuple[str, list[str]]:
    return f"What does the {x} do?", [f"{x} function", f"role of the {x}", f"what is the {x} for"]


def _cured(m: re.Match[str], x: str) -> tuple[str, list[str]]:
    verb = m.group("v").lower()
    able = re.sub(r"(?<=[^aeiou])e?d$", "", verb) + "able"
    return f"Can {x} be {verb}?", [f"is {x} {able}", f"{verb[:-1] if verb.endswith('ed') else verb} {x}",
                                   f"{x} {able}"]


def _has(m: re.Match[str], x: str) -> tuple[str, list[str]]:
    noun = m.group("n").lower()
    return f"What is the {noun} of {x}?", [f"{x} {noun}", f"{noun} for {x}", f"what {noun} does {x} have"]


def _goal(m: re.Match[str], x: str) -> tuple[str, list[str]]:
    noun, verb = m.group("n").lower(), m.group("v").lower()
    return f"What is the {noun} of {verb} {x}?", [f"{noun} of {verb} {x}", f"why {be(x)} {x} {verb}"]


def _occurs_when(m: re.Match[str], x: str) -> tuple[str, list[str]]:
    return f"What is {x}?", [x, f"what does {x} mean", f"when does {x} happen", f"define {x}", f"explain {x}"]


def _parts(m: re.Match[str], x: str) -> tuple[str, list[str]]:
    noun = m.group("n").lower()
    return f"What are the {noun} of {x}?", [f"{x} {noun}", f"how does {x} happen", f"what happens during {x}",
                                            f"process of {x}"]


def _signs(m: re.Match[str], x: str) -> tuple[str, list[str]]:
    return f"What are the signs of {x}?", [f"warning signs of {x}", f"symptoms of {x}", f"{x} signs",
                                           f"how do I know if I have {x}"]


def _helps(m: re.Match[str], x: str) -> tuple[str, list[str]]:
    verb = m.group("v").lower()
    target = re.split(r"\s+(?:or|and|for|in|with|by|so|to help)\s+|,", m.group("y").strip())[0]
    target = re.sub(r"\byour\b", "my", target)
    return f"How can I {verb} {target}?", [f"what helps {verb} {target}", f"ways to {verb} {target}",
                                           f"how to {verb} {target}", f"{verb} {target}"]


def _advice(m: re.Match[str], x: str) -> tuple[str, list[str]]:
    verb, target = m.group("v").lower(), re.sub(r"^(?:your|their|her|his|the)\s+", "", m.group("y").strip())
    return f"How can I {verb} my {target}?", [f"{target} tips", f"how to {verb} {target}", f"{target} advice",
                                              f"tips for {target}"]


_V_LIST = r"(?:include|includes|are|involve|involves)"
#: (pattern, builder); the pattern's group x is the subject, when a pattern has one.
PATTERNS: tuple[tuple[re.Pattern[str], Builder], ...] = tuple(
    (re.compile(p, re.IGNORECASE), b) for p, b in (
        (rf"^{_NP} (?:can|may|might|could|will|often|commonly|usually|sometimes)? ?(?:also )?"
         r"(?P<v>cause|causes|lead to|leads to|result in|results in)\b", _cause),
        (rf"^{_NP} (?:occur|occurs|happen|happens|develop|develops|appear|appears|(?:is|are) (?:found|seen)|affect|"
         rf"affects) in (?:{_QUANTIFIER} )?\d+(?:\.\d+)? ?(?:%|percent|per cent)(?: of (?P<pop>[^,.;]+))?", _frequency),
        (rf"^(?:the )?(?:treatment|treatments|therapy|therapies)(?: options| choices)? (?:for|of) {_NP} "
         r"(?:may |can |might |could |often |usually |typically )?(?:also )?(?:include|includes|involve|involves|"
         r"consist|consists)\b", _treated),
        (rf"^{_NP} (?:is|are|can be|may be) (?:usually |often |typically |commonly )?treated (?:with|by)\b", _treated),
        (rf"^{_NP} (?:occurs|happens|is|are) when\b", _occurs_when),
        (r"^(?:this|it|that) is (?:called|known as|termed) (?P<x>[^,.;()]{3,60})", _definition),
        (rf"^{_NP} (?:is|are) (?:also )?(?:a|an|one of|another|the name for|small|large|tiny)\b", _definition),
        (rf"^{_NP} (?:is|are) (?:also |especially |very |particularly |absolutely )?(?:crucial|essential|vital|"
         r"important|critical|key|necessary)\b", _important),
        (rf"^{_NP} (?:depends|depend|vary|varies|can vary|may vary) (?:\w+ )?(?:on|depending on)\b", _depends),
        (rf"^{_NP} (?:include|includes)\b", _includes),
        (r"^(?P<x>[^.]+,[^.]+\band [^.]+?) (?:are|is) (?P<y>(?:the |some |common |standard |examples of |ways |"
         r"methods |options )[^,.;]+)\.?$", _listed),
        (r"\b(?:the|a|an) (?P<x>\w+(?: \w+)?), which (?:\w+s)\b", _function),
        (rf"^{_NP} (?:can|cannot|can't|can not|may|may not|could|could not) (?:usually |often )?be "
         r"(?P<v>cured|treated|prevented|detected|managed|controlled|removed|reversed|repaired|fixed)\b", _cured),
        (rf"^{_NP} (?:is [^,.]+? and )?(?:has|have) (?:a|an) (?:\w+ )?(?P<n>prognosis|outlook|lifespan|life span|"
         r"warranty|guarantee|cost|price|risk|chance)\b", _has),
        (rf"^{_NP} (?:involves|involve|consists of|consist of|has|have|goes through|go through) (?:several|many|a few|"
         r"two|three|four|five|six|some|\w+ main|\w+ key)? ?(?P<n>steps|stages|phases|parts|components)\b", _parts),
        (r"\b(?:aware of|watch for|look out for|know|recognise|recognize|notice) the (?:warning )?(?:signs|symptoms|"
         r"signs and symptoms) of (?P<x>[^,.;]{3,60}?)(?= so\b| to\b| in\b|,|\.|$)", _signs),
        (rf"^{_NP} (?:can|may|might|could|will) (?:also )?help (?:to )?(?P<v>reduce|lower|prevent|delay|avoid|improve|"
         r"manage|control|relieve|maintain|protect|strengthen|fix|speed up) (?P<y>[^.;]+)", _helps),
        (r"^(?:remember|make sure|be sure|try|don't forget) to (?P<v>prioriti[sz]e|protect|look after|take care of|"
         r"care for|maintain|improve|check|keep) (?P<y>[^,.;!]{3,40})", _advice),
        (r"^when (?P<v>\w+ing) (?P<x>[^,]{3,60}), the (?P<n>goal|aim|purpose|priority|focus) is\b", _goal),
        (r"^the (?P<n>goal|aim|purpose) of (?P<v>\w+ing) (?P<x>[^,]{3,60}) is\b", _goal),
    )
)

#: "Returns are accepted within 30 days": asked when nothing else was asked of the sentence.
PASSIVE = re.compile(rf"^{_NP} (?:is|are) (?:\w+ly )?(?P<v>[a-z]{{3,}}(?:ed|en))\b(?! by\b)", re.IGNORECASE)

#: Answers that need more than the sentence the question comes from.
CONTEXT: dict[Builder, int] = {_advice: 3, _parts: 2}


def is_listed(builder: Builder) -> bool:
    return builder is _listed
