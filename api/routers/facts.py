"""`/api/facts`: statements with their full provenance, citable by id."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query

from api import examples
from api.errors import documented
from api.models import FactDetail, FactList, NotFound
from api.views import get_projection
from graph.views import lookups
from graph.views.projection import Projection

router = APIRouter(prefix="/api/facts", tags=["facts"], responses=documented(503))
View = Annotated[Projection, Depends(get_projection)]
SourceId = Annotated[str, Path(description="the source's id", examples=["junge-welt-522920"])]
FactId = Annotated[str, Path(description="the fact's id within its source",
                             examples=["power-of-siberia-2-capacity"])]


@router.get("", response_model=FactList, summary="List facts")
def list_facts(
    view: View,
    attribution: Literal["reported", "quoted-speaker", "joint-declaration",
                         "author-assessment"] | None = None,
    type: Annotated[str | None, Query(description="relation, e.g. suppliesTo")] = None,
    source: str | None = None,
) -> dict[str, object]:
    """Facts in source-text order, filtered by attribution, relation type or source."""
    found = lookups.facts(view, attribution, type, source)
    return {"total": len(found), "facts": found}


@router.get("/{source}/{fact}", response_model=FactDetail, summary="One fact",
            responses={404: {"model": NotFound}, **examples.doc("fact")})
def get_fact(view: View, source: SourceId, fact: FactId) -> dict[str, object]:
    """One statement: its actors by role, relation, time, quantities, attribution,
    certainty, the verbatim quote with its character offsets, and the source."""
    return lookups.fact_view(view, f"{source}/{fact}")
