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
