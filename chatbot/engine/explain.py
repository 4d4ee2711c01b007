"""Why a message got its reply: the record behind ``chatbot ask --explain`` and ``explain: true``.

A knowledge-base author reads it to see which phrasing matched, which words carried the match,
what typo fixes and synonyms changed, the runner-up, and which pipeline stage decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .analysis import Analysis
from .matcher import Candidate

if TYPE_CHECKING:
    from .matcher import Matcher


def text_changes(analysis: Analysis) -> dict[str, Any]:
    """Typo corrections (word → word) and synonyms applied (the canonical text), as the engine read them."""
    before, after = analysis.normalized.split(), analysis.corrected.split()
    corrections = {b: a for b, a in zip(before, after, strict=False) if b != a} if len(before) == len(after) else {}
    return {"normalized": analysis.normalized, "corrections": corrections, "canonical": analysis.canonical}


def match_record(analysis: Analysis, candidates: Sequence[Candidate], matcher: Matcher, *, threshold: float,
                 domain: float, decision: str, classifier_read: str | None = None) -> dict[str, Any]:
    """The matcher's view: best phrasing, the weight of each message word, the runner-up, the bar;
    ``classifier_read``: the part of a story the entry classifier read, when not the whole message."""
    record: dict[str, Any] = {**text_changes(analysis), "decision": decision, "threshold": threshold,
                              "domain_probability": round(domain, 3)}
    if candidates:
        top = candidates[0]
        phrasing_words = set(matcher.analyzer.analyze(top.phrasing, correct=False).content)
        record["matched"] = {"entry_id": top.entry.id, "phrasing": top.phrasing, "score": top.score,
                              "confidence": top.confidence, "classifier_probability": top.learned}
        if classifier_read is not None and classifier_read != analysis.normalized:
            record["matched"]["classifier_read"] = classifier_read
        record["words"] = [{"word": w, "weight": round(matcher.weight(w), 2), "in_phrasing": w in phrasing_words}
                           for w in analysis.content]
    if len(candidates) > 1:
        record["runner_up"] = {"entry_id": candidates[1].entry.id, "phrasing": candidates[1].phrasing,
                               "score": candidates[1].score}
    return record
