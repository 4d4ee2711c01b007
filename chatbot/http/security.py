"""Headers every response carries: ``nosniff`` and a Content-Security-Policy.

JSON and errors get the strictest policy (nothing may load, nothing may frame them); the chat
page, the docs pages and the widget set their own, which this middleware leaves alone.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: For every response that does not bring its own policy (the API's JSON, errors, redirects).
DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


class SecurityHeaders:
    """ASGI middleware adding ``X-Content-Type-Options: nosniff`` and a default CSP."""

    def __init__(self, app: ASGIApp, csp: str = DEFAULT_CSP):
        self.app = app
        self.csp = csp.encode("latin-1")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if b"x-content-type-options" not in names:
                    headers.append((b"x-content-type-options", b"nosniff"))
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", self.csp))
                message = {**message, "headers": headers}
            await send(message)

        return await self.app(scope, receive, send_with_headers)
