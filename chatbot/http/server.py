"""The HTTP JSON API and the web chat: a thin FastAPI shell over ``Bot.respond``.

No matching logic lives here. Each request rebuilds a ``Context`` from what the client sent
back, calls the engine once and returns the reply with the next context, so the server keeps
no sessions and any number of workers can run behind any load balancer. Only this module
imports FastAPI; it comes with the ``server`` extra.

Run it with ``chatbot serve``, or under any ASGI server as a factory::

    uvicorn --factory chatbot.http.server:create_app

Settings not passed to ``create_app`` come from the environment: ``CHATBOT_KB_PATHS`` (a JSON
list, or paths separated by ``os.pathsep``), ``CHATBOT_API_KEY``, ``CHATBOT_CORS_ORIGINS`` (a
JSON list, or comma-separated) and ``CHATBOT_LOG_QUESTIONS=1``.
"""

import asyncio
import copy
import hashlib
import hmac
import json
import logging
import os
import re
import signal
import socket
import threading
from collections.abc import Callable, Sequence
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..engine.bot import Bot
from ..engine.conversation import Context
from ..engine.knowledge import Entry, KnowledgeBaseError
from ..engine.loader import default_kb_path
from ..engine.reply import Topic
from .models import (
    MAX_TEXT_CHARS,
    AskReply,
    AskRequest,
    Detail,
    EntryOut,
    Health,
    Info,
    ReloadResult,
    Topics,
)

ENV_KB, ENV_API_KEY = "CHATBOT_KB_PATHS", "CHATBOT_API_KEY"
ENV_CORS, ENV_LOG_QUESTIONS = "CHATBOT_CORS_ORIGINS", "CHATBOT_LOG_QUESTIONS"
#: Request bodies larger than this are refused with 413 before anything parses them.
MAX_BODY_BYTES = 16 * 1024
WEB = Path(__file__).resolve().parent / "web"
_ASSETS = {"/": "index.html", "/widget.js": "widget.js", "/widget.css": "widget.css"}
_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}
_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; base-uri 'none'; "
                               "form-action 'none'; frame-ancestors 'self'",
    "Referrer-Policy": "no-referrer",
}

logger = logging.getLogger("chatbot.http.server")


class LiveBot:
    """Holds the Bot in service. ``reload`` builds a new one and swaps the reference in one
    step: a request that already took the old Bot finishes on it; broken files keep it.

    ``projects`` holds one Bot per ``--kb`` path by name, for clients that pick a knowledge base
    (the Azure-compatible endpoints): the same Bot when there is one path, else one per path."""

    def __init__(self, paths: Sequence[str]):
        self.paths = list(paths)
        self._lock = threading.Lock()
        self.bot, self.projects = self._build()

    def _build(self) -> tuple[Bot, dict[str, Bot]]:
        bot = Bot.from_files(self.paths) if self.paths else Bot.from_default()
        return bot, _projects(self.paths, bot)

    def reload(self) -> Bot:
        """Raises KnowledgeBaseError, keeping the current Bot, when the files are broken."""
        with self._lock:
            try:
                bot, projects = self._build()
            except KnowledgeBaseError as exc:
                logger.error("reload failed, keeping the previous knowledge base:\n%s", exc)
                raise
            except Exception as exc:
                logger.exception("reload failed, keeping the previous knowledge base")
                raise KnowledgeBaseError([]) from exc
            self.bot, self.projects = bot, projects
        logger.info("knowledge base reloaded: %d entries", len(bot.kb))
        return bot

    def reload_quietly(self) -> None:
        """For SIGHUP, where the outcome can only be logged."""
        with suppress(KnowledgeBaseError):
            self.reload()


def project_name(path: str) -> str:
    """A knowledge base's name for clients that pick one: its file's stem, or its directory's name."""
    absolute = Path(os.path.abspath(path))
    return absolute.name if absolute.is_dir() else absolute.stem


def _projects(paths: Sequence[str], bot: Bot) -> dict[str, Bot]:
    """One Bot per path, by name. A path that cannot load on its own (say, its entries relate to
    another file's) or whose name is taken is left out, with a warning; ``/v1`` still has it."""
    if len(paths) <= 1:
        return {project_name(paths[0]) if paths else default_kb_path().stem: bot}
    projects: dict[str, Bot] = {}
    for path in paths:
        name = project_name(path)
        if name.casefold() in (known.casefold() for known in projects):
            logger.warning("two knowledge bases are named %r; only the first is a project", name)
            continue
        try:
            projects[name] = Bot.from_files([path])
        except KnowledgeBaseError as exc:
            logger.warning("%s does not load on its own, so it is no project:\n%s", name, exc)
    return projects


_DIRECTORIES = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][^\s:'\"\\/]+)*[\\/](?=[^\s:'\"\\/]+)")


def public_error(exc: KnowledgeBaseError) -> str:
    """The problems without directories: responses never show internal paths."""
    if not exc.problems:
        return "the knowledge base could not be loaded; see the server log"
    return "\n".join(_DIRECTORIES.sub("", str(problem)) for problem in exc.problems)


# -- limits, auth and errors --------------------------------------------------------------

