"""`/api/export/{format}`: the graph for Gephi (GEXF, GraphML, CSV), as a picture, or as RDF.

Network exports are drawn from the projection and cached per graph version and filter, since
a picture takes seconds; RDF dumps come from a query worker.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.deps import get_pool, get_settings
from api.views import get_projection
from graph.config import Settings
from graph.export import FORMATS
from graph.export.network import ExportFilter
from graph.export.rdf import MEDIA_TYPES
from graph.projection import Projection
from graph.query_pool import PoolUnavailable, QueryPool, QueryTimeout
from graph.query_worker import DumpRequest
from graph.store import prefixes_for

router = APIRouter(prefix="/api/export", tags=["export"])
ALL = sorted([*FORMATS, *MEDIA_TYPES])


def _network(view: Projection, fmt: str, flt: ExportFilter) -> bytes:
    key = f"export:{fmt}:{flt!r}"
    if key not in view.cache:
        view.cache[key] = FORMATS[fmt].writer(view, flt)
    data: bytes = view.cache[key]
    return data


@router.get("/{format}", summary="Export the graph", response_class=Response, responses={
    200: {"description": "the file", "content": {t.media_type: {} for t in FORMATS.values()}},
    400: {"description": "a filter names an unknown actor or relation"},
    404: {"description": "unknown format"}})
async def export(
    format: str,
    view: Annotated[Projection, Depends(get_projection)],
    pool: Annotated[QueryPool, Depends(get_pool)],
    settings: Annotated[Settings, Depends(get_settings)],
    actor: Annotated[str | None, Query(description="ego network of this actor")] = None,
    depth: Annotated[int, Query(ge=0, le=3)] = 1,
    relation: Annotated[list[str] | None, Query(description="keep these relations")] = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Response:
    """GEXF 1.3, GraphML, CSV (a zip of nodes.csv and edges.csv), PNG or SVG of the network
    with the filters of the ties endpoint; or the full RDF dump (trig, nq, ttl, nt, jsonld,
    rdfxml), which takes no filters."""
    if format in MEDIA_TYPES:
        return await _dump(pool, settings, format)
    if format not in FORMATS:
        raise HTTPException(404, f"unknown export format {format!r}; use one of {', '.join(ALL)}")
    flt = ExportFilter(actor, depth, frozenset(relation) if relation else None, since, until)
    try:
        data = await run_in_threadpool(_network, view, format, flt)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    spec = FORMATS[format]
    name = f"rckg{'-' + actor if actor else ''}.{spec.extension}"
    return Response(data, media_type=spec.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


async def _dump(pool: QueryPool, settings: Settings, fmt: str) -> Response:
    request = DumpRequest(MEDIA_TYPES[fmt], prefixes_for(settings.base_iri))
    try:
        answer = await run_in_threadpool(pool.execute, request, settings.query_timeout * 6)
    except (QueryTimeout, PoolUnavailable) as exc:
        raise HTTPException(503, str(exc)) from exc
    return Response(answer.body, media_type=answer.media_type, headers={
        "Content-Disposition": f'attachment; filename="rckg.{fmt}"'})
