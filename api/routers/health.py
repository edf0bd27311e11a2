"""`/health`: whether the server can answer, and what it serves."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel

from api.deps import get_pool
from api.errors import Message
from graph.store.backend import Executor

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str  # "ok", or "degraded" while fewer workers than configured can answer
    version: str
    workers: int
    workers_isolated_from_network: bool
    network_isolation: str  # how: "network namespace and socket filter", ..., or "none"


@router.get("/health", response_model=Health, summary="Readiness",
            responses={503: {"model": Message, "description": "the store is not open yet, or no "
                                                            "query worker runs nor is starting"}})
async def health(pool: Annotated[Executor, Depends(get_pool)]) -> Health:
    """200 once the store is open, "degraded" while workers are being replaced (timeouts,
    crashes): the server still answers then. 503 only when no worker runs or is starting."""
    assert pool.version is not None
    if pool.live < 1 and pool.starting < 1:
        raise HTTPException(503, "no query worker is running, or the store does not answer; "
                                 "the server is retrying")
    full = pool.live >= getattr(pool, "size", 1)
    return Health(status="ok" if full else "degraded", version=pool.version, workers=pool.live,
                  workers_isolated_from_network=pool.isolated,
                  network_isolation=pool.isolation)