class BodyLimit:
    """ASGI middleware refusing request bodies over ``limit`` bytes with 413, declared or chunked."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES):
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope["headers"]) if scope["type"] == "http" else {}
        length = headers.get(b"content-length")
        if b"transfer-encoding" not in headers:  # no body, or one the server holds to its length
            if length is not None and length.isdigit() and int(length) > self.limit:
                return await self._refuse(scope, receive, send)
            return await self.app(scope, receive, send)
        body, more = bytearray(), True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return None  # the client went away
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.limit:
                return await self._refuse(scope, receive, send)
        pending = [{"type": "http.request", "body": bytes(body), "more_body": False}]

        async def replay() -> Message:
            return pending.pop() if pending else await receive()

        return await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = f"request body is larger than {self.limit} bytes"
        await JSONResponse({"detail": detail}, 413, headers={"Connection": "close"})(scope, receive, send)


def key_matcher(api_key: str) -> Callable[[str | None], bool]:
    """A test of a presented key against ``api_key``, in constant time (digests of equal length)."""
    expected = hashlib.sha256(api_key.encode()).digest()

    def matches(given: str | None) -> bool:
        digest = hashlib.sha256(given.encode() if given is not None else b"").digest()
        return hmac.compare_digest(digest, expected) and given is not None

    return matches


def _bearer_check(api_key: str):
    """A dependency accepting only ``Authorization: Bearer <api_key>``, compared in constant time."""
    matches = key_matcher(api_key)
    bearer = HTTPBearer(auto_error=False, description="Required when the server has CHATBOT_API_KEY set.")

    async def check(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
        if not matches(credentials.credentials if credentials else None):
            raise HTTPException(401, "missing or wrong API key", headers={"WWW-Authenticate": "Bearer"})

    return check


def _message(error: dict[str, Any]) -> str:
    loc = tuple(error.get("loc", ()))
    if loc == ("body", "text") and error.get("type") == "string_too_long":
        return f"text is longer than {MAX_TEXT_CHARS} characters; please ask a shorter question"
    if loc == ("body",):
        return 'the body must be a JSON object such as {"text": "…"}, sent as application/json'
    if loc[:2] == ("body", "context"):
        return "context must be the object sent with the previous reply, or null"
    return str(error.get("msg", "invalid request"))


async def _invalid_request(request: Request, exc: Exception) -> JSONResponse:
    """422 with a clear message per problem, without echoing the input back."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    detail = [{"loc": list(e.get("loc", ())), "msg": _message(e), "type": e.get("type", "invalid")}
              for e in errors]
    return JSONResponse({"detail": detail}, 422)


async def _server_error(request: Request, exc: Exception) -> JSONResponse:
    """Never a stack trace or a path in a response: uvicorn logs the details."""
    return JSONResponse({"detail": "internal server error"}, 500)


# -- routes -------------------------------------------------------------------------------

def _topics(entries: Sequence[Entry | None]) -> list[dict[str, str]]:
    return [Topic.of(e).to_dict() for e in entries if e is not None]


def _api(live: LiveBot, api_key: str, log_questions: bool) -> APIRouter:
    """The ``/v1`` endpoints, behind the key when there is one."""
    guarded = bool(api_key)
    router = APIRouter(
        prefix="/v1",
        dependencies=[Depends(_bearer_check(api_key))] if guarded else [],
        responses={401: {"model": Detail, "description": "Missing or wrong API key"}} if guarded else {},
    )
    body_errors = {400: {"model": Detail, "description": "Body is not UTF-8 text"},
                   413: {"model": Detail, "description": f"Request body over {MAX_BODY_BYTES} bytes"}}

    @router.post("/ask", response_model=AskReply, responses=body_errors, summary="Answer one message")
    async def ask(request: AskRequest) -> dict[str, Any]:
        """Send `text` and the `context` of the previous reply, if any; the reply carries the next
        `context`. Ids in a context that the knowledge base does not have are ignored."""
        bot = live.bot  # one Bot for the whole request, even if a reload swaps it meanwhile
        reply = bot.respond(request.text, Context.from_dict(request.context, bot.kb))
        if log_questions:
            logger.info("question %r -> %s %s", request.text, reply.kind, reply.entry_id or "")
        return {**reply.to_dict(), "context": reply.context.to_dict()}

    @router.get("/topics", response_model=Topics, summary="Entries grouped by topic")
    async def topics() -> dict[str, Any]:
        groups = live.bot.kb.topics().items()
        return {"topics": [{"topic": name, "entries": _topics(entries)} for name, entries in groups]}

    @router.get("/entries/{entry_id}", response_model=EntryOut, summary="One entry by id",
                responses={404: {"model": Detail, "description": "No entry with this id"}})
    async def entry(entry_id: str) -> dict[str, Any]:
        kb = live.bot.kb
        found = kb.get(entry_id)
        if found is None:
            raise HTTPException(404, f"no entry with id {entry_id[:100]!r}")
        return {"id": found.id, "question": found.question, "answer": found.answer, "source": found.source,
                "title": found.label, "topic": found.topic or "General",
                "related": _topics([kb.get(r) for r in found.related])}

    @router.get("/info", response_model=Info, summary="Name, greeting and disclaimer to show")
    async def info() -> dict[str, Any]:
        kb = live.bot.kb
        return {"name": kb.name, "greeting": kb.greeting, "disclaimer": kb.disclaimer, "entries": len(kb)}

    @router.post("/admin/reload", response_model=ReloadResult, summary="Reload the knowledge base",
                 responses={**body_errors, 403: {"model": Detail, "description": "No API key is configured"},
                            422: {"model": ReloadResult, "description": "Broken files: the old base stays"}})
    async def reload() -> Any:
        """Re-read the knowledge-base files; on a broken file the old base keeps serving."""
        if not guarded:
            raise HTTPException(403, "set CHATBOT_API_KEY to enable the admin endpoints")
        try:
            bot = await run_in_threadpool(live.reload)
        except KnowledgeBaseError as exc:
            failed = {"ok": False, "entries": len(live.bot.kb), "error": public_error(exc)}
            return JSONResponse(failed, 422)
        return {"ok": True, "entries": len(bot.kb), "error": None}

    return router


