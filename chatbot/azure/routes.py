"""Drop-in endpoints for Azure question answering clients: CQA's query and QnA Maker's generateAnswer.

A desk that called Azure AI Language custom question answering (CQA) or QnA Maker moves here by
changing the endpoint URL. The routes check the key, pick the project, and hand the question to
``chatbot.azure.answers``, which maps it onto the engine; this module only reads and writes Azure's shapes:

- a project (``projectName``, QnA Maker's ``kbId``) is a knowledge base loaded with ``--kb``,
  named after its file's stem (``LiveBot.projects``); an unknown one is a 404 in Azure's error shape;
- ``confidenceScore`` is our score / 100; QnA Maker's ``score`` and ``scoreThreshold`` are 0–100;
- ``context.previousQnaId`` (QnA Maker: ``previousQnAId``) carries the conversation, ``qnaId``
  asks for one QnA (a clicked prompt), metadata and source filters keep the answers that pass;
- the key is CHATBOT_API_KEY, as ``Ocp-Apim-Subscription-Key`` or ``Authorization: EndpointKey``.

Accepted and ignored: ``deploymentName``, ``userId``, ``previousUserQuery``, ``rankerType``,
``isTest``, ``includeUnstructuredSources`` and ``answerSpanRequest`` (no short answers: ours are
curated).
"""

import logging
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.security import APIKeyHeader
from starlette.exceptions import HTTPException

from ..engine.bot import Bot
from ..engine.knowledge import Entry
from ..http.auth import key_matcher
from ..http.limits import MAX_BODY_BYTES
from ..http.live import LiveBot
from ..http.models import Detail
from .answers import Asked, Found, find, numbering, tag_filter, to_cqa, to_qnamaker
from .models import (
    AnswersOptions,
    AnswersResult,
    ErrorResponse,
    GenerateAnswerRequest,
    QnaSearchResults,
    QueryFilters,
)

#: The CQA API versions answered; the Azure SDK sends 2021-10-01 unless told otherwise.
API_VERSIONS = ("2021-10-01", "2023-04-01")
logger = logging.getLogger("chatbot.azure")


# -- errors in Azure's shape ------------------------------------------------------------------

class AzureError(Exception):
    """Answered as ``{"error": {"code", "message"}}`` with ``status``."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status)


def _describe(errors: Sequence[Any]) -> str:
    """The problems, by field, without echoing the input back."""
    parts = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
        parts.append(f"{'.'.join(loc) or 'body'}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "the request is malformed"


class _CqaRoute(APIRoute):
    """Turns refusals into Azure's error shape: clients parse ``error.code`` and ``error.message``."""

    bad_request = "InvalidArgument"

    def get_route_handler(self) -> Callable[[Request], Any]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except AzureError as exc:
                return _error(exc.status, exc.code, exc.message)
            except RequestValidationError as exc:
                return _error(400, self.bad_request, _describe(exc.errors()))
            except HTTPException as exc:  # a body that is not UTF-8
                if exc.status_code != 400:
                    raise
                return _error(400, self.bad_request, str(exc.detail))

        return route


class _QnaMakerRoute(_CqaRoute):
    bad_request = "BadArgument"


def _key_check(api_key: str):
    """The same key as ``/v1``, sent as Azure clients send it: ``Ocp-Apim-Subscription-Key: <key>``
    (CQA), ``Authorization: EndpointKey <key>`` (QnA Maker), or ``Authorization: Bearer <key>``."""
    matches = key_matcher(api_key)
    subscription = APIKeyHeader(name="Ocp-Apim-Subscription-Key", auto_error=False, scheme_name="SubscriptionKey",
                                description="CHATBOT_API_KEY, as the Azure SDK sends it")
    authorization = APIKeyHeader(name="Authorization", auto_error=False, scheme_name="EndpointKey",
                                 description="`EndpointKey <CHATBOT_API_KEY>` (QnA Maker) or `Bearer <key>`")

    async def check(key: Annotated[str | None, Security(subscription)],
                    auth: Annotated[str | None, Security(authorization)]) -> None:
        presented = []
        if key is not None:  # botbuilder-ai sends "EndpointKey <key>" in this header too
            presented.append(key[len("EndpointKey "):] if key.lower().startswith("endpointkey ") else key)
        if auth is not None:
            scheme, _, value = auth.partition(" ")
            if scheme.lower() in ("endpointkey", "bearer"):
                presented.append(value.strip())
        if not any([matches(given) for given in presented]):  # a list: every key is compared
            raise AzureError(401, "Unauthorized", "Access denied due to a missing or wrong key: send it as "
                                                  "Ocp-Apim-Subscription-Key or as Authorization: EndpointKey <key>.")

    return check


def _project(live: LiveBot, name: str, code: str) -> Bot:
    wanted = name.casefold()
    for known, bot in live.projects.items():
        if known.casefold() == wanted:
            return bot
    raise AzureError(404, code, f"There is no project named {name[:100]!r} on this server: each knowledge base "
                                "loaded with --kb is a project named after its file.")


