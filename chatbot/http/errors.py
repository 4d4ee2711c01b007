"""How refused and failed requests are answered: clear messages, never the input or a trace."""

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from .limits import MAX_TEXT_CHARS


def _message(error: dict[str, Any]) -> str:
    loc = tuple(error.get("loc", ()))
    if loc == ("body", "text") and error.get("type") == "string_too_long":
        return f"text is longer than {MAX_TEXT_CHARS} characters; please ask a shorter question"
    if loc == ("body",):
        return 'the body must be a JSON object such as {"text": "…"}, sent as application/json'
    if loc[:2] == ("body", "context"):
        return "context must be the object sent with the previous reply, or null"
    return str(error.get("msg", "invalid request"))


async def invalid_request(request: Request, exc: Exception) -> JSONResponse:
    """422 with a clear message per problem, without echoing the input back."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    detail = [{"loc": list(e.get("loc", ())), "msg": _message(e), "type": e.get("type", "invalid")}
              for e in errors]
    return JSONResponse({"detail": detail}, 422)


async def server_error(request: Request, exc: Exception) -> JSONResponse:
    """Never a stack trace or a path in a response: uvicorn logs the details."""
    return JSONResponse({"detail": "internal server error"}, 500)
