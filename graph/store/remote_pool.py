"""The query pool's interface over a remote SPARQL store, so the server cannot tell the two apart.

Requests are the embedded pool's (QueryRequest, DumpRequest) and so are the answers: rckg asks
the store for SPARQL JSON or N-Triples, normalises what stores legitimately differ in, and
writes the result in the media type the client asked for, capped at `max_rows`. A watcher
reads the store's build record every WATCH_INTERVAL: it notices a new build (the REST
projection follows it) and whether the store is up (`live`, which /health reports). While the
store is down or slow, requests fail within their time limit (QueryTimeout, PoolUnavailable:
503 in the API) and succeed again as soon as it answers.
"""

from __future__ import annotations

import threading

import pyoxigraph as ox

from graph.config import RemoteSettings
from graph.errors import StoreError
from graph.store import results
from graph.store.embedded import QueryResult
from graph.store.query_pool import PoolUnavailable, QueryTimeout
from graph.store.query_worker import DumpRequest, QueryRequest, QueryResponse, capped
from graph.store.remote import (
    GRAPH_ACCEPT,
    RESULT_ACCEPT,
    BuildRecord,
    RemoteStore,
    read_record,
    read_results,
    read_triples,
)
from graph.store.remote_http import RemoteRefused, SparqlHttp, StoreTimeout, StoreUnavailable
from graph.store.sparql_guard import QueryRefused, dataset_graphs, inspect, mentions

WATCH_INTERVAL = 1.0  # seconds between looks at the store's build record
WATCH_TIMEOUT = 2.0  # seconds the look may take before the store counts as down
NO_GRAPH = "urn:rckg:no-graph"  # names an empty dataset: the protocol has no other way


