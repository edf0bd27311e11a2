"""The load test's short variant (bench/load.py): 8 clients for 5 s, no errors, every kind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from bench import load
from graph.builder.pipeline import BuildReport
from graph.config import PROJECT_ROOT, Settings
from tests.conftest import BASE
from tests.server import running_server

FIGURES = {"requests", "errors", "p50_ms", "p99_ms", "max_ms", "rps"}


def _env(test_settings: Settings) -> dict[str, str]:
    return {"RCKG_STORE": str(test_settings.store), "RCKG_BASE_IRI": BASE}


def _load(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bench.load", *args], cwd=PROJECT_ROOT,
                          env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=180)


def test_short_load_has_no_errors(test_settings: Settings, built: BuildReport,
                                  tmp_path: Path) -> None:
    env = _env(test_settings)
    out = tmp_path / "load.json"
    with running_server(env) as server:
        done = _load(env, "--url", server.url, "--clients", "8", "--seconds", "5",
                     "--json", str(out))
        assert httpx.get(f"{server.url}/health", timeout=5).status_code == 200
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert {"url", "clients", "seconds", "elapsed_s", "client_cpu_s", "kinds", "total",
            "detail", "error_samples"} <= figures.keys()
    assert figures["clients"] == 8
    assert set(figures["kinds"]) == set(load.KINDS)
    for kind, row in figures["kinds"].items():
        assert set(row) == FIGURES, kind
        assert row["requests"] > 0, f"{kind} was never requested"
        assert row["errors"] == 0, kind
        assert 0 < row["p50_ms"] <= row["p99_ms"] <= row["max_ms"]
    assert set(figures["total"]) == FIGURES
    assert figures["total"]["errors"] == 0, figures["error_samples"]
    assert figures["total"]["requests"] == sum(r["requests"] for r in figures["kinds"].values())
    # Stopped by itself: 5 s of new requests, then only what was in flight.
    assert figures["elapsed_s"] < 5 + load.DEFAULT_TIMEOUT
    for kind in load.KINDS:
        assert kind in done.stdout
    assert "total" in done.stdout


def test_starts_and_stops_its_own_server(test_settings: Settings, built: BuildReport,
                                         tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    done = _load(_env(test_settings), "--clients", "2", "--seconds", "1", "--json", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["total"]["requests"] > 0
    assert figures["url"].startswith("http://127.0.0.1:")
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{figures['url']}/health", timeout=2)


def test_no_build_is_a_clear_error(tmp_path: Path) -> None:
    done = _load({"RCKG_STORE": str(tmp_path / "empty")}, "--seconds", "1")
    assert done.returncode == 2
    assert "no graph has been built" in done.stderr and "rckg build" in done.stderr


@pytest.mark.parametrize("url", ["http://example.com:8000", "http://10.0.0.1:8000",
                                 "http://0.0.0.0:8000", "http://[2001:db8::1]:8000",
                                 "http://localhost.example.com", "http://127.0.0.1.nip.io",
                                 "file:///etc/passwd", "http://user@192.168.1.1/"])
def test_non_loopback_url_is_refused(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(load.NotLoopback):
        load.check_loopback(url)
    assert load.main(["--url", url, "--seconds", "1", "--clients", "1"]) == 2
    assert "loopback" in capsys.readouterr().err


def test_non_loopback_url_is_refused_on_the_command_line() -> None:
    done = _load({}, "--url", "http://192.0.2.1:8000", "--seconds", "1")
    assert done.returncode == 2
    assert "not an http(s) URL on a loopback address" in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "http://127.1.2.3:9",
                                 "http://localhost:8000/", "http://[::1]:8000"])
def test_loopback_urls_are_accepted(url: str) -> None:
    load.check_loopback(url)


def test_choice_sequence_is_deterministic() -> None:
    import itertools
    import random

    calls = load.mix(BASE)

    def first(seed: int) -> list[load.Call]:
        return list(itertools.islice(load.choices(random.Random(seed), calls), 200))

    assert first(1) == first(1)
    assert first(1) != first(2)
    assert {c.kind for c in first(1)} == set(load.KINDS)


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert load.percentile(values, 50) == 50.0
    assert load.percentile(values, 99) == 99.0
    assert load.percentile([7.0], 99) == 7.0
    assert load.percentile([], 50) is None


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # runs to its timeout
CHEAP = {"ask": ("/sparql", {"query": "ASK {}"}), "id": ("/id/china", {}),
         "ties": ("/api/actors/china/ties", {})}


def _p99(values: list[float]) -> float:
    return load.percentile(values, 99)


def test_cheap_requests_answer_while_slow_queries_fill_the_workers(
        test_settings: Settings, built: BuildReport) -> None:
    """8 clients loop queries that run to their timeout; Linked Data pages and REST ties
    answer within 1 s at p99 (a worker is kept for them), ASK {} gets 200 or, while the
    SPARQL slots are all taken, 503 with Retry-After, and /health is never 503. Bounded: the
    clients stop after `seconds`, each request after 30 s at most."""
    import threading
    import time

    seconds = 12.0
    env = {**_env(test_settings), "RCKG_WORKERS": "4", "RCKG_QUERY_TIMEOUT": "3"}
    with running_server(env) as server:
        for path, params in CHEAP.values():  # warm: the projection is built once
            assert httpx.get(server.url + path, params=params, timeout=60).status_code == 200
        stop = time.monotonic() + seconds
        slow_statuses: list[int] = []

        def hostile() -> None:
            with httpx.Client(timeout=30) as client:
                while time.monotonic() < stop:
                    slow_statuses.append(client.get(f"{server.url}/sparql",
                                                    params={"query": SLOW}).status_code)

        threads = [threading.Thread(target=hostile) for _ in range(8)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        latencies: dict[str, list[float]] = {kind: [] for kind in CHEAP}
        statuses: dict[str, list[int]] = {kind: [] for kind in [*CHEAP, "health"]}
        with httpx.Client(timeout=30) as client:
            while time.monotonic() < stop:
                for kind, (path, params) in CHEAP.items():
                    started = time.monotonic()
                    statuses[kind].append(client.get(server.url + path,
                                                     params=params).status_code)
                    latencies[kind].append(time.monotonic() - started)
                statuses["health"].append(client.get(f"{server.url}/health").status_code)
                time.sleep(0.05)
        for thread in threads:
            thread.join()
    print({kind: round(_p99(values), 3) for kind, values in latencies.items()},
          {kind: sorted(set(codes)) for kind, codes in statuses.items()},
          sorted(set(slow_statuses)))
    assert 503 in slow_statuses  # the slow queries did run to their timeout
    assert set(statuses["health"]) == {200}
    assert set(statuses["id"]) == {200} and set(statuses["ties"]) == {200}
    assert _p99(latencies["id"]) < 1.0 and _p99(latencies["ties"]) < 1.0
    assert set(statuses["ask"]) <= {200, 503}  # SPARQL shares the slow queries' slots


def test_a_query_stops_when_its_client_leaves(test_settings: Settings,
                                              built: BuildReport) -> None:
    """The only worker is freed within seconds of the client hanging up, not after the
    query's 20 s limit."""
    import time

    env = {**_env(test_settings), "RCKG_WORKERS": "1", "RCKG_QUERY_TIMEOUT": "20"}
    with running_server(env) as server:
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(f"{server.url}/sparql", params={"query": SLOW}, timeout=1.0)
        started = time.monotonic()
        answer = httpx.get(f"{server.url}/sparql", params={"query": "ASK {}"}, timeout=30)
        assert answer.status_code == 200
        assert time.monotonic() - started < 8  # the cancel, a new worker's start, the answer
