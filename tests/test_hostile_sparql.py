"""Hostile and malformed SPARQL requests against a real `rckg serve`.

The corpus, tests/data/hostile/corpus.yaml, holds 71 requests: deep nesting (groups,
parentheses, subqueries, paths, blank nodes, collections, EXISTS, OPTIONAL), long chains
(UNION, MINUS, FILTER, `!`, `+`, path steps), huge literals and bodies (900 KB; over the 1 MiB
cap, with and without Content-Length; 900 KB in a URL), invalid Unicode (lone surrogates in the
URL, the form and the body, bytes that are not UTF-8, NUL, escapes past Unicode),
property-path explosions, cartesian products and COUNT over cross joins, enormous LIMIT and
OFFSET, regular-expression catastrophes, SERVICE and LOAD to loopback and to file: IRIs,
FROM and default-graph-uri naming files and loopback, and malformed protocol requests.

They are sent one by one to a server over the built article graph with RCKG_QUERY_TIMEOUT=2
and RCKG_WORKERS=2, each once the pool is at full strength. For each request:

- the outcome is one the corpus allows: a 4xx, a 503/504 (the time limit), or — for the few
  that are valid and harmless, each with its reason in the corpus — a 200 whose content proves
  the harm did not happen (no solutions, a truncation header); never another 5xx;
- an error carries a JSON `detail` in words, with no traceback, internal path or Python
  exception name (`leaks`, also applied to every error of tests/test_fuzz.py);
- no query worker died, unless the query overran the time limit and its worker was replaced;
- the server then answers `ASK {}` within 1 s.

At the end the server's log holds no traceback. The outcome counts are printed (`-s`).
Below the corpus, the backstops are tested on their own: the generic 500 of the app, the
generic error of a worker, and the worker's large stack.
"""

from __future__ import annotations

import codecs
import contextlib
import http.client
import json
import re
import resource
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
import yaml
from fastapi.testclient import TestClient

from api.app import create_app
from api.errors import INTERNAL
from graph.config import PROJECT_ROOT
from graph.store.query_worker import UNEXPECTED, QueryRequest, answer
from graph.store.sparql_guard import QueryRefused, inspect
from tests.conftest import BASE
from tests.server import Server, running_server, workers

CORPUS = Path(__file__).parent / "data" / "hostile" / "corpus.yaml"
TIMEOUT = 2  # RCKG_QUERY_TIMEOUT of the server, seconds
WORKERS = 2
ASK_WITHIN = 1.0  # seconds for `ASK {}` after each hostile request
RECOVER_WITHIN = 30.0  # seconds for the pool to be back at full strength
TIMED_OUT = (503, 504)

# What an error body must never show: a traceback, a path of this project or of the Python
# installation, a Python file, or the name of a Python exception.
LEAKS = re.compile("|".join([
    r"Traceback", r'File "', r"site-packages", r"\.py\b",
    *(re.escape(str(path)) for path in {PROJECT_ROOT, Path(sys.prefix), Path(sys.base_prefix)}),
    r"\b\w*(?:Error|Exception|Warning)\b", r"\bStopIteration\b", r"\bKeyboardInterrupt\b",
]))


def leaks(text: str, sent: str = "") -> list[str]:
    """The parts of an error body that reveal the server's insides (what the client sent
    itself, echoed in a message, does not count)."""
    return [found for found in LEAKS.findall(text) if found not in sent]


def load_corpus() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    return entries


ENTRIES = load_corpus()
OUTCOMES: Counter[str] = Counter()  # outcome (status code or "reset") over the corpus


def expand(text: str, server: str) -> str:
    """«TEXT*N» repeated, $SERVER replaced with the server's base URL."""
    def repeat(match: re.Match[str]) -> str:
        unit, _, times = match.group(1).rpartition("*")
        return unit * int(times)

    return re.sub(r"«(.+?\*\d+)»", repeat, text, flags=re.S).replace("$SERVER", server)


@dataclass
class Request:
    method: str
    target: str
    body: bytes | None
    content_type: str | None
    chunked: bool

    def text(self) -> str:
        """What the client sent, readable, for telling echoes from leaks."""
        sent = urllib.parse.unquote(self.target) + (self.body or b"").decode("utf-8", "replace")
        return sent + urllib.parse.unquote_plus(sent)


@dataclass
class Outcome:
    status: int | str  # a status code, or "reset"
    headers: dict[str, str]
    body: bytes
    seconds: float


