"""Interop: the SPARQL protocol as real clients use it, against a running `rckg serve`.

SPARQLWrapper (every return format × query form × method, its defaults included), rdflib's
SPARQLStore and Comunica drive the server as users would; plain HTTP checks what caches and
tools rely on (HEAD, Vary, Allow) and the protocol details clients meet first (repeated and
aliased format parameters, application/json, ASK in CSV/TSV, undeclared prefixes).
"""

from __future__ import annotations

import json
import subprocess
import warnings
from collections.abc import Iterator
from xml.dom.minidom import Document

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    RDF,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)

from graph.config import PROJECT_ROOT
from tests.conftest import BASE, PREFIXES, node_script
from tests.server import running_server

SELECT = PREFIXES + "SELECT ?l WHERE { id:china skos:prefLabel ?l }"
ASK = PREFIXES + "ASK { id:china rckg:buysFrom id:russia }"
CONSTRUCT = PREFIXES + "CONSTRUCT { id:china ?p ?o } WHERE { id:china ?p ?o }"
DESCRIBE = PREFIXES + "DESCRIBE id:china"
QUERIES = {"SELECT": SELECT, "ASK": ASK, "CONSTRUCT": CONSTRUCT, "DESCRIBE": DESCRIBE}
CHINA = URIRef(f"{BASE}id/china")
LABELS = ["China", "China", "Китай", "中国"]


@pytest.fixture(scope="module")
def endpoint(test_settings, built) -> Iterator[str]:
    env = {"RCKG_STORE": str(test_settings.store), "RCKG_BASE_IRI": BASE, "RCKG_WORKERS": "2"}
    with running_server(env) as server:
        yield server.url


def get(url: str, params: dict[str, str] | list[tuple[str, str]],
        accept: str | None = None) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    return httpx.get(f"{url}/sparql", params=params, headers=headers, timeout=30)


def _media(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0]


def varies_by_accept(response: httpx.Response) -> bool:
    return "accept" in [v.strip().lower() for v in response.headers.get("vary", "").split(",")]


# --- the protocol's details ---------------------------------------------------------------

