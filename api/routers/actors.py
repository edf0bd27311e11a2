"""`/api/actors`: search actors, read one, its ties with evidence, and its ego network."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from api import examples
from api.deps import get_pool, get_settings
from api.errors import documented
from api.filters import fact_filter
from api.models import ActorDetail, ActorList, Network, NotFound, TiesPage
from api.views import get_projection
from graph import analyst
from graph.views import lookups
from graph.views.lookups import FactFilter, Role, TieFilter
from graph.views.projection import Projection

router = APIRouter(prefix="/api/actors", tags=["actors"], responses=documented(503))
View = Annotated[Projection, Depends(get_projection)]


async def current_view(request: Request) -> Projection:
    """The projection of the served version, taken on the event loop when it is built: the
    sync dependencies would each cost a trip through the thread pool, which on a busy machine
    took most of a ties request's time. Building it (seconds, on the first request of a
    version) still runs off the loop."""
    pool = getattr(request.app.state, "pool", None)
    version = getattr(pool, "version", None)
    built: Projection | None = request.app.state.projections.get(version) if version else None
    if built is not None:
        return built
    return await run_in_threadpool(get_projection, request, await get_pool(request),
                                   await get_settings(request))


FastView = Annotated[Projection, Depends(current_view)]
ActorId = Annotated[str, Path(description="slug, Wikidata Q-id, or a label or alias in de, en, "
                                           "ru or zh naming one entity",
                               examples=["rosatom", "russia", "Q148", "USA"])]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": NotFound, "description": "unknown id, with the closest matches"}}


@router.get("", response_model=ActorList, responses=examples.doc("actors"),
            summary="Search actors")
def list_actors(
    view: View,
    q: Annotated[str | None, Query(description="search labels in de, en, ru, zh; "
                                              "case-, accent- and inflection-tolerant",
                                   examples=["Russlands", "Китая"])] = None,
    type: Annotated[str | None, Query(description="rckg class, e.g. State, Person; an "
                                                  "unknown one answers 422 with the list",
                                      examples=["State"])] = None,
) -> dict[str, object]:
    """Every node of the relation graph (states, people, companies, pipelines, agreements …),
    or those matching `q`, best match first."""
    return analyst.search_actors(view, q, type)


@router.get("/{id}", response_model=ActorDetail, responses={**NOT_FOUND, **examples.doc("actor")},
            summary="One actor")
async def get_actor(view: FastView, id: ActorId) -> dict[str, object]:
    """Labels in four languages, type, Wikidata item and counts of ties by relation.
    `id` is a slug (`russia`), a Wikidata Q-id (`Q159`) or a label or alias in de, en, ru
    or zh that names one entity (`USA`, `Россия`)."""
    return lookups.entity_view(view, lookups.resolve(view, id))


@router.get("/{id}/ties", response_model=TiesPage,
            responses={**NOT_FOUND, **examples.doc("ties")}, summary="An actor's ties")
async def get_ties(
    view: FastView,
    id: ActorId,
    flt: Annotated[FactFilter, Depends(fact_filter)],
    role: Annotated[Role | None, Query(description="the actor's role in the fact")] = None,
    direction: Literal["outgoing", "incoming", "both"] | None = None,
    counterpart_type: Annotated[str | None, Query(description="keep facts with another "
                                                              "entity of this class")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, object]:
    """Every fact the actor takes part in, in the order of the source text, each with the
    actor's role in it, the other entities and their roles, relation, PLOVER type,
    direction, time, quantities, attribution, quote and source. `total` is the number of
    (fact, role) pairs: the triples `?fact rckg:ROLE <actor>`, plus the facts about an event
    the actor takes part in (docs/rest.md gives the SPARQL that counts the same)."""
    # On the event loop: the parts come indexed from the projection and only one page of
    # evidence is built, so a hub's thousands of ties cost one pass over its parts.
    return analyst.ties_page(view, id, TieFilter(
        **vars(flt), role=role, direction=direction, counterpart_type=counterpart_type),
        offset, limit)


@router.get("/{id}/network", response_model=Network,
            responses={**NOT_FOUND, **examples.doc("network")}, summary="Ego network")
def get_network(view: View, id: ActorId, flt: Annotated[FactFilter, Depends(fact_filter)],
                depth: Annotated[int, Query(ge=1, le=3)] = 1) -> dict[str, Any]:
    """Nodes and edges (one per pair and relation, with the facts behind it) within `depth`
    hops over the facts passing the filters, in the shape graph-drawing libraries take."""
    return lookups.network(view, lookups.resolve(view, id), depth, flt)
