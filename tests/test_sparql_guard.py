"""The SERVICE/update guard against the spellings that hide a keyword from a naive scan.

Each hostile query is also run by pyoxigraph itself (in this process, which may reach the
loopback listener): the guard must refuse every query that would make the engine connect.
"""

from __future__ import annotations

import contextlib

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
]


@pytest.mark.parametrize("template", HOSTILE)
def test_hostile_service_is_refused(template):
    with pytest.raises(QueryRefused, match="SERVICE is disabled"):
        inspect(template.format(t=TARGET.format(port=9)))


def test_the_hostile_spellings_do_reach_the_network_without_the_guard():
    """The engine alone connects for these queries, so the guard is what stops them."""
    listener = Listener()
    try:
        for template in HOSTILE:
            with contextlib.suppress(OSError, SyntaxError, RuntimeError):
                list(ox.Store().query(template.format(t=TARGET.format(port=listener.port))))
    finally:
        listener.close()
    assert listener.connections >= len(HOSTILE) - 1


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
