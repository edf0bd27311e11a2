"""A query worker: a separate process that opens the store read-only and answers queries.

Queries run here, not in the server, because pyoxigraph cannot cancel a running query: when
one overruns its limit the server kills this process, which really stops the work. Even a
query that slipped past the SERVICE check cannot open a connection: the worker forbids itself
network sockets (graph.sandbox) and, where Linux allows it, leaves the network namespace.

The engine parses and evaluates recursively, so each request runs on a thread of its own with
a large stack (address space, touched only as deep as a query goes): together with the
guard's limits on nesting (graph.sparql_guard) no query can overflow it and take the worker
down. A request that fails in a way nobody foresaw is answered with a generic error, and the
detail goes to the server's log, never to the client.
"""

from __future__ import annotations

import ctypes
import logging
import re
import resource
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection

import pyoxigraph as ox

from graph.errors import StoreError
from graph.store import results
from graph.store.embedded import QueryResult, Term, dump_store, term_of
from graph.store.sandbox import forbid_sockets

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
STACK_SIZE = 256 * 1024 * 1024  # bytes of stack per request's thread (used as deep as needed)
UNEXPECTED = "the query could not be answered because of an internal error"
TRIPLE_TERMS = ("the results contain RDF 1.2 triple terms, which the SPARQL results formats "
                "of this endpoint cannot carry")

UNREADABLE = "the store could not be read"
_STORAGE_FAULT = re.compile(r"(Corruption|IO error|Invalid argument|Not implemented|"
                            r"Resource busy|Operation aborted)\b", re.I)
_PATH = re.compile(r"(?<![\w:/])/(?:[^\s/'\"]+/)+[^\s/'\"]*")  # an absolute file path
log = logging.getLogger("rckg.worker")


@dataclass(frozen=True)
class QueryRequest:
    sparql: str
    union_default: bool  # the default graph is the union of all graphs
    default_graphs: list[str] | None  # protocol-given dataset (overrides FROM), or None
    named_graphs: list[str] | None
    result_type: str | None  # media type for SELECT/ASK, None if none is acceptable
    graph_type: str | None  # media type for CONSTRUCT/DESCRIBE, None if none is acceptable
    max_rows: int
    base_iri: str | None = None  # resolves relative IRIs in the query (the endpoint's URL)
    prefixes: dict[str, str] | None = None  # predeclared prefixes the query uses undeclared
    max_bytes: int = 0  # the answer's size at most (0: no cap), checked while it is gathered


@dataclass(frozen=True)
class DumpRequest:
    """The whole dataset (TriG, N-Quads) or the union of its graphs, in `media_type`."""

    media_type: str
    prefixes: dict[str, str]


def too_large(limit: int) -> str:
    return (f"the answer would be larger than {limit} bytes, the most this endpoint sends "
            f"(RCKG_MAX_RESPONSE); ask for fewer or shorter results (LIMIT, SUBSTR)")


@dataclass(frozen=True)
class QueryResponse:
    status: str  # "ok", "syntax", "not-acceptable", "too-large" or "error"
    media_type: str = ""
    body: bytes = b""
    truncated: bool = False
    message: str = ""


def isolate_network() -> bool:
    """Move this process into a new, empty network namespace; True if that worked."""
    libc = ctypes.CDLL(None, use_errno=True)
    return any(libc.unshare(flags) == 0 for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET))


def _dataset_args(request: QueryRequest) -> dict[str, object]:
    if request.default_graphs is None and request.named_graphs is None:
        return {"use_default_graph_as_union": request.union_default}
    return {
        "default_graph": [ox.NamedNode(g) for g in request.default_graphs or []],
        "named_graphs": [ox.NamedNode(g) for g in request.named_graphs or []],
    }


def run(store: ox.Store, request: QueryRequest) -> QueryResponse:
    """Execute one request and serialize its result, at most `max_rows` rows or triples."""
    try:
        result = store.query(request.sparql, base_iri=request.base_iri,
                             prefixes=request.prefixes or None,
                             **_dataset_args(request))  # type: ignore[arg-type]
        if isinstance(result, ox.QueryTriples):
            if request.graph_type is None:
                return QueryResponse("not-acceptable", message="no acceptable RDF format")
            triples: list[ox.Triple] = []
            size = 0
            for triple in result:
                if len(triples) == request.max_rows:
                    return _graph(triples, request, truncated=True)
                size += len(str(triple))
                if request.max_bytes and size > request.max_bytes:
                    return QueryResponse("too-large", message=too_large(request.max_bytes))
                triples.append(triple)
            return _graph(triples, request, truncated=False)
        if request.result_type is None:
            return QueryResponse("not-acceptable", message="no acceptable results format")
        if isinstance(result, ox.QueryBoolean):
            table = QueryResult("ask", [], [], boolean=bool(result))
            body = results.serialize(table, request.result_type)
            return QueryResponse("ok", request.result_type, body)
        return _table(result, request)
    except SyntaxError as exc:
        return QueryResponse("syntax", message=str(exc))
    except MemoryError:  # past RCKG_WORKER_MEMORY while gathering the answer
        return QueryResponse("too-large", message=too_large(request.max_bytes))
    except OSError:  # I/O below the engine: its text may name hosts, ports or paths
        return QueryResponse("error", message=UNREADABLE)
    except (ValueError, RuntimeError) as exc:
        if _STORAGE_FAULT.match(str(exc)):  # RocksDB's words name the store's files
            log.error("query worker: the store failed: %s", exc)
            return QueryResponse("error", message=UNREADABLE)
        return QueryResponse("error", message=_PATH.sub("<path>", str(exc)))


