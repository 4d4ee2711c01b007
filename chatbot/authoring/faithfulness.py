"""Whether a knowledge base's answers say no more than the document they were written from.

``chatbot check --against DOCUMENT`` runs this. Every answer is split into sentences, and each
sentence into clauses at semicolons (each clause is a claim of its own). A clause is supported
when one passage of the document (a run of consecutive sentences inside one paragraph) holds
enough of its content words; words are compared after case, British/American spelling and light
stemming are folded, with prefixes for derived forms ("metastases", "metastatic") and one edit for
typos. Three stricter rules sit on top, because the words that change a claim are few and a
coverage score alone lets them through:

- every number in the answer ("70%", "10 percent", "two") must appear in the document;
- a qualifier that strengthens or widens a claim ("greatly", "usually", "often", "only", "best")
  must appear in the supporting passage;
- when the passage hedges ("may", "might", "could"), the clause must hedge too: "some women may
  live for many years" is not "some women live for many years".

Each finding names the entry and the sentence. Pure: the caller reads the files.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from ..engine.knowledge import KnowledgeBase, Problem
from .claims import HEDGES, QUALIFIERS, content_words, find_numbers, fold, held, number_known, words
from .sections import DocumentError, parse, split_sentences

#: Share of a clause's content words (weighted by rarity in the document) that one passage must
#: hold. Calibrated on the breast-cancer article: sentences copied from it (``chatbot extract``)
#: score 1.0; thirty plausible sentences it does not support, written for the purpose, score
#: 0.17–0.79 (median 0.49), except one that only adds "always" (the qualifier rule's job).
MIN_COVERAGE = 0.8
#: Longest run of consecutive sentences (inside one paragraph) that may support one clause.
MAX_PASSAGE_SENTENCES = 4
#: Passages scoring at least this share of the best one's score support a clause about as well.
NEAR_BEST = 0.95
#: Clauses with fewer content words than this are not scored ("Yes.", "In short:").
MIN_CONTENT_WORDS = 2

@dataclass(frozen=True)
class Passage:
    """A run of consecutive sentences of one paragraph of the document."""

    first: int  # index of its first sentence in ``Source.sentences``
    sentences: tuple[str, ...]
    section: str

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


@dataclass(frozen=True)
class Source:
    """A document made ready for checking: its sentences, passages, word weights and numbers."""

    sentences: tuple[str, ...]
    sentence_words: tuple[frozenset[str], ...]  # folded content words of each sentence
    passages: tuple[Passage, ...]
    numbers: frozenset[tuple[float, str]]
    idf: Mapping[str, float]
    unseen_idf: float

    @classmethod
    def from_texts(cls, texts: Iterable[tuple[str, str]]) -> Source:
        """From (text, format) pairs; format is "text", "markdown" or "html" (see ``sections``)."""
        sentences: list[str] = []
        passages: list[Passage] = []
        numbers: set[tuple[float, str]] = set()
        for text, fmt in texts:
            numbers |= {n for n, _ in find_numbers(text)}
            try:
                document = parse(text, fmt)
            except DocumentError:
                continue
            for section in document.sections:
                for paragraph in section.paragraphs:
                    offset = len(sentences)
                    sentences.extend(paragraph)
                    for start in range(len(paragraph)):
                        for end in range(start + 1, min(len(paragraph), start + MAX_PASSAGE_SENTENCES) + 1):
                            passages.append(Passage(offset + start, paragraph[start:end], section.heading))
        sentence_words = tuple(frozenset(content_words(s)) for s in sentences)
        # Rarity over sentences: a word the document never uses weighs most of all.
        total = max(len(sentences), 1)
        frequency: dict[str, int] = {}
        for ws in sentence_words:
            for word in ws:
                frequency[word] = frequency.get(word, 0) + 1
        idf = {word: math.log((total + 1) / (count + 0.5)) for word, count in frequency.items()}
        return cls(tuple(sentences), sentence_words, tuple(passages), frozenset(numbers), idf,
                   math.log((total + 1) / 0.5))

    def weight(self, word: str) -> float:
        return self.idf.get(word, self.unseen_idf)

    def holders(self, word: str) -> frozenset[int]:
        """Indices of the sentences that hold ``word`` or a form of it."""
        return frozenset(i for i, ws in enumerate(self.sentence_words) if held(word, ws))


@dataclass(frozen=True)
class Support:
    """The passage that best supports one clause, and how well."""

    clause: str
    passage: Passage | None
    coverage: float  # weighted share of the clause's content words the passage holds
    missing: tuple[str, ...]  # content words of the clause the passage lacks (as written)
    partial: float  # rapidfuzz partial_ratio of the folded clause against the folded passage (0-100)
    #: Other passages that support it almost as well (within ``NEAR_BEST``): a hedge counts only
    #: when all of them hedge.
    alternatives: tuple[Passage, ...] = ()


@dataclass(frozen=True)
class Finding:
    entry_id: str
    sentence: str
    message: str


# -- support -----------------------------------------------------------------------------------


def clauses(sentence: str) -> list[str]:
    """A sentence's clauses: split at semicolons, each a claim of its own."""
    return [c.strip() for c in sentence.split(";") if c.strip()]


