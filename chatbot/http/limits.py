"""Size limits of requests, and the ASGI middleware that refuses bodies over them."""

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Request bodies larger than this are refused with 413 before anything parses them.
MAX_BODY_BYTES = 16 * 1024
#: Longest question accepted (the engine reads the first 500 normalised characters anyway).
MAX_TEXT_CHARS = 2000


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
        pending: list[Message] = [{"type": "http.request", "body": bytes(body), "more_body": False}]

        async def replay() -> Message:
            return pending.pop() if pending else await receive()

        return await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = f"request body is larger than {self.limit} bytes"
        await JSONResponse({"detail": detail}, 413, headers={"Connection": "close"})(scope, receive, send)
