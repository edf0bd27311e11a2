"""The query pool on its own: timeouts kill, waiting does not, lost workers come back."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest

from graph.store.query_pool import PoolUnavailable, QueryPool, QueryTimeout
from graph.store.query_worker import QueryRequest

JSON = "application/sparql-results+json"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def request(sparql: str) -> QueryRequest:
    return QueryRequest(sparql, True, None, None, JSON, None, 100)


@pytest.fixture()
def version(store, tmp_path) -> Path:
    """A private copy of the built store version, so the test may take it away."""
    copy = tmp_path / "version"
    shutil.copytree(store.path, copy)
    return copy


def wait_for(condition, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.1)


def test_a_lost_worker_is_replaced_once_the_store_opens_again(version):
    pool = QueryPool(lambda: version, 1, isolate=False)
    pool.start()
    try:
        assert pool.live == 1
        hidden = version.with_name("hidden")
        version.rename(hidden)  # replacements cannot open the store now
        with pytest.raises(QueryTimeout):
            pool.execute(request(CARTESIAN), timeout=0.5)
        time.sleep(1.0)
        assert pool.live == 0
        with pytest.raises(PoolUnavailable):
            pool.execute(request("ASK {}"), timeout=1, wait=0.2)
        hidden.rename(version)  # the store is back: the retrying replacement succeeds
        wait_for(lambda: pool.live == 1)
        assert pool.execute(request("ASK {}"), timeout=5).status == "ok"
    finally:
        pool.close()


def test_waiting_for_a_busy_worker_does_not_kill_it(version):
    pool = QueryPool(lambda: version, 1, isolate=False)
    pool.start()
    outcome: list[str] = []

    def run_slow() -> None:
        try:
            pool.execute(request(CARTESIAN), timeout=2.0)
        except QueryTimeout:
            outcome.append("timed out")

    try:
        slow = threading.Thread(target=run_slow)
        slow.start()
        time.sleep(0.3)
        began = time.monotonic()
        with pytest.raises(PoolUnavailable, match="busy"):
            pool.execute(request("ASK {}"), timeout=5, wait=0.3)
        assert time.monotonic() - began < 1.0
        slow.join()
        assert outcome == ["timed out"]
        wait_for(lambda: pool.live == 1)
        assert pool.execute(request("ASK {}"), timeout=5).status == "ok"
    finally:
        pool.close()


def test_workers_cannot_reach_the_network_without_a_namespace(version):
    """With RCKG_ISOLATE_WORKERS=0 the engine itself cannot contact anything: a SERVICE query
    sent past the guard straight to a worker fails, and the listener sees no connection."""
    from tests.server import Listener

    listener = Listener()
    pool = QueryPool(lambda: version, 1, isolate=False)
    pool.start()
    try:
        target = f"http://127.0.0.1:{listener.port}/internal/"
        for sparql in (f"PREFIX : <{target}> SELECT * WHERE {{ SERVICE:sparql {{ ?x ?y ?s }} }}",
                       f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
                       f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}"):
            answer = pool.execute(request(sparql), timeout=10)
            assert answer.status in ("ok", "error")
            if answer.status == "ok":  # SILENT: the service failed, nothing came back
                assert b'"value"' not in answer.body
        time.sleep(0.3)
        assert pool.sealed and pool.isolated and not pool.namespaced
        assert pool.isolation == "socket filter"
    finally:
        pool.close()
        listener.close()
    assert listener.connections == 0


def test_old_versions_workers_end_when_a_new_version_is_served(version, tmp_path):
    """Rebuilds with no traffic leave no workers of versions no longer served."""
    newer = tmp_path / "newer"
    shutil.copytree(version, newer)
    served = [version]
    pool = QueryPool(lambda: served[0], 2, isolate=False)
    pool.start()
    try:
        old = [w.process for w in list(pool._idle.queue)]
        for turn in range(3):  # back and forth, as successive builds would
            target = newer if turn % 2 == 0 else version
            served[0] = target
            pool.switch(target)
            assert pool.live == 2
            wait_for(lambda gone=old: not any(p.is_alive() for p in gone), 10)
            old = [w.process for w in list(pool._idle.queue)]
            assert all(w.path == target for w in pool._idle.queue)
        assert pool.execute(request("ASK {}"), timeout=5).status == "ok"
    finally:
        pool.close()


def test_a_busy_worker_of_an_old_version_ends_when_its_query_returns(version, tmp_path):
    newer = tmp_path / "newer"
    shutil.copytree(version, newer)
    served = [version]  # what the watcher finds as current
    pool = QueryPool(lambda: served[0], 1, isolate=False)
    pool.start()
    try:
        worker = pool._idle.queue[0]
        slow = threading.Thread(target=pool.execute, args=(request(
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"), 10))
        slow.start()
        time.sleep(0.2)
        served[0] = newer
        pool.switch(newer)
        slow.join()
        assert not worker.process.is_alive()
        assert pool.live == 1
    finally:
        pool.close()
