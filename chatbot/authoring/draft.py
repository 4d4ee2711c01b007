"""Drafting a knowledge base from parsed documents: sections → question–answer entries.

``draft`` is pure: parsed documents in, the knowledge-base mapping out (the same shape as a
YAML file). Every answer is a span copied from the document: the sentence that answers the
question, with the sentence before it when it starts with "This" or "They". Questions come from
``chatbot.authoring.questions``, the scope from ``chatbot.authoring.scope``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..engine.knowledge import MAX_ANSWER_CHARS
from ..engine.language import QUESTION_WORDS, STOPWORDS
from ..engine.text import normalize, stem, tokenize
from .grammar import Casing, keywords, variants
from .questions import heading_question, sentence_questions
from .scope import guess_scope
from .sections import INTRODUCTION, Document, Section, title_subject

#: Settings that ``--vocabulary-from`` copies from an existing knowledge base.
VOCABULARY_KEYS = ("synonyms", "scope", "urgent", "facets")
MAX_ANSWER_SENTENCES = 5
MAX_ALTERNATES = 14
MAX_RELATED = 4
PROGRESS_EVERY = 25
_BACK = re.compile(r"^(?:it|its|this|that|these|those|they|their|such|for example|for instance|once)\b", re.I)
_ONWARD = re.compile(r"^(?:it|its|this|these|they|their|such)\b", re.I)
_ANECDOTE = re.compile(r"^(?:for example|for instance|imagine|consider|real-life|take|say|suppose|she|he|her|his)\b",
                       re.I)

Progress = Callable[[str], None]


@dataclass
class _Entry:
    question: str
    alternates: list[str]
    source: str
    section: int
    span: tuple[int, int]
    answer: str
    subject: str = ""
    id: str = ""
    related: list[str] = field(default_factory=list)


def _content(text: str) -> set[str]:
    return {stem(t) for t in tokenize(normalize(text)) if t not in STOPWORDS}


def _fold(text: str, vocabulary: set[str]) -> frozenset[str]:
    """What makes two questions the same question: their content words, plurals and -ses/-sis folded."""
    words = set()
    for token in _content(text):
        if token.endswith("se") and token[:-1] + "is" in vocabulary:
            token = token[:-1] + "is"
        words.add(token)
    return frozenset(words)


def _span(sentences: tuple[str, ...], paragraph_of: list[int], index: int, minimum: int = 1) -> tuple[int, int]:
    """The shortest run of sentences around ``index`` that reads on its own.

    A sentence that starts with "This", "They"… brings the one before it; the sentences after it
    that go on about the same thing ("These symptoms…") come along, up to three sentences.
    """
    start, end = index, index + 1
    same = paragraph_of[index]
    while start > 0 and _BACK.match(sentences[start]) and paragraph_of[start - 1] == same:
        start -= 1
    while end < len(sentences) and paragraph_of[end] == same and (
        end - start < minimum or (_ONWARD.match(sentences[end]) and end - start < 3)
    ):
        end += 1
    end = min(end, start + MAX_ANSWER_SENTENCES)
    while end - start > 1 and len(" ".join(sentences[start:end])) > MAX_ANSWER_CHARS:
        end -= 1
    return start, end


def _best_sentence(question: str, section: Section, idf: Mapping[str, float]) -> int:
    """The sentence that shares the most (rare) words with the question, central to its section.

    Anecdotes ("For example, imagine…") count half: they rarely answer a question by themselves.
    """
    sentences = section.sentences
    words = _content(question) - QUESTION_WORDS
    total = sum(idf.get(w, 1.0) for w in words) or 1.0
    frequency = Counter(w for s in sentences for w in _content(s))
    central = []
    for sentence in sentences:
        others = _content(sentence) - words
        central.append(sum(frequency[w] - 1 for w in others) / max(len(others), 1) ** 0.5)
    top = max(central) or 1.0
    scores = []
    for sentence, centrality in zip(sentences, central, strict=True):
        coverage = sum(idf.get(w, 1.0) for w in words & _content(sentence)) / total
        if _ANECDOTE.match(sentence):
            coverage /= 2
        scores.append(coverage + 0.25 * centrality / top)
    return max(range(len(sentences)), key=lambda i: (scores[i], -i))


def slug(question: str) -> str:
    """A stable id from a question's content words: "What can X cause?" → "x-cause"."""
    words = re.findall(r"[a-z0-9]+", normalize(keywords(question)))
    return "-".join(words[:6]) or "entry"


def _clean_alternates(question: str, alternates: list[str], taken: set[str]) -> list[str]:
    seen = {normalize(question)}
    out: list[str] = []
    for alternate in alternates:
        alternate = re.sub(r"\s+", " ", alternate).strip(" ?.")
        key = normalize(alternate)
        if key and key not in seen and key not in taken and len(out) < MAX_ALTERNATES:
            seen.add(key)
            out.append(alternate)
    taken.update(seen)
    return out


