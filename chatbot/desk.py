"""The CLI's support-desk parts: ``report``, serve's store and webhook options, recording bots.

Kept out of ``cli.py`` so that it stays a list of commands; everything here is imported only by
the commands that use it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def add_report_command(commands: Any) -> argparse.ArgumentParser:
    report: argparse.ArgumentParser = commands.add_parser(
        "report", help="what people asked and how it went, from a conversation store (terminal tables, HTML)",
        description="Rates of answers, clarifications, fallbacks, urgent replies and handoffs over time, the most "
                    "asked entries, the lowest-rated answers and the unanswered questions grouped, from a store "
                    "written with --store. --html writes one self-contained page with charts.",
    )
    report.add_argument("--store", metavar="URL", required=True, dest="report_store",
                        help="the store: sqlite:///path.db or postgresql://…")
    report.add_argument("--since", default="7d", metavar="WHEN",
                        help="a span (7d, 24h, 2w) or a date (2026-11-01) (default: %(default)s)")
    report.add_argument("--html", metavar="FILE", help="also write the report as an HTML page")
    return report


def add_serve_options(serve: argparse.ArgumentParser) -> None:
    serve.add_argument("--no-docs", action="store_true", help="switch off the API docs pages /docs and /redoc")
    serve.add_argument("--handoff-webhook", metavar="URL",
                       help="POST a signed JSON event to URL when someone asks for a person (secret: "
                            "CHATBOT_HANDOFF_SECRET or --handoff-secret-file)")
    serve.add_argument("--handoff-secret-file", metavar="FILE", help="file holding the webhook's HMAC secret")


def serve_settings(args: argparse.Namespace) -> Any:
    """The server's settings from ``serve``'s options; ValueError when the secret file is unreadable."""
    from .http.settings import ServerSettings

    secret = os.environ.get("CHATBOT_HANDOFF_SECRET", "")
    if args.handoff_secret_file:
        try:
            secret = Path(args.handoff_secret_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ValueError(f"{args.handoff_secret_file}: {exc.strerror or exc}") from None
    return ServerSettings(store=args.store or "", store_questions=args.store_questions,
                          retain_days=args.retain_days, handoff_webhook=args.handoff_webhook or "",
                          handoff_secret=secret, docs=not args.no_docs)


def recording_bot(bot: Any, args: argparse.Namespace, log: str | None) -> Any:
    """``bot`` recording to the unanswered log and the store, as the options ask; exits on a bad one."""
    import atexit

    from .authoring.unanswered import UnansweredLog, UnansweredLogError
    from .store import StoreError
    from .store.options import open_writer
    from .store.recorder import Recorder, RecordingBot

    store = getattr(args, "store", None)
    try:
        unanswered = UnansweredLog(log) if log else None
        writer = open_writer(store, args.retain_days) if store else None
    except (UnansweredLogError, StoreError) as exc:
        sys.exit(f"error: {exc}")
    if writer is not None:
        atexit.register(writer.close)  # write what is queued before the process ends
    return RecordingBot(bot, Recorder(unanswered=unanswered, writer=writer,
                                      store_questions=getattr(args, "store_questions", False)))


def suggest_texts(log: str | None, store: str | None) -> tuple[list[str], list[str]]:
    """The questions ``suggest`` groups: from the log, the store, or both; ValueError when one is unreadable."""
    from .authoring.suggest import read_log, read_store

    texts: list[str] = []
    warnings: list[str] = []
    for source, read in ((log, read_log), (store, read_store)):
        if source:
            more, notes = read(source)
            texts, warnings = texts + more, warnings + notes
    return texts, warnings


def cmd_report(args: argparse.Namespace, make_bot: Callable[[argparse.Namespace], Any]) -> int:
    from .authoring.report import build, parse_since, to_text
    from .authoring.report_html import to_html
    from .store import StoreError, open_store

    try:
        since = parse_since(args.since)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        store = open_store(args.report_store)
        try:
            result = build(store, since, make_bot(args))
        finally:
            store.close()
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(to_text(result), end="")
    if args.html:
        Path(args.html).write_text(to_html(result), encoding="utf-8")
        print(f"wrote {args.html}", file=sys.stderr)
    return 0
