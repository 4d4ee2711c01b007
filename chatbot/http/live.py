"""The knowledge base in service: one Bot (and one per project), swapped whole on reload."""

import logging
import os
import threading
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path

from ..engine.bot import Bot
from ..engine.knowledge import KnowledgeBaseError
from ..engine.loader import default_kb_path

logger = logging.getLogger("chatbot.http")


class LiveBot:
    """Holds the Bot in service. ``reload`` builds a new one and swaps the reference in one
    step: a request that already took the old Bot finishes on it; broken files keep it.

    ``projects`` holds one Bot per ``--kb`` path by name, for clients that pick a knowledge base
    (the Azure-compatible endpoints): the same Bot when there is one path, else one per path."""

    def __init__(self, paths: Sequence[str]):
        self.paths = list(paths)
        self._lock = threading.Lock()
        self.bot, self.projects = self._build()

    def _build(self) -> tuple[Bot, dict[str, Bot]]:
        bot = Bot.from_files(self.paths) if self.paths else Bot.from_default()
        return bot, _projects(self.paths, bot)

    def reload(self) -> Bot:
        """Raises KnowledgeBaseError, keeping the current Bot, when the files are broken."""
        with self._lock:
            try:
                bot, projects = self._build()
            except KnowledgeBaseError as exc:
                logger.error("reload failed, keeping the previous knowledge base:\n%s", exc)
                raise
            except Exception as exc:
                logger.exception("reload failed, keeping the previous knowledge base")
                raise KnowledgeBaseError([]) from exc
            self.bot, self.projects = bot, projects
        logger.info("knowledge base reloaded: %d entries", len(bot.kb))
        return bot

    def reload_quietly(self) -> None:
        """For SIGHUP, where the outcome can only be logged."""
        with suppress(KnowledgeBaseError):
            self.reload()


def project_name(path: str) -> str:
    """A knowledge base's name for clients that pick one: its file's stem, or its directory's name."""
    absolute = Path(os.path.abspath(path))
    return absolute.name if absolute.is_dir() else absolute.stem


def _projects(paths: Sequence[str], bot: Bot) -> dict[str, Bot]:
    """One Bot per path, by name. A path that cannot load on its own (say, its entries relate to
    another file's) or whose name is taken is left out, with a warning; ``/v1`` still has it."""
    if len(paths) <= 1:
        return {project_name(paths[0]) if paths else default_kb_path().stem: bot}
    projects: dict[str, Bot] = {}
    for path in paths:
        name = project_name(path)
        if name.casefold() in (known.casefold() for known in projects):
            logger.warning("two knowledge bases are named %r; only the first is a project", name)
            continue
        try:
            projects[name] = Bot.from_files([path])
        except KnowledgeBaseError as exc:
            logger.warning("%s does not load on its own, so it is no project:\n%s", name, exc)
    return projects


def public_error(exc: KnowledgeBaseError) -> str:
    """The problems with each file named by its file name only: responses never show directories.

    The files are the problems' own (``Problem.file``), replaced wherever they appear, so a
    directory with spaces, quotes or colons in its name is hidden whole and a message is never
    cut in the middle.
    """
    if not exc.problems:
        return "the knowledge base could not be loaded; see the server log"
    files = {p.file for p in exc.problems if p.file}
    files |= {os.path.abspath(f) for f in files}
    ordered = sorted(files, key=len, reverse=True)  # longest first: a path never leaves a prefix behind
    lines = []
    for problem in exc.problems:
        text = str(problem)
        for path in ordered:
            text = text.replace(path, path.replace("\\", "/").rsplit("/", 1)[-1])  # Windows paths too
        lines.append(text)
    return "\n".join(lines)
