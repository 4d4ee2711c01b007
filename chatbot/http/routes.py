"""The ``/v1`` API: ask, topics, one entry, info and the admin reload, over the Bot in service.

No matching logic lives here. Each request rebuilds a ``Context`` from what the client sent
back, calls the engine once and returns the reply with the next context, so the server keeps
no sessions and any number of workers can run behind any load balancer.
"""

import logging
import secrets
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ..engine.conversation import Context
from ..engine.knowledge import Entry, KnowledgeBaseError
from ..engine.reply import KINDS, Topic
from ..store.recorder import Recorder
from .auth import bearer_check
from .limits import MAX_BODY_BYTES
from .live import LiveBot, public_error
from .models import (
    AskReply,
    AskRequest,
    Detail,
    EntryOut,
    FeedbackRequest,
    FeedbackResult,
    Info,
    ReloadResult,
    Topics,
)
from .recorder import ServerRecorder
from .supervisor import reload_all_workers

#: Replies of a conversation the context carries (for the handoff event).
RECENT = 5

logger = logging.getLogger("chatbot.http")


def _session(context: Any) -> str:
    """The conversation's id: the one the client sent back in its context, else a new one."""
    given = context.get("session") if isinstance(context, dict) else None
    if isinstance(given, str) and 8 <= len(given) <= 64 and given.isascii() and given.replace("-", "").isalnum():
        return given
    return secrets.token_hex(16)


def _recent(context: Any, kb: Any) -> list[dict[str, Any]]:
    """The conversation's last replies as the client sent them back, kept only where they make sense."""
    items = context.get("recent") if isinstance(context, dict) else None
    if not isinstance(items, list):
        return []
    kept = []
    for item in items[-RECENT:]:
        if not isinstance(item, dict) or item.get("kind") not in KINDS:
            continue
        entry = item.get("entry_id")
        kept.append({"kind": item["kind"], "entry_id": entry if isinstance(entry, str) and entry in kb else None})
    return kept


def _topics(entries: Sequence[Entry | None]) -> list[dict[str, str]]:
    return [Topic.of(e).to_dict() for e in entries if e is not None]


def api_router(live: LiveBot, api_key: str, log_questions: bool, recorder: Recorder | None = None) -> APIRouter:
    """The ``/v1`` endpoints, behind the key when there is one; ``recorder`` sees every reply."""
    recorder = recorder or Recorder()
    guarded = bool(api_key)
    router = APIRouter(
        prefix="/v1",
        dependencies=[Depends(bearer_check(api_key))] if guarded else [],
        responses={401: {"model": Detail, "description": "Missing or wrong API key"}} if guarded else {},
    )
    body_errors: dict[int | str, dict[str, Any]] = {
        400: {"model": Detail, "description": "Body is not UTF-8 text"},
        413: {"model": Detail, "description": f"Request body over {MAX_BODY_BYTES} bytes"},
    }

    @router.post("/ask", response_model=AskReply, responses=body_errors, summary="Answer one message")
    async def ask(request: AskRequest) -> dict[str, Any]:
        """Send `text` and the `context` of the previous reply, if any; the reply carries the next
        `context`. Ids in a context that the knowledge base does not have are ignored."""
        bot = live.bot  # one Bot for the whole request, even if a reload swaps it meanwhile
        reply = bot.respond(request.text, Context.from_dict(request.context, bot.kb), threshold=request.threshold,
                            explain=request.explain)
        if log_questions:
            logger.info("question %r -> %s %s", request.text, reply.kind, reply.entry_id or "")
        session = _session(request.context)
        recent = [*_recent(request.context, bot.kb), {"kind": reply.kind, "entry_id": reply.entry_id}][-RECENT:]
        if isinstance(recorder, ServerRecorder):
            recorder.replied(request.text, reply, bot, session, recent=recent)
        else:
            recorder.replied(request.text, reply, bot, session)
        context = {**reply.context.to_dict(), "session": session, "recent": recent}
        return {**reply.to_dict(), "context": context}

    @router.post("/feedback", response_model=FeedbackResult, status_code=202, responses={
        **body_errors, 409: {"model": Detail, "description": "The server records no feedback (no --store)"}},
        summary="Say whether a reply helped")
    async def feedback(request: FeedbackRequest) -> dict[str, Any]:
        """`reply_id` from `/v1/ask`, `helpful` true or false, an optional `comment`. Recorded in the
        conversation store (and, when negative, in the unanswered log for `chatbot suggest`)."""
        if not recorder.active:
            raise HTTPException(409, "this server records no feedback; start it with --store")
        return {"recorded": recorder.feedback(request.reply_id, request.helpful, request.comment)}

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
        # With several workers this one has the new base; the others get it by a rolling restart.
        workers = "all workers (rolling restart)" if reload_all_workers() else "this worker"
        return {"ok": True, "entries": len(bot.kb), "error": None, "workers": workers}

    return router
