"""The lists an answer gives, and the item of one that a message points at ("what's the last one").

An answer that lists things ("less common sites include the skin, lymph nodes and peritoneum") invites a
follow-up about one of them by its place: "what's the last one", "does the second one cause joint pain", "the
last one you mentioned?". The message is then read with that item in place of the words that point at it
("what's peritoneum (the lining of the abdominal cavity)"). English list forms, the same for every base.
"""

from __future__ import annotations

import re

from .text import sentences

#: Words that open a list in a sentence ("Examples include ...", "such as", "are the bones, ...").
_OPENS = re.compile(r"\b(?:include|includes|including|such as|like|are|involves)\b\s+|:\s*")
#: Where a list ends inside its sentence: a clause that says something about the whole list
#: (", depending on the location", ", which can", " to help prevent").
_ENDS = re.compile(r",\s+(?:depending|which|who|where|when|while|although|because|so|as|if|but|may|can)\b"
                   r"|\s+(?:to|in order to|for women|for people|may|can|could|might|will|is|are)\s")
#: The last item's joining word ("the bones, lungs, liver and brain").
_LAST_JOIN = re.compile(r"^(?:and|or)\s+|\s+(?:and|or)\s+")
#: An item longer than this is a clause, not a thing listed.
MAX_ITEM_WORDS = 12
#: "the second one", "the last kind you mentioned", "the 3rd option" (on normalised text); not "last thing, ..."
#: nor "in the first place", which point at nothing.
_POINTER = re.compile(
    r"\bthe\s+(first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)\s+"
    r"(?:one|ones|kind|type|thing|option|item|site|drug|medicine|step|sign|symptom|treatment|test|method)s?\b"
    r"(?:\s+(?:you|u)\s+(?:said|mentioned|listed|named|gave|wrote))?")
_PLACES = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3,
           "fifth": 4, "5th": 4, "last": -1}


def pointer(normalized: str) -> tuple[int, str] | None:
    """The place (0-based; -1 for the last) of the item a message points at, and the words that point."""
    match = _POINTER.search(normalized)
    return (_PLACES[match.group(1)], match.group(0)) if match else None


def lists(answer: str) -> list[list[str]]:
    """The lists of things an answer gives, in order: items joined by semicolons, or after a word that opens a
    list ("include", "such as", "are"), by commas and a last "and" or "or"."""
    found = []
    for sentence in sentences(answer):
        sentence = sentence.rstrip(". ")
        if sentence.count(";") >= 2:  # "bone metastases occur in about 70%; lung metastases in about 30%; ..."
            items = [_unjoined(part.strip()) for part in sentence.split(";")]
            # The first item without the sentence's opening phrase ("Among women with advanced breast cancer, ").
            items[0] = items[0].rsplit(", ", 1)[-1]
            found.append([item for item in items if item])
            continue
        for opening in _OPENS.finditer(sentence):
            listed = _items(sentence[opening.end():])
            if listed:
                found.append(listed)
                break
    return found


def _items(tail: str) -> list[str]:
    """The items at the start of ``tail``, if it lists two or more short ones."""
    tail = tail.rsplit(":", 1)[-1]  # "involves several steps: invasion, intravasation, ..."
    if (end := _ENDS.search(tail)) is not None:
        tail = tail[:end.start()]
    parts = [p.strip() for p in _outside_brackets(tail) if p.strip()]
    if not parts:
        return []
    # The last part holds the last two items ("liver and brain"); alone, it is a list of two ("tamoxifen and
    # aromatase inhibitors such as letrozole or anastrozole").
    items = [_unjoined(item) for item in (*parts[:-1], *_outside_brackets(parts[-1], _LAST_JOIN))]
    items = [item.rstrip(")") if item.count(")") > item.count("(") else item for item in items if item]
    if len(items) < 2 or any(len(item.split()) > MAX_ITEM_WORDS for item in items):
        return []
    return items


def _unjoined(item: str) -> str:
    """An item without the "and" or "or" that joins it to the one before ("and brain in about 10%")."""
    return _LAST_JOIN.sub("", item, count=1) if item.startswith(("and ", "or ")) else item


def _outside_brackets(text: str, at: re.Pattern[str] | None = None) -> list[str]:
    """``text`` split at its commas, not at those inside brackets ("(for example, positive or negative)"); with
    ``at``, split once, at the first match of it outside brackets."""
    depth = [0] * (len(text) + 1)
    for i, char in enumerate(text):
        depth[i + 1] = depth[i] + (char == "(") - (char == ")")
    if at is not None:
        match = next((m for m in at.finditer(text) if depth[m.start()] <= 0), None)
        return [text] if match is None else [text[:match.start()], text[match.end():]]
    cuts = [i for i, char in enumerate(text) if char == "," and depth[i] <= 0]
    return [text[a + 1:b] for a, b in zip([-1, *cuts], [*cuts, len(text)], strict=True)]


def pointed_item(normalized: str, answer: str) -> tuple[str, str] | None:
    """The item that the message points at, in the answer's first list long enough to hold its place, and the
    message read with it in place of the words that point; None when it points at none, or no list is that long."""
    found = pointer(normalized)
    if found is None:
        return None
    place, words = found
    for listed in lists(answer):
        if -len(listed) <= place < len(listed):
            item = listed[place]
            return item, normalized.replace(words, item.lower(), 1)
    return None
