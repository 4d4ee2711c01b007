"""A document as blocks: headings and paragraphs, from Markdown, plain text or HTML.

Each block is ``("heading", level, text)`` or ``("paragraph", 0, text)``. Headings are Markdown
headings (``#``, or a line underlined with ``===``/``---``), HTML ``<h1>``–``<h6>``, or in plain
text lines that read as headings: short, no final period, mostly title case, followed by a
paragraph. Lists become sentences; code, tables and rules are left out.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: Longest line that can be a plain-text heading.
MAX_HEADING_WORDS = 14
#: Words left in lower case in titles ("Sites of Metastatic Breast Cancer").
MINOR_WORDS = frozenset(
    "a an the and or but nor of for to in on at by with from as into onto vs via per up is are does do off out".split()
)

Block = tuple[str, int, str]


def document_blocks(text: str, fmt: str = "text") -> list[Block]:
    """The blocks of a document in ``fmt`` ('markdown', 'html' or 'text')."""
    if fmt == "html":
        text, fmt = html_to_markdown(text), "markdown"
    return _markdown_blocks(text) if fmt == "markdown" else _text_blocks(text)


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
