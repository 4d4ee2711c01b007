"""Where the engine's package data lives (next to its code, in a checkout and in an installed wheel)."""

from __future__ import annotations

from pathlib import Path

#: chatbot/engine/data: small talk, ConText words, the background corpus, English word frequencies.
DATA = Path(__file__).resolve().parent / "data"
#: The package root (chatbot/), where the wheel carries the embedded knowledge base under faq/.
PACKAGE = DATA.parent.parent
