"""`/api/facts`: statements with their full provenance, citable by id."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from api import examples
from api.errors import documented
from api.filters import fact_filter
from api.models import FactDetail, FactList, NotFound
from api.views import get_projection
from graph import analyst
from graph.views import lookups
from graph.views.lookups import FactFilter
from graph.views.projection import Projection

router = APIRouter(prefix="/api/facts", tags=["facts"], responses=documented(503))
View = Annotated[Projection, Depends(get_projection)]
SourceId = Annotated[str, Path(description="the source's id", examples=["junge-welt-522920"])]
FactId = Annotated[str, Path(description="the fact's id within its source",
                             examples=["power-of-siberia-2-capacity"])]


@router.get("", response_model=FactList, summary="List facts", responses={
    404: {"model": NotFound, "description": "`actor` names no entity, or several; with the "
                                            "candidates"}})
def list_facts(
    view: View,
    flt: Annotated[FactFilter, Depends(fact_filter)],
    actor: Annotated[str | None, Query(description="facts this actor takes part in, in any "
                                                   "role (slug, Q-id or name)",
                                       examples=["russia"])] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, object]:
    """Facts in source-text order (the source, then the quote's offset), `limit` from
    `offset`, with the `total` passing the filters: page with `offset += limit` while
    `offset < total`."""
    return analyst.facts_page(view, replace(flt, actor=actor), offset, limit)


@router.get("/{source}/{fact}", response_model=FactDetail, summary="One fact",
            responses={404: {"model": NotFound}, **examples.doc("fact")})
def get_fact(view: View, source: SourceId, fact: FactId) -> dict[str, object]:
    """One statement: its actors by role, relation, time, quantities, attribution,
    certainty, the verbatim quote with its character offsets, and the source."""
    return lookups.fact_view(view, f"{source}/{fact}")
