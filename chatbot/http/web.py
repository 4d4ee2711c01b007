"""The web chat: ``/`` (the page), ``/widget.js`` and ``/widget.css``, static files read once."""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response

WEB = Path(__file__).resolve().parent / "web"
_ASSETS = {"/": "index.html", "/widget.js": "widget.js", "/widget.css": "widget.css"}
_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}
_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; base-uri 'none'; "
                               "form-action 'none'; frame-ancestors 'self'",
    "Referrer-Policy": "no-referrer",
}


def web_router() -> APIRouter:
    """The page and the widget, outside the API schema; the page may only load its own files."""
    router = APIRouter(include_in_schema=False)
    for route, name in _ASSETS.items():
        content = (WEB / name).read_bytes()
        media_type = _TYPES[Path(name).suffix] + "; charset=utf-8"
        headers = {"X-Content-Type-Options": "nosniff"}
        headers.update(_PAGE_HEADERS if route == "/" else {"Cache-Control": "public, max-age=300"})

        async def asset(content: bytes = content, media_type: str = media_type,
                        headers: dict[str, str] = headers) -> Response:
            return Response(content, media_type=media_type, headers=headers)

        router.add_api_route(route, asset, methods=["GET"])
    return router
