"""The SPARQL endpoint over the article graph: formats, safety, limits, clients."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from graph.config import PROJECT_ROOT
from graph.store.embedded import OxigraphStore
from graph.store.query_worker import QueryRequest, isolate_network, run
from tests.conftest import BASE, IN_CI, PREFIXES, node_script
from tests.server import Listener, running_server, workers

SELECT = PREFIXES + "SELECT ?l WHERE { id:china skos:prefLabel ?l } ORDER BY ?l"
ASK = PREFIXES + "ASK { id:russia rckg:suppliesTo id:china }"
CONSTRUCT = PREFIXES + "CONSTRUCT { id:china ?p ?o } WHERE { id:china ?p ?o }"
DESCRIBE = PREFIXES + "DESCRIBE id:power-of-siberia-2"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def endpoint(test_settings, built) -> Iterator[str]:
    env = {"RCKG_STORE": str(test_settings.store), "RCKG_BASE_IRI": BASE, "RCKG_WORKERS": "3"}
    with running_server(env) as server:
        yield server.url


def get(url: str, query: str, **headers: str) -> httpx.Response:
    return httpx.get(f"{url}/sparql", params={"query": query}, headers=headers, timeout=30)


@pytest.mark.parametrize(
    ("query", "accept", "expected"),
    [
        (SELECT, None, "application/sparql-results+json"),
        (SELECT, "*/*", "application/sparql-results+json"),
        (SELECT, "application/sparql-results+xml", "application/sparql-results+xml"),
        (SELECT, "text/csv", "text/csv"),
        (SELECT, "text/tab-separated-values", "text/tab-separated-values"),
        (SELECT, "text/csv;q=0.5, application/sparql-results+xml;q=0.9",
         "application/sparql-results+xml"),
        (SELECT, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
         "application/sparql-results+json"),
        (ASK, None, "application/sparql-results+json"),
        (ASK, "application/sparql-results+xml", "application/sparql-results+xml"),
        (CONSTRUCT, None, "text/turtle"),
        (CONSTRUCT, "application/ld+json", "application/ld+json"),
        (CONSTRUCT, "application/n-triples", "application/n-triples"),
        (CONSTRUCT, "application/rdf+xml", "application/rdf+xml"),
        (CONSTRUCT, "application/trig;q=1, text/turtle;q=0.2", "application/trig"),
        (DESCRIBE, "application/n-quads", "application/n-quads"),
        (DESCRIBE, None, "text/turtle"),
    ],
)
def test_content_negotiation(endpoint, query, accept, expected):
    headers = {"Accept": accept} if accept else {}
    response = get(endpoint, query, **headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == expected


@pytest.mark.parametrize(
    ("query", "accept"),
    [(SELECT, "text/turtle"), (CONSTRUCT, "text/csv"),
     (ASK, "image/png")],
)
def test_not_acceptable(endpoint, query, accept):
    response = get(endpoint, query, Accept=accept)
    assert response.status_code == 406
    assert "available" in response.json()["detail"]


def test_format_parameter_overrides_accept(endpoint):
    response = httpx.get(f"{endpoint}/sparql", params={"query": SELECT, "format": "csv"},
                         headers={"Accept": "text/html"}, timeout=30)
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.splitlines() == ["l", "China", "China", "Китай", "中国"]


def test_every_result_format_parses_with_pyoxigraph(endpoint):
    for accept, fmt in [("application/sparql-results+json", ox.QueryResultsFormat.JSON),
                        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
                        ("text/tab-separated-values", ox.QueryResultsFormat.TSV)]:
        parsed = ox.parse_query_results(get(endpoint, SELECT, Accept=accept).content, format=fmt)
        assert sorted(s["l"].value for s in parsed) == ["China", "China", "Китай", "中国"]


def test_every_graph_format_parses_with_rdflib(endpoint, store: OxigraphStore):
    expected = len(store.query(CONSTRUCT).triples or [])
    for accept, fmt in [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                        ("application/n-triples", "nt"), ("application/rdf+xml", "xml")]:
        graph = Graph().parse(data=get(endpoint, CONSTRUCT, Accept=accept).content, format=fmt)
        assert len(graph) == expected > 10


def test_syntax_error_has_message_and_position(endpoint):
    response = get(endpoint, "SELECT ?x WHERE { ?x ?y }")
    assert response.status_code == 400
    assert "syntax error" in response.json()["detail"]
    assert "1:" in response.json()["detail"]


def test_service_description(endpoint):
    response = httpx.get(f"{endpoint}/sparql", headers={"Accept": "text/turtle"}, timeout=30)
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    answers = graph.query("""
        PREFIX sd: <http://www.w3.org/ns/sparql-service-description#>
        PREFIX void: <http://rdfs.org/ns/void#>
        SELECT ?endpoint ?name ?n WHERE {
          ?s a sd:Service ; sd:endpoint ?endpoint ; sd:feature sd:UnionDefaultGraph ;
             sd:supportedLanguage sd:SPARQL11Query ;
             sd:defaultDataset/sd:namedGraph [ sd:name ?name ; sd:graph/void:triples ?n ] }""")
    rows = {str(name): int(n) for _, name, n in answers}
    assert {str(e) for e, _, _ in answers} == {f"{endpoint}/sparql"}
    assert rows[f"{BASE}graph/reference"] > 500
    assert set(rows) == {f"{BASE}graph/{g}" for g in
                         ("entailed", "junge-welt-522920", "meta", "ontology", "reference")}


def test_browser_gets_a_page(endpoint):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = httpx.get(f"{endpoint}/sparql", headers={"Accept": accept}, timeout=30)
    assert response.headers["content-type"].startswith("text/html")
    assert "<form" in response.text


@pytest.mark.parametrize(
    ("method", "kwargs", "status"),
    [
        ("POST", {"headers": {"Content-Type": "application/sparql-update"},
                  "content": b"INSERT DATA { <a> <b> <c> }"}, 403),
        ("POST", {"data": {"update": "CLEAR ALL"}}, 403),
        ("GET", {"params": {"query": "DROP ALL"}}, 403),
        ("GET", {"params": {"query": "LOAD <http://127.0.0.1:9/x>"}}, 403),
        ("PUT", {"content": b"<a> <b> <c> ."}, 405),
        ("DELETE", {}, 405),
    ],
    ids=["sparql-update", "form-update", "drop-as-query", "load", "gsp-put", "gsp-delete"],
)
def test_read_only(endpoint, method, kwargs, status):
    response = httpx.request(method, f"{endpoint}/sparql", timeout=30, **kwargs)
    assert response.status_code == status
    if status == 403:
        assert "read-only" in response.json()["detail"]


def outbound_queries(port: int) -> list[str]:
    target = f"http://127.0.0.1:{port}/sparql"
    return [
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
        f"select * where {{ ?x ?y ?z service <{target}> {{ ?s ?p ?o }} }} limit 1",
        f"SELECT * WHERE {{ \\u0053ERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"PREFIX : <http://127.0.0.1:{port}/internal/> "
        f"SELECT * WHERE {{ SERVICE:sparql {{ ?x ?y ?s }} }}",
        f"PREFIX ex: <{target}/> SELECT * WHERE {{ SERVICEex:x {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{target}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "ASK { ?s ?p ?o }",
        f"LOAD <{target}>",
    ]


@pytest.mark.parametrize("isolate", ["1", "0"], ids=["isolated-workers", "guard-only"])
def test_no_outbound_connections(test_settings, built, isolate):
    listener = Listener()
    env = {"RCKG_STORE": str(test_settings.store), "RCKG_BASE_IRI": BASE, "RCKG_WORKERS": "2",
           "RCKG_ISOLATE_WORKERS": isolate}
    try:
        with running_server(env) as server:
            url = server.url
            statuses = []
            for query in outbound_queries(listener.port):
                statuses.append(get(url, query).status_code)
                statuses.append(httpx.get(f"{url}/sparql", timeout=30, params={
                    "query": "ASK {}", "default-graph-uri": f"http://127.0.0.1:{listener.port}/g",
                    "named-graph-uri": f"http://127.0.0.1:{listener.port}/n"}).status_code)
            time.sleep(0.5)
        assert statuses.count(403) == 7
        assert all(s in (200, 403) for s in statuses)
    finally:
        listener.close()
    assert listener.connections == 0


def test_isolated_worker_cannot_connect_even_without_the_guard(store: OxigraphStore):
    """The second line of defence: a worker process has no network at all."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    listener = Listener()
    try:
        with context.Pool(1) as pool:
            isolated, answer = pool.apply(_service_in_isolation, (str(store.path), listener.port))
    finally:
        listener.close()
    if not isolated and not IN_CI:
        pytest.skip("this machine does not allow network namespaces (unshare)")
    assert isolated
    assert answer.status == "error"
    assert listener.connections == 0


