"""``/docs`` (Swagger UI) and ``/redoc``, served from files in the package, with an escaped title.

FastAPI's own pages load their scripts from a CDN (blank offline) and put the title into the
page unescaped, so a knowledge base named ``</title><script>…`` ran script there. These pages
use the assets that the ``fastapi-offline`` package ships, escape the title, and carry a CSP
that allows only this server's own files. ``chatbot serve --no-docs`` switches them off.
"""

from html import escape
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response

ASSETS = "/docs-assets"
_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
#: Swagger UI starts itself with one inline script; nothing may come from elsewhere.
DOCS_CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; font-src 'self' data:; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")


def _asset_dir() -> Path | None:
    try:
        import fastapi_offline
    except ImportError:
        return None
    folder = Path(fastapi_offline.__file__).resolve().parent / "static"
    return folder if folder.is_dir() else None


def docs_router(title: str, openapi_url: str = "/openapi.json") -> APIRouter:
    """The two docs pages and their assets; 404 for the pages when the assets are not installed."""
    router = APIRouter(include_in_schema=False)
    folder = _asset_dir()
    safe = escape(title, quote=True)
    headers = {"Content-Security-Policy": DOCS_CSP, "Referrer-Policy": "no-referrer"}
    files = {p.name: p.read_bytes() for p in folder.iterdir() if p.suffix in _TYPES} if folder else {}

    def _need_assets() -> None:
        if not files:
            raise HTTPException(404, "the API docs need the 'fastapi-offline' package (the 'server' extra)")

    @router.get("/docs")
    async def swagger() -> HTMLResponse:
        _need_assets()
        page = get_swagger_ui_html(openapi_url=openapi_url, title=f"{safe} - docs",
                                   swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{ASSETS}/swagger-ui.css",
                                   swagger_favicon_url=f"{ASSETS}/favicon.png")
        return HTMLResponse(page.body, headers=headers)

    @router.get("/redoc")
    async def redoc() -> HTMLResponse:
        _need_assets()
        page = get_redoc_html(openapi_url=openapi_url, title=f"{safe} - docs",
                              redoc_js_url=f"{ASSETS}/redoc.standalone.js",
                              redoc_favicon_url=f"{ASSETS}/favicon.png", with_google_fonts=False)
        return HTMLResponse(page.body, headers=headers)

    @router.get(ASSETS + "/{name}")
    async def asset(name: str) -> Response:
        if name not in files:
            raise HTTPException(404, "no such file")
        return Response(files[name], media_type=_TYPES[Path(name).suffix],
                        headers={"Cache-Control": "public, max-age=86400"})

    return router
