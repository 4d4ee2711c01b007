"""Reading a document into titled sections of sentences: plain text, Markdown or HTML.

Pure string work except ``read_document``. Headings are Markdown headings (``#``, or a line
underlined with ``===``/``---``), HTML ``<h1>``–``<h6>``, or in plain text lines that read as
headings: short, no final period, mostly title case, followed by a paragraph. Text before the
first heading is an "Introduction" section.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..engine.language import STOPWORDS

INTRODUCTION = "Introduction"
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
#: Longest line that can be a plain-text heading.
MAX_HEADING_WORDS = 14
#: Words left in lower case in titles ("Sites of Metastatic Breast Cancer").
MINOR_WORDS = frozenset(
    "a an the and or but nor of for to in on at by with from as into onto vs via per up is are does do off out".split()
)
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
    if fmt == "html":
        text, fmt = html_to_markdown(text), "markdown"
    blocks = _markdown_blocks(text) if fmt == "markdown" else _text_blocks(text)
    title, sections = _sections(blocks)
    if not sections:
        raise DocumentError(f"{source or 'document'}: no paragraphs of text to extract from")
    return Document(title or guess_title(sections), tuple(sections), source)


# -- blocks: ("heading", level, text) or ("paragraph", 0, text) ---------------------------

Block = tuple[str, int, str]


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


def _clean_inline(text: str) -> str:
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)  # images
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"(\*\*|__|`)", "", text)
    text = re.sub(r"(?<!\w)[*_](\S[^*_]*?)[*_](?!\w)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+(.*)$")


def _markdown_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    lines = text.splitlines()
    paragraph: list[str] = []
    items: list[str] = []
    fenced = False

    def flush() -> None:
        if items:
            joined = "; ".join(i.rstrip(".;") for i in items) + "."
            if paragraph and paragraph[-1].endswith(":"):
                paragraph.append(joined)
            else:
                paragraph.extend(i if i.endswith((".", "!", "?")) else i + "." for i in items)
            items.clear()
        if paragraph:
            blocks.append(("paragraph", 0, _clean_inline(" ".join(paragraph))))
            paragraph.clear()

    for i, raw in enumerate(lines):
        line = raw.strip()
        if line.startswith(("```", "~~~")):
            fenced = not fenced
            flush()
            continue
        if fenced or line.startswith("|") or re.fullmatch(r"[-=*_ ]{3,}", line or "x"):
            if not line or not fenced:
                flush()
            continue
        atx = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
        underline = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if atx or (line and not paragraph and not items and re.fullmatch(r"(=+|-+)", underline)):
            flush()
            level = len(atx.group(1)) if atx else (1 if underline.startswith("=") else 2)
            heading = _clean_inline(atx.group(2) if atx else line)
            if heading:
                blocks.append(("heading", level, heading))
            continue
        if not line:
            flush()
            continue
        line = re.sub(r"^>\s?", "", line)
        item = _LIST_ITEM.match(line)
        if item:
            if not items and not paragraph and blocks and blocks[-1][0] == "paragraph" and blocks[-1][2].endswith(":"):
                paragraph.append(blocks.pop()[2])  # "Common fixes include:" then a blank line, then the list
            items.append(_clean_inline(item.group(1)))
        elif items:
            items[-1] += " " + line
        else:
            paragraph.append(line)
    flush()
    return blocks


def _text_blocks(text: str) -> list[Block]:
    lines = [line.strip() for line in text.splitlines()]
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(("paragraph", 0, " ".join(paragraph)))
            paragraph.clear()

    for i, line in enumerate(lines):
        if not line:
            flush()
            continue
        following = next((n for n in lines[i + 1:] if n), "")
        if looks_like_heading(line) and _reads_as_paragraph(following):
            flush()
            blocks.append(("heading", 1, line))
            continue
        paragraph.append(line)
        if line.endswith((".", "!", "?", '."', ".”")):
            flush()  # one line per paragraph when lines end sentences; hard-wrapped text joins up
    flush()
    return blocks


def looks_like_heading(line: str) -> bool:
    """Short, no final period, mostly title case (or a short question)."""
    words = line.split()
    if not 1 <= len(words) <= MAX_HEADING_WORDS or len(line) > 100 or _LIST_ITEM.match(line):
        return False
    if line.endswith((".", ",", ";")) or not line[0].isupper():
        return False
    if line.endswith("?"):
        return True
    significant = [w for w in words if w[0].isalpha() and w.lower() not in MINOR_WORDS]
    if not significant:
        return False
    capitalised = sum(1 for w in significant if w[0].isupper())
    return capitalised / len(significant) >= 0.75


def _reads_as_paragraph(line: str) -> bool:
    return bool(line) and not looks_like_heading(line) and (len(line.split()) >= 8 or line.endswith((".", "!")))


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


# -- HTML --------------------------------------------------------------------------------------


class _HtmlText(HTMLParser):
    """Headings, paragraphs and list items of an HTML page as Markdown-like lines."""

    BLOCKS = frozenset("p div li br tr section article blockquote dd dt td".split())
    SKIP = frozenset("script style nav header footer noscript template svg title".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping = 0
        self.prefix = ""

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.current)).strip()
        if text:
            self.lines.extend([self.prefix + text, ""])
        self.current, self.prefix = [], ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self._flush()
            self.prefix = "#" * int(tag[1]) + " "
        elif tag in self.BLOCKS:
            self._flush()
            self.prefix = "- " if tag == "li" else ""

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif re.fullmatch(r"h[1-6]", tag) or tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)


def html_to_markdown(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    parser._flush()
    return "\n".join(parser.lines)