def _service_in_isolation(path: str, port: int) -> tuple[bool, object]:
    isolated = isolate_network()
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"
    request = QueryRequest(query, True, None, None, "application/sparql-results+json", None, 10)
    return isolated, run(ox.Store.read_only(path), request)


def test_timeout_stops_the_query_while_others_are_answered(test_settings, built):
    env = {"RCKG_STORE": str(test_settings.store), "RCKG_BASE_IRI": BASE, "RCKG_WORKERS": "3",
           "RCKG_QUERY_TIMEOUT": "3"}
    with running_server(env) as server:
        url = server.url
        with ThreadPoolExecutor(2) as executor:
            started = time.monotonic()
            slow = executor.submit(get, url, CARTESIAN)
            time.sleep(0.3)
            latencies = []
            while not slow.done():
                began = time.monotonic()
                assert get(url, "ASK {}").json()["boolean"] is True
                latencies.append(time.monotonic() - began)
            response = slow.result()
            elapsed = time.monotonic() - started
        assert response.status_code == 503
        assert "stopped" in response.json()["detail"]
        assert 2.5 < elapsed < 6
        assert len(latencies) >= 10
        assert max(latencies) < 1.0
        # The client may ask for less time, never more.
        began = time.monotonic()
        short = httpx.get(f"{url}/sparql", params={"query": CARTESIAN, "timeout": "1"}, timeout=30)
        assert short.status_code == 503 and time.monotonic() - began < 2.5
        longer = httpx.get(f"{url}/sparql", params={"query": CARTESIAN, "timeout": "60"},
                           timeout=30)
        assert longer.status_code == 503 and "3 s" in longer.json()["detail"]


