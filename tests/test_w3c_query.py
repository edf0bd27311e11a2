"""The W3C SPARQL 1.0 and 1.1 query evaluation tests, run through rckg's `/sparql` over HTTP.

One `rckg serve --data` serves every test's data (each file a named graph); each test sends
its query with its dataset as `default-graph-uri`/`named-graph-uri` and reads the answer in
SPARQL JSON, XML and TSV (SELECT, ASK) or JSON-LD (CONSTRUCT, DESCRIBE). The tests the bare
engine fails (tests/data/w3c_engine_failures.json, recorded by `python -m tests.w3c_query`)
are strict expected failures: a fix in a new pyoxigraph shows as XPASS, and anything the layer
in front of the engine (guard, rewriting, negotiation, serialisation) breaks as a failure.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest

from tests import w3c_query
from tests.conftest import BASE, SHARED, shared_path
from tests.server import running_server

FOLDER = SHARED / "conformance" / "sparql-query"
RECORD = json.loads((w3c_query.Path(__file__).parent / "data" / "w3c_engine_failures.json")
                    .read_text(encoding="utf-8"))
ENGINE_FAILURES = set(RECORD["failures"])
CASES = w3c_query.cases(FOLDER) if FOLDER.is_dir() else []
RESULT_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                  "tsv": ox.QueryResultsFormat.TSV}
GRAPH_FORMATS = {"jsonld": ox.RdfFormat.JSON_LD}
MEDIA_TYPES = {"json": "application/sparql-results+json",
               "xml": "application/sparql-results+xml", "tsv": "text/tab-separated-values",
               "jsonld": "application/ld+json"}


def _params() -> list[object]:
    found: list[object] = []
    for case in CASES:
        if case.skip:
            continue
        graph = case.form in ("CONSTRUCT", "DESCRIBE")
        for fmt in GRAPH_FORMATS if graph else RESULT_FORMATS:
            marks = [pytest.mark.xfail(strict=True, reason=f"pyoxigraph {RECORD['pyoxigraph']} "
                                                           f"fails this test itself")] \
                if case.id in ENGINE_FAILURES else []
            found.append(pytest.param(case, fmt, id=f"{case.id}[{fmt}]", marks=marks))
    return found or [pytest.param(None, "json", id="conformance-data-absent")]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    shared_path("conformance", "sparql-query")
    data = tmp_path_factory.mktemp("w3c") / "w3c.nq"
    data.write_bytes(ox.serialize(w3c_query.build_dataset(CASES),
                                  format=ox.RdfFormat.N_QUADS) or b"")
    env = {"RCKG_BASE_IRI": BASE, "RCKG_WORKERS": "2"}
    with running_server(env, "--data", str(data)) as server, \
            httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def test_the_suite_is_read_whole():
    """The counts docs/interop.md gives: what is run, what is not and why."""
    shared_path("conformance", "sparql-query")
    reasons = Counter(case.skip for case in CASES)
    assert len(CASES) == 595
    assert reasons[None] == 518
    assert reasons["entailment regime"] + reasons[
        "SERVICE (refused: the endpoint never reaches the network)"] == 77
    assert {case.id for case in CASES if not case.skip} >= ENGINE_FAILURES
    assert len(ENGINE_FAILURES) == 49


def test_engine_failures_are_recorded_for_the_installed_pyoxigraph():
    assert ox.__version__ == RECORD["pyoxigraph"], (
        "pyoxigraph changed: record its failures again with "
        "'PYTHONPATH=. python -m tests.w3c_query > tests/data/w3c_engine_failures.json'")


@pytest.mark.parametrize(("case", "fmt"), _params())
def test_w3c_query_evaluation(endpoint: httpx.Client, case: w3c_query.Case | None, fmt: str):
    assert case is not None
    defaults, named = case.dataset()
    form = {"query": case.sparql(), "default-graph-uri": defaults or [],
            "named-graph-uri": named or []}
    response = endpoint.post("/sparql", data=form, headers={"Accept": MEDIA_TYPES[fmt]})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == MEDIA_TYPES[fmt]
    if fmt in GRAPH_FORMATS:
        got = w3c_query.Answer("graph", triples=w3c_query.canonical(
            q.triple for q in ox.parse(response.content, format=GRAPH_FORMATS[fmt])))
    else:
        got = w3c_query.from_solutions(ox.parse_query_results(response.content,
                                                              format=RESULT_FORMATS[fmt]))
    assert w3c_query.agree(w3c_query.expected(case), got)
