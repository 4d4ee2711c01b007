"""Piped mode: questions on standard input, answers on standard output, no terminal needed."""

from __future__ import annotations

from typing import IO

from ..engine.bot import Bot
from .commands import run_command
from .render import Renderer, use_colour

SESSION = "stdin"


def run_lines(bot: Bot, stdin: IO[str], stdout: IO[str]) -> int:
    renderer = Renderer(colour=use_colour(stdout))
    for raw in _lines(stdin):
        text = raw.strip()
        if not text:
            continue
        outcome = run_command(text, bot, renderer, SESSION)
        if outcome is not None:
            print(outcome.output, file=stdout, flush=True)
            if outcome.quit:
                break
            continue
        print(renderer.reply(bot.ask(text, session=SESSION)) + "\n", file=stdout, flush=True)
    return 0


def _lines(stdin: IO[str]):
    """Lines of text, with undecodable bytes replaced rather than crashing the loop."""
    buffer = getattr(stdin, "buffer", None)
    if buffer is None:
        yield from stdin
        return
    for raw in buffer:
        yield raw.decode("utf-8", errors="replace")
