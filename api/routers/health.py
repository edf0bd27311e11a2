"""`/health`: whether the server can answer, and what it serves."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from api.deps import get_pool
from graph.query_pool import QueryPool

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    version: str
    workers_isolated_from_network: bool


@router.get("/health", response_model=Health, summary="Readiness")
async def health(pool: Annotated[QueryPool, Depends(get_pool)]) -> Health:
    """200 once the store is open and query workers are ready (503 before)."""
    assert pool.path is not None
    return Health(status="ok", version=pool.path.name,
                  workers_isolated_from_network=pool.isolated)
