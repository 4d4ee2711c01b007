"""A conversational FAQ chatbot: fuzzy matching over a curated YAML knowledge base."""

from .bot import Bot
from .conversation import Context
from .knowledge import Entry, KnowledgeBase, KnowledgeBaseError, Problem
from .loader import load
from .reply import Reply, Topic

__version__ = "0.1.0"

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
