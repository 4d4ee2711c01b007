"""``chatbot serve``: the app on uvicorn, with one worker or several, and reload on SIGHUP."""

import copy
import json
import os
import socket
import sys
import tempfile
from collections.abc import Sequence
from typing import Any

from .app import ENV_CORS, ENV_KB, ENV_LOG_QUESTIONS, ENV_LOG_UNANSWERED, create_app
from .live import LiveBot
from .metrics import MULTIPROC_ENV
from .protocol import uvicorn_options
from .settings import ServerSettings
from .supervisor import ENV_SUPERVISOR

#: The factory the workers import when there are several.
FACTORY = "chatbot.http.app:create_app"
#: The same, but a broken file or setting is one log line and an exit, not a traceback (see workers.py).
FACTORY_QUIET = "chatbot.http.workers:create_worker_app"


def _check_settings(settings: ServerSettings) -> str | None:
    """A one-line problem with the store or webhook settings, found before any worker starts."""
    from ..store import StoreError, open_store

    if settings.store:
        try:
            store = open_store(settings.store)
            if settings.store.startswith("sqlite:"):
                store.connection()  # a file that cannot be created will not start working later
            store.close()
        except StoreError as exc:
            return str(exc)
    if settings.handoff_webhook and not settings.handoff_webhook.startswith(("http://", "https://")):
        return f"--handoff-webhook {settings.handoff_webhook!r}: give an http:// or https:// URL"
    if settings.handoff_webhook and not settings.handoff_secret:
        return "--handoff-webhook needs a secret: set CHATBOT_HANDOFF_SECRET or --handoff-secret-file"
    return None


def _log_config() -> dict[str, Any]:
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["chatbot"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def _run_workers(config: Any) -> None:
    """What ``uvicorn.run`` does for several workers, with Nagle's algorithm off.

    uvicorn binds the shared socket with protocol 0, so asyncio never sets TCP_NODELAY on the
    connections the workers accept, and each response then waits for a delayed ACK (~40 ms):
    1,100 instead of 10,000 requests/s for a trivial app on two workers. Accepted sockets inherit
    the option from the listening one.
    """
    import inspect

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    sock = config.bind_socket()
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    older = "target" in inspect.signature(Multiprocess).parameters  # uvicorn < 0.30
    extra = {"target": uvicorn.Server(config).run} if older else {}
    Multiprocess(config, sockets=[sock], **extra).run()


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    kb_paths: Sequence[str] = (),
    *,
    workers: int = 1,
    cors_origins: Sequence[str] = (),
    log_questions: bool = False,
    log_unanswered: str | None = None,
    settings: ServerSettings | None = None,
) -> int:
    """Run the app on uvicorn until interrupted; returns the exit code.

    SIGHUP reloads the knowledge base: in place with one worker, and as a rolling restart with
    several (uvicorn keeps a running worker when its replacement cannot load the files). The
    access log is written only with ``log_questions``: a client address next to a path such as
    ``/v1/entries/brain-symptoms`` is health information too. ``log_unanswered`` names the
    ``--log-unanswered`` file, which every worker appends to.
    """
    import uvicorn

    from ..authoring.unanswered import UnansweredLog, UnansweredLogError

    paths = list(kb_paths)
    settings = settings or ServerSettings()
    problem = _check_settings(settings)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    if log_unanswered:
        try:
            UnansweredLog(log_unanswered)  # say now, once, when the file cannot be written
        except UnansweredLogError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    options: dict[str, Any] = {"host": host, "port": port, "log_config": _log_config(),
                               "access_log": log_questions, "server_header": False, **uvicorn_options()}
    try:
        if workers > 1:
            LiveBot(paths)  # report broken files once, before starting workers
            os.environ[ENV_KB] = json.dumps(paths)
            os.environ[ENV_CORS] = json.dumps(list(cors_origins))
            os.environ[ENV_LOG_QUESTIONS] = "1" if log_questions else "0"
            os.environ[ENV_LOG_UNANSWERED] = log_unanswered or ""
            os.environ.update(settings.to_env())
            os.environ[ENV_SUPERVISOR] = str(os.getpid())  # the admin reload asks this process to restart all
            with tempfile.TemporaryDirectory(prefix="chatbot-metrics-") as metrics_dir:
                os.environ[MULTIPROC_ENV] = metrics_dir  # /metrics sums every worker's counts
                _run_workers(uvicorn.Config(FACTORY_QUIET, factory=True, workers=workers, **options))
        else:
            app = create_app(paths, cors_origins=list(cors_origins), log_questions=log_questions,
                             log_unanswered=log_unanswered or "", settings=settings)
            uvicorn.run(app, **options)
    except SystemExit as exc:  # uvicorn exits this way when it cannot bind or start
        return exc.code if isinstance(exc.code, int) else 1
    return 0
