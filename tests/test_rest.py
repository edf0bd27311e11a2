"""The REST API over the article graph: actors, ties, paths, networks, facts, domain lists,
dereferenceable IRIs, errors and caching."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from openapi_spec_validator import validate
from rdflib import Graph

from api import examples
from api.app import create_app
from graph.config import PROJECT_ROOT

ARTICLE = (PROJECT_ROOT / "seeds" / "000_fdbe017421ca9382.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def client(any_store) -> Iterator[TestClient]:
    """The API over each kind of store in turn (embedded, Oxigraph server, Virtuoso)."""
    with TestClient(create_app(replace(any_store, workers=2))) as test_client:
        yield test_client


def ties(client: TestClient, actor: str, **params: object) -> dict:
    response = client.get(f"/api/actors/{actor}/ties", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    return response.json()


def others(tie: dict, role: str | None = None) -> set[str]:
    """The ids of a tie's counterparts (in `role`, if given)."""
    return {c["id"] for c in tie["counterparts"] if role is None or c["role"] == role}


def test_russias_ties_with_relations_and_verbatim_quotes(client):
    body = ties(client, "russia")
    assert body["total"] == len(body["ties"]) > 0
    for tie in body["ties"]:
        assert tie["quote"] in ARTICLE
        assert tie["source"]["url"].startswith("https://www.jungewelt.de/artikel/522920")
        assert tie["role"] in ("subject", "object", "about", "via", "place", "speaker")
        assert "russia" not in others(tie)
    acted_on = {c for t in body["ties"] if t["role"] == "subject" for c in others(t, "object")}
    assert {"china", "united-states", "europe", "sco"} <= acted_on
    supplies = {(t["role"], c) for t in body["ties"] if t["relation"] == "suppliesTo"
                for c in others(t)}
    assert ("subject", "china") in supplies and ("subject", "europe") in supplies


def test_places_and_event_participants_have_ties(client):
    beijing = ties(client, "beijing")["ties"]
    assert beijing and {t["role"] for t in beijing} == {"place"}
    assert all(t["direction"] is None for t in beijing)
    through = [t for t in beijing if t["through"]]
    assert through and all(t["through"]["id"] in {c["id"] for c in t["counterparts"]}
                           for t in through)  # the event the fact is about
    assert ties(client, "moscow")["total"] > 0


def test_tie_carries_time_quantities_and_direction(client):
    gas = [t for t in ties(client, "russia", relation="suppliesTo")["ties"]
           if "china" in others(t, "object") and t["quantities"]]
    assert len(gas) == 1
    tie = gas[0]
    assert tie["direction"] == "outgoing" and tie["plover"] == "COOPERATE"
    assert tie["role"] == "subject" and tie["through"] is None
    assert tie["time"] == {"text": "2025", "precision": "year", "start": "2025-01-01",
                           "end": "2025-12-31"}
    assert tie["quantities"][0]["value"] == 4.9e10 and tie["quantities"][0]["unit"] == "M3-PER-YR"
    assert tie["certainty"] == "approximate"
    assert tie["direct"] is False  # "rund": a statement, not a plain edge of the graph
    plain = [t for t in ties(client, "russia")["ties"] if t["relation"] == "losesBusinessIn"]
    assert plain and {t["direct"] for t in plain} == {True}
    us = [t for t in ties(client, "russia")["ties"]
          if any(c["id"] == "united-states" for c in t["counterparts"])]
    assert {(t["attribution"], t["direct"]) for t in us} == {("author-assessment", False)}
    symmetric = ties(client, "china", relation="meetsWith")["ties"]
    assert symmetric == []
    meeting = ties(client, "xi-jinping", relation="meetsWith")["ties"]
    assert [t["direction"] for t in meeting] == ["both"]


def test_tie_filters(client):
    incoming = ties(client, "russia", direction="incoming")["ties"]
    assert {c for t in incoming for c in others(t, "subject")} >= {"china", "the-west"}
    assert all(t["direction"] == "incoming" and t["role"] != "subject" for t in incoming)
    window = ties(client, "china", since="2026-01-01", until="2026-03-31")["ties"]
    assert {(t["relation"], c) for t in window for c in others(t)} >= {
        ("importsFrom", "russia"), ("extends", "visa-free-travel")}  # valid until 2027-12-31
    assert all(t["time"] for t in window)
    declared = ties(client, "russia", attribution="joint-declaration")["ties"]
    assert {t["relation"] for t in declared} == {"condemns", "demands"}
    states = ties(client, "russia", counterpart_type="State")["ties"]
    assert states and all("State" in {c["type"] for c in t["counterparts"]} for t in states)
    for role in ("subject", "object"):
        assert {t["role"] for t in ties(client, "russia", role=role)["ties"]} == {role}