def best_support(clause: str, source: Source) -> Support:
    """The passage holding most of the clause's content words (the shortest one, on a tie)."""
    wanted = content_words(clause)
    if not wanted or not source.passages:
        return Support(clause, None, 1.0 if not wanted else 0.0, tuple(wanted), 0.0)
    holders = {w: source.holders(w) for w in wanted}
    # A number the document lacks is a finding of its own; it does not also count against support.
    wanted = [w for w in wanted if holders[w] or not w.isdigit()]
    if not wanted:
        return Support(clause, None, 1.0, (), 0.0)
    weights = {w: source.weight(w) for w in wanted}
    total = sum(weights.values())
    scored: list[tuple[float, Passage]] = []
    for passage in source.passages:
        span = range(passage.first, passage.first + len(passage.sentences))
        scored.append((sum(weights[w] for w in wanted if any(i in holders[w] for i in span)), passage))
    score, chosen = max(scored, key=lambda item: (item[0], -len(item[1].sentences)))
    alternatives = tuple(p for s, p in scored if s >= score * NEAR_BEST and p is not chosen)
    span = range(chosen.first, chosen.first + len(chosen.sentences))
    missing = tuple(w for w in wanted if not any(i in holders[w] for i in span))
    folded_clause = " ".join(fold(w) for w in words(clause))
    folded_passage = " ".join(fold(w) for w in words(chosen.text))
    return Support(clause, chosen, score / total, missing, fuzz.partial_ratio(folded_clause, folded_passage),
                   alternatives)


def check_answer(entry_id: str, answer: str, source: Source, *, min_coverage: float = MIN_COVERAGE) -> list[Finding]:
    """What one answer says that the document does not."""
    found: list[Finding] = []
    for sentence in split_sentences(answer):
        messages: list[str] = []
        for number, written in find_numbers(sentence):
            if not number_known(number, source.numbers):
                messages.append(f"the number {written.strip()!r} does not appear in the document")
        for clause in clauses(sentence):
            if len(content_words(clause)) < MIN_CONTENT_WORDS and not _qualifiers(clause):
                continue
            support = best_support(clause, source)
            where = f" in {clause!r}" if clause != sentence else ""
            if support.coverage < min_coverage:
                best = f"; closest passage: {_short(support.passage.text)!r}" if support.passage else ""
                messages.append(
                    f"no passage of the document supports it{where} ({support.coverage:.0%} of its content "
                    f"covered, not found: {', '.join(support.missing)}{best})"
                )
                continue
            assert support.passage is not None
            passage_words = set(words(support.passage.text))
            for qualifier in _qualifiers(clause):
                if qualifier not in passage_words:
                    messages.append(f"{qualifier!r}{where} is not in the passage that supports it "
                                    f"({_short(support.passage.text)!r})")
            for part in _parts(clause):
                hedged = _dropped_hedge(part, support if part == clause else best_support(part, source), source)
                if hedged:
                    hedge, sentence_ = hedged
                    at = f" in {part!r}" if part != sentence else ""
                    messages.append(f"states as certain what the document hedges with {hedge!r}{at} "
                                    f"({_short(sentence_)!r})")
        found.extend(Finding(entry_id, sentence, f"{message}: {sentence!r}") for message in dict.fromkeys(messages))
    return found


def _qualifiers(clause: str) -> list[str]:
    return list(dict.fromkeys(w for w in words(clause) if w in QUALIFIERS))


def hedge_sentence(clause: str, passage: Passage, source: Source) -> str:
    """The sentence of the passage that shares most content words with the clause."""
    wanted = content_words(clause)

    def shared(index: int) -> float:
        return sum(source.weight(w) for w in wanted if held(w, source.sentence_words[index]))

    best = max(range(passage.first, passage.first + len(passage.sentences)), key=shared)
    return source.sentences[best]


#: Where a clause joins claims of its own, each of which may carry (or drop) a hedge.
_JOINS = re.compile(r",\s+(?:and|but|while|so)\s+|:\s+")


def _parts(clause: str) -> list[str]:
    """The clause, or its joined claims when it has several ("..., and some women live for years").

    A clause that hedges somewhere is taken as a whole: its hedge may govern the rest ("may
    include A, B, and C").
    """
    if set(words(clause)) & HEDGES:
        return [clause]
    parts = [p.strip() for p in _JOINS.split(clause) if len(content_words(p)) >= MIN_CONTENT_WORDS]
    return parts if len(parts) > 1 else [clause]


def _dropped_hedge(part: str, support: Support, source: Source) -> tuple[str, str] | None:
    """(hedge, sentence) when every passage that supports ``part`` hedges it and ``part`` does not."""
    if set(words(part)) & HEDGES or support.passage is None:
        return None
    hedges = [_hedge(part, p, source) for p in (support.passage, *support.alternatives)]
    if not all(hedges):
        return None
    return hedges[0] or "", hedge_sentence(part, support.passage, source)


def _hedge(clause: str, passage: Passage, source: Source) -> str | None:
    sentence = hedge_sentence(clause, passage, source)
    return next((w for w in words(sentence) if w in HEDGES), None)


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def check(answers: Iterable[tuple[str, str]], source: Source, *, min_coverage: float = MIN_COVERAGE) -> list[Finding]:
    """Findings for (entry id, answer) pairs, in order."""
    return [finding for entry_id, answer in answers
            for finding in check_answer(entry_id, answer, source, min_coverage=min_coverage)]


def faithfulness(
    kb: KnowledgeBase,
    documents: Sequence[tuple[str, str]],
    locations: Mapping[str, tuple[str, int | None]],
    *,
    severity: str = "warning",
    min_coverage: float = MIN_COVERAGE,
) -> list[Problem]:
    """``check`` over a loaded knowledge base as Problems, located like the linter's findings.

    ``documents`` are (text, format) pairs.
    """
    source = Source.from_texts(documents)
    default_file = kb.files[0] if len(kb.files) == 1 else (", ".join(kb.files) or "<knowledge base>")
    problems = []
    for finding in check(((e.id, e.answer) for e in kb.entries), source, min_coverage=min_coverage):
        file, line = locations.get(finding.entry_id, (default_file, None))
        problems.append(Problem(file, line, finding.entry_id, finding.message, severity))
    return problems