def _question(question: str | None, qna_id: int | None, code: str) -> str:
    if not qna_id and not (question and question.strip()):
        raise AzureError(400, code, "Either question or qnaId must be given.")
    return question or ""


def _any_of(operation: str) -> bool:
    return operation.strip().upper() == "OR"


def _cqa_keep(filters: QueryFilters | None) -> Callable[[Entry], bool] | None:
    if filters is None:
        return None
    tests: list[Callable[[Entry], bool]] = []
    metadata = filters.metadataFilter
    if metadata is not None and metadata.metadata:
        pairs = [(pair.key, pair.value) for pair in metadata.metadata]
        tests.append(tag_filter(pairs, _any_of(metadata.logicalOperation)))
    if filters.sourceFilter:
        sources = {source.casefold() for source in filters.sourceFilter}
        tests.append(lambda entry: entry.source.casefold() in sources)
    if not tests:
        return None
    join = any if _any_of(filters.logicalOperation) else all
    return lambda entry: join(test(entry) for test in tests)


# -- the routes -------------------------------------------------------------------------------

def azure_router(live: LiveBot, api_key: str, log_questions: bool) -> APIRouter:
    """CQA's ``POST /language/:query-knowledgebases`` and QnA Maker's
    ``POST /qnamaker/knowledgebases/{kbId}/generateAnswer``, behind the key when there is one."""
    guarded = bool(api_key)
    dependencies = [Depends(_key_check(api_key))] if guarded else []
    errors: dict[int | str, dict[str, Any]] = {
        400: {"model": ErrorResponse, "description": "Malformed request"},
        404: {"model": ErrorResponse, "description": "No such project"},
        413: {"model": Detail, "description": f"Request body over {MAX_BODY_BYTES} bytes"},
    }
    if guarded:
        errors[401] = {"model": ErrorResponse, "description": "Missing or wrong key"}
    cqa = APIRouter(prefix="/language", tags=["Azure question answering"], route_class=_CqaRoute,
                    dependencies=dependencies, responses=errors)
    qnamaker = APIRouter(prefix="/qnamaker", tags=["QnA Maker"], route_class=_QnaMakerRoute,
                         dependencies=dependencies, responses=errors)

    def log(text: str, found: list[Found]) -> None:
        if log_questions:
            logger.info("question %r -> %s", text, found[0].number)

    @cqa.post("/:query-knowledgebases", response_model=AnswersResult, response_model_exclude_none=True,
              summary="Answer a question (Azure AI Language custom question answering)")
    async def query_knowledgebases(
        body: AnswersOptions,
        project: Annotated[str, Query(alias="projectName", max_length=200)],
        deployment: Annotated[str, Query(alias="deploymentName", max_length=200,
                                         description="accepted, whatever it is: each project has one")],
        api_version: Annotated[Literal[API_VERSIONS], Query(alias="api-version")],  # type: ignore[valid-type]
    ) -> dict[str, Any]:
        """What `QuestionAnsweringClient.get_answers` sends; `projectName` is a `--kb` file's stem."""
        bot = _project(live, project, "ProjectNotFound")
        question = _question(body.question, body.qnaId, "InvalidArgument")
        previous = body.context.previousQnaId if body.context else None
        found = find(bot, Asked(question, body.qnaId, previous, body.top, 100 * body.confidenceScoreThreshold,
                                _cqa_keep(body.filters)))
        log(question, found)
        numbers = numbering(bot)
        return {"answers": [to_cqa(f, numbers) for f in found]}

    @qnamaker.post("/knowledgebases/{kbId}/generateAnswer", response_model=QnaSearchResults,
                   summary="Answer a question (QnA Maker generateAnswer)")
    async def generate_answer(
        body: GenerateAnswerRequest,
        kbId: Annotated[str, Path(max_length=200, description="a `--kb` file's stem")],
    ) -> dict[str, Any]:
        """What botbuilder-ai's `QnAMaker.get_answers` sends; `scoreThreshold` is 0–100."""
        bot = _project(live, kbId, "KbNotFound")
        question = _question(body.question, body.qnaId, "BadArgument")
        previous = body.context.previousQnaId if body.context else None
        keep = None
        if body.strictFilters:
            pairs = [(item.name, item.value) for item in body.strictFilters]
            keep = tag_filter(pairs, _any_of(body.strictFiltersCompoundOperationType))
        found = find(bot, Asked(question, body.qnaId, previous, body.top, body.scoreThreshold, keep))
        log(question, found)
        numbers = numbering(bot)
        return {"answers": [to_qnamaker(f, numbers) for f in found], "activeLearningEnabled": False}

    router = APIRouter()
    router.include_router(cqa)
    router.include_router(qnamaker)
    return router
