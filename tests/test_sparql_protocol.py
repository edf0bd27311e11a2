"""The W3C SPARQL 1.1 Protocol tests, run against `rckg serve --data` over HTTP.

The manifest and data are read from ../shared/conformance (never copied). The data files
become named graphs named by their rdfs:label, as the manifest says. The update tests that
expect success do not apply to a read-only endpoint; they are checked to be refused instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection

from tests.conftest import SHARED
from tests.server import running_server

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
FOLDER = SHARED / "conformance" / "sparql11-protocol"
BOOLEAN_TYPES = ("application/sparql-results+json", "application/sparql-results+xml")
TABULAR_TYPES = (*BOOLEAN_TYPES, "text/csv", "text/tab-separated-values")
RDF_TYPES = ("application/rdf+xml", "text/turtle", "application/n-triples")


@dataclass
class Exchange:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]  # "2", "3", "4", "5"
    expected_format: str | None
    expected_boolean: bool | None


@dataclass
class ProtocolTest:
    name: str
    title: str
    exchanges: list[Exchange]

    @property
    def is_successful_update(self) -> bool:
        return self.name.startswith("update_")


def _exchange(g: Graph, node: URIRef) -> Exchange:
    headers = {}
    header_list = g.value(node, HT.headers)
    for header in Collection(g, header_list) if header_list else []:
        headers[str(g.value(header, HT.fieldName))] = str(g.value(header, HT.fieldValue))
    body = None
    body_node = g.value(node, HT.body)
    if body_node is not None:
        encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(g.value(body_node, CNT.chars)).encode(encoding)
    response = g.value(node, HT.resp)
    statuses = {str(s)[len(HTS)] for s in g.objects(response, MF.expectedStatus)}
    fmt = g.value(response, MF.expectedFormat)
    boolean = g.value(response, MF.expectedBoolean)
    return Exchange(str(g.value(node, HT.methodName)), str(g.value(node, HT.absolutePath)),
                    headers, body, statuses, str(fmt) if fmt else None,
                    bool(boolean.toPython()) if boolean is not None else None)


def load_tests() -> list[ProtocolTest]:
    if not FOLDER.exists():
        return []
    g = Graph().parse(FOLDER / "manifest.ttl", format="turtle",
                      publicID=FOLDER.as_uri() + "/manifest.ttl")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        action = g.value(entry, MF.action)
        requests = Collection(g, g.value(action, HT.requests))
        name = str(entry).rsplit("#", 1)[1]
        tests.append(ProtocolTest(name, str(g.value(entry, MF.name)),
                                  [_exchange(g, r) for r in requests]))
    return tests


TESTS = load_tests()
APPLICABLE = [t for t in TESTS if not t.is_successful_update]
UPDATES = [t for t in TESTS if t.is_successful_update]
# Without ../shared the lists are empty; one placeholder case then skips (or, in CI, fails)
# with the reason, instead of pytest's silent "empty parameter set".
MISSING = [pytest.param(None, id="manifest-missing")]


def dataset_trig(path: Path) -> Path:
    """data1.nt … data3.nt as named graphs named by the manifest's rdfs:label for each."""
    g = Graph().parse(FOLDER / "manifest.ttl", format="turtle",
                      publicID=FOLDER.as_uri() + "/manifest.ttl")
    names = {}
    for graph_data in g.objects(None, UT.graphData):
        names[str(g.value(graph_data, UT.graph)).rsplit("/", 1)[1]] = str(
            g.value(graph_data, RDFS.label))
    lines = []
    for file, label in sorted(names.items()):
        lines.append(f"<{label}> {{\n{(FOLDER / file).read_text()}}}\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not FOLDER.exists():
        from tests.conftest import shared_path

        shared_path("conformance", "sparql11-protocol", "manifest.ttl")
    data = dataset_trig(tmp_path_factory.mktemp("w3c") / "protocol.trig")
    with running_server({"RCKG_WORKERS": "2"}, "--data", str(data)) as server:
        yield server.url


def send(url: str, exchange: Exchange) -> httpx.Response:
    path = exchange.path.replace("/sparql/", "/sparql", 1)
    return httpx.request(exchange.method, url + path, headers=exchange.headers,
                         content=exchange.body, timeout=30)


def check(response: httpx.Response, exchange: Exchange) -> None:
    assert str(response.status_code)[0] in exchange.statuses, response.text
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    if exchange.expected_format == "boolean":
        assert media_type in BOOLEAN_TYPES
    elif exchange.expected_format == "tabular":
        assert media_type in TABULAR_TYPES
    elif exchange.expected_format == "RDF":
        assert media_type in RDF_TYPES
        Graph().parse(data=response.content, format={"application/rdf+xml": "xml",
                                                     "text/turtle": "turtle",
                                                     "application/n-triples": "nt"}[media_type])
    if exchange.expected_boolean is not None:
        if media_type == BOOLEAN_TYPES[0]:
            assert json.loads(response.content)["boolean"] is exchange.expected_boolean
        else:
            expected = str(exchange.expected_boolean).lower()
            assert f"<boolean>{expected}</boolean>" in response.text


def test_manifest_has_27_applicable_tests():
    if not TESTS:
        from tests.conftest import shared_path

        shared_path("conformance", "sparql11-protocol", "manifest.ttl")
    assert len(TESTS) == 34
    assert len(APPLICABLE) == 27
    assert len([t for t in APPLICABLE if t.name.startswith("query_")]) == 13
    assert len([t for t in APPLICABLE if t.name.startswith("bad_")]) == 14


@pytest.mark.parametrize("test", [pytest.param(t, id=t.name) for t in APPLICABLE] or MISSING)
def test_w3c_protocol(endpoint, test):
    for exchange in test.exchanges:
        check(send(endpoint, exchange), exchange)


@pytest.mark.parametrize("test", [pytest.param(t, id=t.name) for t in UPDATES] or MISSING)
def test_updates_are_refused_as_read_only(endpoint, test):
    """Not applicable to a read-only endpoint: each update request gets 403 and a message."""
    first = test.exchanges[0]
    assert first.method == "POST"
    response = send(endpoint, first)
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