def test_a_time_window_keeps_facts_without_an_object(client):
    """A programme's schedule has a time and no object; a window over it keeps it."""
    dated = [t for t in ties(client, "years-of-education")["ties"]
             if t["time"] and t["time"]["start"] and not others(t, "object")]
    assert dated
    tie = dated[0]
    window = ties(client, "years-of-education", since=tie["time"]["start"],
                  until=tie["time"]["start"])["ties"]
    assert tie["fact"]["id"] in {t["fact"]["id"] for t in window}


def test_ties_are_paginated_in_a_stable_order(client):
    everything = ties(client, "china")["ties"]
    pages = [client.get("/api/actors/china/ties", params={"limit": 7, "offset": o}).json()
             for o in range(0, len(everything), 7)]
    assert [t for page in pages for t in page["ties"]] == everything
    assert all(page["total"] == len(everything) for page in pages)


def test_path_from_rosatom_to_the_united_states(client):
    body = client.get("/api/paths", params={"from": "rosatom", "to": "united-states"}).json()
    assert body["paths"]
    for path in body["paths"]:
        assert path[0]["from"]["id"] == "rosatom" and path[-1]["to"]["id"] == "united-states"
        for hop in path:
            assert hop["ties"], hop
            assert all(t["quote"] in ARTICLE for t in hop["ties"])
    assert [[h["to"]["id"] for h in p] for p in body["paths"]] == [["china", "united-states"]]
    short = client.get("/api/paths", params={"from": "rosatom", "to": "united-states",
                                            "max_length": 1}).json()
    assert short["paths"] == []


@pytest.mark.parametrize(("query", "expected"), [
    ("Putin", "vladimir-putin"), ("путин", "vladimir-putin"), ("普京", "vladimir-putin"),
    ("Russlands", "russia"), ("Chinas", "china"), ("России", "russia"), ("Китая", "china"),
    ("Russia's", "russia"), ("Moskaus", "moscow"), ("PEKING", "beijing"), ("xi", "xi-jinping"),
    ("Росатома", "rosatom"), ("美国", "united-states"),
])
def test_search_in_four_languages_with_inflections(client, query, expected):
    body = client.get("/api/actors", params={"q": query}).json()
    assert body["actors"][0]["id"] == expected


def test_search_by_type_and_listing(client):
    pipelines = client.get("/api/actors", params={"type": "Pipeline"}).json()
    assert [a["id"] for a in pipelines["actors"]] == ["power-of-siberia-1", "power-of-siberia-2"]
    assert client.get("/api/actors").json()["total"] == 64


def test_actor_detail_by_slug_and_by_wikidata(client):
    by_qid = client.get("/api/actors/Q15031").json()
    assert by_qid["id"] == "xi-jinping"
    assert by_qid["labels"] == {"de": "Xi Jinping", "en": "Xi Jinping", "ru": "Си Цзиньпин",
                                "zh": "习近平"}
    assert by_qid["wikidata"] == "http://www.wikidata.org/entity/Q15031"
    xi = ties(client, "xi-jinping")["ties"]
    counted: dict[str, int] = {}
    for tie in xi:
        counted[tie["relation"]] = counted.get(tie["relation"], 0) + 1
    assert by_qid["tie_counts"] == dict(sorted(counted.items()))
    assert sum(by_qid["tie_counts"].values()) == len(xi)


def test_unknown_ids_get_404_with_suggestions(client):
    response = client.get("/api/actors/rusia/ties")
    assert response.status_code == 404
    assert response.json()["suggestions"][0]["id"] == "russia"
    missing = client.get("/api/facts/junge-welt-522920/gas-2052")
    assert missing.status_code == 404
    assert missing.json()["suggestions"][0]["id"] == "junge-welt-522920/gas-2025"


@pytest.mark.parametrize("url", ["/api/actors/russia/ties?limit=0",
                                 "/api/actors/russia/ties?since=yesterday",
                                 "/api/actors/russia/ties?direction=sideways",
                                 "/api/actors/russia/network?depth=9",
                                 "/api/facts?limit=501",
                                 "/api/paths?from=russia"])
