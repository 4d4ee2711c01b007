"""A conversational FAQ chatbot: fuzzy matching over a curated YAML knowledge base."""

__version__ = "0.1.0"

from .engine.bot import Bot
from .engine.conversation import Context
from .engine.knowledge import Entry, KnowledgeBase, KnowledgeBaseError, Problem
from .engine.loader import load
from .engine.reply import Reply, Topic

__all__ = [
    "Bot",
    "Context",
    "Entry",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "Problem",
    "Reply",
    "Topic",
    "load",
]
