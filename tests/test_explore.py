"""`/api/explore/facts`, what the explorer reads facts from: every fact naming an actor, text
search over quotes and translations, sentences and the voices inside a quote. Expectations
come from the REST API's own answers (/api/facts), not from counts fixed here."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.config import PROJECT_ROOT
from graph.sources.words import fold

ARTICLE = (PROJECT_ROOT / "seeds" / "000_fdbe017421ca9382.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def client(test_settings, built) -> Iterator[TestClient]:
    with TestClient(create_app(replace(test_settings, workers=1))) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def all_facts(client) -> list[dict]:
    body = client.get("/api/facts", params={"limit": 500}).json()
    return list(body["facts"])


def explore(client: TestClient, **params: object) -> dict:
    response = client.get("/api/explore/facts", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_every_fact_naming_an_actor_even_without_a_counterpart(client, all_facts):
    wanted = [f["fact"]["id"] for f in all_facts
              if any(r["id"] == "power-of-siberia-2" for refs in f["roles"].values() for r in refs)]
    found = explore(client, actor="power-of-siberia-2")
    assert [f["fact"]["id"] for f in found["facts"]] == wanted and found["total"] == len(wanted)
    capacity = next(f for f in found["facts"] if f["relation"] == "hasCapacity")
    assert "object" not in capacity["roles"]  # no counterpart: no edge draws it
    assert capacity["quantities"][0]["unit"] == "M3-PER-YR"


@pytest.mark.parametrize("query", ["Erdgas", "Kubikmeter", "49", "pipeline", "NATO-Ostexpansion"])
def test_search_finds_facts_by_their_words(client, all_facts, query):
    def text(f: dict) -> str:
        return fold(" ".join([f["quote"], f["translation"] or "",
                              *(q["stated"] for q in f["quantities"])]))

    wanted = [f["fact"]["id"] for f in all_facts if fold(query) in text(f)]
    found = explore(client, q=query)
    assert wanted and [f["fact"]["id"] for f in found["facts"]] == wanted


def test_each_fact_comes_with_its_sentence(client):
    for fact in explore(client, actor="china")["facts"]:
        sentence = fact["sentence"]
        start, end = fact["evidence"]["start"], fact["evidence"]["end"]
        assert sentence["start"] <= start and end <= sentence["start"] + len(sentence["text"])
        assert ARTICLE[sentence["start"]:sentence["start"] + len(sentence["text"])] \
            == sentence["text"]
        assert sentence["text"][start - sentence["start"]:end - sentence["start"]] \
            == fact["quote"]


def test_the_authors_gloss_inside_a_declaration_is_marked(client, all_facts):
    declared = [f for f in all_facts if f["attribution"] == "joint-declaration"
                and "sprich:" in f["quote"]]
    assert declared
    for fact in explore(client, id=[f["fact"]["id"] for f in declared])["facts"]:
        voice = next(v for v in fact["voices"] if v["attribution"] == "author-assessment")
        assert fact["quote"][voice["start"]:voice["end"]] == "sprich: die NATO-Ostexpansion"
        gloss = next(f for f in all_facts if f["fact"]["id"] == voice["fact"])
        assert gloss["quote"] == "sprich: die NATO-Ostexpansion"


def test_bad_requests_are_refused_with_a_message(client):
    assert client.get("/api/explore/facts").status_code == 400
    both = client.get("/api/explore/facts", params={"actor": "china", "q": "Gas"})
    assert both.status_code == 400 and "exactly one" in both.json()["detail"]
    unknown = client.get("/api/explore/facts", params={"actor": "chna"})
    assert unknown.status_code == 404 and "china" in [s["id"] for s in
                                                      unknown.json()["suggestions"]]
    assert client.get("/api/explore/facts", params={"id": "nope/nothing"}).status_code == 404
    assert client.get("/api/explore/facts", params={"q": "x" * 201}).status_code == 422
