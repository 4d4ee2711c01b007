"""The independent question sets' benchmark finds every set's parts, in set order."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _module():
    spec = importlib.util.spec_from_file_location("questions_bench", ROOT / "benchmarks" / "questions.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_set_is_found_in_set_order_and_the_first_has_no_number():
    bench = _module()
    names = [name for name, _ in bench.sets("holdout")]
    assert names[0] == "1" and names == sorted(names, key=int) and {"3", "4", "9"} <= set(names)
    assert [path.name for name, path in bench.sets("tune") if name == "1"] == ["questions_tune.yaml"]
    assert "3" not in {name for name, _ in bench.sets("tune")}  # held out whole