def test_bad_parameters_get_422_with_a_message(client, url):
    response = client.get(url)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 422 and body["title"] == "Unprocessable Entity"
    assert body["errors"][0]["msg"] and body["errors"][0]["loc"][0] in ("query", "path")
    name = body["errors"][0]["loc"][-1]
    assert f"query parameter {name!r}" in body["detail"]


def test_network_shape(client):
    body = client.get("/api/actors/rosatom/network").json()
    assert {n["id"] for n in body["nodes"]} == {"rosatom", "china", "nuclear-power"}
    assert [n["id"] for n in body["nodes"] if n["ego"]] == ["rosatom"]
    ids = {n["id"] for n in body["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in body["edges"])
    wider = client.get("/api/actors/rosatom/network", params={"depth": 2}).json()
    assert len(wider["nodes"]) > 20


def test_facts_by_attribution_and_one_fact(client):
    body = client.get("/api/facts", params={"attribution": "author-assessment"}).json()
    assert body["total"] == 9
    fact = client.get("/api/facts/junge-welt-522920/power-of-siberia-2-capacity").json()
    assert fact["quantities"][0]["stated"] == "50 Milliarden Kubikmeter im Jahr"
    assert fact["quantities"][0]["unit"] == "M3-PER-YR"
    assert ARTICLE[fact["evidence"]["start"]:fact["evidence"]["end"]] == fact["quote"]
    assert fact["roles"]["subject"][0]["id"] == "power-of-siberia-2"


def test_domain_lists(client):
    pipelines = {p["id"]: p for p in client.get("/api/pipelines").json()}
    pos2 = pipelines["power-of-siberia-2"]
    assert [q["quantity"]["value"] for q in pos2["capacity"]] == [5.0e10]
    assert [s["status"] for s in pos2["status"]] == ["planned"]
    assert [v["quantity"]["stated"] for v in pipelines["power-of-siberia-1"]["volumes"]] == [
        "49 Milliarden Kubikmeter"]
    flows = {f["id"]: f for f in client.get("/api/flows").json()}
    gas = flows["gas-russia-china"]
    assert gas["commodity"] == "natural gas"
    assert [v["id"] for v in gas["via"]] == ["power-of-siberia-1"]
    assert [c["quantity"]["stated"] for c in flows["oil-russia-china"]["changes"]] == ["35 Prozent"]
    assert [q["quantity"]["value"] for q in flows["students-china-russia"]["quantities"]] == [
        56000.0]
    agreements = {a["id"]: a for a in client.get("/api/agreements").json()}
    visa = agreements["visa-free-travel"]
    assert visa["kind"] == "VisaRegime"
    assert [v["time"]["end"] for v in visa["validity"]] == ["2027-12-31"]
    assert {p["id"] for p in visa["parties"]} == {"russia", "china"}


def test_entity_iri_dereferences_to_rdf_that_other_parsers_read(client):
    turtle = client.get("/id/power-of-siberia-2", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert len(graph) > 10
    jsonld = client.get("/id/power-of-siberia-2", headers={"Accept": "application/ld+json"})
    assert len(Graph().parse(data=jsonld.text, format="json-ld")) == len(graph)
    fact = client.get("/fact/junge-welt-522920/gas-2025", headers={"Accept": "application/ld+json"})
    quads = list(ox.parse(fact.content, format=ox.RdfFormat.JSON_LD))
    assert any(q.predicate.value == "http://www.w3.org/ns/oa#start" for q in quads)
    rdfxml = client.get("/fact/junge-welt-522920/gas-2025",
                        headers={"Accept": "application/rdf+xml"})
    assert len(Graph().parse(data=rdfxml.text, format="xml")) == len(quads)


def test_entity_iri_gives_a_browser_a_page_and_redirects_qids(client):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = client.get("/id/rosatom", headers={"Accept": accept})
    assert page.headers["content-type"].startswith("text/html")
    assert "Росатом" in page.text and "Rosatom wird den Ausbau" in page.text
    redirect = client.get("/id/Q159", follow_redirects=False)
    assert redirect.status_code == 303 and redirect.headers["location"] == "/id/russia"
    assert client.get("/id/nowhere").status_code == 404


def test_etag_and_not_modified(client):
    first = client.get("/api/actors/russia")
    tag = first.headers["etag"]
    assert tag.startswith('W/"')
    again = client.get("/api/actors/russia", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/api/actors/russia", headers={"If-None-Match": 'W/"old"'}).status_code \
        == 200
    # Negotiated representations: each Accept gets its own tag, so Turtle never answers HTML.
    turtle = client.get("/id/russia", headers={"Accept": "text/turtle"}).headers["etag"]
    html = client.get("/id/russia", headers={"Accept": "text/html"}).headers["etag"]
    assert turtle != html
    assert client.get("/id/russia", headers={"Accept": "text/html", "If-None-Match": turtle}
                      ).status_code == 200
    assert client.get("/id/russia", headers={"Accept": "text/html", "If-None-Match": html}
                      ).status_code == 304


def test_openapi_documents_every_endpoint(client):
    schema = client.get("/openapi.json").json()
    validate(schema)  # raises on an invalid OpenAPI document
    assert schema["openapi"].startswith("3.")
    assert {"/api/actors", "/api/actors/{id}", "/api/actors/{id}/ties",
            "/api/actors/{id}/network", "/api/paths", "/api/facts", "/api/facts/{source}/{fact}",
            "/api/pipelines", "/api/flows", "/api/agreements", "/id/{slug}", "/sparql",
            "/health"} <= set(schema["paths"])
    assert client.get("/docs").status_code == 200


@pytest.mark.parametrize("name", sorted(examples.REQUESTS))
def test_documented_examples_are_real_responses(client, name):
    documented = examples.doc(name)[200]["content"]["application/json"]["example"]
    live = client.get(examples.REQUESTS[name]).json()
    assert json.dumps(live, sort_keys=True) == json.dumps(documented, sort_keys=True), (
        f"run 'python -m api.record_examples' to re-record {name}")
    schema = client.get("/openapi.json").json()
    assert any(json.dumps(documented)[:200] in json.dumps(op)
               for path in schema["paths"].values() for op in path.values())


def test_http_exports(client):
    import io
    import zipfile

    from lxml import etree

    gexf = client.get("/api/export/gexf", params={"actor": "rosatom"})
    assert gexf.headers["content-type"].startswith("application/gexf+xml")
    assert 'filename="rckg-rosatom.gexf"' in gexf.headers["content-disposition"]
    root = etree.fromstring(gexf.content)
    assert {n.get("id") for n in root.iter("{http://gexf.net/1.3}node")} == {
        "rosatom", "china", "nuclear-power"}
    archive = zipfile.ZipFile(io.BytesIO(client.get("/api/export/csv").content))
    assert sorted(archive.namelist()) == ["edges.csv", "nodes.csv"]
    assert client.get("/api/export/png", params={"actor": "rosatom"}).content[:8] == \
        b"\x89PNG\r\n\x1a\n"
    windowed = client.get("/api/export/graphml", params={"since": "2026-01-01",
                                                         "until": "2026-03-31",
                                                         "relation": ["importsFrom"]})
    assert windowed.status_code == 200 and b"importsFrom" in windowed.content
    assert b"extends" not in windowed.content
    trig = client.get("/api/export/trig")
    quads = list(ox.parse(trig.content, format=ox.RdfFormat.TRIG))
    assert len(quads) > 4000
    assert client.get("/api/export/xlsx").status_code == 404
    unknown = client.get("/api/export/gexf", params={"actor": "atlantis"})
    assert unknown.status_code == 404 and "atlantis" in unknown.json()["detail"]
    named = client.get("/api/export/gexf", params={"actor": "Росатом"})
    assert named.content == gexf.content
    relation = client.get("/api/export/gexf", params={"relation": ["supplies"]})
    assert relation.status_code == 422 and "suppliesTo" in relation.json()["allowed"]


@pytest.mark.parametrize(("url", "parameter", "known"), [
    ("/api/facts?relation=supplies", "relation", "suppliesTo"),
    ("/api/actors/russia/ties?relation=supplies", "relation", "suppliesTo"),
    ("/api/actors/russia/network?relation=supplies", "relation", "suppliesTo"),
    ("/api/actors?type=Country", "type", "State"),
    ("/api/actors/russia/ties?counterpart_type=Country", "counterpart_type", "State"),
    ("/api/facts?source=nowhere", "source", "junge-welt-522920"),
    ("/api/export/graphml?relation=supplies", "relation", "suppliesTo"),
])
def test_unknown_values_of_the_graph_get_422_with_the_allowed_ones(client, url, parameter,
                                                                     known):
    response = client.get(url)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["parameter"] == parameter and known in body["allowed"]
    assert known in body["detail"]


@pytest.mark.parametrize(("url", "known"), [
    ("/api/facts?attribution=rumour", "joint-declaration"),
    ("/api/facts?certainty=sure", "approximate"),
    ("/api/facts?plover=COOPERATION", "COOPERATE"),
    ("/api/actors/russia/ties?role=host", "place"),
    ("/api/actors/russia/ties?direction=up", "incoming"),
    ("/api/actors/russia/network?attribution=rumour", "author-assessment"),
])
def test_unknown_values_of_fixed_lists_get_422_with_the_allowed_ones(client, url, known):
    response = client.get(url)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert f"'{known}'" in response.json()["detail"]


def test_facts_are_paged_and_filtered(client):
    everything = client.get("/api/facts", params={"limit": 500}).json()
    assert everything["total"] == len(everything["facts"]) > 10
    pages = [client.get("/api/facts", params={"limit": 7, "offset": o}).json()
             for o in range(0, everything["total"], 7)]
    assert all(len(page["facts"]) <= 7 and page["total"] == everything["total"]
               for page in pages)
    assert [f for page in pages for f in page["facts"]] == everything["facts"]
    for name, value in (("relation", "suppliesTo"), ("plover", "COOPERATE"),
                        ("attribution", "joint-declaration"), ("certainty", "planned"),
                        ("source", "junge-welt-522920")):
        found = client.get("/api/facts", params={name: value, "limit": 500}).json()
        field = {"relation": "relation", "source": "source"}.get(name, name)
        expected = [f for f in everything["facts"]
                    if (f[field]["id"] if field == "source" else f[field]) == value]
        assert found["facts"] == expected and expected, name
    window = client.get("/api/facts", params={"since": "2026-01-01", "until": "2026-03-31",
                                               "limit": 500}).json()["facts"]
    assert window and all(f["time"] and (f["time"]["end"] or "9999") >= "2026-01-01"
                          and (f["time"]["start"] or "0000") <= "2026-03-31" for f in window)
    russia = client.get("/api/facts", params={"actor": "Russland", "limit": 500}).json()
    assert russia["total"] == len({t["fact"]["id"] for t in ties(client, "russia")["ties"]})


@pytest.mark.parametrize("name", ["usa", "USA", "Vereinigte Staaten", "美国", "США"])
def test_names_resolve_in_paths_ties_and_networks(client, name):
    paths = client.get("/api/paths", params={"from": "Russland", "to": name})
    assert paths.status_code == 200, paths.text
    assert paths.json()["to"]["id"] == "united-states" and paths.json()["paths"]
    assert ties(client, name)["actor"]["id"] == "united-states"
    assert client.get(f"/api/actors/{name}/network").json() == \
        client.get("/api/actors/united-states/network").json()


def test_unknown_and_ambiguous_names_answer_with_candidates(client):
    unknown = client.get("/api/paths", params={"from": "russia", "to": "usaa"})
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    body = unknown.json()
    assert "did you mean united-states" in body["detail"]
    assert body["suggestions"][0]["id"] == "united-states"
    # "Gas" starts the labels of several flows: no guess, every candidate listed.
    matches = client.get("/api/actors", params={"q": "Gas"}).json()["actors"]
    assert len(matches) > 1
    ambiguous = client.get("/api/actors/Gas/ties")
    assert ambiguous.status_code == 404
    assert "several" in ambiguous.json()["detail"]
    assert {s["id"] for s in ambiguous.json()["suggestions"]} >= {m["id"] for m in matches[:2]}


@pytest.mark.parametrize("url", ["/api/actors/atlantis", "/api/facts/x/y", "/api/nothing",
                                 "/id/nowhere", "/sparql?query=SELEC",
                                 "/api/facts?since=2026-02-01&until=2026-01-01",
                                 "/api/export/gexf?since=2026-02-01&until=2026-01-01"])
def test_every_error_is_problem_json(client, url):
    """Whatever the route, an error is RFC 9457 problem details with a message."""
    response = client.get(url, headers={"Accept": "application/json"})
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == response.status_code and body["title"] and body["detail"]
