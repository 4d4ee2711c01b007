"""The app factory: the ``/v1`` API, Azure's endpoints and the web chat, composed into one app.

This is the one HTTP module that imports ``chatbot.azure``: it composes the routers (its own and
Azure's), so no router imports back from here. FastAPI comes with the ``server`` extra.

Run it with ``chatbot serve``, or under any ASGI server as a factory::

    uvicorn --factory chatbot.http.app:create_app

Settings not passed to ``create_app`` come from the environment: ``CHATBOT_KB_PATHS`` (a JSON
list, or paths separated by ``os.pathsep``), ``CHATBOT_API_KEY``, ``CHATBOT_CORS_ORIGINS`` (a
JSON list, or comma-separated), ``CHATBOT_LOG_QUESTIONS=1`` and ``CHATBOT_LOG_UNANSWERED`` (the
``--log-unanswered`` file).
"""

import asyncio
import gc
import json
import os
import signal
import threading
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response

from .. import __version__
from ..authoring.unanswered import UnansweredLog
from ..azure.routes import azure_router
from ..store.options import open_writer
from .auth import bearer_check
from .docs import docs_router
from .errors import invalid_request, server_error
from .limits import MAX_BODY_BYTES, BodyLimit
from .live import LiveBot
from .metrics import Metrics, MetricsMiddleware
from .models import Health
from .recorder import ServerRecorder
from .routes import api_router
from .security import SecurityHeaders
from .settings import ServerSettings
from .web import web_router
from .webhook import HandoffNotifier

ENV_KB, ENV_API_KEY = "CHATBOT_KB_PATHS", "CHATBOT_API_KEY"
ENV_CORS, ENV_LOG_QUESTIONS = "CHATBOT_CORS_ORIGINS", "CHATBOT_LOG_QUESTIONS"
ENV_LOG_UNANSWERED = "CHATBOT_LOG_UNANSWERED"


def create_app(
    kb_paths: Sequence[str] | None = None,
    *,
    api_key: str | None = None,
    cors_origins: Sequence[str] | None = None,
    log_questions: bool | None = None,
    log_unanswered: str | None = None,
    settings: ServerSettings | None = None,
) -> FastAPI:
    """Build the ASGI app. Settings left as None come from the environment (see the module
    docstring and ``settings.py``); an empty ``api_key`` means no key. Raises
    KnowledgeBaseError on broken files, StoreError or ValueError on a bad store or webhook."""
    settings = ServerSettings.from_env() if settings is None else settings
    paths = list(kb_paths) if kb_paths is not None else env_list(ENV_KB, os.pathsep)
    key = os.environ.get(ENV_API_KEY, "") if api_key is None else api_key
    origins = list(cors_origins) if cors_origins is not None else env_list(ENV_CORS, ",")
    if log_questions is None:
        log_questions = os.environ.get(ENV_LOG_QUESTIONS, "").lower() in ("1", "true", "yes")
    if log_unanswered is None:
        log_unanswered = os.environ.get(ENV_LOG_UNANSWERED, "")
    live = LiveBot(paths)
    metrics = Metrics()
    recorder = _recorder(settings, metrics, UnansweredLog(log_unanswered) if log_unanswered else None)
    # The index lives as long as the process: keep the garbage collector from rescanning it,
    # which on a large knowledge base would pause a reply for tens of milliseconds.
    gc.freeze()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        hooked = _hook_sighup(live)
        yield
        if hooked:
            asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
        await asyncio.get_running_loop().run_in_executor(None, recorder.close)  # write what is queued

    # FastAPI's own /docs and /redoc put the title in unescaped and load a CDN: ours are in docs.py.
    app = FastAPI(title=f"{live.bot.kb.name} chatbot API", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None, redirect_slashes=False,
                  description="Ask questions of a curated FAQ. The API is stateless: send the `context` "
                              "of each reply back with the next message.")
    app.state.live = live
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(Exception, server_error)

    @app.get("/healthz", response_model=Health, summary="Liveness, and the size of the base in service")
    async def healthz() -> dict[str, Any]:
        return {"status": "ok", "entries": len(live.bot.kb)}

    app.state.recorder = recorder
    app.state.metrics = metrics
    app.include_router(api_router(live, key, log_questions, recorder))
    app.include_router(azure_router(live, key, log_questions))
    app.include_router(web_router())
    app.include_router(metrics_router(metrics, key))
    if settings.docs:
        app.include_router(docs_router(app.title))
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    if origins:  # outermost, so that refusals carry CORS headers too
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type", "Ocp-Apim-Subscription-Key"], max_age=600)
    return app


def _recorder(settings: ServerSettings, metrics: Metrics, unanswered: UnansweredLog | None) -> ServerRecorder:
    """The unanswered log, the store's writer and the handoff webhook, as the settings ask."""
    writer = None
    if settings.store:
        writer = open_writer(settings.store, settings.retain_days,
                             on_drop=lambda n: metrics.store_dropped.inc(n),
                             on_write=lambda n: metrics.store_written.inc(n))
    webhook = None
    if settings.handoff_webhook:
        webhook = HandoffNotifier(settings.handoff_webhook, settings.handoff_secret.encode(),
                                  on_failure=metrics.webhook_failed.inc)
    return ServerRecorder(unanswered=unanswered, writer=writer, store_questions=settings.store_questions,
                          metrics=metrics, webhook=webhook)


def metrics_router(metrics: Metrics, api_key: str) -> APIRouter:
    """``/metrics``, behind the API key when there is one."""
    router = APIRouter(include_in_schema=False)
    dependencies = [Depends(bearer_check(api_key))] if api_key else []

    @router.get("/metrics", dependencies=dependencies)
    async def scrape() -> Response:
        body, content_type = metrics.render()
        return Response(body, media_type=content_type)

    return router


def _hook_sighup(live: LiveBot) -> bool:
    """Reload on SIGHUP, off the event loop; only possible in the main thread's loop."""
    if not hasattr(signal, "SIGHUP") or threading.current_thread() is not threading.main_thread():
        return False
    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGHUP, lambda: loop.run_in_executor(None, live.reload_quietly))
    except (NotImplementedError, RuntimeError, ValueError):
        return False
    return True


def env_list(name: str, separator: str) -> list[str]:
    """A list setting from the environment: a JSON list, or items joined by ``separator``."""
    raw = os.environ.get(name, "").strip()
    if raw.startswith("["):
        return [str(item) for item in json.loads(raw)]
    return [part.strip() for part in raw.split(separator) if part.strip()]
