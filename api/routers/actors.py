"""`/api/actors`: search actors, read one, its ties with evidence, and its ego network."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from api import examples
from api.deps import get_pool, get_settings
from api.errors import documented
from api.models import ActorDetail, ActorList, IsoDate, Network, NotFound, TiesPage
from api.views import get_projection
from graph.views import lookups, search
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
ActorId = Annotated[str, Path(description="slug or Wikidata Q-id",
                               examples=["rosatom", "russia", "Q148"])]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": NotFound, "description": "unknown id, with the closest matches"}}


@router.get("", response_model=ActorList, responses=examples.doc("actors"),
            summary="Search actors")
def list_actors(
    view: View,
    q: Annotated[str | None, Query(description="search labels in de, en, ru, zh; "
                                              "case-, accent- and inflection-tolerant",
                                   examples=["Russlands", "Китая"])] = None,
    type: Annotated[str | None, Query(description="rckg class, e.g. State, Person",
                                      examples=["State"])] = None,
) -> dict[str, object]:
    """Every node of the relation graph (states, people, companies, pipelines, agreements …),
    or those matching `q`, best match first."""
    if q:
        found = [{**lookups.entity_ref(view, m.entity.slug), "labels": m.entity.labels,
                  "matched": m.label} for m in search.search(view, q, type)]
    else:
        found = [{**lookups.entity_ref(view, e.slug), "labels": e.labels, "matched": None}
                 for e in view.entities.values() if type is None or e.type == type]
    return {"total": len(found), "actors": found}


@router.get("/{id}", response_model=ActorDetail, responses={**NOT_FOUND, **examples.doc("actor")},
            summary="One actor")
async def get_actor(view: FastView, id: ActorId) -> dict[str, object]:
    """Labels in four languages, type, Wikidata item and counts of ties by relation.
    `id` is a slug (`russia`) or a Wikidata Q-id (`Q159`)."""
    return lookups.entity_view(view, lookups.resolve(view, id))


@router.get("/{id}/ties", response_model=TiesPage,
            responses={**NOT_FOUND, **examples.doc("ties")}, summary="An actor's ties")
async def get_ties(
    view: FastView,
    id: ActorId,
    relation: Annotated[str | None, Query(examples=["suppliesTo"])] = None,
    direction: Literal["outgoing", "incoming", "both"] | None = None,
    counterpart_type: str | None = None,
    attribution: Literal["reported", "quoted-speaker", "joint-declaration",
                         "author-assessment"] | None = None,
    since: Annotated[IsoDate | None, Query(description="keep facts whose time reaches this "
                                                       "date; undated facts are left out")] = None,
    until: IsoDate | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, object]:
    """Every tie of the actor in the order of the source text, each with counterpart,
    relation, PLOVER type, direction, time, quantities, attribution, quote and source."""
    # On the event loop: the edges come sorted from the projection and only one page of
    # evidence is built, so a hub's thousands of ties cost one pass over its edges.
    slug = lookups.resolve(view, id)
    total, page = lookups.tie_page(view, slug, lookups.TieFilter(
        relation, direction, counterpart_type, attribution, since, until), offset, limit)
    return {"actor": lookups.entity_ref(view, slug), "total": total, "offset": offset,
            "limit": limit, "ties": page}


@router.get("/{id}/network", response_model=Network,
            responses={**NOT_FOUND, **examples.doc("network")}, summary="Ego network")
def get_network(view: View, id: ActorId,
                depth: Annotated[int, Query(ge=1, le=3)] = 1) -> dict[str, Any]:
    """Nodes and edges (one per pair and relation, with the facts behind it) within `depth`
    hops, in the shape graph-drawing libraries take."""
    return lookups.network(view, lookups.resolve(view, id), depth)
