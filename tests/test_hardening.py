"""Paths from the request never reach files outside what is served, and pages carry
security headers."""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from tests.conftest import BASE
from tests.server import running_server

TRAVERSALS = [
    "/static/../graph/config.py",
    "/static/%2e%2e/graph/config.py",
    "/static/..%2f..%2fgraph%2fconfig.py",
    "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/static//etc/passwd",
    "/api/export/..%2f..%2fetc%2fpasswd",
    "/api/export/%2e%2e",
    "/id/..%2f..%2fetc%2fpasswd",
    "/fact/..%2f../etc",
]


@pytest.fixture(scope="module")
def server(test_settings, built) -> Iterator[str]:
    env = {"RCKG_STORE": str(test_settings.store), "RCKG_BASE_IRI": BASE, "RCKG_WORKERS": "1"}
    with running_server(env) as running:
        yield running.url


def raw_get(url: str, path: str) -> tuple[int, bytes]:
    """GET `path` exactly as written (no client-side normalisation of '..')."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.putrequest("GET", path, skip_accept_encoding=True)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_leaves_what_is_served(server, path):
    status, body = raw_get(server, path)
    assert status in (400, 404, 405, 406, 422)
    assert b"root:" not in body and b"PROJECT_ROOT" not in body and b"import " not in body


def test_pages_carry_security_headers(server):
    parts = urlsplit(server)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request("GET", "/", headers={"Accept": "text/html"})
    response = connection.getresponse()
    response.read()
    assert "default-src 'self'" in response.getheader("content-security-policy", "")
    assert response.getheader("x-content-type-options") == "nosniff"
    assert response.getheader("referrer-policy") == "no-referrer"


def _doubling(times: int) -> str:
    """A 100 KB literal doubled `times` times by CONCAT, answered as its length only."""
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(times))
    return (f'SELECT (STRLEN(?v{times}) AS ?n) WHERE {{ BIND("{"x" * 100_000}" AS ?v0) '
            f"{binds} }}")


def test_answers_and_worker_memory_are_capped(test_settings, built):
    """An answer past RCKG_MAX_RESPONSE and a query past RCKG_WORKER_MEMORY both get a 400
    that says which limit, and the server goes on answering."""
    env = {"RCKG_STORE": str(test_settings.store), "RCKG_BASE_IRI": BASE, "RCKG_WORKERS": "1",
           "RCKG_MAX_RESPONSE": "200000", "RCKG_WORKER_MEMORY": "900000000",
           "RCKG_QUERY_TIMEOUT": "20"}
    with running_server(env) as running:
        everything = httpx.get(f"{running.url}/sparql", timeout=30,
                               params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert everything.status_code == 400
        assert "RCKG_MAX_RESPONSE" in everything.json()["detail"]
        graph = httpx.get(f"{running.url}/sparql", timeout=30, params={
            "query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"})
        assert graph.status_code == 400 and "200000 bytes" in graph.json()["detail"]
        small = httpx.get(f"{running.url}/sparql", timeout=30,
                          params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 10"})
        assert small.status_code == 200
        huge = httpx.post(f"{running.url}/sparql", timeout=60, content=_doubling(12),
                          headers={"Content-Type": "application/sparql-query"})
        assert huge.status_code == 400, huge.text
        assert "RCKG_WORKER_MEMORY" in huge.json()["detail"]
        deadline = time.monotonic() + 30
        while httpx.get(f"{running.url}/health", timeout=30).json()["status"] != "ok":
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert httpx.get(f"{running.url}/sparql", timeout=30,
                         params={"query": "ASK {}"}).status_code == 200


def test_large_answers_are_streamed(test_settings, built):
    env = {"RCKG_STORE": str(test_settings.store), "RCKG_BASE_IRI": BASE, "RCKG_WORKERS": "1"}
    with running_server(env) as running:
        with httpx.stream("GET", f"{running.url}/sparql", timeout=30,
                          params={"query": "SELECT * WHERE { ?s ?p ?o }"}) as response:
            assert response.status_code == 200
            assert response.headers.get("transfer-encoding") == "chunked"
            body = b"".join(response.iter_bytes())
        assert len(json.loads(body)["results"]["bindings"]) > 1000


def _raw(url: str, data: bytes) -> bytes:
    """Send `data` as written on one connection; everything the server answers until it
    closes (or stays silent for 3 s)."""
    import socket

    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=3) as sock:
        sock.sendall(data)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except TimeoutError:
            pass
    return received


def test_content_length_with_transfer_encoding_is_refused_and_closed(server):
    smuggled = (b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
    body = b"0\r\n\r\n" + smuggled
    first = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
             b"Content-Length: " + str(len(body)).encode() + b"\r\n"
             b"Transfer-Encoding: chunked\r\n\r\n")
    answer = _raw(server, first + body)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert b"Transfer-Encoding" in answer
    assert answer.count(b"HTTP/1.1 ") == 1  # the smuggled request got no answer


@pytest.mark.parametrize("path", ["/health", "/id/china", "/api/actors/china/ties", "/",
                                  "/sparql?query=ASK%20%7B%7D"])
def test_head_is_answered_like_get(server, path):
    head = httpx.head(server + path, timeout=30)
    get = httpx.get(server + path, timeout=30)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]


@pytest.mark.parametrize("path", ["/id/china", "/fact/junge-welt-522920/gas-2025"])
def test_linked_data_pages_carry_security_headers(server, path):
    response = httpx.get(server + path, headers={"Accept": "text/html"}, timeout=30)
    assert response.status_code == 200 and response.headers["content-type"].startswith(
        "text/html")
    csp = response.headers.get("content-security-policy", "")
    assert "default-src 'self'" in csp and "frame-ancestors" in csp
    assert response.headers.get("x-content-type-options") == "nosniff"
    assert response.headers.get("referrer-policy") == "no-referrer"


def test_source_maps_are_not_served(server):
    response = httpx.get(f"{server}/static/explorer.js.map", timeout=30)
    assert response.status_code == 404


def test_api_docs_keep_working_scripts(server):
    """FastAPI's /docs runs an inline script: the pages' policy must not block it."""
    response = httpx.get(f"{server}/docs", timeout=30)
    assert response.status_code == 200
    assert "script-src 'self'" not in response.headers.get("content-security-policy", "")
    assert response.headers.get("x-content-type-options") == "nosniff"
