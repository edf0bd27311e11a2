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
README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
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


def test_sparql_page_carries_the_readme_examples(web):
    response = httpx.get(f"{web}/sparql", headers={"Accept": BROWSER_ACCEPT}, timeout=30)
    assert response.status_code == 200
    embedded = json.loads(re.search(r'id="rckg-examples">(.*?)</script>', response.text, re.S)[1])
    assert embedded["base"] == BASE
    found = embedded["examples"]
    section = README[README.index("\n## Example queries"):]
    section = section[:section.index("\n## ", 5)]
    assert [e["query"] for e in found] == re.findall(r"```sparql\n(.*?)```", section, re.S)
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
    found = pages.examples(README, "https://rckg.example.org/")
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
    assert re.fullmatch(r"\d{4}-\d\d – \d{4}-\d\d", time["first"])  # the whole span
    assert time["window"] == "2026-01 – 2026-12"

    def facts(rows: list[dict[str, Any]]) -> set[str]:
        return {f for row in rows for f in row["facts"]}

    before, after = facts(time["before"]), facts(time["after"])
    gas, oil = "junge-welt-522920/gas-2025", "junge-welt-522920/oil-imports-up"
    assert gas in before and gas not in after  # 2025: outside 2026
    assert oil in after  # the first quarter of 2026
    assert "junge-welt-522920/visit" in after  # undated facts stay while the box is ticked
    assert time["gasEdgeHidden"] is True
    assert time["restored"] == len(time["before"])
    assert time["gexf"].endswith("since=2026-01-01&until=2026-12-31")
    assert time["noteShown"] is True  # the export drops undated facts from a window


def test_german_interface_and_chinese_labels(visit):
    german = visit["steps"]["german"]
    assert german["lang"] == "de"
    assert german["search"].startswith("Akteur suchen")
    assert german["relations"] == "Beziehungen"
    assert german["chinaLabel"] == "中国"


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
    names = [e["name"] for e in pages.examples(README)]
    assert [t.rstrip("✖").strip() for t in sparql["tabs"]] == names
    assert sparql["endpoint"] == f"{web}/sparql"
    cells = [" ".join(row) for row in sparql["rows"]]
    assert len(cells) == 4
    assert '"reported"@en' in cells[0] and '"45"' in cells[0]


@pytest.mark.parametrize("name", ["explorer.png", "explorer-de-zh.png", "explorer-phone.png",
                                  "sparql.png"])
def test_screenshots_are_written(visit, name):
    with Image.open(ARTIFACTS / name) as image:
        assert image.format == "PNG"
        assert image.size in {(1280, 800), (390, 844)}
