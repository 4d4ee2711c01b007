"""What kind of fact a question asks for (a time, an amount, a price, which is better), and whether an entry gives it.

"How long does radiotherapy for bone mets take" shares its words with the radiotherapy entry, but asks for a
length of time that entry never states; "how many months do people live with liver mets" asks for a time the
liver's frequency (20 %) is not. An answer that cannot hold what is asked is a wrong answer, however close its
words: such a question gets a suggestion instead. An entry gives a kind when its answer states one ("many
years" is a time, "about 20%" an amount, "free on the NHS" a price) or when one of its own phrasings asks for
it (an FAQ of intents whose answers are short labels: "how long will my new card take" is that entry's to
answer). English question forms, the same for every knowledge base.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .text import normalize

_UNITS = r"(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|years?|yrs?|decades?)"
#: Verbs after which "how much" asks how far, not how much of something ("how much does exercise help").
_AUX = r"(?:does|do|did|is|are|was|were|will|would|can|could|should|has|have|had|of)"

#: The question forms of each kind, on normalised text (lower case, no punctuation).
ASKS: dict[str, re.Pattern[str]] = {
    "time": re.compile(rf"\bhow (?:long|soon|quickly|fast)\b|\bhow many {_UNITS}\b|\bhow much (?:time|longer)\b"
                       r"|\blife expectancy\b"),
    "amount": re.compile(rf"\bhow many (?!{_UNITS}\b)\w+|\bhow much (?!{_AUX}\b|time\b|longer\b)\w+"
                         r"|\bwhat (?:dose|dosage)\b"),
    # "how much is a private consultation", "how much are they on prescription": what a thing is, in money.
    "price": re.compile(r"\b(?:cost|costs|price|prices|priced|fee|fees|charge|afford)\b"
                        r"|\bhow much (?:is|are|was|were) (?!too\b|that\b|it\b)"),
    # "letrozole or anastrozole, which one is better", "is CT better than MRI", "what's the best treatment for
    # triple negative": a judgement between options, which an answer that describes them does not make.
    "merit": re.compile(r"\bwhich (?:\w+ ){0,4}(?:better|best|safer|worse|worst|more effective|most effective)\b"
                        r"|\b(?:better|safer|worse|more effective|superior) (?:than|for)\b"
                        r"|\b(?:what s|whats|what is|what are|who is|who s|where is|where s) (?:the )?"
                        # ... not "what's the best way to lower the risk": how to, not which.
                        r"(?:best|most effective|safest)\b(?! (?:way|ways|thing|things|time)\b)"),
}
#: The kinds that are figures of something: a time or an amount is of the subject it is asked of.
FIGURES = frozenset({"time", "amount"})
#: What an answer shows when it gives that kind, on its raw lower-case text.
GIVES: dict[str, re.Pattern[str]] = {
    "time": re.compile(rf"\b{_UNITS}\b|\blifetime\b|\blong[- ]term\b"),
    "amount": re.compile(r"(?<![a-z])\d|%|\bpercent\b"
                         r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|hundred|thousand"
                         r"|half|third|quarter|number|amount|dose|doses|dosage)\b"),
    "price": re.compile(r"[$£€¥]|\b(?:cost|costs|price|prices|fee|fees|free|charge|charges|pay|paid|insurance)\b"),
    "merit": re.compile(r"\b(?:better|best|safer|worse|poorer|more effective|most effective|preferred|superior)\b"),
}


def asked(text: str) -> frozenset[str]:
    """The kinds of fact a message asks for (usually none)."""
    normalized = normalize(text)
    return frozenset(kind for kind, pattern in ASKS.items() if pattern.search(normalized))


def given(answer: str, phrasings: Iterable[str]) -> frozenset[str]:
    """The kinds an entry gives: stated in its answer, or asked by one of its own phrasings."""
    text = answer.lower()
    kinds = {kind for kind, pattern in GIVES.items() if pattern.search(text)}
    for phrasing in phrasings:
        kinds |= asked(phrasing)
    return frozenset(kinds)


#: "does herceptin damage the heart", "can palbociclib cause lung inflammation": what something does to something
#: else, the verb and what follows it (on normalised text).
_EFFECT = re.compile(r"\b(cause|causes|causing|caused|damage|damages|damaging|damaged|harm|harms|harming|harmed)"
                     r"\s+(\S.*)$")


def effect_asked(normalized: str) -> tuple[str, str] | None:
    """The verb of an effect a message asks about and the words after it, if it asks about one."""
    match = _EFFECT.search(normalized)
    return (match.group(1), match.group(2)) if match else None