def dump(store: ox.Store, request: DumpRequest) -> QueryResponse:
    try:
        body = dump_store(store, request.media_type, request.prefixes)
    except StoreError as exc:
        return QueryResponse("not-acceptable", message=str(exc))
    return QueryResponse("ok", request.media_type, body)


def capped(response: QueryResponse, limit: int) -> QueryResponse:
    """`response`, or a too-large answer if its body passes `limit` bytes (0: no limit)."""
    if limit and len(response.body) > limit:
        return QueryResponse("too-large", message=too_large(limit))
    return response


def _graph(triples: list[ox.Triple], request: QueryRequest, truncated: bool) -> QueryResponse:
    media_type = request.graph_type
    assert media_type is not None
    fmt = ox.RdfFormat.from_media_type(media_type)
    assert fmt is not None
    try:
        body = ox.serialize(triples, format=fmt) or b""
    except (OSError, ValueError):  # e.g. RDF 1.2 triple terms in a format without them
        return QueryResponse("not-acceptable", message=f"the result cannot be written as "
                                                       f"{media_type}; try text/turtle")
    return capped(QueryResponse("ok", media_type, body, truncated), request.max_bytes)


def _table(solutions: ox.QuerySolutions, request: QueryRequest) -> QueryResponse:
    names = [v.value for v in solutions.variables]
    rows: list[dict[str, Term]] = []
    truncated = False
    size = 0
    for solution in solutions:
        if len(rows) == request.max_rows:
            truncated = True
            break
        row = {n: solution[n] for n in names if solution[n] is not None}
        if any(isinstance(term, ox.Triple) for term in row.values()):
            return QueryResponse("error", message=TRIPLE_TERMS)
        size += sum(len(term.value) for term in row.values())  # type: ignore[union-attr]
        if request.max_bytes and size > request.max_bytes:
            return QueryResponse("too-large", message=too_large(request.max_bytes))
        rows.append({n: term_of(term) for n, term in row.items()})
    assert request.result_type is not None
    body = results.serialize(QueryResult("select", names, rows), request.result_type)
    return capped(QueryResponse("ok", request.result_type, body, truncated), request.max_bytes)


def answer(store: ox.Store, request: QueryRequest | DumpRequest) -> QueryResponse:
    """The response to one request; never raises."""
    try:
        if isinstance(request, DumpRequest):
            return dump(store, request)
        return run(store, request)
    except Exception:
        log.exception("query worker: a request failed unexpectedly")
        return QueryResponse("error", message=UNEXPECTED)


def on_large_stack(work: Callable[[], None]) -> None:
    """Run `work` on a thread of its own with STACK_SIZE bytes of stack (or on this thread
    where no such stack can be had) and wait for it."""
    thread = threading.Thread(target=work, name="rckg-query-run", daemon=True)
    try:
        previous = threading.stack_size(STACK_SIZE)
        try:
            thread.start()
        finally:
            threading.stack_size(previous)
    except (RuntimeError, ValueError):  # no room for such a stack here
        work()
        return
    thread.join()


def answer_on_large_stack(store: ox.Store, request: QueryRequest | DumpRequest) -> QueryResponse:
    """`answer` on a thread of its own with STACK_SIZE bytes of stack."""
    box: list[QueryResponse] = []
    on_large_stack(lambda: box.append(answer(store, request)))
    return box[0] if box else QueryResponse("error", message=UNEXPECTED)


def limit_memory(limit: int) -> None:
    """Cap this process's address space, so a query that builds huge values (CONCAT doubling
    a literal) fails here instead of taking the machine's memory; 0 leaves it uncapped."""
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def serve(conn: Connection, store_path: str, isolate: bool, memory: int = 0) -> None:
    """Worker main loop: open the store, say ready, then answer requests until the pipe closes,
    all on one thread with a large stack (a thread per request cost more than a small query)."""
    limit_memory(memory)
    isolated = isolate_network() if isolate else False
    sealed = forbid_sockets()  # after unshare, which a filter could hinder; before any query
    try:
        store = ox.Store.read_only(store_path)
    except (OSError, RuntimeError) as exc:  # missing, or corrupted (RocksDB's RuntimeError)
        conn.send(("failed", str(exc)))
        return
    try:
        conn.send(("ready", (isolated, sealed)))
    except OSError:  # the server stopped while this worker was starting
        return

    def loop() -> None:
        while True:
            try:
                request = conn.recv()
            except (EOFError, OSError):
                return
            conn.send(answer(store, request))
            del request

    on_large_stack(loop)
