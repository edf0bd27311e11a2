"""Paths from the request never reach files outside what is served, and pages carry
security headers."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from urllib.parse import urlsplit

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
