"""The on-disk index cache: used when valid, rebuilt when the files change or the cache is damaged."""

from __future__ import annotations

import os
import shutil

from chatbot import Bot
from chatbot.engine.cache import cache_dir
from tests.support import MINI


def test_second_load_reads_the_cache(tmp_path):
    kb = tmp_path / "kb.yaml"
    shutil.copy(MINI, kb)
    first = Bot.from_files([kb])
    files = list(cache_dir().glob("index-*.pickle"))
    assert len(files) == 1
    second = Bot.from_files([kb])
    assert second is not first
    assert second.ask("what pests attack roses").entry_id == "roses-pests"
    assert second.ask("what pests attack roses", session="s").related  # sessions work after unpickling
    assert second.ask("1", session="s").entry_id == "roses-water"


def test_editing_the_file_invalidates_the_cache(tmp_path):
    kb = tmp_path / "kb.yaml"
    shutil.copy(MINI, kb)
    assert Bot.from_files([kb]).ask("mulch").kind == "clarify"
    kb.write_text(kb.read_text().replace("alternates: [mulch]\n", "alternates: [mulching season]\n", 1))
    assert Bot.from_files([kb]).ask("mulch").entry_id == "mulch-when"


def test_damaged_cache_is_rebuilt(tmp_path):
    Bot.from_files([MINI])
    (index,) = cache_dir().glob("index-*.pickle")
    index.write_bytes(b"not a pickle")
    assert Bot.from_files([MINI]).ask("how do i make compost").entry_id == "compost"


def test_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("CHATBOT_NO_CACHE", "1")
    Bot.from_files([MINI])
    assert not cache_dir().exists()


def test_unwritable_cache_is_not_an_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where a directory should be
    assert Bot.from_files([MINI]).ask("how do i make compost").entry_id == "compost"


def test_the_key_covers_engine_subpackages_and_data():
    from chatbot.engine.cache import _engine_files

    names = {p.name for p in _engine_files()}
    assert {"triage.py", "context.py", "context.yaml", "background.txt", "english.tsv.gz", "smalltalk.yaml"} <= names


def test_editing_an_engine_file_changes_the_key(tmp_path, monkeypatch):
    from chatbot.engine import cache

    code = tmp_path / "matcher.py"
    code.write_text("x = 1\n")
    monkeypatch.setattr(cache, "_engine_files", lambda: [code])
    before = cache.cache_key([MINI])
    assert cache.cache_key([MINI]) == before
    code.write_text("x = 2\n")  # same size: its modification time tells
    os.utime(code, ns=(code.stat().st_atime_ns, code.stat().st_mtime_ns + 1_000_000))
    assert cache.cache_key([MINI]) != before
