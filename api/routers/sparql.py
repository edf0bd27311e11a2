"""`/sparql`: the SPARQL 1.1 Protocol, read-only and offline.

Requests are checked here (method, media type, strict UTF-8 in the URL and the body, one
query, no update, no SERVICE, nesting within the guard's limits), then run by the query pool
off the event loop under a time limit. OpenAPI documents the parameters, bodies and answers,
which FastAPI cannot infer from a handler that reads the request itself.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import parse_qs, parse_qsl

import anyio
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from api import negotiation
from api.deps import get_pool, get_settings
from api.errors import DESCRIPTIONS, Message, documented
from api.routers import pages
from api.service_description import describe
from graph.config import Settings
from graph.store.backend import Executor
from graph.store.embedded import prefixes_for
from graph.store.query_pool import (
    CANCEL_CHECK,
    PoolUnavailable,
    QueryCancelled,
    QueryTimeout,
    QueryTooLarge,
)
from graph.store.query_worker import QueryRequest, QueryResponse
from graph.store.sparql_guard import (
    READ_ONLY,
    QueryRefused,
    QueryTooComplex,
    inspect,
    undeclared_prefixes,
)

router = APIRouter(tags=["SPARQL"])

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
TRUNCATED_HEADER = "Rckg-Truncated"
RESERVED = 1  # query workers kept for the Linked Data and REST pages (see slots)
STREAM_CHUNK = 256 * 1024  # bytes per piece of a streamed answer
MIN_TIMEOUT = 0.1  # seconds; below this a request could only force worker restarts
VARY = {"Vary": "Accept"}  # every answer of /sparql depends on Accept (format aside)


def _media_type(request: Request) -> tuple[str, str | None]:
    """The request's media type and charset parameter, lower-cased."""
    raw = request.headers.get("content-type", "")
    parts = [p.strip() for p in raw.split(";")]
    charset = None
    for part in parts[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return parts[0].lower(), charset


def _text(body: bytes, charset: str | None) -> str:
    if charset not in (None, "utf-8", "utf8"):
        raise HTTPException(415, f"the request body must be UTF-8, not {charset}")
    try:
        return body.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise HTTPException(400, f"the request body is not valid UTF-8 (byte {exc.start})") from exc


def _url_parameters(request: Request) -> list[tuple[str, str]]:
    """The URL's parameters, decoded strictly: a percent-encoded sequence that is not UTF-8
    (such as a lone surrogate, %ED%A0%80) is an error, not a replacement character."""
    try:
        raw = request.scope.get("query_string", b"").decode("utf-8")
        return parse_qsl(raw, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as exc:
        raise HTTPException(400, "a URL parameter is not percent-encoded UTF-8") from exc


async def _parameters(request: Request) -> dict[str, list[str]]:
    """All protocol parameters of the request, from the URL and, for forms, the body."""
    params: dict[str, list[str]] = {}
    for key, value in _url_parameters(request):
        params.setdefault(key, []).append(value)
    if request.method != "POST":
        return params
    media_type, charset = _media_type(request)
    body = await request.body()
    if media_type == FORM:
        try:
            form = parse_qs(_text(body, charset), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError as exc:
            raise HTTPException(400, "a form value is not percent-encoded UTF-8") from exc
        for key, values in form.items():
            params.setdefault(key, []).extend(values)
    elif media_type == QUERY:
        if "query" in params:
            raise HTTPException(400, "a query in the URL and another in the body: send one")
        params["query"] = [_text(body, charset)]
    elif media_type == UPDATE:
        raise HTTPException(403, READ_ONLY)
    elif not media_type:
        raise HTTPException(415, f"POST needs a Content-Type: {FORM} or {QUERY}")
    else:
        raise HTTPException(415, f"unsupported Content-Type {media_type!r}: use {FORM} or {QUERY}")
    return params


def formats(params: dict[str, list[str]]) -> list[str]:
    """Every value of the format parameters (`format`, `output`), in the order given."""
    return [v for name in negotiation.FORMAT_PARAMETERS for v in params.get(name, [])]


def predeclared(settings: Settings) -> dict[str, str]:
    """The prefixes a query may use without declaring them: rckg's own and the vocabularies
    it reuses (also listed in the service description)."""
    return prefixes_for(settings.base_iri)


@lru_cache(maxsize=1)
def _well_known() -> dict[str, str]:
    """Namespaces of common vocabularies (rdflib's list), to suggest a missing PREFIX line."""
    from rdflib import Graph

    return {p: str(iri) for p, iri in Graph(bind_namespaces="rdflib").namespaces()}


def _prefixes(sparql: str, settings: Settings) -> dict[str, str]:
    """The predeclared prefixes the query uses undeclared; 400 naming any other such prefix
    and the PREFIX line that declares it."""
    known = predeclared(settings)
    used = undeclared_prefixes(sparql)
    missing = [p for p in used if p not in known]
    if missing:
        prefix = missing[0]
        iri = _well_known().get(prefix, "...")
        raise HTTPException(400, f"the prefix '{prefix}:' is not declared: add the line "
                                 f"'PREFIX {prefix}: <{iri}>' at the top of the query "
                                 f"(predeclared here: {', '.join(sorted(known))})")
    return {p: known[p] for p in used}


def _timeout(params: dict[str, list[str]], limit: float) -> float:
    """The time limit asked for (the last of the values given, each of them checked)."""
    asked = limit
    for value in params.get("timeout", []):
        try:
            asked = float(value)
        except ValueError:
            message = f"timeout must be a number of seconds, not {value!r}"
            raise HTTPException(400, message) from None
        if not MIN_TIMEOUT <= asked < float("inf"):
            raise HTTPException(400, f"timeout must be at least {MIN_TIMEOUT} s")
    return min(asked, limit)


def _request(params: dict[str, list[str]], accept: str | None, settings: Settings,
             base_iri: str) -> QueryRequest:
    queries = params.get("query", [])
    if len(queries) > 1:
        raise HTTPException(400, "more than one query given: send exactly one")
    if "update" in params:
        raise HTTPException(403, READ_ONLY)
    sparql = queries[0]
    try:
        info = inspect(sparql, strict=settings.remote is not None)
    except QueryTooComplex as exc:
        raise HTTPException(400, str(exc)) from exc
    except QueryRefused as exc:
        raise HTTPException(403, str(exc)) from exc
    fmt = formats(params)
    prefixes = _prefixes(sparql, settings)
    result_type = negotiation.choose(negotiation.RESULT_TYPES, accept, fmt,
                                     negotiation.RESULT_FORMATS)
    graph_type = negotiation.choose(negotiation.GRAPH_TYPES, accept, fmt,
                                    negotiation.GRAPH_FORMATS)
    wanted = result_type if info.form in ("SELECT", "ASK") else graph_type
    if info.form is not None and wanted is None:
        offered = negotiation.RESULT_TYPES if info.form in ("SELECT", "ASK") else \
            negotiation.GRAPH_TYPES
        raise HTTPException(406, f"cannot answer a {info.form} query in any accepted type; "
                                 f"available: {', '.join(offered)}", headers=VARY)
    defaults, named = params.get("default-graph-uri"), params.get("named-graph-uri")
    return QueryRequest(
        sparql=sparql,
        union_default=not info.has_dataset_clause,
        default_graphs=defaults,
        named_graphs=named,
        result_type=result_type,
        graph_type=graph_type,
        max_rows=settings.max_rows,
        base_iri=base_iri,
        prefixes=prefixes,
        max_bytes=settings.max_response,
    )


def slots(workers: int) -> anyio.CapacityLimiter:
    """How many SPARQL queries may run at once: all workers but RESERVED, kept for the Linked
    Data and REST pages, which thus never wait behind SPARQL. Queries past that wait here,
    on the event loop, without holding a thread of the pool the pages need."""
    return anyio.CapacityLimiter(max(1, workers - RESERVED))


def _kept(pool: Executor) -> int:
    """Idle workers a SPARQL query must leave to the pages: RESERVED while more than
    RESERVED + 1 workers run; with fewer (a small pool, or one replacing a killed worker)
    none, so SPARQL is not held up behind a worker's start: the slots alone then limit it."""
    return RESERVED if pool.live > RESERVED + 1 else 0


async def _watch(request: Request, cancel: threading.Event) -> None:
    """Set `cancel` once the client has gone (checked every CANCEL_CHECK seconds)."""
    while not await request.is_disconnected():
        await anyio.sleep(CANCEL_CHECK)
    cancel.set()


async def _run(request: Request, pool: Executor, query: QueryRequest, timeout: float,
               wait: float) -> QueryResponse:
    """Run `query` in one of the SPARQL slots, stopping it if the client leaves."""
    limiter: anyio.CapacityLimiter = request.app.state.sparql_slots
    started = time.monotonic()
    with anyio.move_on_after(wait) as waiting:
        await limiter.acquire()
    if waiting.cancelled_caught:
        raise PoolUnavailable("all query workers are busy; try again shortly")
    cancel = threading.Event()
    outcome: list[QueryResponse | Exception] = []
    try:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(_watch, request, cancel)
            try:  # kept out of the task group, which would wrap it in an exception group
                outcome.append(await anyio.to_thread.run_sync(
                    pool.execute, query, timeout,
                    max(0.0, wait - (time.monotonic() - started)), cancel, _kept(pool)))
            except Exception as exc:
                outcome.append(exc)
            tasks.cancel_scope.cancel()
    finally:
        limiter.release()
    if isinstance(outcome[0], Exception):
        raise outcome[0]
    return outcome[0]


async def _execute(request: Request, pool: Executor, query: QueryRequest, timeout: float,
                   wait: float) -> Response:
    try:
        answer = await _run(request, pool, query, timeout, wait)
    except QueryCancelled as exc:  # nobody is listening; logged as 499 by convention
        raise HTTPException(499, str(exc)) from exc
    except (QueryTimeout, PoolUnavailable) as exc:
        raise HTTPException(503, str(exc), headers={"Retry-After": "1"}) from exc
    except QueryTooLarge as exc:
        raise HTTPException(400, str(exc)) from exc
    if answer.status == "too-large":
        raise HTTPException(400, answer.message)
    if answer.status == "syntax":
        raise HTTPException(400, f"SPARQL syntax error: {answer.message}")
    if answer.status == "not-acceptable":
        raise HTTPException(406, answer.message, headers=VARY)
    if answer.status != "ok":
        raise HTTPException(400, f"the query could not be evaluated: {answer.message}")
    headers = dict(VARY)
    if answer.truncated:
        headers[TRUNCATED_HEADER] = f"true; max-rows={query.max_rows}"
    media_type = answer.media_type
    if media_type.startswith("text/") or media_type.endswith(("+json", "+xml", "/trig")):
        media_type += "; charset=utf-8"
    if len(answer.body) <= STREAM_CHUNK:
        return Response(answer.body, media_type=media_type, headers=headers)
    return StreamingResponse(_chunks(answer.body), media_type=media_type, headers=headers)


def _chunks(body: bytes) -> Iterator[bytes]:
    """A large answer in pieces: the server sends each once the client has taken the last
    (back-pressure), so slow readers hold at most RCKG_MAX_RESPONSE bytes each."""
    view = memoryview(body)
    for start in range(0, len(view), STREAM_CHUNK):
        yield bytes(view[start:start + STREAM_CHUNK])


async def sparql(
    request: Request,
    pool: Annotated[Executor, Depends(get_pool)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    """Answer a SPARQL query (GET `?query=`, POST form or `application/sparql-query`).

    Without a query, GET returns the service description (or, for a browser, YASGUI).
    """
    params = await _parameters(request)
    accept = request.headers.get("accept")
    timeout = _timeout(params, settings.query_timeout)  # checked with or without a query
    if "query" not in params and "update" not in params:
        if request.method == "POST":
            raise HTTPException(400, "no query given: send a 'query' parameter or body")
        if negotiation.prefers_html(accept) and not formats(params):
            return pages.sparql_page(settings)
        return await describe(request, pool, accept, formats(params), predeclared(settings))
    # Reading a query (up to RCKG_MAX_BODY) takes a while: off the event loop.
    query = await run_in_threadpool(_request, params, accept, settings,
                                    str(request.url.replace(query="")))
    return await _execute(request, pool, query, timeout, settings.query_timeout)


EXAMPLE_QUERIES = [
    "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label } "
    "LIMIT 5",
    "ASK { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3",
]
_PARAMETER_SCHEMAS: dict[str, tuple[dict[str, Any], str]] = {
    "query": ({"type": "string", "examples": EXAMPLE_QUERIES},
              "the SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)"),
    "default-graph-uri": ({"type": "array", "items": {"type": "string"}},
                          "graphs of this dataset whose merge is the default graph "
                          "(overrides FROM)"),
    "named-graph-uri": ({"type": "array", "items": {"type": "string"}},
                        "graphs of this dataset to query by name (overrides FROM NAMED)"),
    "format": ({"type": "array", "items": {"type": "string"}, "examples": [["json"], ["ttl"]]},
               "json, xml, csv, tsv, ttl, n3, jsonld, nt, rdf, trig, nq or a media type; the "
               "first one that fits the query form overrides Accept, others are ignored"),
    "output": ({"type": "array", "items": {"type": "string"}},
               "the same as format (the name some clients use)"),
    "timeout": ({"type": "number", "minimum": MIN_TIMEOUT},
                "seconds the query may run, at most RCKG_QUERY_TIMEOUT"),
}


def _url_parameter(name: str) -> dict[str, Any]:
    schema, description = _PARAMETER_SCHEMAS[name]
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description, "style": "form", "explode": True}


RESULTS_JSON_SCHEMA = {
    "type": "object", "required": ["head"],
    "properties": {
        "head": {"type": "object"},
        "results": {"type": "object", "required": ["bindings"],
                    "properties": {"bindings": {"type": "array", "items": {"type": "object"}}}},
        "boolean": {"type": "boolean"},
    },
}


def _answers(html: bool) -> dict[str, Any]:
    content: dict[str, Any] = {t: {} for t in negotiation.RESULT_TYPES + negotiation.GRAPH_TYPES}
    content[negotiation.RESULT_FORMATS["json"]] = {"schema": RESULTS_JSON_SCHEMA}
    if html:
        content["text/html"] = {}
    description = ("SELECT and ASK results, CONSTRUCT and DESCRIBE graphs; without a query, "
                   "the service description" + (" (or the query editor for a browser)"
                                                if html else ""))
    return {"description": description, "content": content}


def _openapi(method: str) -> dict[str, Any]:
    """What FastAPI cannot infer from a handler that reads the request itself."""
    if method == "GET":
        extra: dict[str, Any] = {"parameters": [_url_parameter(n) for n in _PARAMETER_SCHEMAS]}
    else:
        form = {"type": "object", "required": ["query"],
                "properties": {n: {**schema, "description": description}
                               for n, (schema, description) in _PARAMETER_SCHEMAS.items()}}
        extra = {
            "parameters": [_url_parameter(n) for n in _PARAMETER_SCHEMAS if n != "query"],
            "requestBody": {"required": True, "content": {
                FORM: {"schema": form},
                QUERY: {"schema": {"type": "string", "description": "the SPARQL query, UTF-8",
                                   "examples": EXAMPLE_QUERIES}},
            }},
        }
    return extra


def _responses(method: str) -> dict[int | str, dict[str, Any]]:
    codes = (400, 403, 406, 503) if method == "GET" else (400, 403, 406, 413, 415, 503)
    responses: dict[int | str, dict[str, Any]] = {200: _answers(html=method == "GET"),
                                                  **documented(*codes)}
    if method == "GET":  # the query editor, while its scripts are not built
        responses[503] = {"model": Message, "content": {"text/html": {}},
                          "description": DESCRIPTIONS[503] + "; for a browser, a page while the "
                                         "query editor is not built (`make web`)"}
    return responses


for _method in ("GET", "POST"):
    router.add_api_route("/sparql", sparql, methods=[_method], response_class=Response,
                         operation_id=f"sparql_{_method.lower()}",
                         summary=f"SPARQL 1.1 Protocol endpoint ({_method})",
                         responses=_responses(_method), openapi_extra=_openapi(_method))
