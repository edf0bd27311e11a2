"""`/api/export/{format}`: the graph for Gephi (GEXF, GraphML, CSV), as a picture, or as RDF.

Network exports are drawn from the projection and cached per graph version and filter, since
a picture takes seconds; RDF dumps come from a query worker.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.deps import get_pool, get_settings, read_rdf
from api.errors import documented
from api.models import IsoDate
from api.views import get_projection
from graph.config import Settings
from graph.export import FORMATS
from graph.export.network import ExportFilter
from graph.export.rdf import MEDIA_TYPES
from graph.store.backend import Executor
from graph.store.embedded import prefixes_for
from graph.store.query_worker import DumpRequest
from graph.views.projection import Projection

router = APIRouter(prefix="/api/export", tags=["export"])
ALL = sorted([*FORMATS, *MEDIA_TYPES])


CACHED = 64  # network exports kept per graph version (each distinct filter is one)
_cache_lock = threading.Lock()


def _network(view: Projection, fmt: str, flt: ExportFilter) -> bytes:
    """The export, from the cache when it was drawn before. The cache keeps the CACHED most
    recently drawn, so clients varying the filters cannot fill the server's memory."""
    key = f"export:{fmt}:{flt!r}"
    with _cache_lock:
        data: bytes | None = view.cache.get(key)
    if data is None:
        data = FORMATS[fmt].writer(view, flt)
        with _cache_lock:
            view.cache[key] = data
            drawn = [k for k in view.cache if k.startswith("export:")]
            for old in drawn[:-CACHED]:
                del view.cache[old]
    return data


@router.get("/{format}", summary="Export the graph", response_class=Response, responses={
    200: {"description": "the file", "content": {t: {} for t in sorted(
        {*(f.media_type for f in FORMATS.values()), *MEDIA_TYPES.values()})}},
    **documented(400, 404, 406, 503, said={
        400: "a filter names an unknown actor or relation, or a parameter is malformed",
        404: "unknown format"})})
async def export(
    format: Annotated[str, Path(description=", ".join(ALL), examples=["gexf", "csv", "nt"])],
    view: Annotated[Projection, Depends(get_projection)],
    pool: Annotated[Executor, Depends(get_pool)],
    settings: Annotated[Settings, Depends(get_settings)],
    actor: Annotated[str | None, Query(description="ego network of this actor",
                                       examples=["rosatom"])] = None,
    depth: Annotated[int, Query(ge=0, le=3)] = 1,
    relation: Annotated[list[str] | None, Query(description="keep these relations")] = None,
    since: IsoDate | None = None,
    until: IsoDate | None = None,
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


async def _dump(pool: Executor, settings: Settings, fmt: str) -> Response:
    request = DumpRequest(MEDIA_TYPES[fmt], prefixes_for(settings.base_iri))
    answer = await read_rdf(pool, request, settings.query_timeout * 6, "dump")
    return Response(answer.body, media_type=answer.media_type, headers={
        "Content-Disposition": f'attachment; filename="rckg.{fmt}"'})