def _document_entries(document: Document, offset: int, progress: Progress | None = None) -> list[_Entry]:
    body = [s for section in document.sections for s in section.sentences]
    vocabulary = Counter(w.lower() for s in body for w in re.findall(r"[^\W\d_]+", s))
    case = Casing(body)
    counts = Counter(w for s in body for w in _content(s))
    idf = {w: math.log(1 + len(body) / n) for w, n in counts.items()}
    entries: list[_Entry] = []
    for number, section in enumerate(document.sections):
        if progress and number and number % PROGRESS_EVERY == 0:
            progress(f"{document.source or 'document'}: section {number} of {len(document.sections)}")
        sentences = section.sentences
        paragraph_of = [p for p, paragraph in enumerate(section.paragraphs) for _ in paragraph]
        question, alternates = heading_question(section.heading, title_subject(document.title), case, vocabulary)
        if section.heading == INTRODUCTION:
            start, end = _span(sentences, paragraph_of, 0, minimum=2)  # the lead says what it is about
        else:
            start, end = _span(sentences, paragraph_of, _best_sentence(question, section, idf), minimum=2)
        found: list[tuple[str, list[str], tuple[int, int], str, tuple[str, ...]]] = [
            (question, alternates, (start, end), "", ())]
        for q in sentence_questions(sentences, case, vocabulary):
            extra = [n for name in q.extra for n in (name, f"what is {name}")]
            found.append((q.text, [*q.alternates, *extra], _span(sentences, paragraph_of, q.sentence, q.minimum),
                          q.subject, q.extra))
        for text, alts, (start, end), subject, _ in found:
            alts = [*alts, keywords(text)]
            alts += [v for a in (text, *alts) for v in variants(a, vocabulary)]
            entries.append(_Entry(text, alts, section.heading, offset + number, (start, end),
                                  " ".join(sentences[start:end]), subject))
    return entries


def draft(documents: Sequence[Document], vocabulary: Mapping[str, Any] | None = None,
          progress: Progress | None = None, *, scope: bool = True) -> dict[str, Any]:
    """The knowledge-base mapping (as written to YAML) for one or more parsed documents."""
    entries: list[_Entry] = []
    words: set[str] = set()
    for number, document in enumerate(documents):
        if progress:
            progress(f"{document.source or 'document'}: {len(document.sections)} sections")
        entries.extend(_document_entries(document, number * 10_000, progress))
        words |= {w.lower() for s in document.sections for x in s.sentences for w in re.findall(r"[a-z]+", x.lower())}
    merged: dict[frozenset[str], _Entry] = {}
    for entry in entries:
        key = _fold(entry.question, words)
        if key in merged:
            merged[key].alternates.extend(entry.alternates)
        else:
            merged[key] = entry
    kept = list(merged.values())
    taken: set[str] = set()
    ids: set[str] = set()
    for entry in kept:
        entry.alternates = _clean_alternates(entry.question, entry.alternates, taken)
        base = entry.id = slug(entry.question)
        n = 1
        while entry.id in ids:  # deterministic: the first in document order keeps the plain slug
            n += 1
            entry.id = f"{base}-{n}"
        ids.add(entry.id)
    _relate(kept)
    title = title_subject(documents[0].title) if documents else "Document"
    data: dict[str, Any] = {
        "name": f"{title} FAQ",
        "greeting": f"{title} FAQ: answers taken from the document, in its own words. Ask a question.",
        "disclaimer": f"Answers are extracted automatically from a document about {title}: general "
                      "information, not professional advice.",
        "suggestions": _suggestions(kept),
    }
    guessed = guess_scope(documents) if scope else {}
    if guessed:
        data["scope"] = guessed
    for setting in VOCABULARY_KEYS:
        if vocabulary and setting in vocabulary:
            data[setting] = vocabulary[setting]
    data["entries"] = [
        {"id": e.id, "question": e.question, "alternates": e.alternates, "answer": e.answer, "source": e.source,
         "topic": e.source, "related": e.related}
        for e in kept
    ]
    return data


def _suggestions(entries: list[_Entry]) -> list[str]:
    first: dict[int, str] = {}
    for entry in entries:
        first.setdefault(entry.section, entry.id)
    return list(first.values())[:5]


def _relate(entries: list[_Entry]) -> None:
    """Related: entries whose answers overlap, entries about the same subject, then neighbours.

    The first entry of the next and the previous section come last, so that every entry is
    offered from somewhere and offers something.
    """
    first_of: dict[int, str] = {}
    by_section: dict[int, list[_Entry]] = {}
    by_subject: dict[str, list[str]] = {}
    for entry in entries:
        first_of.setdefault(entry.section, entry.id)
        by_section.setdefault(entry.section, []).append(entry)
        if entry.subject:
            by_subject.setdefault(entry.subject.lower(), []).append(entry.id)
    sections = sorted(first_of)
    position = {section: k for k, section in enumerate(sections)}
    for i, entry in enumerate(entries):
        found = [o.id for o in by_section[entry.section] if o is not entry and o.span[0] < entry.span[1]
                 and entry.span[0] < o.span[1] and o.answer != entry.answer]
        found += by_subject.get(entry.subject.lower(), []) if entry.subject else []
        for j in (i + 1, i - 1, i + 2):
            if 0 <= j < len(entries) and entries[j].section == entry.section:
                found.append(entries[j].id)
        k = position[entry.section]
        found += [first_of[sections[n]] for n in (k + 1, k - 1) if 0 <= n < len(sections)]
        entry.related = [r for r in dict.fromkeys(found) if r != entry.id][:MAX_RELATED]
