"""The projection the REST routes read, built once per store version through the query pool.

Building goes through the pool (not an in-process store) so the server process never opens
the store itself; a lock makes concurrent first requests wait for one build.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from api.deps import get_pool, get_settings
from graph.config import Settings
from graph.store import results
from graph.store.backend import Executor
from graph.store.embedded import QueryResult
from graph.store.query_pool import PoolUnavailable, QueryTimeout
from graph.store.query_worker import QueryRequest
from graph.views import projection

_lock = threading.Lock()
BUILD_TIMEOUT = 60.0
log = logging.getLogger("rckg.api")


class ProjectionFailed(RuntimeError):
    """A query the projection is built from failed in the worker."""


def _querier(pool: Executor, max_rows: int):  # type: ignore[no-untyped-def]
    def query(sparql: str) -> QueryResult:
        request = QueryRequest(sparql, True, None, None, results.JSON_TYPE, None, max_rows)
        answer = pool.execute(request, BUILD_TIMEOUT)
        if answer.status != "ok":
            raise ProjectionFailed(f"projection query failed: {answer.message}")
        return results.from_json(answer.body)

    return query


def version_folder(pool: Executor, version: str) -> Path | None:
    """The folder of the version the pool serves (embedded stores only), where a build
    saved the projection and where per-version files may be kept."""
    folder: Path | None = getattr(pool, "path", None)
    if folder is None or folder.name != version:
        return None
    return folder


def _saved(pool: Executor, base: str, version: str) -> projection.Projection | None:
    """The projection a build saved in its version folder (embedded stores only)."""
    folder = version_folder(pool, version)
    if folder is None:
        return None
    return projection.read(folder / projection.SAVED, base, version)


def get_projection(
    request: Request,
    pool: Annotated[Executor, Depends(get_pool)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> projection.Projection:
    """The projection of the version the pool serves now (sync: runs in FastAPI's threadpool)."""
    cache: dict[str, projection.Projection] = request.app.state.projections
    version = pool.version
    assert version is not None
    if version not in cache:
        with _lock:
            if version not in cache:
                try:
                    built = _saved(pool, settings.base_iri, version) or projection.load(
                        _querier(pool, 10_000_000), settings.base_iri, version)
                except (QueryTimeout, PoolUnavailable) as exc:
                    raise HTTPException(503, f"the graph is not ready: {exc}") from exc
                except ProjectionFailed as exc:  # the detail is in the server's log
                    log.error("%s", exc)
                    raise HTTPException(503, "the graph could not be loaded") from exc
                cache.clear()
                cache[version] = built
    return cache[version]
