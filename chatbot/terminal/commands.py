"""Slash commands shared by the interactive REPL and piped line mode."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.bot import Bot
from ..engine.text import strip_control
from .render import Renderer

HELP = """Commands:
  /help     this help
  /topics   what I can answer, by topic
  /new      start a new conversation: what you ask next does not follow on from before
  /helpful  the last answer helped; /unhelpful [why] it did not (with --store or --log-unanswered)
  /quit     leave (Ctrl-D works too)
Ask in your own words; typos are fine. Type a number to open a numbered topic.
Tab completes questions; Up/Down browse your history; Ctrl-C clears the line."""

COMMANDS = ("/help", "/topics", "/new", "/helpful", "/unhelpful", "/feedback", "/quit", "/exit")


@dataclass(frozen=True)
class Outcome:
    output: str
    quit: bool = False


def banner(bot: Bot) -> str:
    greeting = bot.kb.greeting or f"{bot.kb.name}: general information, not medical advice."
    return f"{greeting}\nAsk in your own words. /topics lists what I know, /help for commands, Ctrl-D to leave."


def run_command(text: str, bot: Bot, renderer: Renderer, session: str | None = None) -> Outcome | None:
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
    if name == "/new":
        if session is not None:
            bot.forget(session)
        return Outcome("New conversation: what you ask next won't be read as following on from before.")
    if name in ("/helpful", "/unhelpful", "/feedback"):
        return Outcome(_feedback(name, text, bot, session))
    return Outcome(f"Unknown command {strip_control(name)}. Type /help for the list.")


def _feedback(name: str, text: str, bot: Bot, session: str | None) -> str:
    """``/helpful``, ``/unhelpful [why]``, ``/feedback yes|no [why]``: on the last reply of the session."""
    words = text.split(maxsplit=1)[1] if " " in text.strip() else ""
    if name == "/feedback":
        verdict, _, words = words.partition(" ")
        if verdict.lower() not in ("yes", "no", "y", "n", "helpful", "unhelpful"):
            return "Say /feedback yes or /feedback no, then why if you like."
        helpful = verdict.lower() in ("yes", "y", "helpful")
    else:
        helpful = name == "/helpful"
    record = getattr(bot, "feedback", None)
    if record is None:
        return "Feedback is recorded only when the chat runs with --store or --log-unanswered."
    comment = strip_control(words).strip()[:1000] or None
    return str(record(helpful, comment, session=session))
