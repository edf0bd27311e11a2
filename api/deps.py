"""Dependencies injected into the routers: the settings and the query pool of the app."""

from __future__ import annotations

from fastapi import HTTPException, Request

from graph.config import Settings
from graph.query_pool import QueryPool


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_pool(request: Request) -> QueryPool:
    pool: QueryPool | None = getattr(request.app.state, "pool", None)
    if pool is None or pool.path is None:
        raise HTTPException(503, "the store is not open yet")
    return pool
