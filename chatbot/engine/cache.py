"""An on-disk cache of built Bots, keyed by the knowledge-base files' contents.

Building the index (typo vocabulary, synonyms, posting lists) costs about 0.4 ms per entry;
reading it back costs a small fraction of that. The key covers every input of the build (the
files' bytes, the packaged small talk, the package's code and version), so an edited file or a new
release never reads a stale index. The cache lives in the user's own cache directory
($XDG_CACHE_HOME/faq-chatbot, else ~/.cache/faq-chatbot); set CHATBOT_NO_CACHE=1 to turn it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .. import __version__
from .knowledge import MAX_FILE_BYTES
from .loader import default_kb_path, expand_paths, load
from .paths import DATA

T = TypeVar("T")
APP_NAME = "faq-chatbot"
#: Indexes kept; older ones (from edited files) are removed when a new one is written.
KEEP = 8


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / APP_NAME


def _engine_files() -> list[Path]:
    root = DATA.parent
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and (p.suffix == ".py" or p.parent.name == "data"))


def cache_key(files: list[Path]) -> str | None:
    """Digest of everything the build reads; None when a file cannot be read (load reports it)."""
    digest = hashlib.sha256(f"{__version__}\n".encode())
    # The code that builds the index and the data it reads (small talk, context words, background,
    # word frequencies) are part of the key too, so an upgrade or a local edit of the engine never
    # unpickles objects of an older shape or stale data. By size and modification time: an edit changes
    # them, and reading the engine's 4 MB on every start-up cost 10 ms of a cached `chatbot ask`.
    for path in _engine_files():
        status = path.stat()
        digest.update(f"{path.name}\n{status.st_size}\n{status.st_mtime_ns}\n".encode())
    for path in files:
        try:
            if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
                return None  # a device, a pipe or an over-large file: load() refuses or reads it once
            data = path.read_bytes()
        except OSError:
            return None
        digest.update(f"\n{path.resolve()}\n{len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()


def cached_bot(cls: Callable[..., T], paths: list[str | os.PathLike[str]], **kwargs: int) -> T:
    if os.environ.get("CHATBOT_NO_CACHE"):
        return cls(load(paths or None), **kwargs)
    files = expand_paths(paths) if paths else [default_kb_path()]
    key = cache_key(files)
    if key is None:
        return cls(load(paths or None), **kwargs)
    path = cache_dir() / f"index-{key[:32]}-{kwargs.get('max_sessions', 10_000)}.pickle"
    try:
        with path.open("rb") as handle:
            bot = pickle.load(handle)  # our own file, in the user's own cache directory
        if isinstance(bot, cls):  # type: ignore[arg-type]  # cls is a class; Callable types its constructor
            found: T = bot
            return found
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass  # missing, stale or damaged: rebuild below
    bot = cls(load(paths or None), **kwargs)
    _store(path, bot)
    return bot


def _store(path: Path, bot: object) -> None:
    """Write atomically; a read-only or full disk only means no cache."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
            temporary = handle.name
            pickle.dump(bot, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        for old in sorted(path.parent.glob("index-*.pickle"), key=lambda p: p.stat().st_mtime)[:-KEEP]:
            old.unlink(missing_ok=True)
    except OSError:
        if temporary:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
