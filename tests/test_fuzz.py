"""Fuzzing the HTTP API with schemathesis, from its own OpenAPI schema.

The schema is the app's (`create_app().openapi()`, the document the server serves at
`/openapi.json`, as a test checks). A real `rckg serve` on loopback, over the built article
graph, gets up to EXAMPLES generated requests per operation and phase (examples, coverage,
fuzzing; valid and invalid data), with a fixed seed and Hypothesis derandomized, so every run
sends the same requests (about 1700 over the 16 operations at EXAMPLES = 100). Every
operation of the schema is tested; none is excluded. (The web pages `/` and `/static`, and
FastAPI's `/docs` and `/openapi.json`, are not API operations and are not in the schema.) Each
response must:

- not be a server error, except 503/504 carrying a JSON message (a timeout or a busy store);
- have a documented status code, a documented content type, and a body matching its schema;
- reject data that breaks the schema with a 4xx (negative_data_rejection), and a method the
  operation does not have with 405 and an Allow header (unsupported_method);
- for an error, be RFC 9457 problem+json (`status` as answered, a `title`) with a `detail` in
  words (a browser may get an HTML page instead) and no stack trace, internal path or Python
  exception name (`leaks` of tests/test_hostile_sparql.py; what the request itself sent, such
  as an id echoed in "no entity with id …", does not count).

Not checked: `positive_data_acceptance` (that data fitting the schema gets a 2xx). A string is
a valid `query` for the schema but seldom a SPARQL query, and a string is a valid relation,
actor or format but seldom a known one: the API rightly answers 400, 404 or 422 to those. The
stateful phase is off: the API is read-only, there are no links between operations to follow.
"""

from __future__ import annotations

import json
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import CheckContext, Response, checks
from schemathesis.core.result import Ok

from api.app import create_app
from graph.config import settings as read_settings
from tests.conftest import BASE
from tests.server import Server, running_server
from tests.test_hostile_sparql import leaks

EXAMPLES = 100  # per operation and phase: the whole module runs in about a minute on 2 cores
SEED = 20_260_511
TIMEOUT = 2  # RCKG_QUERY_TIMEOUT of the fuzzed server, seconds

CASES: Counter[str] = Counter()  # requests sent, by operation
STATUSES: Counter[int] = Counter()  # responses, by status code


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "server.log"


@pytest.fixture(scope="module")
def server(test_settings, built, log: Path) -> Iterator[Server]:
    env = {"RCKG_STORE": str(test_settings.store), "RCKG_BASE_IRI": BASE, "RCKG_WORKERS": "2",
           "RCKG_QUERY_TIMEOUT": str(TIMEOUT), "RCKG_TEST_LOG": str(log)}
    with running_server(env) as server:
        yield server


def openapi() -> dict:
    return create_app(read_settings()).openapi()


def load_schema() -> schemathesis.BaseSchema:
    config = schemathesis.Config.from_dict({
        "seed": SEED,
        "generation": {"mode": "all", "max-examples": EXAMPLES, "deterministic": True,
                       "database": "none"},
        "phases": {"stateful": {"enabled": False}},
        "checks": {"not_a_server_error": {"expected-statuses": ["2xx", "3xx", "4xx", "503",
                                                                 "504"]}},
        "request-timeout": 30,
    })
    return schemathesis.openapi.from_dict(openapi(), config=config)


# A SPARQL query goes as it is, like text/plain.
schemathesis.serializer.alias("application/sparql-query", "text/plain")
schema = load_schema()


def errors_are_messages(ctx: CheckContext, response: Response, case: schemathesis.Case) -> None:
    """An error is a problem+json message in words (or, for a browser, an HTML page), no
    leak."""
    if response.status_code < 400:
        return
    text = response.text
    body = response.request.body or b""
    sent = str(response.request.url) + (
        body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body))
    found = leaks(text, sent + urllib.parse.unquote_plus(sent))
    assert not found, f"{response.status_code} body leaks {found}: {text[:300]}"
    media_type = response.headers.get("content-type", [""])[0].split(";")[0]
    if media_type == "text/html":
        return
    assert media_type == "application/problem+json", f"{response.status_code} as {media_type}"
    problem = json.loads(text)
    detail = problem["detail"]
    assert detail and isinstance(detail, str), "an error without a message in words"
    assert problem["status"] == response.status_code and problem["title"], problem
    if response.status_code >= 500:
        assert response.status_code in (503, 504), response.status_code
        assert isinstance(detail, str), "a 503/504 says what happened in words"


CHECKS = [checks.not_a_server_error, checks.status_code_conformance,
          checks.content_type_conformance, checks.response_schema_conformance,
          checks.negative_data_rejection, checks.unsupported_method]


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_answers_within_its_schema(case: schemathesis.Case, server: Server) -> None:
    response = case.call(base_url=server.url, timeout=30)
    CASES[case.operation.label] += 1
    STATUSES[response.status_code] += 1
    case.validate_response(response, checks=CHECKS, additional_checks=[errors_are_messages])


def test_the_fuzzed_schema_is_the_served_one(server: Server) -> None:
    assert httpx.get(f"{server.url}/openapi.json").json() == openapi()


def test_every_operation_was_fuzzed(log: Path) -> None:
    """Run after the fuzzing above: each operation of the schema got requests, and nothing
    failed unhandled on the way, in the server or its workers (an error answered with a
    generic message still leaves its traceback in the log)."""
    if not CASES:
        pytest.skip("runs after test_api_answers_within_its_schema")
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text, text[-3000:]
    results = list(schema.get_all_operations())
    assert all(isinstance(result, Ok) for result in results), "an operation the fuzzer cannot read"
    operations = {result.ok().label for result in results if isinstance(result, Ok)}
    assert operations == set(CASES), operations ^ set(CASES)
    print(f"\nfuzz: {sum(CASES.values())} requests over {len(CASES)} operations; "
          f"statuses {dict(sorted(STATUSES.items()))}")
    for label, count in sorted(CASES.items()):
        print(f"  {count:4} {label}")