@pytest.mark.parametrize(("media_type", "fmt"), [
    ("text/turtle", ox.RdfFormat.TURTLE), ("application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML), ("application/trig", ox.RdfFormat.TRIG),
    ("application/n-quads", ox.RdfFormat.N_QUADS)])
def test_service_description_in_every_advertised_format(endpoint, media_type, fmt):
    response = get(endpoint, {}, media_type)
    assert response.status_code == 200, response.text
    assert _media(response) == media_type
    assert varies_by_accept(response)
    quads = list(ox.parse(response.content, format=fmt))
    default = [q for q in quads if q.graph_name == ox.DefaultGraph()]
    assert len(default) == len(quads) > 20  # the description is the default graph
    endpoints = {q.object.value for q in quads if q.predicate.value.endswith("#endpoint")}
    assert endpoints == {f"{endpoint}/sparql"}


def test_service_description_lists_the_predeclared_prefixes(endpoint):
    graph = Graph().parse(data=get(endpoint, {}, "text/turtle").text, format="turtle")
    rows = graph.query("""PREFIX sh: <http://www.w3.org/ns/shacl#>
        SELECT ?p ?ns WHERE { ?s sh:declare [ sh:prefix ?p ; sh:namespace ?ns ] }""")
    declared = {str(p): str(ns) for p, ns in rows}
    assert declared["rckg"] == f"{BASE}ontology#"
    assert declared["id"] == f"{BASE}id/"
    assert declared["skos"] == "http://www.w3.org/2004/02/skos/core#"


def test_predeclared_prefixes_need_no_prefix_line(endpoint):
    response = get(endpoint, {"query": "SELECT ?l WHERE { id:china skos:prefLabel ?l }"})
    assert response.status_code == 200, response.text
    values = sorted(b["l"]["value"] for b in response.json()["results"]["bindings"])
    assert values == LABELS


def test_a_query_may_redeclare_a_predeclared_prefix(endpoint):
    query = "PREFIX id: <http://example.org/> SELECT ?l WHERE { id:china skos:prefLabel ?l }"
    assert get(endpoint, {"query": query}).json()["results"]["bindings"] == []


def test_undeclared_prefix_is_named_with_the_line_to_add(endpoint):
    response = get(endpoint, {"query": "SELECT ?n WHERE { ?s foaf:name ?n }"})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "'foaf:'" in detail
    assert "PREFIX foaf: <http://xmlns.com/foaf/0.1/>" in detail
    unknown = get(endpoint, {"query": "SELECT * WHERE { ?s zzq:p ?o }"}).json()["detail"]
    assert "PREFIX zzq: <...>" in unknown


@pytest.mark.parametrize(("query", "params", "accept", "expected"), [
    # Repeated parameters, as SPARQLWrapper sends them: the first one that fits decides.
    (CONSTRUCT, [("format", "json-ld"), ("output", "json-ld")], None, "application/ld+json"),
    (CONSTRUCT, [("format", "n3"), ("output", "n3")], None, "text/turtle"),
    (CONSTRUCT, [("format", "rdf"), ("output", "rdf")], None, "application/rdf+xml"),
    (CONSTRUCT, [("format", "xml")], None, "application/rdf+xml"),
    (CONSTRUCT, [("format", "json")], None, "application/ld+json"),
    (CONSTRUCT, [("format", "ttl")], None, "text/turtle"),
    (CONSTRUCT, [("format", "nt")], None, "application/n-triples"),
    (CONSTRUCT, [("format", "nquads")], None, "application/n-quads"),
    (SELECT, [("format", "xml"), ("output", "xml")], None, "application/sparql-results+xml"),
    (SELECT, [("format", "json")], None, "application/sparql-results+json"),
    (SELECT, [("output", "csv")], None, "text/csv"),
    (SELECT, [("format", "tsv")], None, "text/tab-separated-values"),
    (SELECT, [("format", "bogus"), ("format", "csv")], None, "text/csv"),
    # A parameter naming nothing known (for this query form) leaves the choice to Accept.
    (SELECT, [("format", "bogus")], "text/tab-separated-values", "text/tab-separated-values"),
    (CONSTRUCT, [("format", "csv")], "application/n-triples", "application/n-triples"),
    (CONSTRUCT, [("format", "bogus")], None, "text/turtle"),
    # application/json and XML media types in Accept.
    (SELECT, [], "application/json", "application/sparql-results+json"),
    (ASK, [], "application/json", "application/sparql-results+json"),
    (SELECT, [], "application/xml", "application/sparql-results+xml"),
    (CONSTRUCT, [], "application/json", "application/ld+json"),
    (CONSTRUCT, [], "text/rdf+n3", "text/turtle"),
    (DESCRIBE, [], "application/xml", "application/rdf+xml"),
])
def test_format_names_and_aliases(endpoint, query, params, accept, expected):
    response = get(endpoint, [("query", query), *params], accept)
    assert response.status_code == 200, response.text
    assert _media(response) == expected
    assert varies_by_accept(response)


def test_an_unknown_format_with_nothing_acceptable_is_406(endpoint):
    response = get(endpoint, [("query", SELECT), ("format", "bogus")], "image/png")
    assert response.status_code == 406
    assert varies_by_accept(response)


@pytest.mark.parametrize("accept", ["text/csv", "text/tab-separated-values"])
@pytest.mark.parametrize(("query", "expected"), [(ASK, "true"), ("ASK { ?s <urn:x:none> ?o }",
                                                                  "false")])
def test_ask_in_csv_and_tsv_as_oxigraph_answers(endpoint, accept, query, expected):
    """Oxigraph's engine (whose writer its server uses) answers a bare `true`/`false`."""
    response = get(endpoint, {"query": query}, accept)
    assert response.status_code == 200 and _media(response) == accept
    engine = ox.Store().query(f"ASK {{ {'' if expected == 'true' else '?s ?p ?o'} }}")
    written = engine.serialize(format=ox.QueryResultsFormat.from_media_type(accept))
    assert response.text == written.decode() == expected


@pytest.mark.parametrize("path", ["/sparql", "/health", "/api/actors", "/id/china",
                                  "/openapi.json", "/api/export/gexf"])
def test_head_answers_like_get_without_a_body(endpoint, path):
    got = httpx.get(f"{endpoint}{path}", timeout=30)
    head = httpx.head(f"{endpoint}{path}", timeout=30)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    if "content-length" in got.headers:
        assert head.headers["content-length"] == got.headers["content-length"]


def test_head_on_a_query_is_negotiated(endpoint):
    head = httpx.head(f"{endpoint}/sparql", params={"query": SELECT},
                      headers={"Accept": "text/csv"}, timeout=30)
    assert head.status_code == 200 and head.content == b""
    assert _media(head) == "text/csv" and varies_by_accept(head)


@pytest.mark.parametrize(("method", "path", "allow"), [
    ("PUT", "/sparql", "GET, HEAD, POST"), ("DELETE", "/sparql", "GET, HEAD, POST"),
    ("POST", "/health", "GET, HEAD"), ("PATCH", "/api/actors", "GET, HEAD")])
def test_405_lists_every_allowed_method(endpoint, method, path, allow):
    response = httpx.request(method, f"{endpoint}{path}", timeout=30)
    assert response.status_code == 405
    assert response.headers["allow"] == allow


def test_curl_sees_head_vary_and_allow(endpoint):
    """The same checks with curl, as an operator would make them."""
    done = subprocess.run(["curl", "-sS", "-I", "-H", "Accept: text/turtle",
                           f"{endpoint}/sparql"], capture_output=True, text=True, timeout=30)
    head = done.stdout.lower()
    assert head.startswith("http/1.1 200") and "vary: accept" in head
    assert "content-type: text/turtle" in head
    done = subprocess.run(["curl", "-sS", "-i", "-X", "PUT", f"{endpoint}/sparql"],
                          capture_output=True, text=True, timeout=30)
    assert done.stdout.lower().startswith("http/1.1 405")
    assert "allow: get, head, post" in done.stdout.lower()


# --- SPARQLWrapper: every return format × form × method --------------------------------

FORMATS = [None, JSON, XML, CSV, TSV, TURTLE, N3, RDF, RDFXML, JSONLD]


def _summary(result: object, form: str, media_type: str) -> object:
    """What a converted SPARQLWrapper result says, whatever form the conversion took (raw
    bytes for Turtle, N3, CSV and TSV, read here by the answer's media type)."""
    if isinstance(result, bytes) and media_type == "text/turtle":
        result = Graph().parse(data=result, format="turtle")
    if isinstance(result, Graph):
        return ("graph", (CHINA, None, None) in result, len(result) > 5)
    if isinstance(result, dict):  # SPARQL JSON
        if "boolean" in result:
            return ("boolean", result["boolean"])
        return ("rows", sorted(b["l"]["value"] for b in result["results"]["bindings"]))
    if isinstance(result, Document):  # SPARQL XML
        booleans = result.getElementsByTagName("boolean")
        if booleans:
            return ("boolean", booleans[0].firstChild.data == "true")  # type: ignore[union-attr]
        literals = result.getElementsByTagName("literal")
        return ("rows", sorted(n.firstChild.data for n in literals))  # type: ignore[union-attr]
    if isinstance(result, bytes):  # CSV, TSV
        text = result.decode("utf-8")
        lines = [line.strip('"') for line in text.splitlines()]
        if form == "ASK":
            return ("boolean", lines == ["true"])
        return ("rows", sorted(line.split('"@')[0] for line in lines[1:]))
    if isinstance(result, str):
        return ("text", result[:40])
    return ("unexpected", type(result).__name__)


EXPECTED = {"SELECT": ("rows", LABELS), "ASK": ("boolean", True),
            "CONSTRUCT": ("graph", True, True), "DESCRIBE": ("graph", True, True)}


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("form", list(QUERIES))
@pytest.mark.parametrize("return_format", FORMATS, ids=lambda f: f or "default")
def test_sparqlwrapper(endpoint, return_format, form, method):
    client = SPARQLWrapper(f"{endpoint}/sparql")
    client.setQuery(QUERIES[form])
    client.setMethod(method)
    if return_format is not None:
        client.setReturnFormat(return_format)
    with warnings.catch_warnings():
        # SPARQLWrapper itself warns that it sends Accept: */* for a format it does not tie to
        # the query form (e.g. CSV for CONSTRUCT); the server must still answer usefully.
        warnings.simplefilter("ignore", RuntimeWarning)
        answer = client.query()
        media_type = answer.info()["content-type"].split(";")[0]
        result = answer.convert()
    assert _summary(result, form, media_type) == EXPECTED[form]


# --- rdflib's SPARQLStore --------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST_FORM", "POST"])
@pytest.mark.parametrize("return_format", ["xml", "json", "csv", "tsv"])
def test_rdflib_sparqlstore_select(endpoint, method, return_format):
    graph = Graph(store=SPARQLStore(f"{endpoint}/sparql", method=method,
                                    returnFormat=return_format))
    labels = sorted(str(row[0]) for row in graph.query(SELECT))  # type: ignore[index]
    assert labels == LABELS


@pytest.mark.parametrize("method", ["GET", "POST_FORM", "POST"])
@pytest.mark.parametrize("return_format", ["xml", "json"])
def test_rdflib_sparqlstore(endpoint, method, return_format):
    """Every form in the formats rdflib reads for all of them (its CSV/TSV parsers have no
    ASK), and the store's triples(), which rdflib runs as a CONSTRUCT."""
    graph = Graph(store=SPARQLStore(f"{endpoint}/sparql", method=method,
                                    returnFormat=return_format))
    assert graph.query(ASK).askAnswer is True
    constructed = graph.query(CONSTRUCT).graph
    assert constructed is not None and (CHINA, None, None) in constructed
    described = graph.query(DESCRIBE).graph
    assert described is not None and (CHINA, None, None) in described
    assert (CHINA, None, None) in graph  # triples() through the store


# --- Comunica ----------------------------------------------------------------------------

@pytest.mark.parametrize(("form", "expected"), [
    ("SELECT", {"bindings": 4}), ("ASK", {"boolean": True}), ("CONSTRUCT", None),
    ("DESCRIBE", None)])
def test_comunica_without_warnings(endpoint, form, expected):
    command = node_script("comunica_any.mjs", ("@comunica/query-sparql",))
    done = subprocess.run([*command, f"{endpoint}/sparql", QUERIES[form]], capture_output=True,
                          text=True, timeout=120, cwd=PROJECT_ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # Comunica warns on stderr when the service description fails
    answer = json.loads(done.stdout)
    if expected is None:
        assert answer["quads"] > 5
    else:
        assert answer == expected
