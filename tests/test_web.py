"""The web pages: the explorer at `/` and YASGUI at `/sparql`, served by `rckg serve` from its
own built bundle, checked over HTTP and driven in headless Chromium (Debian's, through
playwright-core) with a log of every request the browser makes."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from starlette.applications import Starlette

from api.routers import pages
from graph.config import PROJECT_ROOT
from tests.conftest import BASE, IN_CI, node_script
from tests.server import running_server

CHROMIUM = Path(os.environ.get("RCKG_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "web"
ARTICLE = (PROJECT_ROOT / "seeds" / "000_fdbe017421ca9382.txt").read_text(encoding="utf-8")
QUERIES_PAGE = (PROJECT_ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SOURCE_URL = "https://www.jungewelt.de/artikel/522920.russland-china-auf-gute-nachbarschaft.html"


def need(condition: bool, message: str) -> None:
    """Skip (outside CI) or fail (in CI) when something the test needs is missing."""
    if not condition:
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def web(test_settings, built) -> Iterator[str]:
    need((pages.STATIC / "index.html").is_file(),
         "the web page is not built (api/static/): run 'make web' (make test does)")
    env = {"RCKG_STORE": str(test_settings.store), "RCKG_BASE_IRI": BASE, "RCKG_WORKERS": "2"}
    with running_server(env) as server:
        yield server.url


@pytest.fixture(scope="module")
def visit(web) -> dict[str, Any]:
    """What the browser did and saw on both pages (tests/js/web_pages.mjs)."""
    need(CHROMIUM.exists(), f"{CHROMIUM} is missing: run 'make system-deps' (Debian's chromium)")
    command = node_script("web_pages.mjs", ("playwright-core",))
    done = subprocess.run([*command, web, str(ARTIFACTS)], capture_output=True, text=True,
                          timeout=300, cwd=PROJECT_ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout)
    return result


# ---- over HTTP -------------------------------------------------------------------------

def test_explorer_page_is_served_with_a_strict_policy(web):
    response = httpx.get(f"{web}/", headers={"Accept": BROWSER_ACCEPT}, timeout=30)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-eval" not in policy
    config = json.loads(re.search(r'id="rckg-config">(.*?)</script>', response.text, re.S)[1])
    assert config["start"] in {"china", "russia"}
    assert config["relations"]["suppliesTo"] == {"de": "liefert an", "en": "supplies to"}
    # the span of the dated facts: the academic year 2024/25 … the student target for 2030
    assert config["time"]["min"] <= "2024-09-01" and config["time"]["max"] >= "2030-12-31"


@pytest.mark.parametrize("path", ["/", "/sparql"])
def test_pages_load_nothing_from_elsewhere(web, path):
    html = httpx.get(f"{web}{path}", headers={"Accept": BROWSER_ACCEPT}, timeout=30).text
    references = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert references, html[:500]
    assert all(r.startswith(("/", "#")) for r in references), references


def test_bundles_are_served(web):
    for name, media_type in [("explorer.js", "text/javascript"), ("sparql.js", "text/javascript"),
                             ("explorer.css", "text/css"), ("sparql.css", "text/css")]:
        response = httpx.get(f"{web}/static/{name}", timeout=30)
        assert response.status_code == 200, name
        assert response.headers["content-type"].startswith(media_type), name


def test_sparql_page_carries_the_documented_examples(web):
    response = httpx.get(f"{web}/sparql", headers={"Accept": BROWSER_ACCEPT}, timeout=30)
    assert response.status_code == 200
    embedded = json.loads(re.search(r'id="rckg-examples">(.*?)</script>', response.text, re.S)[1])
    assert embedded["base"] == BASE
    found = embedded["examples"]
    assert [e["query"] for e in found] == re.findall(r"```sparql\n(.*?)```", QUERIES_PAGE, re.S)
    assert found[0]["name"] == "Russia's ties"
    assert "How many facts each attribution has" in [e["name"] for e in found]
    assert "<form" in response.text  # the plain form, for a browser without JavaScript


def test_entity_page_links_into_the_explorer(web):
    page = httpx.get(f"{web}/id/vladimir-putin", headers={"Accept": BROWSER_ACCEPT}, timeout=30)
    assert "href='/?actor=vladimir-putin'" in page.text
    explorer = httpx.get(f"{web}/?actor=vladimir-putin", headers={"Accept": BROWSER_ACCEPT},
                         timeout=30)
    assert explorer.status_code == 200


def test_examples_follow_the_base_iri():
    found = pages.examples(QUERIES_PAGE, "https://rckg.example.org/")
    assert len(found) >= 6
    assert all("http://127.0.0.1:8000/" not in e["query"] for e in found)
    assert "<https://rckg.example.org/ontology#>" in found[0]["query"]
    assert pages.examples("# no examples here\n") == []


def test_time_window_rules():
    done = subprocess.run(node_script("web_time.mjs", ()), capture_output=True, text=True,
                          timeout=60, check=True)
    result = json.loads(done.stdout)
    assert result["months"] == ["2024-09", "2024-10", "2024-11", "2024-12", "2025-01", "2025-02"]
    assert result["monthEnds"] == ["2024-02-29", "2025-02-28", "2025-12-31"]
    cases = result["cases"]
    # A window (2026) keeps the dated facts that overlap it; an open bound reaches on.
    assert [n for n, c in cases.items() if c["window"] and c["dated"]] == [
        "quarter2026", "untilEnd2027"]
    # A time without dates ("am Mittwoch") is undated: shown or hidden by the box alone.
    for name in ("weekday", "none"):
        assert not cases[name]["dated"]
        assert cases[name]["window"] and cases[name]["noWindow"]
        assert not cases[name]["windowNoUndated"] and not cases[name]["noWindowNoUndated"]
    assert all(c["noWindow"] for c in cases.values())


def test_unbuilt_pages_answer_503_with_the_build_command(tmp_path, test_settings):
    assert pages.render(tmp_path, "index.html", {}) is None
    response = pages.sparql_page(test_settings, static=tmp_path)
    assert response.status_code == 503
    body = bytes(response.body).decode()
    assert "make web" in body and "<form" in body
    assert pages.not_built("Explorer").status_code == 503
    app = Starlette()
    app.mount("/static", pages.BuiltFiles(directory=tmp_path / "absent", check_dir=False))

    async def fetch() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://rckg") as client:
            return await client.get("/static/explorer.js")

    missing = asyncio.run(fetch())
    assert missing.status_code == 503 and "make web" in missing.text


# ---- in the browser --------------------------------------------------------------------

def test_browser_saw_no_errors(visit):
    assert visit["errors"] == []


def test_no_request_leaves_loopback(visit, web):
    assert len(visit["requests"]) > 20
    outside = [u for u in visit["requests"] if not u.startswith((f"{web}/", "data:", "blob:"))]
    assert outside == [] and visit["blocked"] == []
    assert any("/api/actors?q=Putin" in u for u in visit["requests"])
    assert any(u.startswith(f"{web}/sparql") for u in visit["requests"])


def test_search_draws_the_network(visit):
    putin = visit["steps"]["putin"]
    assert visit["steps"]["start"] == "china"
    assert putin["heading"] == "Vladimir Putin"
    assert {"vladimir-putin", "china", "russia", "xi-jinping"} <= set(putin["nodes"])
    assert putin["edges"] >= 10
    assert dict(putin["labels"]) == {"de": "Wladimir Putin", "en": "Vladimir Putin",
                                     "ru": "Владимир Путин", "zh": "弗拉基米尔·普京"}
    assert "actor=vladimir-putin" in putin["url"]


def test_edge_to_china_shows_the_quote_from_the_article(visit):
    edge = visit["steps"]["edge"]
    assert edge["selected"] == "vladimir-putin|visits|china"
    assert edge["heading"] == "Vladimir Putin → visits → China"
    assert edge["facts"], "no fact shown"
    for fact in edge["facts"]:
        assert fact["quote"] in ARTICLE
        assert fact["quoteLang"] == "de"
        assert fact["source"] == SOURCE_URL
    assert "Putin zu Gast in Beijing" in [f["quote"] for f in edge["facts"]]
    assert "reported by the article" in edge["facts"][0]["text"]
    assert "no date given" in edge["facts"][0]["text"]


def test_ties_are_reachable_by_keyboard(visit):
    keyboard = visit["steps"]["keyboard"]
    assert keyboard["chosen"] and keyboard["selected"] == keyboard["chosen"]
    assert keyboard["focus"] == "details" and keyboard["facts"] >= 1


def test_time_slider_hides_facts_outside_its_window(visit):
    time = visit["steps"]["time"]
    # the sliders step over the dates the dated facts name, not over every month between
    assert time["months"] == len(time["steps"]) == len(set(time["steps"]))
    assert time["first"] == f"{time['steps'][0]} – {time['steps'][-1]}"
    first = min(d for d in time["steps"] if d >= "2026-01-01")
    last = max(d for d in time["steps"] if d <= "2026-12-31")
    assert time["window"] == f"{first} – {last}"

    def facts(rows: list[dict[str, Any]]) -> set[str]:
        return {f for row in rows for f in row["facts"]}

    before, after = facts(time["before"]), facts(time["after"])
    gas, oil = "junge-welt-522920/gas-2025", "junge-welt-522920/oil-imports-up"
    assert gas in before and gas not in after  # 2025: outside 2026
    assert oil in after  # the first quarter of 2026
    assert "junge-welt-522920/visit" in after  # undated facts stay while the box is ticked
    assert time["gasEdgeHidden"] is True
    assert time["restored"] == len(time["before"])
    assert time["gexf"].endswith(f"since={first}&until={last}")
    assert time["noteShown"] is True  # the export drops undated facts from a window


def test_german_interface_and_chinese_labels(visit):
    german = visit["steps"]["german"]
    assert german["lang"] == "de"
    assert german["search"].startswith("Akteur oder Fakt suchen")
    assert german["relations"] == "Beziehungen"
    assert german["chinaLabel"] == "中国"
    assert german["labelLang"] == "zh"  # switching the interface kept the chosen labels
    assert german["type"] == "Staat"  # type names are translated too
    assert german["drawing"]["overlaps"] == 0


def test_a_cjk_font_is_installed_for_chinese_labels():
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True,
                           check=False).stdout if shutil.which("fc-list") else ""
    need("Noto Sans CJK" in fonts, "no CJK font: run 'make system-deps' (fonts-noto-cjk)")


def test_phone_width_has_no_sideways_scrolling(visit):
    phone = visit["steps"]["phone"]
    assert phone["scrollWidth"] <= 390
    assert 300 < phone["graphWidth"] <= 390
    assert phone["nodes"] > 10


def test_yasgui_runs_an_example_query(visit, web):
    sparql = visit["steps"]["sparql"]
    names = [e["name"] for e in pages.examples(QUERIES_PAGE)]
    assert [t.rstrip("✖").strip() for t in sparql["tabs"]] == names
    assert sparql["endpoint"] == f"{web}/sparql"
    cells = [" ".join(row) for row in sparql["rows"]]
    assert len(cells) == 4
    assert '"reported"@en' in cells[0] and '"45"' in cells[0]


@pytest.mark.parametrize("name", ["explorer.png", "explorer-de-zh.png", "explorer-phone.png",
                                  "explorer-phone-touch.png", "explorer-phone-facts.png",
                                  "sparql.png"])
def test_screenshots_are_written(visit, name):
    with Image.open(ARTIFACTS / name) as image:
        assert image.format == "PNG"
        assert image.size in {(1280, 800), (390, 844), (780, 1688)}


# ---- the analyst's tasks (issue #22), in the browser, checked against the REST API ------

def api(web: str, path: str, **params: Any) -> Any:
    response = httpx.get(f"{web}{path}", params=params, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def analyst(visit) -> dict[str, Any]:
    steps: dict[str, Any] = visit["steps"]["analyst"]
    return steps


@pytest.fixture(scope="module")
def facts_by_id(web) -> dict[str, dict[str, Any]]:
    return {f["fact"]["id"]: f for f in api(web, "/api/facts", limit=500)["facts"]}


def names(fact: dict[str, Any], role: str) -> set[str]:
    return {r["id"] for r in fact["roles"].get(role, [])}


def test_edges_say_only_what_their_facts_say(analyst, facts_by_id):
    drawn = analyst["edges"]
    assert drawn and not any(e["link"] for e in drawn)  # about/via links hidden by default
    for edge in drawn:
        for fact in (facts_by_id[f] for f in edge["facts"]):
            forward = edge["source"] in names(fact, "subject") \
                and edge["target"] in names(fact, "object")
            backward = not edge["directed"] and edge["target"] in names(fact, "subject") \
                and edge["source"] in names(fact, "object")
            assert forward or backward, (edge["id"], fact["fact"]["id"])
    links = [e for e in analyst["linked"] if e["link"]]
    assert links and all(e["style"] == "dotted" and e["label"] in {"about", "via"} for e in links)
    for edge in links:  # the dotted link goes to what the fact is about, not to its object
        for fact in (facts_by_id[f] for f in edge["facts"]):
            assert edge["target"] in names(fact, "about") | names(fact, "via") \
                | names(fact, "statedIn") | names(fact, "place")


def test_every_fact_about_the_centred_actor_is_listed(analyst, web):
    wanted = [f["fact"]["id"] for f in api(web, "/api/explore/facts",
                                           actor="power-of-siberia-2")["facts"]]
    assert analyst["about"] == wanted
    capacity = analyst["capacity"]
    assert capacity["fact"].endswith("/power-of-siberia-2-capacity")
    assert capacity["amount"] == "50 bn m³ a year"


def test_edges_are_coloured_by_plover_class_and_named_on_hover(analyst):
    colours: dict[str, set[str]] = {}
    for edge in analyst["edges"]:
        colours.setdefault(edge["plover"] or "OTHER", set()).add(edge["color"])
    assert len(colours) >= 3 and all(len(c) == 1 for c in colours.values())
    assert len({next(iter(c)) for c in colours.values()}) == len(colours)  # one colour each
    assert {p for p, _ in analyst["legend"]} == set(colours)
    assert analyst["hover"] and analyst["hover"][0][0] == "russia|suppliesTo|china"
    assert analyst["hover"][0][1].startswith("supplies to")


def test_labels_do_not_collide_and_stay_readable(visit, analyst):
    for view in (visit["steps"]["opening"], visit["steps"]["russian"], analyst["fitted"],
                 visit["steps"]["german"]["drawing"], visit["steps"]["touch"]["drawing"]):
        assert view["overlaps"] == 0, view  # counted from Cytoscape's own label boxes
        assert view["minLabelPx"] >= 10, view
        assert view["labelled"] >= view["nodes"] * 0.6, view
    zoom = analyst["zoom"]
    assert zoom["zoomed"] > zoom["fitted"] * 2
    # a changed filter lays the view out and fits it again
    assert zoom["refiltered"] < zoom["zoomed"] and zoom["allInside"]
    assert analyst["pan"] is None or analyst["pan"]["inside"]  # a row pans to its edge


def test_quantities_read_with_units(analyst, facts_by_id):
    gas = next(f for f in facts_by_id.values() if f["fact"]["id"].endswith("/gas-2025"))
    amount = gas["quantities"][0]["value"] / 1e9
    unit = {"M3": "m³", "M3-PER-YR": "m³ a year"}[gas["quantities"][0]["unit"]]
    wanted = f"{amount:g} bn {unit} ({gas['time']['text']})"
    assert analyst["gasRow"] == wanted
    edge = next(e for e in analyst["edges"] if e["id"] == "russia|suppliesTo|china")
    assert wanted in edge["short"] and wanted in edge["label"]


def test_search_finds_facts_by_words_of_their_quotes(analyst, web):
    for query, found in analyst["search"].items():
        wanted = [f["fact"]["id"] for f in api(web, "/api/explore/facts", q=query)["facts"]]
        assert found and found == wanted[:30], query


def test_a_quote_shows_whose_words_are_whose(analyst, facts_by_id):
    voice = analyst["voice"]
    assert voice["speaker"].endswith(facts_by_id[voice["fact"]]["attribution"]
                                     .replace("joint-declaration", "the joint declaration"))
    assert voice["mark"] == "sprich: die NATO-Ostexpansion"
    assert voice["markTitle"] == "the author’s own reading"
    assert "the author’s assessment" in voice["note"]


def test_the_sentence_is_shown_with_its_span_and_a_link_to_the_source(visit, analyst):
    for fact in [*visit["steps"]["edge"]["facts"], analyst["voice"]]:
        assert fact["quote"] in fact["sentence"] and fact["sentence"] in ARTICLE
        assert fact["sourceView"] == "/source/junge-welt-522920"
    assert len(analyst["voice"]["sentence"]) >= len(analyst["voice"]["quote"])


def test_paths_wikidata_and_time_steps(analyst, web):
    paths = api(web, "/api/paths", **{"from": "rosatom", "to": "united-states"})["paths"]
    assert analyst["paths"] == [[hop[0]["from"]["id"], *(h["to"]["id"] for h in hop)]
                                for hop in paths]
    wikidata = api(web, "/api/actors/china")["wikidata"]
    assert analyst["wikidata"] == [f"Wikidata {wikidata.rsplit('/', 1)[1]}", wikidata]
    dates = {d[:10] for f in api(web, "/api/facts", limit=500)["facts"] if f["time"]
             for d in (f["time"]["start"], f["time"]["end"]) if d}
    assert analyst["sliderSteps"] == len(dates)


def test_gexf_of_the_drawing_keeps_positions(visit, analyst):
    from lxml import etree

    from tests.conftest import shared_path

    path = ARTIFACTS / "explorer-drawn.gexf"
    document = etree.parse(str(path))
    schema = etree.RelaxNG(etree.parse(str(shared_path("schemas", "gexf-1.3", "gexf.rng"))))
    assert schema.validate(document), schema.error_log
    ns = {"g": "http://gexf.net/1.3", "viz": "http://gexf.net/1.3/viz"}
    nodes = document.findall(".//g:node", ns)
    assert {n.get("id") for n in nodes} == set(analyst["positions"])
    for node in nodes:
        where = node.find("viz:position", ns)
        x, y = analyst["positions"][node.get("id")]
        assert abs(float(where.get("x")) - x) < 0.01 and abs(float(where.get("y")) + y) < 0.01
    # Gephi Lite's reader (graphology-gexf) finds the same nodes at the same places
    command = node_script("graphology_gexf.mjs", ("graphology", "graphology-gexf"))
    done = subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=120,
                          cwd=PROJECT_ROOT)
    assert done.returncode == 0, done.stderr
    read = json.loads(done.stdout)
    assert read["order"] == len(nodes) and read["size"] == len(document.findall(".//g:edge", ns))
    for node in read["nodes"]:
        x, y = analyst["positions"][node["key"]]
        assert abs(node["attributes"]["x"] - x) < 0.01 and abs(node["attributes"]["y"] + y) < 0.01


def test_png_of_the_view_has_title_legend_and_source_line(analyst):
    with Image.open(ARTIFACTS / "explorer-view.png") as image:
        picture = image.convert("L")
    width, height = analyst["pngDrawing"]
    assert picture.width > width and picture.height > height  # room for title, legend, source
    top = picture.crop((0, 0, picture.width, 80))
    bottom = picture.crop((0, picture.height - 60, picture.width, picture.height))
    legend = picture.crop((picture.width - 400, 120, picture.width, 400))
    for band in (top, bottom, legend):  # text is drawn there: dark pixels on white
        assert band.getextrema()[0] < 100


def test_phone_labels_swipe_and_facts_in_view(visit):
    touch = visit["steps"]["touch"]
    assert touch["drawing"]["minLabelPx"] >= 10 and touch["drawing"]["overlaps"] == 0
    assert touch["scrolled"] > 100  # a swipe over the drawing scrolls the page
    tap = touch["tap"]
    assert tap["selected"] == tap["wanted"]
    assert tap["top"] >= 0 and tap["bottom"] <= tap["height"]  # the edge's facts in view


def test_relation_filter_counts_facts_not_edges(analyst, web, facts_by_id):
    network = api(web, "/api/actors/china/network", depth=1)
    wanted: dict[str, set[str]] = {}
    for edge in network["edges"]:
        for fact in (facts_by_id[f] for f in edge["facts"]):
            forward = edge["source"] in names(fact, "subject") \
                and edge["target"] in names(fact, "object")
            backward = not edge["directed"] and edge["target"] in names(fact, "subject")
            if forward or backward:
                wanted.setdefault(edge["relation"], set()).add(fact["fact"]["id"])
    assert dict(analyst["relationCounts"]) == {r: len(f) for r, f in wanted.items()}