class RemotePool:
    """Up to `size` concurrent requests to the remote store `remote`."""

    def __init__(self, remote: RemoteSettings, size: int) -> None:
        self.remote = remote
        self.size = size
        self._http = SparqlHttp(remote, max_connections=size)
        self._slots = threading.BoundedSemaphore(size)
        self._record: BuildRecord | None = None
        self._closed = threading.Event()
        self.isolated = False  # queries run in the store, which rckg cannot cut off a network
        self.isolation = "none: queries run in the remote store"
        self.starting = 0
        self.live = 0  # 1 while the store answers

    @property
    def version(self) -> str | None:
        return self._record.version if self._record else None

    def start(self) -> None:
        """Read the build record now if the store answers; keep watching either way."""
        self._look()
        threading.Thread(target=self._watch, daemon=True, name="rckg-remote-watch").start()

    def _look(self) -> None:
        try:
            record = read_record(self._http, WATCH_TIMEOUT)
        except Exception:  # whatever the store sent: the watcher must keep watching
            self.live = 0
            return
        self.live = 1
        if record is not None:
            self._record = record

    def _watch(self) -> None:
        while not self._closed.wait(WATCH_INTERVAL):
            self._look()

    def close(self) -> None:
        self._closed.set()
        self._http.close()

    def execute(self, request: QueryRequest | DumpRequest, timeout: float,
                wait: float | None = None,
                cancel: threading.Event | None = None, keep: int = 0) -> QueryResponse:
        """Answer `request` from the store within `timeout` seconds, once one of the `size`
        slots is free (waiting at most `wait`); raise QueryTimeout or PoolUnavailable.
        `cancel` and `keep` are not followed: the store's request ends at its own time limit,
        and the store's connections are many."""
        if not self._slots.acquire(timeout=timeout if wait is None else wait):
            raise PoolUnavailable("all connections to the store are busy; try again shortly")
        try:
            record = self._record
            if record is None:
                raise PoolUnavailable(f"the remote store at {self.remote.query} is unreachable "
                                      f"or holds no rckg build")
            if isinstance(request, DumpRequest):
                return self._dump(record, request, timeout)
            return self._query(record, request, timeout)
        except StoreTimeout as exc:
            raise QueryTimeout(str(exc)) from exc
        except StoreUnavailable as exc:
            self.live = 0
            raise PoolUnavailable(str(exc)) from exc
        finally:
            self._slots.release()

    def _dataset(self, record: BuildRecord, request: QueryRequest,
                 from_clause: bool) -> tuple[list[str] | None, list[str] | None]:
        """The dataset to send: rckg's graphs as named graphs, with their union or an empty
        graph as the default graph; a dataset the request names is kept to rckg's graphs."""
        if request.default_graphs is None and request.named_graphs is None:
            if from_clause:
                return None, None  # FROM / FROM NAMED in the query decide
            own = list(record.graphs)
            return (own if request.union_default else [NO_GRAPH]), own
        known = set(record.graphs)
        defaults = [g for g in request.default_graphs or [] if g in known] or [NO_GRAPH]
        named = [g for g in request.named_graphs or [] if g in known] or [NO_GRAPH]
        return defaults, named

    def _query(self, record: BuildRecord, request: QueryRequest,
               timeout: float) -> QueryResponse:
        try:
            info = inspect(request.sparql, strict=True)
        except QueryRefused as exc:  # the router checked already; kept for direct callers
            return QueryResponse("error", message=str(exc))
        form = info.form
        if info.has_dataset_clause:  # the store would resolve FROM among all its graphs
            foreign = [g for g in dataset_graphs(request.sparql) if g not in record.graphs]
            if foreign:
                return QueryResponse("error", message=f"FROM names {foreign[0]!r}, which is not "
                                                      f"a graph of this endpoint")
        accept = GRAPH_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else RESULT_ACCEPT
        if form is None:
            accept = f"{RESULT_ACCEPT}, {GRAPH_ACCEPT}"
        sparql = request.sparql
        if request.prefixes:  # the predeclared ones the query uses, in SPARQL's own words
            sparql = " ".join(f"PREFIX {p}: <{iri}>" for p, iri in request.prefixes.items()) \
                + f"\n{sparql}"
        if request.base_iri:  # first: Virtuoso takes BASE only before every PREFIX
            sparql = f"BASE <{request.base_iri}>\n{sparql}"
        defaults, named = self._dataset(record, request, info.has_dataset_clause)
        if named is not None and request.named_graphs is None \
                and not mentions(request.sparql, "GRAPH"):
            named = None  # no GRAPH pattern: listing the named graphs only slows Virtuoso down
        try:
            media_type, body = self._http.query(sparql, accept, timeout, defaults, named)
        except RemoteRefused as exc:
            return QueryResponse("syntax" if exc.status == 400 else "error", message=str(exc))
        try:
            if "sparql-results" in media_type:
                answer = _table(read_results(body), request)
            else:
                answer = _graph(read_triples(media_type, body), request)
            return capped(answer, request.max_bytes)
        except (StoreError, ValueError, KeyError) as exc:
            if b"cancelled" in body[-200:]:  # Oxigraph ends a 200 this way at --timeout-s
                raise QueryTimeout("the remote store stopped the query at its time limit"
                                   ) from exc
            raise PoolUnavailable("the remote store's answer was cut short or cannot be read"
                                  ) from exc

    def _dump(self, record: BuildRecord, request: DumpRequest, timeout: float) -> QueryResponse:
        store = RemoteStore(self._http, record, timeout)
        try:
            body = store.dump(request.media_type)
        except RemoteRefused as exc:
            return QueryResponse("error", message=str(exc))
        except StoreError as exc:
            if isinstance(exc, StoreUnavailable):
                raise
            return QueryResponse("not-acceptable", message=str(exc))
        return QueryResponse("ok", request.media_type, body)


def _table(result: QueryResult, request: QueryRequest) -> QueryResponse:
    if request.result_type is None:
        return QueryResponse("not-acceptable", message="no acceptable results format")
    truncated = len(result.rows) > request.max_rows
    if truncated:
        result = QueryResult(result.kind, result.variables, result.rows[:request.max_rows])
    body = results.serialize(result, request.result_type)
    return QueryResponse("ok", request.result_type, body, truncated)


def _graph(triples: list[ox.Triple], request: QueryRequest) -> QueryResponse:
    if request.graph_type is None:
        return QueryResponse("not-acceptable", message="no acceptable RDF format")
    fmt = ox.RdfFormat.from_media_type(request.graph_type)
    assert fmt is not None
    truncated = len(triples) > request.max_rows
    body = ox.serialize(triples[:request.max_rows], format=fmt) or b""
    return QueryResponse("ok", request.graph_type, body, truncated)
