"""The ``chatbot`` command: each subcommand builds a Bot and calls one thing on it.

No matching logic lives here. Heavy or optional modules (prompt_toolkit) are imported only by
the commands that need them, so ``chatbot ask`` starts fast.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Sequence

from . import __version__
from .engine.knowledge import KnowledgeBaseError

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

    from . import desk

    _add_kb(desk.add_report_command(commands))

    from .store.options import add_store_options

    for sub in (chat, ask, batch, serve):
        _add_log(sub)
        add_store_options(sub)
    _add_log(parser, top=True)
    return parser


def _kb_paths(args: argparse.Namespace) -> list[str]:
    return [*(args.kb or []), *getattr(args, "kb_sub", [])]


def _bot(args: argparse.Namespace):
    from .engine.bot import Bot

    paths = _kb_paths(args)
    bot = Bot.from_files(paths) if paths else Bot.from_default()
    # The index lives as long as the process: keep the garbage collector from rescanning it,
    # which on a large knowledge base would pause a reply for tens of milliseconds.
    gc.freeze()
    log = getattr(args, "log_unanswered_sub", None) or getattr(args, "log_unanswered", None)
    if not log and not getattr(args, "store", None):
        return bot
    from .desk import recording_bot

    return recording_bot(bot, args, log)


def _cmd_chat(args: argparse.Namespace) -> int:
    bot = _bot(args)
    if sys.stdin.isatty() and sys.stdout.isatty():
        from .terminal.repl import run_repl

        return run_repl(bot)
    from .terminal.lines import run_lines

    return run_lines(bot, sys.stdin, sys.stdout)


def _cmd_ask(args: argparse.Namespace) -> int:
    import yaml

    from .terminal.render import Renderer, use_colour

    bot = _bot(args)
    reply = bot.ask(" ".join(args.question), threshold=args.threshold, explain=args.explain)
    if args.json:
        print(json.dumps(reply.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(Renderer(colour=use_colour()).reply(reply))
    if reply.explanation is not None:
        print("\nwhy:")
        print(yaml.safe_dump(dict(reply.explanation), sort_keys=False, allow_unicode=True, width=100).rstrip())
    return 0


def _unit_interval(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def _cmd_batch(args: argparse.Namespace) -> int:
    from .terminal.batch import read_lines, run

    bot = _bot(args)
    run(bot, read_lines(sys.stdin.buffer), sys.stdout.buffer)
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .authoring.lint import lint, locate, summary
    from .engine.loader import entry_lines, load

    try:
        kb = load(args.files)
    except KnowledgeBaseError as exc:
        problems, what = list(exc.problems), "knowledge base"
    else:
        lines = {file: entry_lines(Path(file).read_text(encoding="utf-8")) for file in kb.files}
        problems, what = lint(kb, locate(kb, lines)), f"{len(kb)} entries in {len(kb.files)} file(s)"
        if args.against:
            problems += _against(kb, locate(kb, lines), args.against, "error" if args.strict else "warning")
    for problem in problems:
        print(f"{problem.severity}: {problem}")
    errors, warnings = summary(problems)
    failed = errors or (warnings and args.strict)
    verdict = "failed" if failed else "ok"
    strict = " (--strict)" if warnings and args.strict else ""
    print(f"{verdict}: {what}: {errors} error(s), {warnings} warning(s){strict}", file=sys.stderr)
    return 1 if failed else 0


def _against(kb, locations, documents: Sequence[str], severity: str) -> list:
    """``check --against``: what the answers say that the documents do not (an unreadable one is an error)."""
    from .authoring.faithfulness import faithfulness
    from .authoring.sections import DocumentError, document_format, read_document
    from .engine.knowledge import Problem

    texts, unreadable = [], []
    for path in documents:
        try:
            text = read_document(path)
        except DocumentError as exc:
            unreadable.append(Problem(path, None, None, str(exc).removeprefix(f"{path}: ")))
            continue
        texts.append((text, document_format(path, text)))
    return unreadable or faithfulness(kb, texts, locations, severity=severity)


def _cmd_topics(args: argparse.Namespace) -> int:
    bot = _bot(args)
    if args.json:
        groups = {topic: [{"id": e.id, "title": e.label, "question": e.question} for e in entries]
                  for topic, entries in bot.kb.topics().items()}
        print(json.dumps(groups, ensure_ascii=False, indent=2))
    else:
        from .terminal.render import Renderer, use_colour

        print(Renderer(colour=use_colour()).topics(bot.kb))
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    try:
        from .http.serve import serve
    except ImportError as exc:
        print(f"error: the server needs the 'server' extra: pip install 'faq-chatbot[server]' ({exc})",
              file=sys.stderr)
        return 1
    from .desk import serve_settings

    log = getattr(args, "log_unanswered_sub", None) or args.log_unanswered
    try:
        settings = serve_settings(args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return serve(args.host, args.port, _kb_paths(args), workers=args.workers, cors_origins=args.cors_origin,
                 log_questions=args.log_questions, log_unanswered=log, settings=settings)


def _cmd_extract(args: argparse.Namespace) -> int:
    from .authoring.extract import extract_command

    return extract_command(args.documents, args.output, vocabulary_from=args.vocabulary_from,
                           guess_scope=not args.no_scope)


def _cmd_convert(args: argparse.Namespace) -> int:
    from .authoring.convert import ConvertError, convert

    try:
        notes = convert(args.input, args.output)
    except ConvertError as exc:
        for line in str(exc).splitlines():
            print(f"error: {line}", file=sys.stderr)
        return 1
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


def _cmd_suggest(args: argparse.Namespace) -> int:
    from .authoring.suggest import group, propose, to_patch
    from .desk import suggest_texts

    if not args.log and not args.source_store:
        print("error: give a LOG written by --log-unanswered, a --store, or both", file=sys.stderr)
        return 2
    try:
        texts, warnings = suggest_texts(args.log, args.source_store)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    bot = _bot(args)
    groups = propose(group(texts, bot, args.similarity), bot)
    print(to_patch(groups, bot, " and ".join(s for s in (args.log, args.source_store) if s)), end="")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from .desk import cmd_report

    return cmd_report(args, _bot)


#: The commands that answer questions, so that --log-unanswered means something to them.
_LOGGING_COMMANDS = (None, "chat", "ask", "batch", "serve")
_COMMANDS = {
    None: _cmd_chat, "chat": _cmd_chat, "ask": _cmd_ask, "batch": _cmd_batch,
    "check": _cmd_check, "topics": _cmd_topics, "serve": _cmd_serve,
    "extract": _cmd_extract, "convert": _cmd_convert, "suggest": _cmd_suggest, "report": _cmd_report,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.log_unanswered and args.command not in _LOGGING_COMMANDS:
        parser.error(f"--log-unanswered applies to chat, ask, batch and serve, not to {args.command}")
    try:
        return _COMMANDS[args.command](args)
    except KnowledgeBaseError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