def test_timeout_kills_the_worker_process(test_settings, built):
    env = {"RCKG_STORE": str(test_settings.store), "RCKG_BASE_IRI": BASE, "RCKG_WORKERS": "1",
           "RCKG_QUERY_TIMEOUT": "1"}
    with running_server(env) as server:
        url = server.url
        before = workers(server.pid)
        assert get(url, CARTESIAN).status_code == 503
        time.sleep(0.5)
        after = workers(server.pid)
        assert len(before) == 1 and not (before & after)  # the busy worker is gone
        deadline = time.monotonic() + 20
        while get(url, "ASK {}").status_code != 200:  # a new worker takes over
            assert time.monotonic() < deadline
            time.sleep(0.2)


def test_row_cap_and_body_cap(test_settings, built):
    env = {"RCKG_STORE": str(test_settings.store), "RCKG_BASE_IRI": BASE, "RCKG_WORKERS": "1",
           "RCKG_MAX_ROWS": "5", "RCKG_MAX_BODY": "2048"}
    with running_server(env) as server:
        url = server.url
        response = get(url, "SELECT * WHERE { ?s ?p ?o }")
        assert len(response.json()["results"]["bindings"]) == 5
        assert response.headers["Rckg-Truncated"].startswith("true")
        small = get(url, SELECT)
        assert "Rckg-Truncated" not in small.headers
        graph = get(url, "CONSTRUCT WHERE { ?s ?p ?o }", Accept="application/n-triples")
        assert len(graph.text.strip().splitlines()) == 5
        big = "ASK {} #" + "x" * 4096
        response = httpx.post(f"{url}/sparql", content=big.encode(),
                              headers={"Content-Type": "application/sparql-query"}, timeout=30)
        assert response.status_code == 413
        assert "larger than 2048" in response.json()["detail"]


def test_cors(endpoint):
    preflight = httpx.options(f"{endpoint}/sparql", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"}, timeout=30)
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in preflight.headers
    simple = httpx.get(f"{endpoint}/sparql", params={"query": ASK},
                       headers={"Origin": "https://example.org"}, timeout=30)
    assert simple.headers["access-control-allow-origin"] == "*"


def test_sparqlwrapper_gets_the_same_answers_as_the_store(endpoint, store: OxigraphStore):
    client = SPARQLWrapper(f"{endpoint}/sparql")
    client.setQuery(SELECT)
    client.setReturnFormat(JSON)
    remote = [b["l"]["value"] for b in client.queryAndConvert()["results"]["bindings"]]
    local = [row["l"].value for row in store.query(SELECT).rows]
    assert remote == local == ["China", "China", "Китай", "中国"]
    client.setQuery(ASK)
    assert client.queryAndConvert()["boolean"] is True
    client.setMethod("POST")
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.queryAndConvert(), format="turtle")
    assert len(graph) == len(store.query(CONSTRUCT).triples or [])


