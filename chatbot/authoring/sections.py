"""Reading a document into titled sections of sentences: plain text, Markdown or HTML.

Pure string work except ``read_document``. ``chatbot.authoring.blocks`` finds the headings and
paragraphs; here they become sections of sentences, and the document gets its title. Text
before the first heading is an "Introduction" section.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..engine.language import STOPWORDS
from .blocks import MINOR_WORDS, Block, document_blocks

INTRODUCTION = "Introduction"
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_ABBREVIATIONS = frozenset("e.g i.e etc dr mr mrs ms vs st no fig approx inc ltd cf al".split())


class DocumentError(ValueError):
    """A document that cannot be read or holds no text; the message is one line for the user."""


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[tuple[str, ...], ...]  # the sentences of each paragraph

    @property
    def sentences(self) -> tuple[str, ...]:
        return tuple(s for paragraph in self.paragraphs for s in paragraph)


@dataclass(frozen=True)
class Document:
    title: str
    sections: tuple[Section, ...]
    source: str = ""


# -- reading -----------------------------------------------------------------------------


def read_document(path: str | Path) -> str:
    """The text of a document file; DocumentError with a one-line reason when there is none."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise DocumentError(f"{path}: is a directory") from None
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if b"\x00" in data[:8192]:
        raise DocumentError(f"{path}: binary file, not a text document")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise DocumentError(f"{path}: empty document")
    return text


def document_format(path: str | Path, text: str) -> str:
    """'markdown', 'html' or 'text', from the suffix, else from what the text looks like."""
    suffix = Path(path).suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in HTML_SUFFIXES:
        return "html"
    if re.search(r"^#{1,6}\s+\S", text, re.MULTILINE):
        return "markdown"
    if re.match(r"\s*(<!doctype html|<html)", text, re.IGNORECASE):
        return "html"
    return "text"


def parse(text: str, fmt: str = "text", source: str = "") -> Document:
    """A document's title and sections; DocumentError when it holds no sentences."""
    title, sections = _sections(document_blocks(text, fmt))
    if not sections:
        raise DocumentError(f"{source or 'document'}: no paragraphs of text to extract from")
    return Document(title or guess_title(sections), tuple(sections), source)


def _sections(blocks: list[Block]) -> tuple[str, list[Section]]:
    headings = [b for b in blocks if b[0] == "heading"]
    title = ""
    if headings and headings[0] is blocks[0] and sum(1 for h in headings if h[1] == headings[0][1]) == 1 and (
        len(headings) > 1 or headings[0][1] == 1
    ):
        title = headings[0][2]  # a lone top heading that opens the document names it
        blocks = blocks[1:]
    sections: list[Section] = []
    heading, paragraphs = INTRODUCTION, []
    for kind, _, text in [*blocks, ("heading", 0, "")]:
        if kind == "paragraph":
            sentences = split_sentences(text)
            if sentences:
                paragraphs.append(tuple(sentences))
            continue
        if paragraphs:
            sections.append(Section(heading, tuple(paragraphs)))
        heading, paragraphs = text, []
    return title, sections


# -- sentences ------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)\]]?\s+(?=[\"“‘(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph, keeping abbreviations such as "e.g." whole."""
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return []
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start:match.start()].strip()
        last_word = candidate.rsplit(" ", 1)[-1].rstrip(".").lower()
        if last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word):
            continue
        pieces.append(text[start:match.end()].strip())
        start = match.end()
    pieces.append(text[start:].strip())
    return [p for p in pieces if re.search(r"[^\W\d_]{2}", p)]


# -- titles ------------------------------------------------------------------------------------


def subject_phrase(sections: list[Section] | tuple[Section, ...]) -> tuple[str, ...]:
    """The phrase the headings and the text repeat most, in lower case: ("breast", "cancer")."""
    counts: Counter[tuple[str, ...]] = Counter()
    texts = [s.heading for s in sections if s.heading != INTRODUCTION] * 3
    texts += [sentence for s in sections for sentence in s.sentences]
    for text in texts:
        words = re.findall(r"[^\W\d_][\w'’-]*", text.lower())
        for n in (2, 3, 4):
            for i in range(len(words) - n + 1):
                gram = tuple(words[i:i + n])
                if gram[0] not in STOPWORDS and gram[-1] not in STOPWORDS and not set(gram) & MINOR_WORDS:
                    counts[gram] += 1
    if not counts:
        return ()
    return max(counts.items(), key=lambda kv: (kv[1] * len(kv[0]) ** 0.5, kv[0]))[0]


#: Words that name the kind of document, not its subject: "Acme Router FAQ" is about "Acme Router".
GENERIC_TITLE_WORDS = frozenset(
    "faq faqs frequently asked questions question answers q&a guide handbook manual help support "
    "overview introduction documentation docs notes about the a an".split()
)


def title_subject(title: str) -> str:
    """The subject a title names, without words like "FAQ" or "guide"."""
    words = title.split()
    while words and words[-1].lower().strip(":-–") in GENERIC_TITLE_WORDS:
        words.pop()
    while words and words[0].lower().strip(":-–") in GENERIC_TITLE_WORDS:
        words.pop(0)
    return " ".join(words) or title


def guess_title(sections: list[Section]) -> str:
    """No title given: the subject phrase, title-cased ("Breast Cancer")."""
    subject = subject_phrase(sections)
    if not subject:
        return sections[0].heading if sections[0].heading != INTRODUCTION else "Document"
    return " ".join(w[:1].upper() + w[1:] for w in subject)
