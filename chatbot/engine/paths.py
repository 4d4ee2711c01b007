"""Where the engine's package data lives (next to its code, in a checkout and in an installed wheel)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: chatbot/engine/data: small talk, ConText words, the background corpus, English word frequencies.
DATA = Path(__file__).resolve().parent / "data"
#: The package root (chatbot/), where the wheel carries the embedded knowledge base under faq/.
PACKAGE = DATA.parent.parent


def read_yaml(name: str) -> Any:
    """A package data file, parsed with the C safe loader where PyYAML has it (several times faster)."""
    import yaml  # here, not at the top: a cached index never needs it (about 20 ms of start-up)

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((DATA / name).read_text(encoding="utf-8"), Loader=loader)