def build(entry: dict[str, Any], server: str) -> Request:
    send = entry.get("send", "form")
    if send == "raw":
        body = entry.get("body")
        raw = codecs.escape_decode(expand(body, server).encode("latin-1"))[0] if body else None
        return Request(entry["method"], entry["target"] if "«" not in entry["target"]
                       else expand(entry["target"], server), raw, entry.get("content_type"),
                       bool(entry.get("chunked")))
    query = expand(entry["query"], server)
    params: list[tuple[str, str]] = [(k, expand(str(v), server))
                                     for k, v in (entry.get("params") or {}).items()]
    if send == "get":
        target = "/sparql?" + urllib.parse.urlencode([("query", query), *params])
        return Request("GET", target, None, None, False)
    if send == "query":
        target = "/sparql" + ("?" + urllib.parse.urlencode(params) if params else "")
        return Request("POST", target, query.encode("utf-8"), "application/sparql-query", False)
    assert send == "form", send
    body = urllib.parse.urlencode([("query", query), *params]).encode("ascii")
    return Request("POST", "/sparql", body, "application/x-www-form-urlencoded", False)


def perform(server: Server, request: Request) -> Outcome:
    parts = urllib.parse.urlsplit(server.url)
    assert parts.hostname is not None and parts.port is not None
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    headers = {"Content-Type": request.content_type} if request.content_type else {}
    body: Any = request.body
    if request.chunked and request.body is not None:
        data = request.body
        body = (data[i:i + 65536] for i in range(0, len(data), 65536))
    started = time.monotonic()
    try:
        connection.request(request.method, request.target, body=body, headers=headers,
                           encode_chunked=request.chunked)
        response = connection.getresponse()
        content = response.read()
        return Outcome(response.status, {k.lower(): v for k, v in response.getheaders()},
                       content, time.monotonic() - started)
    except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
        return Outcome("reset", {}, b"", time.monotonic() - started)
    finally:
        connection.close()


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile") / "server.log"


@pytest.fixture(scope="module")
def server(test_settings, built, log: Path) -> Iterator[Server]:
    env = {"RCKG_STORE": str(test_settings.store), "RCKG_BASE_IRI": BASE,
           "RCKG_WORKERS": str(WORKERS), "RCKG_QUERY_TIMEOUT": str(TIMEOUT),
           "RCKG_TEST_LOG": str(log)}
    with running_server(env) as server:
        yield server


def full_strength(server: Server) -> set[int]:
    """Wait until every query worker is up; their process ids."""
    deadline = time.monotonic() + RECOVER_WITHIN
    while True:
        health = httpx.get(f"{server.url}/health", timeout=5)
        pids = workers(server.pid)
        if health.status_code == 200 and health.json()["workers"] == WORKERS \
                and len(pids) == WORKERS:
            return pids
        assert time.monotonic() < deadline, f"the pool did not recover: {health.text}"
        time.sleep(0.1)


def ask(server: Server) -> float:
    """Seconds the server takes to answer `ASK {}` (which must be true)."""
    started = time.monotonic()
    response = httpx.get(f"{server.url}/sparql", params={"query": "ASK {}"}, timeout=10)
    seconds = time.monotonic() - started
    assert response.status_code == 200, response.text
    assert response.json()["boolean"] is True
    return seconds


def check_error(outcome: Outcome, request: Request) -> None:
    text = outcome.body.decode("utf-8", "replace")
    assert not leaks(text, request.text()), f"the body leaks {leaks(text)}: {text[:300]}"
    assert outcome.headers.get("content-type", "").startswith(
        ("application/json", "application/problem+json")), outcome.headers
    detail = json.loads(text)["detail"]
    assert isinstance(detail, str) and detail, f"no message: {text[:300]}"


def check_answer(entry: dict[str, Any], outcome: Outcome) -> None:
    if entry.get("empty"):
        result = json.loads(outcome.body)
        assert result["results"]["bindings"] == [], outcome.body[:300]
    if entry.get("truncated"):
        assert outcome.headers.get("rckg-truncated", "").startswith("true"), outcome.headers


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["name"] for e in ENTRIES])
def test_hostile_request(server: Server, entry: dict[str, Any]) -> None:
    before = full_strength(server)
    request = build(entry, server.url)
    outcome = perform(server, request)
    OUTCOMES[str(outcome.status)] += 1
    allowed = entry["expect"]
    assert outcome.status in allowed, \
        f"{outcome.status} not in {allowed}: {outcome.body[:300]!r}"
    if outcome.status == "reset":
        pass  # refused by the HTTP server before the app; nothing to read
    elif isinstance(outcome.status, int) and outcome.status >= 400:
        check_error(outcome, request)
    else:
        check_answer(entry, outcome)
    seconds = ask(server)
    assert seconds < ASK_WITHIN, f"ASK {{}} took {seconds:.2f} s after {entry['name']}"
    if outcome.status in TIMED_OUT:
        assert outcome.seconds < TIMEOUT + 5, outcome.seconds
    elif b"RCKG_WORKER_MEMORY" in outcome.body:  # stopped by the memory cap: worker replaced
        assert outcome.status == 400 and outcome.seconds < TIMEOUT + 5, outcome.seconds
    else:  # no worker died on the way
        assert workers(server.pid) == before, "a query worker died"


