"""`/api/paths`: how two actors are connected, every hop with its evidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api import examples
from api.errors import documented
from api.models import NotFound, Paths
from api.views import get_projection
from graph.views import lookups
from graph.views.projection import Projection

router = APIRouter(prefix="/api", tags=["paths"], responses=documented(503))


@router.get("/paths", response_model=Paths, summary="Shortest paths between two actors",
            responses={404: {"model": NotFound}, **examples.doc("paths")})
def get_paths(
    view: Annotated[Projection, Depends(get_projection)],
    from_: Annotated[str, Query(alias="from", description="slug or Wikidata Q-id",
                                examples=["rosatom"])],
    to: Annotated[str, Query(description="slug or Wikidata Q-id", examples=["united-states"])],
    max_length: Annotated[int, Query(ge=1, le=6)] = 4,
) -> dict[str, object]:
    """Up to 10 shortest paths (ignoring direction) of at most `max_length` hops."""
    start, end = lookups.resolve(view, from_), lookups.resolve(view, to)
    return {"from": lookups.entity_ref(view, start), "to": lookups.entity_ref(view, end),
            "max_length": max_length, "paths": lookups.paths(view, start, end, max_length)}
