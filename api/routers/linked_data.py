"""Dereferenceable IRIs besides entities and facts (api/routers/entities.py): the ontology
and its shapes, vocabulary schemes and concepts, named graphs, and the dataset description.

Each answers an RDF client in Turtle, JSON-LD, N-Triples or RDF/XML (by Accept or `format`)
and a browser with a page of the same triples, always with `Vary: Accept`. The triples come
from the store through the query pool, as for every other route. Class and property IRIs are
`…/ontology#Name`: the fragment never reaches a server, so they dereference to `/ontology`,
whose page has an anchor per term. Links between rckg's IRIs are written as paths (`/id/…`),
so a page works on whatever host and port serves it.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, Response
from rdflib import BNode, Graph, Literal, URIRef
from starlette.concurrency import run_in_threadpool

from api.deps import get_pool, get_settings, read_rdf
from api.routers.entities import RESPONSES, choose_type, page, rdf_answer
from api.routers.pages import HEADERS
from graph.builder import ontology_docs
from graph.config import Settings
from graph.store.backend import Executor
from graph.store.query_worker import QueryRequest

router = APIRouter(tags=["linked data"])
Name = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=200)]
VARY = {"Vary": "Accept"}


def _graph(settings: Settings, name: str) -> str:
    return f"{settings.base_iri}graph/{name}"


def _in_graph(graph: str, where: str) -> str:
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ {where} }} }}"


def _about(iri: str) -> str:
    """The IRI's own triples, and the subjects pointing at it (as /id/ describes)."""
    return (f"CONSTRUCT {{ <{iri}> ?p ?o . ?x ?q <{iri}> }} WHERE {{ {{ <{iri}> ?p ?o }} "
            f"UNION {{ ?x ?q <{iri}> FILTER(isIRI(?x)) }} }}")


async def _answer(request: Request, pool: Executor, settings: Settings, iri: str,
                  sparql: str) -> Response:
    """RDF by Accept, or the same triples as a page; 404 when the store has none."""
    media_type = choose_type(request)
    if media_type != "text/html":
        answer = await rdf_answer(pool, settings, sparql, media_type)
        if bytes(answer.body).strip() in (b"", b"[]", b"{}"):
            raise HTTPException(404, f"nothing is known about <{iri}>")
        return answer
    query = QueryRequest(sparql, True, None, None, None, "application/n-triples",
                         settings.max_rows)
    found = await read_rdf(pool, query, settings.query_timeout, "description")
    graph = Graph().parse(data=found.body, format="nt")
    if len(graph) == 0:
        raise HTTPException(404, f"nothing is known about <{iri}>")
    return HTMLResponse(triples_page(graph, iri, settings.base_iri), headers=VARY)


def local(iri: str, base: str) -> str:
    """A link to `iri`: a path on this server for rckg's own IRIs, the IRI itself otherwise."""
    return "/" + iri.removeprefix(base) if iri.startswith(base) else iri


def _term(term: object, base: str) -> str:
    if isinstance(term, URIRef):
        return f"<a href='{escape(local(str(term), base))}'>{escape(str(term))}</a>"
    if isinstance(term, BNode):
        return "<em>(a blank node)</em>"
    assert isinstance(term, Literal)
    lang = f" lang='{escape(term.language)}'" if term.language else ""
    return f"<span{lang}>{escape(str(term))}</span>"


def triples_page(graph: Graph, iri: str, base: str) -> str:
    """The triples as a page: one section per subject (anchored by its fragment, if any)."""
    sections = []
    subjects = sorted({s for s in graph.subjects() if isinstance(s, URIRef)}, key=str)
    for subject in subjects:
        anchor = str(subject).partition("#")[2]
        rows = "".join(f"<tr><td>{_term(p, base)}</td><td>{_term(o, base)}</td></tr>"
                       for p, o in sorted(graph.predicate_objects(subject), key=str))
        sections.append(f"<section id='{escape(anchor)}'><h2>{_term(subject, base)}</h2>"
                        f"<table>{rows}</table></section>")
    links = " · ".join(f"<a href='{escape(local(iri, base))}?format={f}'>{n}</a>"
                       for f, n in (("ttl", "Turtle"), ("jsonld", "JSON-LD"),
                                    ("rdfxml", "RDF/XML")))
    body = f"<h1>{escape(iri)}</h1><p>{links}</p>{''.join(sections)}"
    return page(iri, body)


@router.get("/ontology", summary="The ontology: classes and properties", responses=RESPONSES,
            response_class=Response)
