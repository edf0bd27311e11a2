"""The FastAPI application: routers, middleware, and the query pool's lifetime."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.concurrency import run_in_threadpool

from api.limits import BodyLimit
from api.routers import health, sparql
from api.routers.sparql import TRUNCATED_HEADER
from graph.config import Settings
from graph.config import settings as read_settings
from graph.query_pool import QueryPool
from graph.store import StoreDirectory


def create_app(config: Settings | None = None) -> FastAPI:
    """An app serving the store at `config.store` (the environment's settings by default)."""
    config = config or read_settings()
    directory = StoreDirectory(config.store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool = QueryPool(directory.current_path, config.workers, config.isolate_workers)
        await run_in_threadpool(pool.start)
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
    app.include_router(health.router)
    app.include_router(sparql.router)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(config.cors_origins),
        allow_methods=["GET", "POST"],
        allow_headers=["Accept", "Content-Type"],
        expose_headers=[TRUNCATED_HEADER],
        allow_credentials=False,
        max_age=600,
    )
    app.add_middleware(BodyLimit, limit=config.max_body)
    return app
