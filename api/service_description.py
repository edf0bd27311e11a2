"""The SPARQL service description (sd:Service) served at GET /sparql without a query.

It names the endpoint, the language and formats, the predeclared prefixes (as SHACL prefix
declarations, the form large public endpoints use) and the default dataset: the union of all
named graphs, each listed with its triple count (counted once per store version). The
description is itself a default graph, so the dataset formats (TriG, N-Quads) carry it there.
"""

from __future__ import annotations

import json

from fastapi import HTTPException, Request
from fastapi.responses import Response
from rdflib import RDF, SH, XSD, BNode, Dataset, Graph, Literal, URIRef
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


def build(endpoint: str, counts: Counts, prefixes: dict[str, str] | None = None) -> Graph:
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    graph.bind("sh", SH)
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
    for prefix, namespace in sorted((prefixes or {}).items()):
        declaration = BNode()
        graph.add((service, SH.declare, declaration))
        graph.add((declaration, SH.prefix, Literal(prefix)))
        graph.add((declaration, SH.namespace, Literal(namespace, datatype=XSD.anyURI)))
    return graph


def serialize(graph: Graph, media_type: str) -> bytes:
    """The description in `media_type`; in TriG and N-Quads, as the default graph."""
    if media_type not in ("application/trig", "application/n-quads"):
        return graph.serialize(format=RDFLIB_NAMES[media_type], encoding="utf-8")
    dataset = Dataset()
    for prefix, namespace in graph.namespaces():
        dataset.bind(prefix, namespace)
    for triple in graph:
        dataset.add(triple)
    return dataset.serialize(format=RDFLIB_NAMES[media_type], encoding="utf-8")


async def describe(request: Request, pool: Executor, accept: str | None,
                   fmt: list[str], prefixes: dict[str, str]) -> Response:
    media_type = negotiation.choose(negotiation.GRAPH_TYPES, accept, fmt,
                                    negotiation.GRAPH_FORMATS)
    if media_type is None:
        raise HTTPException(406, "the service description is available as "
                                 + ", ".join(negotiation.GRAPH_TYPES), headers={"Vary": "Accept"})
    try:
        counts = await run_in_threadpool(_graph_counts, pool, request.app.state.graph_counts,
                                         request.app.state.settings.query_timeout)
    except (QueryTimeout, PoolUnavailable) as exc:
        raise HTTPException(503, str(exc)) from exc
    endpoint = str(request.url.replace(query=""))
    body = serialize(build(endpoint, counts, prefixes), media_type)
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})
