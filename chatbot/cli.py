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

from .arguments import build_parser
from .engine.knowledge import KnowledgeBaseError

__all__ = ["build_parser", "main"]

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
    from .terminal.render import Renderer, use_colour

    bot = _bot(args)
    reply = bot.ask(" ".join(args.question), threshold=args.threshold, explain=args.explain)
    if args.json:
        print(json.dumps(reply.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(Renderer(colour=use_colour()).reply(reply))
    if reply.explanation is not None:
        import yaml  # only here: PyYAML's import is a tenth of a cached start-up

        print("\nwhy:")
        print(yaml.safe_dump(dict(reply.explanation), sort_keys=False, allow_unicode=True, width=100).rstrip())
    return 0


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


def _cmd_diff(args: argparse.Namespace) -> int:
    from .authoring.compare import compare, phrasings, read_questions, summary
    from .engine.bot import Bot

    questions = []
    for path in args.questions or []:
        try:
            questions += read_questions(path)
        except OSError as exc:
            print(f"error: {path}: cannot read ({exc.strerror or exc})", file=sys.stderr)
            return 2
        except (UnicodeDecodeError, ValueError) as exc:
            print(f"error: {path}: {exc}", file=sys.stderr)
            return 2
    try:
        bots = []
        for path in (args.old, args.new):
            print(f"loading {path}…", file=sys.stderr)
            bots.append(Bot.from_files([path]))
    except KnowledgeBaseError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    old, new = bots
    questions = list(dict.fromkeys(questions)) if args.questions else phrasings(old.kb, new.kb)
    print(f"asking {len(questions)} questions of both…", file=sys.stderr)
    changes = compare(old, new, questions, progress=lambda n: print(f"  {n} / {len(questions)}", file=sys.stderr))
    for change in changes:
        if args.json:
            print(json.dumps(change.to_dict(), ensure_ascii=False))
        else:
            print(f"{change.question}\n    {change.before}  ->  {change.after}")
    print(summary(changes, len(questions)), file=sys.stderr)
    return 1 if changes else 0


def _cmd_report(args: argparse.Namespace) -> int:
    from .desk import cmd_report

    return cmd_report(args, _bot)


#: The commands that answer questions, so that --log-unanswered means something to them.
_LOGGING_COMMANDS = (None, "chat", "ask", "batch", "serve")
_COMMANDS = {
    None: _cmd_chat, "chat": _cmd_chat, "ask": _cmd_ask, "batch": _cmd_batch,
    "check": _cmd_check, "topics": _cmd_topics, "serve": _cmd_serve,
    "extract": _cmd_extract, "convert": _cmd_convert, "suggest": _cmd_suggest, "report": _cmd_report,
    "diff": _cmd_diff,
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
