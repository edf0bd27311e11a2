"""`/api/paths`: how two actors are connected, every hop with its evidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api import examples
from api.errors import documented
from api.models import NotFound, Paths
from api.views import get_projection
from graph import analyst
from graph.views.projection import Projection

NAME = "slug, Wikidata Q-id, or a label or alias naming one entity"
router = APIRouter(prefix="/api", tags=["paths"], responses=documented(503))


@router.get("/paths", response_model=Paths, summary="Shortest paths between two actors",
            responses={404: {"model": NotFound}, **examples.doc("paths")})
def get_paths(
    view: Annotated[Projection, Depends(get_projection)],
    from_: Annotated[str, Query(alias="from", description=NAME,
                                examples=["rosatom"])],
    to: Annotated[str, Query(description=NAME, examples=["united-states"])],
    max_length: Annotated[int, Query(ge=1, le=6)] = 4,
) -> dict[str, object]:
    """Up to 10 shortest paths (ignoring direction) of at most `max_length` hops. `from` and
    `to` are slugs, Wikidata Q-ids or labels or aliases in de, en, ru or zh naming one
    entity (`russia`, `USA`, `美国`); others answer 404 with the candidates."""
    return analyst.paths(view, from_, to, max_length)