async def ontology(
    request: Request,
    pool: Annotated[Executor, Depends(get_pool)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    """Every term of rckg's ontology (`…/ontology#Name` dereferences here); for a browser,
    its documentation by pyLODE, with an anchor per term."""
    iri = f"{settings.base_iri}ontology"
    if choose_type(request) == "text/html":
        source = settings.ontology / "rckg.ttl"
        html = await run_in_threadpool(_documentation, settings.ontology, settings.base_iri,
                                       source.stat().st_mtime)
        return HTMLResponse(html, headers={**HEADERS, **VARY})
    sparql = _in_graph(_graph(settings, "ontology"),
                       f"?s ?p ?o FILTER(STRSTARTS(STR(?s), '{iri}'))")
    return await _answer(request, pool, settings, iri, sparql)


@lru_cache(maxsize=2)
def _documentation(folder: FilePath, base: str, mtime: float) -> str:
    """The ontology's pyLODE page, made once per ontology file version (about 12 s)."""
    return ontology_docs.generate(folder, base)


@router.get("/shapes", summary="The SHACL shapes the graph is validated with",
            responses=RESPONSES, response_class=Response)
async def shapes(
    request: Request,
    pool: Annotated[Executor, Depends(get_pool)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    """The shapes (`…/shapes#Name` dereferences here), with their property shapes."""
    iri = f"{settings.base_iri}shapes"
    sparql = _in_graph(_graph(settings, "ontology"),
                       f"{{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), '{iri}')) }} UNION "
                       f"{{ ?shape ?link ?s FILTER(isBlank(?s) && STRSTARTS(STR(?shape), "
                       f"'{iri}')) ?s ?p ?o }}")
    return await _answer(request, pool, settings, iri, sparql)


@router.get("/vocab/{scheme}", summary="A vocabulary (SKOS concept scheme)",
            responses=RESPONSES, response_class=Response)
async def scheme(
    request: Request, scheme: Name,
    pool: Annotated[Executor, Depends(get_pool)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    iri = f"{settings.base_iri}vocab/{scheme}"
    return await _answer(request, pool, settings, iri, _about(iri))


@router.get("/vocab/{scheme}/{code}", summary="A vocabulary concept", responses=RESPONSES,
            response_class=Response)
async def concept(
    request: Request, scheme: Name, code: Name,
    pool: Annotated[Executor, Depends(get_pool)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    iri = f"{settings.base_iri}vocab/{scheme}/{code}"
    return await _answer(request, pool, settings, iri, _about(iri))


@router.get("/graph/{name}", summary="A named graph: its description", responses=RESPONSES,
            response_class=Response)
async def named_graph(
    request: Request, name: Name,
    pool: Annotated[Executor, Depends(get_pool)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    """What the dataset description says of the graph (its triple count), and the graph's
    link to the dataset; its contents are a SPARQL query away (`GRAPH <iri>`)."""
    iri = _graph(settings, name)
    meta = _graph(settings, "meta")
    sparql = (f"CONSTRUCT {{ <{iri}> a <http://www.w3.org/ns/sparql-service-description#Graph> "
              f"; <http://purl.org/dc/terms/isPartOf> ?d ; "
              f"<http://rdfs.org/ns/void#triples> ?n }} WHERE {{ GRAPH <{meta}> {{ "
              f"?d <http://rdfs.org/ns/void#subset> ?x . "
              f"?x <http://www.w3.org/ns/sparql-service-description#name> <{iri}> ; "
              f"<http://rdfs.org/ns/void#triples> ?n }} }}")
    if name == "meta":  # the graph of the dataset description, which lists the others
        sparql = (f"CONSTRUCT {{ <{iri}> a <http://www.w3.org/ns/sparql-service-description#"
                  f"Graph> ; <http://purl.org/dc/terms/isPartOf> ?d ; "
                  f"<http://purl.org/dc/terms/description> 'the dataset description' }} "
                  f"WHERE {{ GRAPH <{meta}> {{ ?d a <http://rdfs.org/ns/void#Dataset> ; "
                  f"<http://rdfs.org/ns/void#subset> ?x }} }}")
    return await _answer(request, pool, settings, iri, sparql)


@router.get("/dataset", summary="The dataset description (VoID, DCAT)", responses=RESPONSES,
            response_class=Response)
async def dataset(
    request: Request,
    pool: Annotated[Executor, Depends(get_pool)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    iri = f"{settings.base_iri}dataset"
    return await _answer(request, pool, settings, iri,
                         _in_graph(_graph(settings, "meta"), "?s ?p ?o"))
