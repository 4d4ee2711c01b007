"""Slash commands shared by the interactive REPL and piped line mode."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.bot import Bot
from ..engine.text import strip_control
from .render import Renderer

HELP = """Commands:
  /help     this help
  /topics   what I can answer, by topic
  /quit     leave (Ctrl-D works too)
Ask in your own words; typos are fine. Type a number to open a numbered topic.
Tab completes questions; Up/Down browse your history; Ctrl-C clears the line."""

COMMANDS = ("/help", "/topics", "/quit", "/exit")


@dataclass(frozen=True)
class Outcome:
    output: str
    quit: bool = False


def banner(bot: Bot) -> str:
    greeting = bot.kb.greeting or f"{bot.kb.name}: general information, not medical advice."
    return f"{greeting}\nAsk in your own words. /topics lists what I know, /help for commands, Ctrl-D to leave."


def run_command(text: str, bot: Bot, renderer: Renderer) -> Outcome | None:
    """The outcome of a slash command, or None when ``text`` is not one."""
    if not text.startswith("/"):
        return None
    name = text.split()[0].lower()
    if name in ("/quit", "/exit", "/q"):
        return Outcome("Take care.", quit=True)
    if name in ("/help", "/h", "/?"):
        return Outcome(HELP)
    if name == "/topics":
        return Outcome(renderer.topics(bot.kb))
    return Outcome(f"Unknown command {strip_control(name)}. Type /help for the list.")