def _add_web(app: FastAPI) -> None:
    """``/`` (the chat page), ``/widget.js`` and ``/widget.css``: static files, read once."""
    for route, name in _ASSETS.items():
        content = (WEB / name).read_bytes()
        media_type = _TYPES[Path(name).suffix] + "; charset=utf-8"
        headers = {"X-Content-Type-Options": "nosniff"}
        headers.update(_PAGE_HEADERS if route == "/" else {"Cache-Control": "public, max-age=300"})

        async def asset(content: bytes = content, media_type: str = media_type,
                        headers: dict[str, str] = headers) -> Response:
            return Response(content, media_type=media_type, headers=headers)

        app.add_api_route(route, asset, methods=["GET"], include_in_schema=False)


def create_app(
    kb_paths: Sequence[str] | None = None,
    *,
    api_key: str | None = None,
    cors_origins: Sequence[str] | None = None,
    log_questions: bool | None = None,
) -> FastAPI:
    """Build the ASGI app. Settings left as None come from the environment (see the module
    docstring); an empty ``api_key`` means no key. Raises KnowledgeBaseError on broken files."""
    paths = list(kb_paths) if kb_paths is not None else _env_list(ENV_KB, os.pathsep)
    key = os.environ.get(ENV_API_KEY, "") if api_key is None else api_key
    origins = list(cors_origins) if cors_origins is not None else _env_list(ENV_CORS, ",")
    if log_questions is None:
        log_questions = os.environ.get(ENV_LOG_QUESTIONS, "").lower() in ("1", "true", "yes")
    live = LiveBot(paths)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        hooked = _hook_sighup(live)
        yield
        if hooked:
            asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)

    app = FastAPI(title=f"{live.bot.kb.name} chatbot API", version=__version__, lifespan=lifespan,
                  description="Ask questions of a curated FAQ. The API is stateless: send the `context` "
                              "of each reply back with the next message.")
    app.state.live = live
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(Exception, _server_error)

    @app.get("/healthz", response_model=Health, summary="Liveness, and the size of the base in service")
    async def healthz() -> dict[str, Any]:
        return {"status": "ok", "entries": len(live.bot.kb)}

    app.include_router(_api(live, key, log_questions))
    from ..azure.routes import azure_router  # it imports this module

    app.include_router(azure_router(live, key, log_questions))
    _add_web(app)
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    if origins:  # outermost, so that refusals carry CORS headers too
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type", "Ocp-Apim-Subscription-Key"], max_age=600)
    return app


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


def _env_list(name: str, separator: str) -> list[str]:
    raw = os.environ.get(name, "").strip()
    if raw.startswith("["):
        return [str(item) for item in json.loads(raw)]
    return [part.strip() for part in raw.split(separator) if part.strip()]


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
) -> int:
    """Run the app on uvicorn until interrupted; returns the exit code.

    SIGHUP reloads the knowledge base: in place with one worker, and as a rolling restart with
    several (uvicorn keeps a running worker when its replacement cannot load the files). The
    access log is written only with ``log_questions``: a client address next to a path such as
    ``/v1/entries/brain-symptoms`` is health information too.
    """
    import uvicorn

    paths = list(kb_paths)
    options: dict[str, Any] = {"host": host, "port": port, "log_config": _log_config(),
                               "access_log": log_questions, "server_header": False}
    try:
        if workers > 1:
            LiveBot(paths)  # report broken files once, before starting workers
            os.environ[ENV_KB] = json.dumps(paths)
            os.environ[ENV_CORS] = json.dumps(list(cors_origins))
            os.environ[ENV_LOG_QUESTIONS] = "1" if log_questions else "0"
            _run_workers(uvicorn.Config("chatbot.http.server:create_app", factory=True, workers=workers, **options))
        else:
            app = create_app(paths, cors_origins=list(cors_origins), log_questions=log_questions)
            uvicorn.run(app, **options)
    except SystemExit as exc:  # uvicorn exits this way when it cannot bind or start
        return exc.code if isinstance(exc.code, int) else 1
    return 0
