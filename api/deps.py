"""Dependencies injected into the routers: the settings and the query pool of the app.

Both are async although they only read app.state: FastAPI runs a sync dependency in the
thread pool, a hop that on a busy two-core machine cost more than a ties lookup itself."""

from __future__ import annotations

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool

from graph.config import Settings
from graph.store.backend import Executor
from graph.store.query_pool import PoolUnavailable, QueryTimeout
from graph.store.query_worker import DumpRequest, QueryRequest, QueryResponse


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_pool(request: Request) -> Executor:
    pool: Executor | None = getattr(request.app.state, "pool", None)
    if pool is None or pool.version is None:
        raise HTTPException(503, "the store is not open yet")
    return pool


async def read_rdf(pool: Executor, request: QueryRequest | DumpRequest, timeout: float,
                   what: str) -> QueryResponse:
    """Run an RDF-producing request off the event loop; map its failures to HTTP errors
    (503 for a timeout or an unavailable store, 406 for an unwritable media type)."""
    try:
        answer = await run_in_threadpool(pool.execute, request, timeout)
    except (QueryTimeout, PoolUnavailable) as exc:
        raise HTTPException(503, str(exc)) from exc
    if answer.status == "not-acceptable":
        raise HTTPException(406, answer.message)
    if answer.status != "ok":
        raise HTTPException(503, f"the {what} could not be read from the store")
    return answer
