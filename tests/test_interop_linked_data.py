"""Linked Data: every IRI the built graph holds in rckg's namespace dereferences on a running
server — RDF by Accept (Turtle, JSON-LD, RDF/XML) with `Vary: Accept`, a page for a browser —
and the server is started on a port other than the base IRI's, so links must not lean on it."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from rdflib import Graph, URIRef

from graph.store.embedded import OxigraphStore
from tests.conftest import BASE
from tests.server import running_server

RDF_TYPES = {"text/turtle": "turtle", "application/ld+json": "json-ld",
             "application/rdf+xml": "xml"}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
EVERY_IRI = f"""SELECT DISTINCT ?i WHERE {{
    {{ GRAPH ?i {{ }} }} UNION {{ ?i ?p ?o }} UNION {{ ?s ?i ?o }} UNION {{ ?s ?p ?i }}
    FILTER(isIRI(?i) && STRSTARTS(STR(?i), "{BASE}")) }}"""


@pytest.fixture(scope="module")
def server(test_settings, built) -> Iterator[str]:
    env = {"RCKG_STORE": str(test_settings.store), "RCKG_BASE_IRI": BASE, "RCKG_WORKERS": "2"}
    with running_server(env) as running:
        assert not running.url.endswith(":8000")  # a free port: never the base IRI's
        yield running.url


def documents(store: OxigraphStore) -> dict[str, set[str]]:
    """Each document to fetch (the IRI without its fragment) → the IRIs it should describe."""
    found: dict[str, set[str]] = {}
    for row in store.query(EVERY_IRI).rows:
        iri = row["i"].value
        found.setdefault(iri.partition("#")[0], set()).add(iri)
    return found


def test_the_walk_covers_every_kind_of_iri(store: OxigraphStore):
    kinds = {doc.removeprefix(BASE).split("/")[0] for doc in documents(store)}
    assert kinds == {"id", "fact", "source", "graph", "vocab", "ontology", "shapes", "dataset",
                     "sparql"}


def _fetch(server: str, document: str, accept: str) -> httpx.Response:
    response = httpx.get(server + "/" + document.removeprefix(BASE), timeout=30,
                         headers={"Accept": accept}, follow_redirects=False)
    return response


@pytest.mark.parametrize("kind", ["id", "fact", "graph", "vocab", "ontology", "shapes",
                                  "dataset", "sparql", "source"])
def test_every_iri_dereferences(server: str, store: OxigraphStore, kind: str):
    walked = 0
    for document, iris in documents(store).items():
        if document.removeprefix(BASE).split("/")[0] != kind:
            continue
        # Every document in Turtle; each kind's first also in JSON-LD and RDF/XML (the walk
        # fetches hundreds of documents on a shared machine).
        for accept, fmt in RDF_TYPES.items() if walked == 0 else [("text/turtle", "turtle")]:
            response = _fetch(server, document, accept)
            assert response.status_code == 200, (document, accept, response.text[:200])
            assert response.headers["content-type"].split(";")[0] == accept
            assert "accept" in response.headers.get("vary", "").lower()
            graph = Graph().parse(data=response.content, format=fmt)
            mentioned = {str(t) for triple in graph for t in triple if isinstance(t, URIRef)}
            mentioned |= {f"{iri}#" for iri in mentioned}  # `ontology#`: the document itself
            if kind != "sparql":  # which describes the service where it runs (see docs)
                assert iris <= mentioned, (document, sorted(iris - mentioned)[:5])
        page = _fetch(server, document, BROWSER)
        assert page.status_code == 200, (document, page.text[:200])
        assert page.headers["content-type"].startswith("text/html")
        assert "accept" in page.headers.get("vary", "").lower()
        walked += 1
    assert walked >= 1


def test_pages_link_by_path_so_they_work_on_any_port(server: str):
    page = httpx.get(f"{server}/vocab/certainty", headers={"Accept": BROWSER}, timeout=30)
    assert page.status_code == 200
    assert "href='/vocab/certainty/" in page.text
    assert f"href='{BASE}" not in page.text  # rckg's IRIs shown, but linked as paths



def test_the_ontology_page_is_pylodes_with_an_anchor_per_term(server: str, store):
    page = httpx.get(f"{server}/ontology", headers={"Accept": BROWSER}, timeout=120)
    assert page.status_code == 200 and "pyLODE" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    terms = {row["t"].value.partition("#")[2] for row in store.query(
        f"SELECT DISTINCT ?t WHERE {{ GRAPH <{BASE}graph/ontology> {{ ?t a ?k }} "
        f"FILTER(STRSTARTS(STR(?t), '{BASE}ontology#') && ?k IN "
        f"(<http://www.w3.org/2002/07/owl#Class>, <http://www.w3.org/2002/07/owl#ObjectProperty>))"
        f" }}").rows}
    assert {"Statement", "State", "suppliesTo"} <= terms
    missing = [t for t in terms if f'id="{t}"' not in page.text]
    assert missing == []  # every class and relation: ontology#Name lands on its section


def test_unknown_iris_are_404(server: str):
    for path in ("/vocab/certainty/nope", "/graph/nope", "/vocab/nope"):
        response = httpx.get(server + path, headers={"Accept": "text/turtle"}, timeout=30)
        assert response.status_code == 404, path
        assert "nothing is known" in response.json()["detail"]
