"""Questions a document answers: one from each heading, more from sentences that carry facts.

English grammar only, no domain words: "X can cause Y" gives "What can X cause?", "X occur in
about N% of …" gives "How common are X?", "Treatment for X may include …" gives "How is X
treated?", "X is a …" gives "What is X?", and so on (the patterns are in
``chatbot.authoring.patterns``, the grammar in ``chatbot.authoring.grammar``). Each question comes
with alternates: the keyword form people type ("bone metastases cause") and reordered or
reworded forms.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..engine.language import STOPWORDS
from .grammar import WH, Casing, base_verb, be, is_plural, question_case
from .patterns import CONTEXT, PASSIVE, PATTERNS, is_listed, np_ok

#: Headings of a closing section ask for the key points of the whole document.
CLOSING_HEADINGS = frozenset(
    "wrapping up|conclusion|conclusions|in conclusion|summary|in summary|final thoughts|the bottom line|"
    "bottom line|key takeaways|takeaways|to sum up|closing thoughts".split("|")
)
_QUESTION_OPENERS = frozenset("how why what where when which who whom whose can could does do did is are should "
                              "will would may might has have".split())
#: Subjects that point back at the previous sentence's ("They occur in about 30%…"); not "it",
#: which is as often a dummy ("It is important to…").
_BACK_REFERENCE = re.compile(r"^(?:this|these|those|they|such)\b", re.IGNORECASE)
_DISCOURSE = re.compile(
    r"^(?:however|therefore|thus|also|additionally|in addition|moreover|furthermore|unfortunately|fortunately|"
    r"generally|typically|usually|often|for example|for instance|in fact|indeed|and|but|so|while|although|"
    r"in general|overall|importantly|finally|first|second|third|then|now|as a result|in conclusion),?\s+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Question:
    """A question, the sentence it rests on, and what it is about."""

    text: str
    alternates: tuple[str, ...]
    sentence: int  # index of the sentence in its section that answers it
    subject: str = ""
    extra: tuple[str, ...] = ()  # short names the answer lists ("tamoxifen"): asked on their own
    minimum: int = 1  # sentences the answer needs: advice goes on past the sentence that gives it


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
    if text.endswith("?") and first in WH:
        bare = re.sub(r"\s+(?:to|from|for|with|about|in|on|of)\?$", "?", lowered)
        alternates += [bare.rstrip("?"), re.sub(r"\b(?:does|do)\b", "can", bare, count=1).rstrip("?")]
    opens_question = first in _QUESTION_OPENERS and len(words) > 1 and words[1].lower() in _QUESTION_OPENERS
    if text.endswith("?") or opens_question:
        return question_case(lowered[:1].upper() + lowered[1:]), alternates
    if first in WH and len(words) > 2:
        after = lowered.split()[1:]
        at = next((i for i, w in enumerate(after) if i > 0 and i < len(after) - 1 and re.fullmatch(
            r"[a-z]+[^s]s", w)), None)
        if at is not None:
            base = base_verb(after[at], vocabulary)
            aux = "does"
            return question_case(f"{first} {aux} {' '.join(after[:at])} {base} {' '.join(after[at + 1:])}"), \
                alternates
        return question_case(lowered), alternates
    if first.endswith("ing") and len(words) > 1 and first != "during":
        rest = " ".join(lowered.split()[1:])
        if first == "understanding":
            return question_case(f"What should I know about {rest}"), [*alternates, rest, f"explain {rest}"]
        verb = base_verb(first, vocabulary)
        return question_case(f"How can I {verb} {rest}"), [*alternates, f"how to {verb} {rest}", f"{verb} {rest}"]
    ways = re.match(r"^(strategies|tips|ways|steps|methods|options) (for|to) (\w+ing\b)?(.*)$", lowered)
    if ways:
        verb = base_verb(ways.group(3), vocabulary) if ways.group(3) else ""
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
            if raw and not np_ok(raw) and not is_listed(builder):
                continue
            built = builder(match, x)
            if built is None:
                continue
            text, alternates = built
            found_subject = found_subject or raw
            names = example_names(sentence, vocabulary)
            minimum = CONTEXT.get(builder, 1)
            out.append(Question(question_case(text), tuple(alternates), index, x, tuple(names), minimum))
        if not found_subject:
            start = re.match(r"^([^,;:()]{3,60}?) (?:is|are|can|may|might|will|has|have|occur|occurs|cause|causes)\b",
                             body)
            found_subject = start.group(1) if start and np_ok(start.group(1)) else ""
        if found_subject and not _BACK_REFERENCE.match(found_subject):
            previous_subject = found_subject
        passive = PASSIVE.match(body)
        if not any(q.sentence == index for q in out) and passive and np_ok(passive.group("x")):
            x, verb = case(passive.group("x")), passive.group("v").lower()
            out.append(Question(question_case(f"How {be(x)} {x} {verb}"), (f"{x} {verb}", f"{verb} {x}", x),
                                index, x))
        if not any(q.sentence == index for q in out):
            names = example_names(sentence, vocabulary)
            if names:
                joined = " and ".join(names[:3]) if len(names) <= 3 else ", ".join(names[:3]) + " and others"
                out.append(Question(question_case(f"What are {joined}" if len(names) > 1 else f"What is {joined}"),
                                    (), index, "", tuple(names)))
    return out
