"""`/docs` (Swagger UI) and `/redoc` (ReDoc) from packaged files, under the pages' policy.

FastAPI's own pages load their scripts from a CDN (breaking offline, outside the
Content-Security-Policy) and start Swagger UI with an inline script, which the policy forbids.
Here the scripts come from the `fastapi-offline` package (PyPI), served at `/docs-assets`, and
Swagger UI starts from `api/web/swagger-init.js`: every page of the server loads only from it.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

from api.routers.pages import HEADERS

router = APIRouter(include_in_schema=False)
ASSETS = Path(str(files("fastapi_offline") / "static"))  # swagger-ui, redoc, favicon
INIT = Path(__file__).resolve().parent.parent / "web" / "swagger-init.js"
ASSETS_PATH = "/docs-assets"


def _page(title: str, head: str, body: str) -> HTMLResponse:
    html = (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title} · rckg</title>"
            f'<link rel="icon" href="{ASSETS_PATH}/favicon.png">{head}</head>'
            f"<body>{body}</body></html>")
    return HTMLResponse(html, headers=HEADERS)


@router.get("/docs")
def swagger_ui() -> HTMLResponse:
    return _page("REST API", f'<link rel="stylesheet" href="{ASSETS_PATH}/swagger-ui.css">',
                 f'<div id="swagger-ui"></div>'
                 f'<script src="{ASSETS_PATH}/swagger-ui-bundle.js"></script>'
                 f'<script src="{ASSETS_PATH}/swagger-init.js"></script>')


@router.get("/redoc")
def redoc() -> HTMLResponse:
    return _page("REST API", "", f'<redoc spec-url="/openapi.json" disable-search></redoc>'
                                 f'<script src="{ASSETS_PATH}/redoc.standalone.js"></script>')


@router.get(f"{ASSETS_PATH}/swagger-init.js")
def swagger_init() -> FileResponse:
    return FileResponse(INIT, media_type="text/javascript", headers=HEADERS)
