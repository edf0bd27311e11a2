"""The Python API for notebooks (graph/analyst.py) against REST and SPARQL: every fact in
the ties of each actor taking part, the same answers both ways, the counts SPARQL gives."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.analyst import Analyst, BadFilter, BadValue, UnknownId
from graph.config import PROJECT_ROOT, Settings

DOCS = (PROJECT_ROOT / "docs" / "rest.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def kg(test_settings: Settings, built: Any) -> Analyst:
    return Analyst.open(test_settings)


@pytest.fixture(scope="module")
def client(test_settings: Settings, built: Any) -> Iterator[TestClient]:
    with TestClient(create_app(replace(test_settings, workers=1))) as test_client:
        yield test_client


def plain(value: Any) -> Any:
    """As JSON gives it back, so Python answers compare with REST's."""
    return json.loads(json.dumps(value))


def rest_ties(client: TestClient, actor: str, **params: Any) -> list[dict[str, Any]]:
    """Every tie of `actor` over REST, page by page."""
    found: list[dict[str, Any]] = []
    while True:
        body = client.get(f"/api/actors/{actor}/ties",
                          params={**params, "limit": 50, "offset": len(found)}).json()
        found += body["ties"]
        if len(found) >= body["total"]:
            assert len(found) == body["total"]
            return found


def test_every_fact_is_in_the_ties_of_each_actor_taking_part(kg, client):
    facts = kg.facts()
    assert facts and len(facts) == client.get("/api/facts").json()["total"]
    actors = {e["id"] for f in facts for refs in f["roles"].values() for e in refs}
    by_actor = {actor: rest_ties(client, actor) for actor in sorted(actors)}
    for actor, found in by_actor.items():
        assert plain(kg.ties(actor)) == found, actor
    for fact in facts:
        for role, refs in fact["roles"].items():
            for entity in refs:
                assert (fact["fact"]["id"], role) in {
                    (t["fact"]["id"], t["role"]) for t in by_actor[entity["id"]]}, \
                    (fact["fact"]["id"], role, entity["id"])


def counting_query() -> str:
    """The SPARQL docs/rest.md gives for the number of an actor's ties."""
    blocks = re.findall(r"```sparql\n(.*?)```", DOCS, flags=re.S)
    found = [b for b in blocks if "?ties" in b]
    assert found, "docs/rest.md shows no query counting ties"
    return found[0]


def test_tie_totals_are_what_the_documented_sparql_counts(kg, client):
    counted = kg.sparql(counting_query())
    assert list(counted.columns) == ["actor", "ties"]
    assert counted["ties"].dtype.kind == "i"
    by_slug = {iri.rsplit("/", 1)[1]: n for iri, n in zip(counted["actor"], counted["ties"],
                                                             strict=True)}
    assert by_slug["beijing"] > 0 and by_slug["moscow"] > 0
    for slug in kg.view.entities:
        total = client.get(f"/api/actors/{slug}/ties").json()["total"]
        assert total == by_slug.get(slug, 0), slug
        assert sum(kg.actor(slug)["tie_counts"].values()) == total


@pytest.mark.parametrize("filters", [
    {}, {"relation": "suppliesTo"}, {"plover": "ACCUSE"}, {"attribution": "author-assessment"},
    {"certainty": "planned"}, {"since": "2026-01-01", "until": "2026-12-31"},
    {"actor": "Russland"}, {"source": "junge-welt-522920", "relation": "condemns"},
])
def test_facts_agree_with_rest(kg, client, filters):
    rest = client.get("/api/facts", params={**filters, "limit": 500}).json()
    assert plain(kg.facts(**filters)) == rest["facts"]
    assert rest["total"] == len(rest["facts"])


def test_search_paths_networks_and_lists_agree_with_rest(kg, client):
    assert plain(kg.search("Китая")) == client.get("/api/actors", params={"q": "Китая"}).json()[
        "actors"]
    assert plain(kg.paths("rosatom", "USA")) == client.get(
        "/api/paths", params={"from": "rosatom", "to": "USA"}).json()["paths"]
    assert plain(kg.network("Putin", depth=2, relation="meetsWith")) == client.get(
        "/api/actors/Putin/network", params={"depth": 2, "relation": "meetsWith"}).json()
    assert plain(kg.actor("Q159")) == client.get("/api/actors/Q159").json()
    assert plain(kg.ties("china", role="object", direction="incoming")) == rest_ties(
        client, "china", role="object", direction="incoming")
    for name in ("pipelines", "flows", "agreements"):
        assert plain(getattr(kg, name)()) == client.get(f"/api/{name}").json(), name


def test_sparql_gives_a_dataframe_and_the_projection_a_networkx_graph(kg):
    frame = kg.sparql("SELECT ?fact ?value WHERE { ?fact a rckg:Statement ; "
                      "rckg:volume/qudt:numericValue ?value } ORDER BY ?fact")
    assert len(frame) > 0 and frame["value"].dtype.kind == "f"
    statements = kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?f a rckg:Statement }")
    assert statements["n"][0] == len(kg.facts())
    edges = {d["fact"] for _, _, d in kg.graph.edges(data=True)}
    assert edges <= {f["fact"]["id"] for f in kg.facts()}
    with pytest.raises(ValueError, match="SELECT"):
        kg.sparql("ASK { ?s ?p ?o }")


def test_mistakes_raise_with_the_candidates(kg):
    with pytest.raises(UnknownId, match="did you mean united-states"):
        kg.ties("usaa")
    with pytest.raises(BadValue) as bad:
        kg.facts(relation="supplies")
    assert "suppliesTo" in bad.value.allowed
    with pytest.raises(BadValue, match="COOPERATE"):
        kg.facts(plover="COOPERATION")
    with pytest.raises(BadValue, match="incoming"):
        kg.ties("russia", direction="sideways")
    with pytest.raises(BadFilter, match="YYYY-MM-DD"):
        kg.facts(since="yesterday")
    with pytest.raises(BadFilter, match="after"):
        kg.ties("china", since="2026-02-01", until="2026-01-01")
    with pytest.raises(TypeError, match="relation"):
        kg.facts(type="suppliesTo")
