"""The FastAPI application: routers, middleware, and the query pool's lifetime."""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import http_error, internal_error, invalid_request, problem, problem_responses
from api.hardening import Hardening
from api.limits import BodyLimit
from api.methods import Methods
from api.routers import (
    actors,
    api_docs,
    domains,
    entities,
    explore,
    exports,
    facts,
    health,
    linked_data,
    pages,
    paths,
    sources,
    sparql,
)
from api.routers.sparql import TRUNCATED_HEADER
from graph.config import Settings
from graph.config import settings as read_settings
from graph.store.backend import executor
from graph.views.lookups import BadFilter, UnknownId


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
        docs_url=None,  # served from packaged files instead: api/routers/api_docs.py
        redoc_url=None,
    )
    app.state.settings = config
    app.state.graph_counts = {}
    app.state.projections = {}
    modules = (health, sparql, actors, paths, facts, sources, domains, exports, entities,
               explore, linked_data, pages, api_docs)
    for module in modules:
        app.include_router(module.router)
    # The web pages' built scripts and styles (api/static/, made by `make web`).
    app.mount("/static", pages.BuiltFiles(directory=pages.STATIC, check_dir=False),
              name="static")
    app.mount(api_docs.ASSETS_PATH, StaticFiles(directory=api_docs.ASSETS), name="docs-assets")
    app.add_exception_handler(UnknownId, _not_found)
    app.add_exception_handler(BadFilter, _bad_filter)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    documented = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = problem_responses(documented())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.add_exception_handler(Exception, internal_error)
    app.add_middleware(ETag)
    # Outside ETag, which then sees HEAD as the GET it answers.
    routes = [*app.routes, *(r for m in modules for r in m.router.routes)]
    app.add_middleware(Methods, routes=routes)
    app.add_middleware(BodyLimit, limit=config.max_body)
    # Added last, so outermost: refusals (413, 503) carry CORS headers too.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(config.cors_origins),
        allow_methods=["GET", "HEAD", "POST"],
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
    return problem(404, str(exc), suggestions=exc.suggestions)


async def _bad_filter(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BadFilter)
    return problem(422, str(exc), parameter=exc.parameter, allowed=exc.allowed)


CACHEABLE = ("/api/", "/id/", "/fact/", "/source/")


class ETag:
    """Graph-derived responses carry the graph version as ETag; a matching If-None-Match
    gets 304 without any work, so clients and caches revalidate cheaply. Pages negotiated by
    Accept (/id/, /fact/, /source/) get a tag per Accept header, so a cache never revalidates
    one representation with another's tag. Plain ASGI, not BaseHTTPMiddleware, which costs
    every request an extra task and body stream."""

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
