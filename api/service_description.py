"""The SPARQL service description (sd:Service) served at GET /sparql without a query.

It names the endpoint, the language and formats, and the default dataset: the union of all
named graphs, each listed with its triple count (counted once per store version).
"""

from __future__ import annotations

import json

from fastapi import HTTPException, Request
from fastapi.responses import Response
from rdflib import RDF, BNode, Graph, Literal, URIRef
from starlette.concurrency import run_in_threadpool

from api import negotiation
from graph.store import results
from graph.store.backend import Executor
from graph.store.query_pool import PoolUnavailable, QueryTimeout
from graph.store.query_worker import QueryRequest
from graph.vocabulary import SD, VOID

FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                  "SPARQL_Results_TSV", "Turtle", "JSON-LD", "N-Triples", "RDF_XML", "TriG",
                  "N-Quads")
RDFLIB_NAMES = {"text/turtle": "turtle", "application/ld+json": "json-ld",
                "application/n-triples": "nt", "application/rdf+xml": "xml",
                "application/trig": "trig", "application/n-quads": "nquads"}
COUNT_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"

Counts = list[tuple[str, int]]


def _graph_counts(pool: Executor, cache: dict[str, Counts], timeout: float) -> Counts:
    """(graph name, triples) for every named graph of the store the pool serves now."""
    version = pool.version
    assert version is not None
    if version not in cache:
        request = QueryRequest(COUNT_GRAPHS, False, None, None, results.JSON_TYPE, None, 100_000)
        answer = pool.execute(request, timeout)
        if answer.status != "ok":
            raise PoolUnavailable(f"the graphs could not be counted: {answer.message}")
        rows = json.loads(answer.body)["results"]["bindings"]
        cache[version] = [(r["g"]["value"], int(r["n"]["value"])) for r in rows]
    return cache[version]


def build(endpoint: str, counts: Counts) -> Graph:
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    service, dataset, default = BNode(), BNode(), BNode()
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in RESULT_FORMATS:
        graph.add((service, SD.resultFormat, URIRef(FORMATS + name)))
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(sum(n for _, n in counts))))
    for name, triples in counts:
        named, described = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
        graph.add((named, SD.graph, described))
        graph.add((described, RDF.type, SD.Graph))
        graph.add((described, VOID.triples, Literal(triples)))
    return graph


async def describe(request: Request, pool: Executor, accept: str | None,
                   fmt: str | None) -> Response:
    media_type = negotiation.choose(negotiation.GRAPH_TYPES, accept, fmt,
                                    negotiation.GRAPH_FORMATS)
    if media_type is None:
        raise HTTPException(406, "the service description is available as "
                                 + ", ".join(negotiation.GRAPH_TYPES))
    try:
        counts = await run_in_threadpool(_graph_counts, pool, request.app.state.graph_counts,
                                         request.app.state.settings.query_timeout)
    except (QueryTimeout, PoolUnavailable) as exc:
        raise HTTPException(503, str(exc)) from exc
    endpoint = str(request.url.replace(query=""))
    body = build(endpoint, counts).serialize(format=RDFLIB_NAMES[media_type], encoding="utf-8")
    return Response(body, media_type=media_type)
