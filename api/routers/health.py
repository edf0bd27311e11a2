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
    status: str
    version: str
    workers: int
    workers_isolated_from_network: bool


@router.get("/health", response_model=Health, summary="Readiness",
            responses={503: {"model": Message, "description": "the store is not open yet, or no "
                                                            "query worker is running"}})
async def health(pool: Annotated[Executor, Depends(get_pool)]) -> Health:
    """200 once the store is open and query workers are ready; 503 while none is."""
    assert pool.version is not None
    if pool.live < 1:
        raise HTTPException(503, "no query worker is running, or the store does not answer; "
                                 "the server is retrying")
    return Health(status="ok", version=pool.version, workers=pool.live,
                  workers_isolated_from_network=pool.isolated)
