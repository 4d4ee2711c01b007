"""The interactive terminal chat, on prompt_toolkit. The only module that imports it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from prompt_toolkit import PromptSession
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import ANSI
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.shortcuts import print_formatted_text

from ..engine.bot import Bot
from .commands import COMMANDS, banner, run_command
from .render import Renderer, use_colour

SESSION = "repl"
APP_NAME = "faq-chatbot"


def data_dir() -> Path:
    """Where history lives: $XDG_DATA_HOME/faq-chatbot, else ~/.local/share/faq-chatbot."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / APP_NAME


def make_history() -> History:
    """History saved across runs; in memory only if the data directory cannot be written."""
    try:
        directory = data_dir()
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "history"
        path.touch(exist_ok=True)
        return FileHistory(str(path))
    except OSError:
        return InMemoryHistory()


class QuestionCompleter(Completer):
    """Completes the whole line to a known question or topic containing every word typed so far."""

    def __init__(self, phrases: list[str]):
        self.phrases = phrases
        self._lower = [p.lower() for p in phrases]

    def get_completions(self, document: Document, complete_event: CompleteEvent):
        text = document.text_before_cursor
        if text.startswith("/"):
            for command in COMMANDS:
                if command.startswith(text.lower()):
                    yield Completion(command, start_position=-len(text))
            return
        words = text.lower().split()
        if not words:
            return
        for phrase, lower in zip(self.phrases, self._lower, strict=True):
            if all(word in lower for word in words):
                yield Completion(phrase, start_position=-len(text))


def make_completer(bot: Bot) -> Completer:
    questions = [e.question for e in bot.kb.entries]
    titles = [e.label for e in bot.kb.entries if e.label not in questions]
    return QuestionCompleter(questions + titles)


def make_session(bot: Bot, **kwargs) -> PromptSession:
    return PromptSession(
        history=kwargs.pop("history", None) or make_history(),
        auto_suggest=AutoSuggestFromHistory(),
        completer=make_completer(bot),
        complete_while_typing=False,
        **kwargs,
    )


def run_repl(bot: Bot, session: PromptSession | None = None, say: Callable[[str], None] | None = None) -> int:
    """The chat loop; ``say`` prints a block of output (tests pass their own)."""
    colour = use_colour()
    renderer = Renderer(colour=colour)
    if say is None:

        def say(text: str) -> None:
            print_formatted_text(ANSI(text) if colour else text)

    say(banner(bot))
    prompt = session or make_session(bot)
    while True:
        try:
            text = prompt.prompt("\n› ").strip()
        except KeyboardInterrupt:  # Ctrl-C clears the line, as in a shell
            continue
        except EOFError:  # Ctrl-D leaves
            say("Take care.")
            return 0
        if not text:
            continue
        outcome = run_command(text, bot, renderer, SESSION)
        if outcome is not None:
            say(outcome.output)
            if outcome.quit:
                return 0
            continue
        say(renderer.reply(bot.ask(text, session=SESSION)))
