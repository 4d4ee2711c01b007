"""The ``chatbot`` command line's parser: every subcommand, option and help text, in one place.

``cli.py`` runs the commands; this module only describes them (``chatbot --help`` reads it).
"""

from __future__ import annotations

import argparse

from . import __version__

_KB_HELP = "knowledge-base file or directory (repeatable; default: the embedded breast-cancer FAQ)"


def _add_kb(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    parser.add_argument(
        "--kb", action="append", metavar="PATH", help=_KB_HELP,
        dest="kb" if top else "kb_sub", default=None if top else argparse.SUPPRESS,
    )


def _add_log(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    parser.add_argument(
        "--log-unanswered", metavar="FILE", dest="log_unanswered" if top else "log_unanswered_sub",
        default=None if top else argparse.SUPPRESS,
        help="append fallbacks and low-confidence replies to FILE as JSON Lines (off by default: questions "
             "can be private); 'chatbot suggest FILE' turns them into proposals",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chatbot",
        description="Answer questions from a curated FAQ knowledge base. With no command, start the chat.",
        epilog="Run 'chatbot COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_kb(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    chat = commands.add_parser("chat", help="chat in the terminal (the default)")
    _add_kb(chat)

    ask = commands.add_parser("ask", help="answer one question and exit")
    ask.add_argument("question", nargs="+", help="the question (quote it, or give it as several words)")
    ask.add_argument("--json", action="store_true", help="print the reply as JSON")
    ask.add_argument("--explain", action="store_true",
                     help="show why: the stage that decided, the phrasing matched, the words that counted")
    ask.add_argument("--threshold", type=_unit_interval, metavar="0-1",
                     help="confidence an answer needs (default: the knowledge base's)")
    _add_kb(ask)

    batch = commands.add_parser("batch", help="answer JSON Lines from stdin, one JSON line out per request")
    _add_kb(batch)

    check = commands.add_parser(
        "check", help="validate and lint knowledge-base files; exit 1 on errors (and warnings with --strict)",
        description="Validate knowledge-base files, then lint them: near-duplicate phrasings, phrasings that do "
                    "not retrieve their own entry, entries nothing relates to, long answers. One line per "
                    "finding (file:line: entry-id: message) on stdout, a summary on stderr.",
    )
    check.add_argument("files", nargs="+", metavar="FILE", help="files or directories to check")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.add_argument("--against", action="append", metavar="DOCUMENT",
                       help="also check that every answer sentence is supported by this document and every number "
                            "in it appears there (repeatable; findings are errors with --strict)")

    serve = commands.add_parser("serve", help="run the HTTP JSON API and web chat (needs the 'server' extra)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: %(default)s)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default: %(default)s)")
    serve.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                       help="allow browser calls from this origin (repeatable; default: none)")
    serve.add_argument("--log-questions", action="store_true",
                       help="write question text to the log (off by default: it is health information)")
    from .desk import add_serve_options

    add_serve_options(serve)
    _add_kb(serve)

    topics = commands.add_parser("topics", help="list the topics the knowledge base covers")
    topics.add_argument("--json", action="store_true", help="print topics as JSON")
    _add_kb(topics)

    extract = commands.add_parser(
        "extract", help="draft a knowledge base from documents (plain text, Markdown, HTML)",
        description="Find the sections of each document and write question-answer pairs in the knowledge-base "
                    "format: a question per heading, more from sentences that state facts, answers copied from "
                    "the document. Review the draft before use; 'chatbot check' lints it.",
    )
    extract.add_argument("documents", nargs="+", metavar="DOCUMENT", help="documents to read (.txt, .md, .html)")
    extract.add_argument("-o", "--output", metavar="FILE", default="-",
                         help="where to write the YAML draft (default: standard output)")
    extract.add_argument("--vocabulary-from", metavar="FILE",
                         help="copy synonyms, scope, urgent and facets from this knowledge base into the draft")
    extract.add_argument("--no-scope", action="store_true",
                         help="do not guess a scope (anchors, out-of-scope subjects) from the documents")

    convert = commands.add_parser(
        "convert", help="convert a knowledge base between YAML, JSON and CSV/TSV, or import a QnA Maker export",
        description="Convert a knowledge base; formats come from the suffixes (.yaml, .json, .csv, .tsv). "
                    "YAML and JSON keep everything; CSV and TSV keep entries only (columns id, question, "
                    "alternates, answer, source, related; lists separated by |), not the settings. "
                    "QnA Maker and Azure question answering exports (.tsv, .xlsx, JSON project) are read too.",
    )
    convert.add_argument("input", metavar="IN", help="the file to read")
    convert.add_argument("output", metavar="OUT", help="the file to write (overwritten)")

    suggest = commands.add_parser(
        "suggest", help="group logged unanswered questions and propose alternates or new entries",
        description="Read a log written with --log-unanswered, group similar questions and print a YAML patch: "
                    "new alternates for the entry each group probably belongs to, or a new entry needed.",
    )
    suggest.add_argument("log", metavar="LOG", nargs="?", help="the JSON Lines file written by --log-unanswered")
    suggest.add_argument("--store", metavar="URL", dest="source_store",
                         help="also read unanswered questions and answers marked unhelpful from this store "
                              "(its question text is kept only with --store-questions)")
    suggest.add_argument("--similarity", type=float, default=75.0, metavar="N",
                         help="how alike (0-100) two questions must be to share a group (default: %(default)s)")
    _add_kb(suggest)

    diff = commands.add_parser(
        "diff", help="what an edit of a knowledge base changes in the replies; exit 1 when any changed",
        description="Ask the same questions of two versions of a knowledge base, each as a conversation's first "
                    "message, and list those whose reply changed (its kind, or the entry it answers or offers). "
                    "Matching is learned from the whole base, so an edit of one entry can move replies about "
                    "others. Exit status as diff's: 0 when no reply changed, 1 when some did, 2 on an error.",
    )
    diff.add_argument("old", metavar="OLD", help="the knowledge base before the edit (file or directory)")
    diff.add_argument("new", metavar="NEW", help="the knowledge base after it")
    diff.add_argument("--questions", action="append", metavar="FILE",
                      help="questions to ask (repeatable): one per line, JSON Lines with \"q\" or \"text\" (batch "
                           "requests, --log-unanswered logs), or YAML; default: every phrasing of both versions")
    diff.add_argument("--json", action="store_true", help="one JSON object per changed reply")

    from . import desk

    _add_kb(desk.add_report_command(commands))

    from .store.options import add_store_options

    for sub in (chat, ask, batch, serve):
        _add_log(sub)
        add_store_options(sub)
    _add_log(parser, top=True)
    return parser


def _unit_interval(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value
