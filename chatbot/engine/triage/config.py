"""The triage block of a knowledge-base file, validated: outcome messages, word classes, concepts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .lexicon import lone_word

#: What triage can decide, most pressing first.
OUTCOMES = ("emergency", "crisis", "urgent_care")
#: The context modifiers a concept may read (all but ``routine`` by default).
MODIFIERS = frozenset({"negation", "historical", "chronic", "hypothetical", "question", "mild", "remote", "routine",
                       "fear"})
#: A dosing routine ("with breakfast", "in the morning") says how medicines are taken: it can stand down an
#: overdose ("can I take all my tablets at the same time"), not a seizure "in the morning". Fear ("I'm scared
#: I'll not wake up") stands down only an outcome one fears, never a sign ("I'm scared, she's having a fit").
DEFAULT_READS = MODIFIERS - {"routine", "fear"}


@dataclass(frozen=True)
class Concept:
    """An emergency condition: any one of its signs (classes found together) raises ``outcome``."""

    id: str
    outcome: str
    signs: tuple[tuple[str, ...], ...]
    unless: tuple[str, ...] = ()  # classes that, right after a sign, make it about something else
    scope: str = "sentence"  # or "message": a sign's classes may sit in different sentences
    reads: frozenset[str] = DEFAULT_READS  # which context modifiers can stand a sign down
    unless_near: tuple[str, ...] = ()  # classes that do so on either side ("statistics on suicide")
    backs: tuple[str, ...] = ()  # classes that raise nothing alone but back the learned model (warning signs)


@dataclass(frozen=True)
class TriageConfig:
    messages: Mapping[str, str] = field(default_factory=dict)
    terms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    concepts: tuple[Concept, ...] = ()
    #: Classes that say something of the words right after them ("can't" of "can't breathe"): in a sign,
    #: such a class pairs only with a class that starts within this many words after it, so the "won't" of
    #: "a cough that won't go away and gets out of breath" is not a "can't" of breathing.
    reach: Mapping[str, int] = field(default_factory=dict)
    #: Whether the sentence encoder (``encoder.py``) may read the messages the crisis model is unsure of: it
    #: catches more indirect self-harm, and costs 10-20 ms a message it reads and about 0.1 s to load.
    encoder: bool = True


def _string_list(value: Any) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not all(isinstance(v, str | int) and not isinstance(v, bool) for v in value):
        return None
    return tuple(str(v).strip() for v in value if str(v).strip())


def parse(raw: Any) -> tuple[TriageConfig, list[str]]:
    """The config and a list of problems (empty when the block is valid)."""
    problems: list[str] = []
    if raw is None:
        return TriageConfig(), problems
    if not isinstance(raw, dict):
        return TriageConfig(), ["'triage' must be a mapping with messages, terms and concepts"]
    messages = raw.get("messages") or {}
    if not isinstance(messages, dict) or not all(isinstance(v, str) for v in messages.values()):
        problems.append("triage.messages must map an outcome to its message")
        messages = {}
    terms: dict[str, tuple[str, ...]] = {}
    for name, phrases in (raw.get("terms") or {}).items():
        parsed = _string_list(phrases)
        if parsed is None:
            problems.append(f"triage.terms.{name} must be a list of phrases")
            continue
        terms[str(name)] = parsed
        problems += [f"triage.terms.{name}: '{p}' is read as '{word}' alone (filler words such as 'my', 'the' and "
                     f"'really' are skipped): write '{word}', or a phrase whose other words carry its meaning"
                     for p in parsed if (word := lone_word(p)) is not None]
    concepts = []
    for i, item in enumerate(raw.get("concepts") or []):
        label = item.get("id", f"#{i + 1}") if isinstance(item, dict) else f"#{i + 1}"
        if not isinstance(item, dict):
            problems.append(f"triage concept {label} must be a mapping")
            continue
        outcome = item.get("outcome")
        if outcome not in OUTCOMES:
            problems.append(f"triage concept {label}: outcome must be one of {', '.join(OUTCOMES)}")
            continue
        if not str(messages.get(outcome, "")).strip():
            problems.append(f"triage concept {label}: no message for outcome '{outcome}' in triage.messages")
        signs = []
        for sign in item.get("signs") or []:
            classes = _string_list(sign)
            if not classes:
                problems.append(f"triage concept {label}: each sign must be a list of term classes")
                continue
            signs.extend([classes])
        unless = _string_list(item.get("unless") or []) or ()
        unless_near = _string_list(item.get("unless_near") or []) or ()
        backs = _string_list(item.get("backs") or []) or ()
        for name in {c for s in signs for c in s} | set(unless) | set(unless_near) | set(backs):
            if name not in terms:
                problems.append(f"triage concept {label}: unknown term class '{name}'")
        scope = item.get("scope", "sentence")
        if scope not in ("sentence", "message"):
            problems.append(f"triage concept {label}: scope must be 'sentence' or 'message'")
        reads = _string_list(item.get("reads", sorted(DEFAULT_READS)))
        if reads is None or not set(reads) <= MODIFIERS:
            problems.append(f"triage concept {label}: reads must list some of {', '.join(sorted(MODIFIERS))}")
            reads = tuple(DEFAULT_READS)
        if not signs:
            problems.append(f"triage concept {label} needs at least one sign")
            continue
        concepts.append(Concept(str(label), outcome, tuple(signs), unless, scope, frozenset(reads), unless_near,
                                backs))
    reach: dict[str, int] = {}
    raw_reach = raw.get("reach") or {}
    if not isinstance(raw_reach, dict):
        problems.append("triage.reach must map a term class to a number of words")
        raw_reach = {}
    for name, words in raw_reach.items():
        if str(name) not in terms:
            problems.append(f"triage.reach: unknown term class '{name}'")
        elif not isinstance(words, int) or isinstance(words, bool) or words < 1:
            problems.append(f"triage.reach.{name} must be a whole number of words, 1 or more")
        else:
            reach[str(name)] = words
    encoder = raw.get("encoder", True)
    if not isinstance(encoder, bool):
        problems.append("triage.encoder must be true or false")
        encoder = True
    clean = {k: " ".join(v.split()) for k, v in messages.items() if k in OUTCOMES}
    return TriageConfig(clean, terms, tuple(concepts), reach, encoder), problems
