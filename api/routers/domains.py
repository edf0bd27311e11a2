"""`/api/pipelines`, `/api/flows`, `/api/agreements`: the lists analysts ask for first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from api import examples
from api.errors import documented
from api.models import Agreement, Flow, Pipeline
from api.views import get_projection
from graph.views import lookups
from graph.views.projection import Projection

router = APIRouter(prefix="/api", tags=["domains"], responses=documented(503))
View = Annotated[Projection, Depends(get_projection)]


@router.get("/pipelines", response_model=list[Pipeline], responses=examples.doc("pipelines"),
            summary="Pipelines")
def get_pipelines(view: View) -> list[dict[str, object]]:
    """Each pipeline with its ends, status, capacity and the volumes carried, with evidence."""
    return lookups.pipelines(view)


@router.get("/flows", response_model=list[Flow], summary="Flows of goods and people")
def get_flows(view: View) -> list[dict[str, object]]:
    """Oil, gas, students, tourists: from, to, via, quantities with periods, and changes."""
    return lookups.flows(view)


@router.get("/agreements", response_model=list[Agreement], summary="Agreements")
def get_agreements(view: View) -> list[dict[str, object]]:
    """Treaties, declarations, programmes, visa regimes: parties, kind, status, validity."""
    return lookups.agreements(view)