def test_no_traceback_in_the_server_log(server: Server, log: Path) -> None:
    """Run after the corpus: nothing failed unhandled, in the server or its workers."""
    if not OUTCOMES:
        pytest.skip("runs after test_hostile_request")
    assert ask(server) < ASK_WITHIN
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text, text[-3000:]
    total = sum(OUTCOMES.values())
    print(f"\nhostile: {total} requests; outcomes "
          f"{dict(sorted(OUTCOMES.items(), key=lambda item: item[0]))}")


def test_the_corpus_is_well_formed() -> None:
    names = [entry["name"] for entry in ENTRIES]
    assert len(names) == len(set(names))
    stated = re.search(r"holds (\d+) requests", __doc__ or "")
    assert stated and int(stated.group(1)) == len(ENTRIES), "update the module docstring"
    for entry in ENTRIES:
        assert entry["expect"] and all(o == "reset" or 400 <= o < 500 or o in TIMED_OUT
                                       or o == 200 for o in entry["expect"]), entry["name"]
        if 200 in entry["expect"]:
            assert entry.get("why") and (entry.get("empty") or entry.get("truncated")), \
                f"{entry['name']}: a 200 needs a reason and a check"


def test_expand() -> None:
    assert expand("«{*3»x«}*3» $SERVER", "http://h") == "{{{x}}} http://h"
    assert expand("«a*b*2»", "") == "a*ba*b"


def test_the_leak_pattern_catches_leaks() -> None:
    """The pattern the checks rely on finds what it should, and not ordinary messages."""
    assert leaks('Traceback (most recent call last):\n  File "/work/main/graph/store.py"')
    assert leaks("KeyError: 'x'") and leaks("pyoxigraph raised ValueError")
    assert leaks("OSError: [Errno 2]") and leaks("HTTPException") and leaks("StopIteration")
    assert leaks("/usr/lib/python3.11/site-packages/starlette/routing.py")
    assert leaks(f"cannot open {PROJECT_ROOT}/var/store") and leaks(f"{sys.prefix}/bin")
    assert leaks("Internal Server Error")  # Starlette's own 500, in plain text
    assert not leaks("SPARQL syntax error: error at 1:3: expected [_]")
    assert not leaks("the query ran longer than 2 s and was stopped")
    assert not leaks("unknown export format 'x.py'", sent="/api/export/x.py")


def test_an_unforeseen_error_answers_a_generic_message(test_settings, built) -> None:
    """A failure nobody foresaw answers 500 with a problem+json message revealing nothing."""
    app = create_app(replace(test_settings, workers=1))

    @app.get("/boom")
    def boom() -> None:
        raise KeyError(f"{PROJECT_ROOT}/graph/store.py: secret")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {"type": "about:blank", "title": "Internal Server Error",
                               "status": 500, "detail": INTERNAL}
    assert not leaks(response.json()["detail"])  # the title is the status's own phrase


def test_a_worker_answers_an_unforeseen_failure_generically() -> None:
    request = QueryRequest("ASK {}", True, None, None, None, None, 10)
    broken = QueryRequest("ASK {}", True, None, None, "no/such-type", None, 10)
    assert answer(ox.Store(), request).status == "not-acceptable"
    failed = answer(ox.Store(), broken)  # the results writer fails on an unknown type
    assert (failed.status, failed.message) == ("error", UNEXPECTED)


DEEP = "SELECT * WHERE " + "{" * 5000 + "}" * 5000  # past the guard, for the engine alone
RUN_DEEP = """
import sys
import pyoxigraph as ox
from graph.store.query_worker import QueryRequest, answer, answer_on_large_stack
request = QueryRequest(sys.argv[2], True, None, None, "application/sparql-results+json",
                       None, 10)
run = answer_on_large_stack if sys.argv[1] == "large" else answer
print(run(ox.Store(), request).status)
"""


@pytest.mark.parametrize("stack", ["large", "main"])
def test_the_worker_stack_holds_a_query_the_guard_would_refuse(stack: str) -> None:
    """The guard's limits keep queries shallow; should one get past them, the worker's large
    stack still holds it. On the main thread's usual 8 MiB stack, the same query kills the
    process, which is what the large stack is for."""
    done = subprocess.run([sys.executable, "-c", RUN_DEEP, stack, DEEP], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120)
    if stack == "large":
        assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-500:]
    else:
        limit = resource.getrlimit(resource.RLIMIT_STACK)[0]
        if limit == resource.RLIM_INFINITY or limit > 8 * 1024 * 1024:
            pytest.skip("the main thread's stack is larger than 8 MiB here")
        assert done.returncode < 0, "the control should overflow the default stack"


@pytest.mark.parametrize("text", ["a." * 450_000, "a-" * 450_000, "ex:a." * 150_000,
                                  "()" * 450_000, '"' + "a" * 900_000 + '"'])
def test_the_guard_reads_a_large_query_in_linear_time(text: str) -> None:
    """900 KB of names broken by dots once took the guard hours (each name rescanned the rest
    of the run); every shape of input now takes about a second at most."""
    started = time.monotonic()
    with contextlib.suppress(QueryRefused):
        inspect(f"ASK {{ {text} }}")
    assert time.monotonic() - started < 5