def test_health(endpoint):
    body = httpx.get(f"{endpoint}/health", timeout=30).json()
    assert body["status"] == "ok"
    assert body["workers"] == 3
    assert len(body["version"]) > 10
    if IN_CI:  # CI runs as root on Linux, where workers can always leave the network
        assert body["workers_isolated_from_network"] is True


def test_tiny_timeouts_are_refused_without_killing_workers(test_settings, built):
    env = {"RCKG_STORE": str(test_settings.store), "RCKG_BASE_IRI": BASE, "RCKG_WORKERS": "1"}
    with running_server(env) as server:
        before = workers(server.pid)
        for _ in range(5):
            response = httpx.get(f"{server.url}/sparql", timeout=30,
                                 params={"query": "ASK {}", "timeout": "1e-6"})
            assert response.status_code == 400 and "at least" in response.json()["detail"]
        assert get(server.url, "ASK {}").json()["boolean"] is True
        assert workers(server.pid) == before


def test_a_new_build_is_served_without_a_restart(test_settings, tmp_path):
    """The server follows `rckg build`: it switches to the new version once its workers are
    ready, and no request fails on the way."""

    from graph.builder.pipeline import build

    seeds = tmp_path / "seeds"
    shutil.copytree(test_settings.seeds, seeds)
    settings = replace(test_settings, store=tmp_path / "store", seeds=seeds)
    build(settings)
    env = {"RCKG_STORE": str(settings.store), "RCKG_BASE_IRI": BASE, "RCKG_WORKERS": "2"}
    label = PREFIXES + "SELECT ?l WHERE { id:rosatom skos:prefLabel ?l FILTER(lang(?l) = 'en') }"
    with running_server(env) as server:
        first = httpx.get(f"{server.url}/health").json()["version"]
        assert get(server.url, label).json()["results"]["bindings"][0]["l"]["value"] == "Rosatom"
        entities = seeds / "entities.yaml"
        entities.write_text(entities.read_text(encoding="utf-8").replace(
            "labels: {de: Rosatom, en: Rosatom,", "labels: {de: Rosatom, en: Rosatom State Corp.,"),
            encoding="utf-8")
        build(settings)
        deadline = time.monotonic() + 30
        statuses = []
        while httpx.get(f"{server.url}/health").json()["version"] == first:
            statuses.append(get(server.url, "ASK {}").status_code)
            assert time.monotonic() < deadline
        assert set(statuses) <= {200}
        assert get(server.url, label).json()["results"]["bindings"][0]["l"]["value"] == \
            "Rosatom State Corp."


def node_client() -> list[str]:
    """The command that runs the Comunica client."""
    return node_script("comunica_select.mjs", ("@comunica/query-sparql",))


@pytest.mark.parametrize("query", [SELECT, PREFIXES + """
    SELECT ?fact ?v WHERE { ?fact rckg:subject id:power-of-siberia-2 ;
                                  rckg:capacity [ qudt:numericValue ?v ] }"""],
                         ids=["labels", "capacity"])
def test_comunica_gets_the_same_answers_as_the_store(endpoint, store: OxigraphStore, query):
    done = subprocess.run([*node_client(), f"{endpoint}/sparql", query], capture_output=True,
                          text=True, timeout=120, cwd=PROJECT_ROOT)
    assert done.returncode == 0, done.stderr
    remote = sorted(json.dumps(row, sort_keys=True) for row in json.loads(done.stdout))
    local = sorted(json.dumps({name: {
        "termType": {"uri": "NamedNode", "literal": "Literal", "bnode": "BlankNode"}[t.kind],
        "value": t.value, "language": t.lang,
        "datatype": None if t.kind != "literal" else (
            t.datatype or "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")}
        for name, t in row.items()}, sort_keys=True) for row in store.query(query).rows)
    assert remote == local and len(local) >= 1
