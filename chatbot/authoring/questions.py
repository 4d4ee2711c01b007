"""Questions a document answers: one from each heading, more from sentences that carry facts.

English grammar only, no domain words: "X can cause Y" gives "What can X cause?", "X occur in
about N% of …" gives "How common are X?", "Treatment for X may include …" gives "How is X
treated?", "X is a …" gives "What is X?", and so on. Each question comes with alternates: the
keyword form people type ("bone metastases cause") and reordered or reworded forms.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ..engine.language import STOPWORDS

#: Headings of a closing section ask for the key points of the whole document.
CLOSING_HEADINGS = frozenset(
    "wrapping up|conclusion|conclusions|in conclusion|summary|in summary|final thoughts|the bottom line|"
    "bottom line|key takeaways|takeaways|to sum up|closing thoughts".split("|")
)
_QUESTION_OPENERS = frozenset("how why what where when which who whom whose can could does do did is are should "
                              "will would may might has have".split())
_WH = frozenset("how why what where when which".split())
_PRONOUN_START = re.compile(r"^(?:it|its|this|that|these|those|they|there|here|he|she|we|you|i|one|such|"
                            r"which|what|who|some|many|most|each|both|all|other|another)\b", re.IGNORECASE)
#: Subjects that point back at the previous sentence's ("They occur in about 30%…"); not "it",
#: which is as often a dummy ("It is important to…").
_BACK_REFERENCE = re.compile(r"^(?:this|these|those|they|such)\b", re.IGNORECASE)
_DISCOURSE = re.compile(
    r"^(?:however|therefore|thus|also|additionally|in addition|moreover|furthermore|unfortunately|fortunately|"
    r"generally|typically|usually|often|for example|for instance|in fact|indeed|and|but|so|while|although|"
    r"in general|overall|importantly|finally|first|second|third|then|now|as a result|in conclusion),?\s+",
    re.IGNORECASE,
)
# A noun phrase at the start of a sentence: no commas, at most eight words.
_NP = r"(?P<x>[^,;:()]{2,80}?)"
_QUANTIFIER = r"(?:about|around|approximately|roughly|nearly|almost|up to|over|under|more than|less than|some|only)"


@dataclass(frozen=True)
class Question:
    """A question, the sentence it rests on, and what it is about."""

    text: str
    alternates: tuple[str, ...]
    sentence: int  # index of the sentence in its section that answers it
    subject: str = ""
    extra: tuple[str, ...] = ()  # short names the answer lists ("tamoxifen"): asked on their own
    minimum: int = 1  # sentences the answer needs: advice goes on past the sentence that gives it


# -- helpers ---------------------------------------------------------------------------------


def is_plural(phrase: str) -> bool:
    """Rough number of a noun phrase from its head noun ("sites of X" → plural)."""
    words = re.split(r"\s+(?:of|for|in|on|with|from|to|at|by|like|such)\s+", phrase.lower(), maxsplit=1)[0].split()
    if not words:
        return False
    head = re.sub(r"[^a-z]", "", words[-1])
    if " and " in f" {phrase.lower()} ":
        return True
    return len(head) > 2 and head.endswith("s") and not head.endswith(("ss", "us", "is", "ics", "sis"))


def keywords(text: str) -> str:
    """The words that carry meaning, in order: "What can bone metastases cause?" → "bone metastases cause"."""
    words = re.findall(r"[\w/+'’-]+", text.lower())
    return " ".join(w for w in words if w not in STOPWORDS and w not in _WH)


def question_case(text: str) -> str:
    """"what is x" → "What is x?"; the document's "your" is the asker's "my"."""
    text = re.sub(r"\s+", " ", text).strip().rstrip(".:;,!? ")
    text = re.sub(r"\byour\b", "my", text)
    return text[:1].upper() + text[1:] + "?"


class Casing:
    """Lower-cases title-case words unless the document writes them capitalised (names, acronyms)."""

    def __init__(self, body: Iterable[str]):
        self.lower: set[str] = set()
        self.capital: set[str] = set()
        for sentence in body:
            for word in re.findall(r"[\w/+-]+", sentence)[1:]:  # the first word is capitalised anyway
                (self.capital if word[:1].isupper() else self.lower).add(word)

    def __call__(self, text: str) -> str:
        words = text.split()
        out = []
        for word in words:
            bare = re.sub(r"[^\w/+-]", "", word)
            keep = bare == "I" or (len(bare) > 1 and bare.isupper()) or any(c.isdigit() for c in bare) or (
                bare in self.capital and bare.lower() not in self.lower
            ) or (any(c.isupper() for c in bare[1:]))
            out.append(word if keep else word.lower())
        return " ".join(out)


def _base_verb(word: str, vocabulary: Mapping[str, int]) -> str:
    """affects → affect, preventing → prevent, managing → manage (checked against the document)."""
    w = word.lower()
    if w.endswith("ing") and len(w) > 5:
        stem = w[:-3]
        options = [stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem]
        return next((o for o in options if o in vocabulary), stem + "e" if re.search(r"[^aeiou][aeiou][^aeiouwy]$",
                                                                               stem) else stem)
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "ches", "shes", "xes", "zes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def variants(phrase: str, vocabulary: Mapping[str, int]) -> list[str]:
    """The phrase with Greek-style plurals swapped for the form the document also uses (-ses ↔ -sis)."""
    out = []
    for word in set(re.findall(r"[a-z]+", phrase.lower())):
        other = word[:-2] + "is" if word.endswith("ses") else word[:-2] + "es" if word.endswith("sis") else ""
        if other and other in vocabulary:
            out.append(re.sub(rf"\b{word}\b", other, phrase.lower()))
    return out


# -- headings --------------------------------------------------------------------------------


def heading_question(heading: str, title: str, case: Casing, vocabulary: Mapping[str, int]) -> tuple[str, list[str]]:
    """The question a section answers, from its heading, and alternates for it."""
    text = re.sub(r"\s+", " ", heading).strip().rstrip(":").strip()
    lowered = case(text)
    words = text.split()
    first = words[0].lower()
    topic = case(title)
    if text.lower() in CLOSING_HEADINGS:
        return f"What are the key points about {topic}?", [f"{topic} summary", f"summary of {topic}",
                                                           f"{topic} overview", f"key facts about {topic}"]
    if text.lower() in ("introduction", "overview", "background", "about"):
        return question_case(f"What is {topic}"), [topic, f"explain {topic}", f"what does {topic} mean"]
    alternates = [lowered]
    if text.endswith("?") and first in _WH:
        bare = re.sub(r"\s+(?:to|from|for|with|about|in|on|of)\?$", "?", lowered)
        alternates += [bare.rstrip("?"), re.sub(r"\b(?:does|do)\b", "can", bare, count=1).rstrip("?")]
    opens_question = first in _QUESTION_OPENERS and len(words) > 1 and words[1].lower() in _QUESTION_OPENERS
    if text.endswith("?") or opens_question:
        return question_case(lowered[:1].upper() + lowered[1:]), alternates
    if first in _WH and len(words) > 2:
        rest = lowered.split()[1:]
        verb = next((i for i, w in enumerate(rest) if i > 0 and i < len(rest) - 1 and re.fullmatch(
            r"[a-z]+[^s]s", w)), None)
        if verb is not None:
            base = _base_verb(rest[verb], vocabulary)
            aux = "does"
            return question_case(f"{first} {aux} {' '.join(rest[:verb])} {base} {' '.join(rest[verb + 1:])}"), \
                alternates
        return question_case(lowered), alternates
    if first.endswith("ing") and len(words) > 1 and first != "during":
        rest = " ".join(lowered.split()[1:])
        if first == "understanding":
            return question_case(f"What should I know about {rest}"), [*alternates, rest, f"explain {rest}"]
        verb = _base_verb(first, vocabulary)
        return question_case(f"How can I {verb} {rest}"), [*alternates, f"how to {verb} {rest}", f"{verb} {rest}"]
    ways = re.match(r"^(strategies|tips|ways|steps|methods|options) (for|to) (\w+ing\b)?(.*)$", lowered)
    if ways:
        verb = _base_verb(ways.group(3), vocabulary) if ways.group(3) else ""
        rest = ways.group(4).strip()
        question = f"What are the {lowered}"
        if verb:
            return question_case(f"How can I {verb} {rest}"), [*alternates, question_case(question),
                                                               f"how to {verb} {rest}", f"{verb} {rest}"]
        return question_case(question), alternates
    article = "are" if is_plural(lowered) else "is"
    of = re.match(r"^(.+?) (of|for|in|on|with|to) (.+)$", lowered)
    if of:
        head, _, tail = of.groups()
        alternates += [f"{tail} {head}", f"{head} {tail}"]
        return question_case(f"What {article} the {lowered}"), alternates
    return question_case(f"What should I know about {lowered}"), [*alternates, f"tell me about {lowered}"]


# -- sentences -------------------------------------------------------------------------------

Builder = Callable[[re.Match[str], str], tuple[str, list[str]] | None]


_NOT_LAST = frozenset("may can might could will would should must also often usually not is are be".split())


def _np_ok(x: str) -> bool:
    """Does ``x`` read as the noun phrase a sentence is about (not "it", not a clause)?"""
    words = x.split()
    return (1 <= len(words) <= 8 and not _PRONOUN_START.match(x) and words[-1].lower() not in _NOT_LAST
            and not re.search(r"\b(?:if|when|because|that|who|which)\b", x, re.IGNORECASE))


def _be(x: str) -> str:
    return "are" if is_plural(x) else "is"


def _do(x: str) -> str:
    return "do" if is_plural(x) else "does"


def _cause(m: re.Match[str], x: str) -> tuple[str, list[str]]:
    verb = re.sub(r"^(cause|lead|result)s\b", r"\1", m.group("v").lower())
    alternates = [f"what does {x} {verb}", f"effects of {x}", f"what happens with {x}"]
    if verb == "cause":
        alternates += [f"what problems can {x} cause", f"{x} symptoms", f"symptoms of {x}", f"signs of {x}"]
    return f"What can {x} {verb}?", alternates


def _frequency(m: re.Match[str], x: str) -> tuple[str, list[str]]:
    alternates = [f"how often {_do(x)} {x} occur", f"{x} how common", f"percentage of {x}", f"{x} frequency",
                  f"how likely {_be(x)} {x}"]
    population = (m.groupdict().get("pop") or "").strip()
    if population:
        head = population.split()[0]
        alternates.append(f"how many {head} get {x}")
    return f"How common {_be(x)} {x}?", alternates


def _treated(m: re.Match[str], x: str) -> tuple[str, list[str]]:
    return f"How {_be(x)} {x} treated?", [f"{x} treatment", f"treatment options for {x}", f"how to treat {x}",
                                          f"treating {x}", f"what helps with {x}", f"therapy for {x}"]


def _definition(m: re.Match[str], x: str) -> tuple[str, list[str]]:
    return f"What {_be(x)} {x}?", [x, f"what does {x} mean", f"define {x}", f"explain {x}"]


def _important(m: re.Match[str], x: str) -> tuple[str, list[str]]:
    return f"Why {_be(x)} {x} important?", [f"{_be(x)} {x} important", f"benefits of {x}", f"why {x}"]


def _depends(m: re.Match[str], x: str) -> tuple[str, list[str]]:
    return f"What {_do(x)} {x} depend on?", [f"what affects {x}", f"factors affecting {x}", f"{x} factors",
                                             f"what determines {x}"]


def _includes(m: re.Match[str], x: str) -> tuple[str, list[str]]:
    return f"What {_be(x)} {x}?", [f"list of {x}", f"{x} list", f"which {x}"]


def _listed(m: re.Match[str], x: str) -> tuple[str, list[str]] | None:
    y = m.group("y").strip()
    if len(y.split()) > 12:
        return None
    return f"What {_be(y)} {y}?", [y, f"which {y}"]


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
    return f"What is the {noun} of {verb} {x}?", [f"{noun} of {verb} {x}", f"why {_be(x)} {x} {verb}"]


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
_PASSIVE = re.compile(rf"^{_NP} (?:is|are) (?:\w+ly )?(?P<v>[a-z]{{3,}}(?:ed|en))\b(?! by\b)", re.IGNORECASE)

#: Answers that need more than the sentence the question comes from.
_CONTEXT: dict[Builder, int] = {_advice: 3, _parts: 2}

_EXAMPLES = [
    re.compile(r"\b(?:steps|stages|phases|types|kinds|parts): (?P<items>[^.;]+)", re.IGNORECASE),
    re.compile(r"\bexamples of (?P<c>[^,.;]+?) (?:include|are) (?P<items>[^.;]+)", re.IGNORECASE),
    re.compile(r"(?P<c>\b[\w/-]+(?: [\w/-]+){0,3}),? (?:like|such as) (?P<items>[\w/-]+(?: \([^)]+\))?(?:(?:,| or| and)"
               r" (?:or |and )?[\w/-]+(?: \([^)]+\))?){0,4})(?= are examples| can| may| is| are|,|\.|$)",
               re.IGNORECASE),
]


def example_names(sentence: str, counts: Mapping[str, int]) -> list[str]:
    """Short names a sentence gives as examples: "drugs like letrozole or anastrozole" → both names.

    Only rare words count as names: "parts such as the liver" lists common words, not names.
    """
    names: list[str] = []
    for pattern in _EXAMPLES:
        for match in pattern.finditer(sentence):
            for item in re.split(r",\s*(?:and |or )?|\s+(?:and|or)\s+|\s*[()]\s*", match.group("items")):
                item = item.strip()
                words = item.split()
                if 1 <= len(words) <= 2 and item not in names and not any(
                    w.lower() in STOPWORDS or w.lower().endswith("ing") or counts.get(w.lower(), 0) > 3 for w in words
                ):
                    names.append(item)
    return names


def sentence_questions(sentences: tuple[str, ...], case: Casing, vocabulary: Mapping[str, int]) -> list[Question]:
    """Questions answered by the sentences of one section, in order."""
    out: list[Question] = []
    previous_subject = ""
    for index, sentence in enumerate(sentences):
        body = _DISCOURSE.sub("", sentence.strip())
        body = _DISCOURSE.sub("", body)
        found_subject = ""
        for pattern, builder in PATTERNS:
            match = pattern.search(body)
            if not match:
                continue
            raw = (match.groupdict().get("x") or "").strip()
            if _BACK_REFERENCE.match(raw) and previous_subject and pattern.pattern.startswith("^(?P<x>"):
                raw = previous_subject
            x = case(raw) if raw else ""
            if raw and not _np_ok(raw) and not _listed_pattern(builder):
                continue
            built = builder(match, x)
            if built is None:
                continue
            text, alternates = built
            found_subject = found_subject or raw
            names = example_names(sentence, vocabulary)
            minimum = _CONTEXT.get(builder, 1)
            out.append(Question(question_case(text), tuple(alternates), index, x, tuple(names), minimum))
        if not found_subject:
            start = re.match(r"^([^,;:()]{3,60}?) (?:is|are|can|may|might|will|has|have|occur|occurs|cause|causes)\b",
                             body)
            found_subject = start.group(1) if start and _np_ok(start.group(1)) else ""
        if found_subject and not _BACK_REFERENCE.match(found_subject):
            previous_subject = found_subject
        passive = _PASSIVE.match(body)
        if not any(q.sentence == index for q in out) and passive and _np_ok(passive.group("x")):
            x, verb = case(passive.group("x")), passive.group("v").lower()
            out.append(Question(question_case(f"How {_be(x)} {x} {verb}"), (f"{x} {verb}", f"{verb} {x}", x),
                                index, x))
        if not any(q.sentence == index for q in out):
            names = example_names(sentence, vocabulary)
            if names:
                joined = " and ".join(names[:3]) if len(names) <= 3 else ", ".join(names[:3]) + " and others"
                out.append(Question(question_case(f"What are {joined}" if len(names) > 1 else f"What is {joined}"),
                                    (), index, "", tuple(names)))
    return out


def _listed_pattern(builder: Builder) -> bool:
    return builder is _listed
