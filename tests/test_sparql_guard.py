"""The SERVICE/update guard against the spellings that hide a keyword from a naive scan.

Each hostile query is also run by pyoxigraph itself (in this process, which may reach the
loopback listener): the guard must refuse every query that would make the engine connect.
"""

from __future__ import annotations

import contextlib
import time

import pyoxigraph as ox
import pytest

from graph.store.sparql_guard import QueryRefused, inspect
from tests.server import Listener

TARGET = "<http://127.0.0.1:{port}/sparql>"
HOSTILE = [
    "SELECT * WHERE {{ SERVICE {t} {{ ?s ?p ?o }} }}",
    "select * where {{ ?x ?y ?z service silent {t} {{ ?s ?p ?o }} }}",
    # an escaped '#' in a prefixed name is not a comment
    "PREFIX ex: <http://e/> SELECT * WHERE {{ VALUES ?v {{ ex:a\\# }} SERVICE {t} {{?s ?p ?o}} }}",
    # an escaped quote in a prefixed name does not open a string
    "PREFIX ex: <http://e/> SELECT * WHERE {{ VALUES ?v {{ ex:a\\' }} SERVICE {t} {{?s ?p ?o}} "
    "FILTER(?v != 'x') }}",
    # \\u0022 inside a string stays inside the string for the engine
    'SELECT * WHERE {{ BIND("x\\u0022" AS ?a) SERVICE {t} {{?s ?p ?o}} BIND("y" AS ?b) }}',
    # a keyword right after a language tag or a number
    'SELECT * WHERE {{ BIND("a"@en AS ?a) SERVICE {t} {{?s ?p ?o}} }}',
    "SELECT * WHERE {{ BIND(1 AS ?a) SERVICE{t}{{?s ?p ?o}} }}",
    "SELECT * WHERE {{ {{ SERVICE {t} {{ ?s ?p ?o }} }} UNION {{ ?s ?p ?o }} }}",
]
UPDATES = ["INSERT DATA { <a> <b> <c> }", "DELETE WHERE { ?s ?p ?o }", "LOAD <http://x/>",
           "CLEAR ALL", "DROP GRAPH <g>", "WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
           "PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c }", "CREATE GRAPH <g>",
           "COPY <a> TO <b>", "MOVE <a> TO <b>", "ADD <a> TO <b>"]
HARMLESS = [
    "PREFIX ex: <http://e/> SELECT ?service WHERE { ?service ex:service 'service' }",
    'SELECT * WHERE { ?s ?p "SERVICE"@en }',
    "SELECT * WHERE { ?s <http://example.org/service> ?o } # SERVICE in a comment",
    'SELECT * WHERE { ?s ?p "x"@service }',
    "ASK { <http://www.w3.org/ns/sparql-service-description#Service> ?p ?o }",
    "SELECT ?insert ?delete WHERE { ?insert ?delete ?load }",
    "PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:Service ?o }",
]


@pytest.mark.parametrize("template", HOSTILE)
def test_hostile_service_is_refused(template):
    with pytest.raises(QueryRefused, match="SERVICE is disabled"):
        inspect(template.format(t=TARGET.format(port=9)))


def _connections_without_the_guard(templates: list[str]) -> int:
    """How many connections the engine alone opens for these queries to a loopback port."""
    listener = Listener()
    try:
        for template in templates:
            with contextlib.suppress(OSError, SyntaxError, RuntimeError):
                list(ox.Store().query(template.format(t=TARGET.format(port=listener.port))))
    finally:
        listener.close()
    return listener.connections


def test_the_hostile_spellings_do_reach_the_network_without_the_guard():
    """The engine alone connects for these queries, so the guard is what stops them."""
    assert _connections_without_the_guard(HOSTILE) >= len(HOSTILE) - 1


@pytest.mark.parametrize("query", UPDATES)
def test_updates_are_refused(query):
    with pytest.raises(QueryRefused, match="read-only"):
        inspect(query)


@pytest.mark.parametrize("query", HARMLESS)
def test_harmless_words_are_not_keywords(query):
    info = inspect(query)
    assert info.form in ("SELECT", "ASK")
    assert info.has_dataset_clause is False
    result = ox.Store().query(query)  # and the engine runs it
    assert isinstance(result, ox.QueryBoolean | ox.QuerySolutions)


def test_dataset_clause_and_form():
    assert inspect("ASK FROM <g> {}").has_dataset_clause
    assert not inspect('SELECT * { ?s ?p "x"@from }').has_dataset_clause
    assert inspect("DESCRIBE <x>").form == "DESCRIBE"
    assert inspect("SELEC *").form is None  # the engine reports the syntax error


GLUED = [  # SERVICE glued to a prefixed name: the engine reads the keyword by its first letters
    "PREFIX : {t} SELECT * WHERE {{ SERVICE:sparql {{ ?x ?y ?s }} }}",
    "PREFIX ex: {t} SELECT * WHERE {{ SERVICEex:sparql {{ ?x ?y ?s }} }}",
    "PREFIX : {t} SELECT * WHERE {{ ?a ?b ?c . service:x {{ ?x ?y ?s }} }}",
    "PREFIX ex: {t} SELECT * WHERE {{ ?a ?b ?c . SeRvIcE\\u0065x:y {{ ?x ?y ?s }} }}",
]


@pytest.mark.parametrize("template", GLUED)
def test_service_glued_to_a_prefixed_name_is_refused(template):
    with pytest.raises(QueryRefused, match="SERVICE is disabled"):
        inspect(template.format(t=TARGET.format(port=9)))


def test_the_glued_spellings_reach_the_network_without_the_guard():
    """The engine does contact the server for these, so refusing them is no false alarm."""
    assert _connections_without_the_guard(GLUED[:2]) == 2


def test_a_remote_store_is_never_sent_service_in_any_name():
    """Strict mode (remote stores): another engine may split names its own way."""
    for query in ("PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:xSERVICEy ?o }",
                  "SELECT * WHERE { ?s :service ?o }"):
        inspect(query)  # harmless for the embedded engine
        with pytest.raises(QueryRefused, match="SERVICE"):
            inspect(query, strict=True)


LINEAR_SHAPES = {  # each once took quadratic time in the guard
    "escaped-quotes": lambda n: 'ASK { "' + '\\"' * n,
    "escaped-apostrophes": lambda n: "ASK { '" + "\\'" * n,
    "long-string-escapes": lambda n: 'ASK { """' + '\\"' * n,
    "long-string-apostrophes": lambda n: "ASK { '''" + "\\'" * n,
    "quote-backslash": lambda n: "ASK { " + '"\\' * n,
    "long-prefix-many-calls": lambda n: (
        "PREFIX x: <http://www.w3.org/2001/XMLSchema#" + "a" * n + "> ASK { FILTER("
        + "x:a(1)+" * (n // 8) + "1) }"),
}


def _guard_seconds(query: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        with contextlib.suppress(QueryRefused):
            inspect(query, strict=True)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("shape", LINEAR_SHAPES)
def test_the_guard_takes_linear_time(shape):
    """16 times the input may cost at most 64 times the time (quadratic would be 256); and
    the 60 KB body of the report (33 s before) stays far below a second."""
    make = LINEAR_SHAPES[shape]
    small, large = _guard_seconds(make(4000)), _guard_seconds(make(64000))
    assert large < max(64 * small, 0.05), (small, large)
    assert _guard_seconds(make(30000)) < 1.0
