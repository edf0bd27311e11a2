"""The FastAPI application: routers, middleware, and the query pool's lifetime."""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import internal_error
from api.hardening import Hardening
from api.limits import BodyLimit
from api.routers import actors, domains, entities, exports, facts, health, pages, paths, sparql
from api.routers.sparql import TRUNCATED_HEADER
from graph.config import Settings
from graph.config import settings as read_settings
from graph.store.backend import executor
from graph.views.lookups import UnknownId


def create_app(config: Settings | None = None) -> FastAPI:
    """An app serving the store at `config.store` (the environment's settings by default)."""
    config = config or read_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool = executor(config)
        await run_in_threadpool(pool.start)
        app.state.sparql_slots = sparql.slots(getattr(pool, "size", config.workers))
        app.state.pool = pool
        try:
            yield
        finally:
            pool.close()

    app = FastAPI(
        title="rckg",
        summary="Russia–China relations knowledge graph: SPARQL, REST and exports",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = config
    app.state.graph_counts = {}
    app.state.projections = {}
    for module in (health, sparql, actors, paths, facts, domains, exports, entities, pages):
        app.include_router(module.router)
    # The web pages' built scripts and styles (api/static/, made by `make web`).
    app.mount("/static", pages.BuiltFiles(directory=pages.STATIC, check_dir=False),
              name="static")
    app.add_exception_handler(UnknownId, _not_found)
    app.add_exception_handler(Exception, internal_error)
    app.add_middleware(ETag)
    app.add_middleware(BodyLimit, limit=config.max_body)
    # Added last, so outermost: refusals (413, 503) carry CORS headers too.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(config.cors_origins),
        allow_methods=["GET", "POST"],
        allow_headers=["Accept", "Content-Type"],
        expose_headers=[TRUNCATED_HEADER],
        allow_credentials=False,
        max_age=600,
    )
    # Outermost: smuggling refused, HEAD answered, security headers on every page.
    app.add_middleware(Hardening, source_maps=config.source_maps)
    return app


async def _not_found(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, UnknownId)
    return JSONResponse({"detail": str(exc), "suggestions": exc.suggestions}, status_code=404)


CACHEABLE = ("/api/", "/id/", "/fact/")


class ETag:
    """Graph-derived responses carry the graph version as ETag; a matching If-None-Match
    gets 304 without any work, so clients and caches revalidate cheaply. Pages negotiated by
    Accept (/id/, /fact/) get a tag per Accept header, so a cache never revalidates one
    representation with another's tag. Plain ASGI, not
    BaseHTTPMiddleware, which costs every request an extra task and body stream."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" \
                or not scope["path"].startswith(CACHEABLE):
            await self.app(scope, receive, send)
            return
        version = getattr(getattr(scope["app"].state, "pool", None), "version", None)
        if version is None:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        tag = f'W/"{version}"'
        if not scope["path"].startswith("/api/"):  # negotiated: one tag per Accept header
            tag = f'W/"{version}-{zlib.crc32(headers.get("accept", "").encode()):08x}"'
        wanted = headers.get("if-none-match", "")
        if tag in [t.strip() for t in wanted.split(",")]:
            await Response(status_code=304, headers={"ETag": tag})(scope, receive, send)
            return

        async def send_tagged(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                MutableHeaders(scope=message).append("ETag", tag)
            await send(message)

        await self.app(scope, receive, send_tagged)
