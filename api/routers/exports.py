"""`/api/export/{format}`: the graph for Gephi (GEXF, GraphML, CSV), as a picture, or as RDF.

Network exports are drawn from the projection once per graph version and filter: GEXF,
GraphML and CSV are streamed into a file in the version's folder and served from disk (in
memory that does not grow with the graph; see graph/export/stored.py), pictures are kept in
memory. RDF dumps come from a query worker.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import FileResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import get_pool, get_settings, read_rdf
from api.errors import documented
from api.models import IsoDate
from api.views import get_projection, version_folder
from graph.config import Settings
from graph.export import FORMATS
from graph.export.network import ExportFilter
from graph.export.rdf import MEDIA_TYPES
from graph.export.stored import stored_export
from graph.store.backend import Executor
from graph.store.embedded import prefixes_for
from graph.store.query_worker import DumpRequest
from graph.views import lookups
from graph.views.projection import Projection

router = APIRouter(prefix="/api/export", tags=["export"])
ALL = sorted([*FORMATS, *MEDIA_TYPES])


CACHED = 64  # network exports kept per graph version (each distinct filter is one)
_cache_lock = threading.Lock()
log = logging.getLogger("rckg.api")


def _drawn(view: Projection, fmt: str, flt: ExportFilter, folder: FilePath | None
           ) -> bytes | FilePath:
    """The export as a file of the version folder when the format streams and the folder
    can be written; otherwise as bytes, from the memory cache."""
    spec = FORMATS[fmt]
    if spec.stream is not None and folder is not None:
        try:
            return stored_export(view, spec, flt, folder)
        except OSError as exc:  # a read-only store: draw it in memory as before
            log.warning("export not stored in %s (%s); drawn in memory", folder, exc)
    return _network(view, fmt, flt)


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
    **documented(400, 404, 406, 422, 503, said={
        400: "a parameter is malformed",
        404: "unknown format, or `actor` names no entity or several (with the candidates)",
        422: "a relation the graph does not have (with the allowed ones), or since after "
             "until"})})
async def export(
    format: Annotated[str, Path(description=", ".join(ALL), examples=["gexf", "csv", "nt"])],
    view: Annotated[Projection, Depends(get_projection)],
    pool: Annotated[Executor, Depends(get_pool)],
    settings: Annotated[Settings, Depends(get_settings)],
    actor: Annotated[str | None, Query(description="ego network of this actor (slug, Q-id or "
                                                   "a name naming one entity)",
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
    lookups.check(view, lookups.FactFilter(since=since, until=until))  # as everywhere: 422
    for name in relation or []:
        lookups.check(view, lookups.FactFilter(relation=name))
    slug = lookups.resolve(view, actor) if actor is not None else None
    flt = ExportFilter(slug, depth, frozenset(relation) if relation else None, since, until)
    folder = version_folder(pool, view.version)
    try:
        data = await run_in_threadpool(_drawn, view, format, flt, folder)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    spec = FORMATS[format]
    name = f"rckg{'-' + slug if slug else ''}.{spec.extension}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    if isinstance(data, bytes):
        return Response(data, media_type=spec.media_type, headers=disposition)
    stat = await run_in_threadpool(os.stat, data)
    response = FileResponse(data, media_type=spec.media_type, headers=disposition,
                            stat_result=stat)
    del response.headers["etag"]  # the app's ETag (the graph version) stands for it
    return response


async def _dump(pool: Executor, settings: Settings, fmt: str) -> Response:
    request = DumpRequest(MEDIA_TYPES[fmt], prefixes_for(settings.base_iri))
    answer = await read_rdf(pool, request, settings.query_timeout * 6, "dump")
    return Response(answer.body, media_type=answer.media_type, headers={
        "Content-Disposition": f'attachment; filename="rckg.{fmt}"'})
