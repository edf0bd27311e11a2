"""Smoke tests of the store-server launchers: start, write with auth, read back, stop.

Why: the remote-store suite trusts these launchers to give it a working, writable server
and to leave nothing running; a broken launcher should fail here, not as odd API failures.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests import store_servers
from tests.store_servers import SERVERS, RemoteStore, require_binary, store_server

KINDS = sorted(SERVERS)
TRIPLE = '<urn:rckg:s> <urn:rckg:p> "вода"@ru'


def select_objects(store: RemoteStore, graph: str) -> list[dict[str, str]]:
    response = httpx.post(
        store.query, data={"query": f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
        headers={"Accept": "application/sparql-results+json"}, timeout=10)
    response.raise_for_status()
    return [row["o"] for row in response.json()["results"]["bindings"]]


@pytest.mark.parametrize("kind", KINDS)
def test_server_starts_writes_reads_and_stops(kind: str, tmp_path: Path) -> None:
    require_binary(kind)
    with store_server(kind, tmp_path) as store:
        assert store.kind == kind
        for url in (store.query, store.update, store.gsp):
            assert url is not None and url.startswith("http://127.0.0.1:")
        update = {"update": f"INSERT DATA {{ GRAPH <urn:rckg:g> {{ {TRIPLE} }} }}"}
        if store.user is not None:  # Virtuoso: the update endpoint refuses anonymous writes
            assert httpx.post(store.update, data=update, timeout=10).status_code == 401
        response = httpx.post(store.update, data=update, auth=store.auth, timeout=10)
        assert response.status_code in (200, 204), response.text
        assert select_objects(store, "urn:rckg:g") == [
            {"type": "literal", "value": "вода", "xml:lang": "ru"}]

        assert store.gsp is not None
        response = httpx.post(store.gsp, params={"graph": "urn:rckg:gsp"}, auth=store.auth,
                              content='<urn:rckg:a> <urn:rckg:b> <urn:rckg:c> .\n',
                              headers={"Content-Type": "application/n-triples"}, timeout=10)
        assert response.status_code in (200, 201, 204), response.text
        assert select_objects(store, "urn:rckg:gsp") == [{"type": "uri", "value": "urn:rckg:c"}]
        server = store.server
        assert server is not None and server.running
    assert not server.running


@pytest.mark.parametrize("kind", KINDS)
def test_killed_server_restarts_on_the_same_port_with_its_data(kind: str,
                                                                tmp_path: Path) -> None:
    require_binary(kind)
    with store_server(kind, tmp_path) as store:
        update = {"update": f"INSERT DATA {{ GRAPH <urn:rckg:g> {{ {TRIPLE} }} }}"}
        httpx.post(store.update, data=update, auth=store.auth, timeout=10).raise_for_status()
        query_url, old_pid = store.query, store.pid
        store.kill()
        with pytest.raises(httpx.TransportError):
            httpx.get(store.query, params={"query": "ASK {}"}, timeout=2)
        store.restart()
        assert store.query == query_url and store.pid != old_pid
        assert len(select_objects(store, "urn:rckg:g")) == 1

        store.pause()  # a hung store: the port accepts, nothing answers
        with pytest.raises(httpx.TimeoutException):
            httpx.get(store.query, params={"query": "ASK {}"}, timeout=1)
        store.resume()
        assert httpx.get(store.query, params={"query": "ASK {}"}, timeout=5).status_code == 200


@pytest.mark.parametrize("kind", KINDS)
def test_missing_binary_skips_outside_ci_and_fails_in_ci(kind: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(store_servers.BINARIES, kind, lambda: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="install it with"):
        require_binary(kind)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        require_binary(kind)
