from __future__ import annotations

from pathlib import Path

import pytest

from chatbot import Bot

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """History and config go to a temporary directory, never the user's."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture(scope="session")
def mini_bot() -> Bot:
    return Bot.from_files([DATA / "mini.yaml"])


@pytest.fixture(scope="session")
def default_bot() -> Bot:
    return Bot.from_default()
