"""Helpers and paths shared by the test packages (fixtures live in ``tests/conftest.py``)."""

from __future__ import annotations

from pathlib import Path

#: The repository's root, its test data and the small knowledge base most tests load.
ROOT = Path(__file__).resolve().parent.parent.parent
DATA = ROOT / "tests" / "data"
MINI = DATA / "mini.yaml"
