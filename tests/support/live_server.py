"""Starting ``chatbot serve`` in a subprocess: a free port, a log, and a clean stop.

Used by the HTTP and Azure tests and by ``benchmarks/load.py``, so it needs nothing but the
standard library (``Server.client`` imports httpx when called).
"""

from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class ServerError(RuntimeError):
    """The server exited or did not become healthy in time; the message ends with its log."""


class Server:
    """A ``chatbot serve`` subprocess and its log."""

    def __init__(self, process: subprocess.Popen[bytes], url: str, log_path: Path):
        self.process, self.url, self.log_path = process, url, log_path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def client(self, **kwargs: Any) -> Any:
        import httpx

        return httpx.Client(base_url=self.url, timeout=10, **kwargs)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


#: What uvicorn logs once a worker serves.
STARTED = "Application startup complete."


def _workers(args: tuple[str, ...]) -> int:
    for flag, value in itertools.pairwise(args):
        if flag == "--workers" and value.isdigit():
            return int(value)
    return 1


def _wait_healthy(server: Server, timeout: float, workers: int) -> None:
    """Wait for ``/healthz`` and for every worker to have started.

    One worker answering is not enough: a test that edits the files right away would race the
    others, still loading them (a worker that cannot load them at start stops the whole server).
    """
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            raise ServerError(f"server exited with {server.process.returncode}:\n{server.log()}")
        try:
            with urllib.request.urlopen(server.url + "/healthz", timeout=1) as response:
                if response.status == 200 and server.log().count(STARTED) >= workers:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise ServerError(f"server did not become healthy:\n{server.log()}")
        time.sleep(0.1)


@contextmanager
def start_server(log_dir: Path, *args: str, env: dict[str, str] | None = None,
                 timeout: float = 30.0) -> Iterator[Server]:
    """Run ``python -m chatbot serve --port <free port> *args`` until the block ends.

    The log goes to ``log_dir``; ``CHATBOT_API_KEY`` is cleared unless ``env`` sets it. Raises
    ServerError when the server does not answer ``/healthz`` within ``timeout`` seconds. The
    server runs in its own session, so a Ctrl-C at the terminal reaches only this process, which
    then stops the server with SIGINT (as uvicorn expects).
    """
    port = free_port()
    log_path = Path(log_dir) / f"server-{port}.log"
    environment = {**os.environ, "CHATBOT_API_KEY": "", "PYTHONUNBUFFERED": "1", **(env or {})}
    command = [sys.executable, "-m", "chatbot", "serve", "--port", str(port), *args]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=environment,
                                   start_new_session=True)
    server = Server(process, f"http://127.0.0.1:{port}", log_path)
    try:
        _wait_healthy(server, timeout, _workers(args))
        yield server
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
