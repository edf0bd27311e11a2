"""The second reader's view of a source: the display form of quotes, `/api/sources`, the
`/source/{id}` page and its RDF, and `rckg review STEM --list`. Expectations come from the
loaded fact sheets, so they follow the curation as it changes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import lxml.html
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

import rckg
from api.app import create_app
from api.routers.pages import CSP
from graph.builder.checks import coverage
from graph.config import PROJECT_ROOT, settings
from graph.sources.quotes import display
from graph.sources.seeds import Source, load_corpus
from graph.sources.sentences import uncovered
from tests.conftest import BASE, IN_CI, node_script
from tests.server import running_server

SEEDS = settings().seeds
FIRST = load_corpus(SEEDS).sources[0]
SLUG = FIRST.slug
TEXT = FIRST.text
LINK = re.compile(r"\[([^\]\n]*)\]\(#\)")
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "web"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def client(any_store) -> Iterator[TestClient]:
    with TestClient(create_app(replace(any_store, workers=2))) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def first(built) -> Source:
    """The first source as the build read it: its facts' quotes located (spans set)."""
    assert built.corpus is not None
    return built.corpus.sources[0]


# --- the display form ---------------------------------------------------------------------------

def test_the_first_source_has_link_residue_to_clean():
    assert len(LINK.findall(TEXT)) >= 3
    assert any("](" in f.quote for f in FIRST.facts)


def test_display_removes_link_syntax_and_keeps_every_word():
    clean = display(TEXT)
    assert "](" not in clean and "[" not in clean and "<https://" not in clean
    assert re.sub(r"[\[\]()#<>]", "", clean) == re.sub(r"\[|\]\(#\)|[<>]", "", TEXT).replace(
        "(", "").replace(")", "").replace("#", "")
    for words in LINK.findall(TEXT):
        assert words in clean


def test_every_quote_reads_as_part_of_the_clean_text():
    clean = display(TEXT)
    for fact in FIRST.facts + FIRST.drafts:
        shown = display(fact.quote)
        assert "](" not in shown and "[" not in shown, fact.id
        assert shown in clean, fact.id


def test_a_quote_cut_inside_a_link_is_cleaned_too():
    """Every cut inside the words of each real link of the text, as a quote may make."""
    clean = display(TEXT)
    for match in LINK.finditer(TEXT):
        for cut in range(match.start(1) + 1, match.end(1)):
            before = TEXT[max(0, match.start() - 30):cut]
            after = TEXT[cut:match.end() + 30]
            assert display(before) in clean and "[" not in display(before), before
            assert display(after) in clean and "](" not in display(after), after


# --- REST ---------------------------------------------------------------------------------------

def test_sources_list_and_one_source_with_metadata_and_coverage(client, first):
    listed = client.get("/api/sources")
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["total"] == len(body["sources"]) == len(load_corpus(SEEDS).sources)
    one = client.get(f"/api/sources/{SLUG}").json()
    assert one == {**next(s for s in body["sources"] if s["id"] == SLUG),
                   "uncovered": one["uncovered"]}
    meta = first.meta
    for key in ("title", "subtitle", "author", "publisher", "url", "language"):
        assert one[key] == meta[key], key
    assert one["date"] == (str(meta["date"]) if meta.get("date") else None)
    assert one["facts"] == len(first.facts)
    assert one["characters"] == len(TEXT)
    sentences, _ = coverage(first)  # the build's sentences: byline and URL line left out
    bare = uncovered(sentences, [s for f in first.facts for s in [f.span, *f.extra_spans]])
    assert one["coverage"]["sentences"] == len(sentences)
    assert one["coverage"]["with_facts"] == len(sentences) - len(bare)
    assert [(s["start"], s["end"]) for s in one["uncovered"]] == [(s.start, s.end) for s in bare]
    for sentence in one["uncovered"]:
        assert TEXT[sentence["start"]:sentence["end"]] == sentence["text"]
        assert sentence["display"] == display(sentence["text"])


def test_unknown_source_is_404_with_suggestions(client):
    response = client.get(f"/api/sources/{SLUG[:-2]}")
    assert response.status_code == 404
    assert SLUG in [s["id"] for s in response.json()["suggestions"]]
    assert client.get("/source/nowhere", headers={"Accept": BROWSER}).status_code == 404


def test_facts_carry_the_verbatim_quote_its_offsets_and_a_display_form(client, first):
    residue = [f for f in first.facts if "](" in f.quote or "[" in f.quote]
    assert residue
    for fact in residue:
        body = client.get(f"/api/facts/{SLUG}/{fact.id}").json()
        assert body["quote"] == fact.quote
        assert TEXT[body["evidence"]["start"]:body["evidence"]["end"]] == fact.quote
        assert body["quote_display"] == display(fact.quote) != fact.quote
    tie = client.get("/api/actors/russia/ties", params={"limit": 5}).json()["ties"][0]
    assert tie["quote_display"] == display(tie["quote"])
    page = client.get(f"/fact/{SLUG}/{residue[0].id}", headers={"Accept": BROWSER})
    assert display(residue[0].quote) in lxml.html.fromstring(page.text).text_content()
    assert f"href='/source/{SLUG}#{residue[0].id}'" in page.text


def test_sources_are_in_the_openapi_document_with_models(client):
    schema = client.get("/openapi.json").json()
    assert {"/api/sources", "/api/sources/{source}", "/source/{source}"} <= set(schema["paths"])
    ok = schema["paths"]["/api/sources/{source}"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"]["$ref"].endswith("/SourceDetail")
    assert {"SourceSummary", "SourceList", "SourceDetail", "Coverage"} <= set(
        schema["components"]["schemas"])
    assert "quote_display" in schema["components"]["schemas"]["FactDetail"]["properties"]


# --- the page -----------------------------------------------------------------------------------

def _page(client: TestClient) -> tuple[object, lxml.html.HtmlElement]:
    response = client.get(f"/source/{SLUG}", headers={"Accept": BROWSER})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response, lxml.html.fromstring(response.text)


def test_page_marks_every_quote_and_links_it_to_its_fact(client, first):
    response, doc = _page(client)
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "Accept" in response.headers["vary"]
    assert not doc.xpath("//script")
    marks = doc.xpath("//div[@class='text']//mark")
    for fact in first.facts:
        fid = f"{SLUG}/{fact.id}"
        # The marked stretches of this fact, read in order, are its quotes as displayed (its
        # own and any other place the text says the same claim: also_quoted).
        shown = "".join(m.text_content() for m in marks if fid in m.get("data-facts").split())
        spans = sorted([fact.span, *fact.extra_spans])
        assert shown == "".join(display(first.text[a:b]) for a, b in spans), fact.id
        assert doc.xpath(f"//div[@class='text']//a[@href='/fact/{fid}']"), fact.id
    for mark in marks:  # each mark links to one of the facts it lies in
        assert mark.xpath("a/@href")[0][len("/fact/"):] in mark.get("data-facts").split()


def test_page_text_is_the_whole_source_as_displayed(client):
    _, doc = _page(client)
    text = doc.xpath("//div[@class='text']")[0]
    for sup in text.xpath(".//sup"):  # the fact numbers are not part of the text
        sup.drop_tree()
    assert text.text_content() == display(TEXT)


def test_page_marks_sentences_without_a_fact(client):
    _, doc = _page(client)
    detail = client.get(f"/api/sources/{SLUG}").json()
    marked = [s.text_content() for s in doc.xpath("//div[@class='text']//span[@class='nofact']")]
    assert marked == [s["display"] for s in detail["uncovered"]]


def test_margin_lists_the_facts_in_text_order_with_their_reading(client, first):
    _, doc = _page(client)
    items = doc.xpath("//ol[@class='facts']/li")
    in_order = sorted(first.facts, key=lambda f: (f.span[0], f"{SLUG}/{f.id}"))
    assert [li.xpath("a/@href")[0] for li in items] == [f"/fact/{SLUG}/{f.id}" for f in in_order]
    for li, fact in zip(items, in_order, strict=True):
        assert li.get("id") == fact.id  # the anchor a fact page links to
        text = li.text_content()
        assert str(fact.get("attribution")) in text and str(fact.get("certainty")) in text
        assert (fact.time.text if fact.time else "no time") in text
        assert display(fact.quote) in text
    meta = doc.xpath("//main/dl")[0].text_content()
    for key in ("author", "publisher", "url", "language"):
        assert str(first.meta[key]) in meta, key
    assert doc.xpath("//h1")[0].text_content() == first.meta["title"]


def test_source_iri_gives_rdf_that_other_parsers_read(client, first):
    iri = URIRef(f"{client.app.state.settings.base_iri}source/{SLUG}")
    sizes = {}
    for media, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                       ("application/rdf+xml", "xml")):
        response = client.get(f"/source/{SLUG}", headers={"Accept": media})
        assert response.status_code == 200 and response.headers["content-type"].startswith(media)
        assert "Accept" in response.headers["vary"]
        graph = Graph().parse(data=response.text, format=fmt)
        assert (iri, DCTERMS.title, Literal(first.meta["title"], lang="de")) in graph
        derived = {str(s) for s in graph.subjects(PROV.wasDerivedFrom, iri)}
        assert len(derived) == len(first.facts)
        ox_format = {"turtle": ox.RdfFormat.TURTLE, "json-ld": ox.RdfFormat.JSON_LD,
                     "xml": ox.RdfFormat.RDF_XML}[fmt]
        quads = list(ox.parse(response.content, format=ox_format))
        text = [q.object.value for q in quads if q.predicate.value.endswith("#sourceText")]
        assert text == [TEXT]
        sizes[fmt] = (len(graph), len(quads))
    assert len({n for pair in sizes.values() for n in pair}) == 1
    assert client.get(f"/source/{SLUG}", headers={"Accept": "image/png"}).status_code == 406
    turtle = client.get(f"/source/{SLUG}", headers={"Accept": "text/turtle"}).headers["etag"]
    assert turtle != client.get(f"/source/{SLUG}", headers={"Accept": BROWSER}).headers["etag"]


# --- the command line ---------------------------------------------------------------------------

def test_review_list_prints_every_fact_of_the_first_source(capsys, first):
    assert rckg.main(["review", FIRST.stem, "--list"]) == 0
    out = capsys.readouterr().out
    reviewed = out.split("REVIEWED FACTS")[1].split("DRAFTS")[0]
    rows = [line.split() for line in reviewed.splitlines()[2:] if line[:1].isdigit()]
    assert [row[1] for row in rows] == [f.id for f in sorted(first.facts,
                                                             key=lambda f: (f.span[0], f.id))]
    for row, fact in zip(rows, sorted(first.facts, key=lambda f: (f.span[0], f.id)), strict=True):
        assert row[2] == f"{fact.span[0]}-{fact.span[1]}"
        assert row[3:5] == [fact.get("attribution"), fact.get("certainty")]
    for fact in first.facts:
        assert f"» {' '.join(display(fact.quote).split())} «" in reviewed
    assert "](" not in out
    assert f"{len(first.facts)} reviewed facts" in out


def test_review_list_shows_drafts_apart(tmp_path: Path, monkeypatch, capsys):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    sheet = seeds / f"{FIRST.stem}.facts.yaml"
    draft = FIRST.facts[0].id
    text = sheet.read_text(encoding="utf-8")
    marked = text.replace(f"  - id: {draft}\n", f"  - id: {draft}\n    draft: true\n", 1)
    assert marked != text
    sheet.write_text(marked, encoding="utf-8")
    monkeypatch.setenv("RCKG_SEEDS", str(seeds))
    assert rckg.main(["review", FIRST.stem, "--list"]) == 0
    out = capsys.readouterr().out
    reviewed, drafts = out.split("REVIEWED FACTS")[1].split("DRAFTS")
    ids = {line.split()[1] for line in reviewed.splitlines() if line[:1].isdigit()}
    assert draft not in ids and len(ids) == len(FIRST.facts) - 1
    assert [line.split()[1] for line in drafts.splitlines() if line[:1].isdigit()] == [draft]
    assert "draft: true" in sheet.read_text(encoding="utf-8")  # --list marks nothing
    assert rckg.main(["review", FIRST.stem, draft, "--list"]) == 2
    assert "either fact ids or --list" in capsys.readouterr().err
    assert "draft: true" in sheet.read_text(encoding="utf-8")


# --- in a browser -------------------------------------------------------------------------------

def test_page_renders_in_chromium_under_its_policy(test_settings, built, first):
    """Headless Chromium (Debian's, through playwright-core) loads the page from `rckg serve`:
    no error and no policy violation, nothing fetched from elsewhere, quotes and sentences
    without a fact visibly coloured, and a quote's link opens its fact page."""
    chromium = Path(os.environ.get("RCKG_CHROMIUM", "/usr/bin/chromium"))
    if not chromium.exists():
        message = f"{chromium} is missing: run 'make system-deps' (Debian's chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    command = node_script("source_page.mjs", ("playwright-core",))
    env = {"RCKG_STORE": str(test_settings.store), "RCKG_BASE_IRI": BASE, "RCKG_WORKERS": "1"}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with running_server(env) as server:
        done = subprocess.run([*command, f"{server.url}/source/{SLUG}",
                               str(ARTIFACTS / "source-page.png")],
                              capture_output=True, text=True, timeout=300, cwd=PROJECT_ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout)
    assert seen["errors"] == [] and seen["blocked"] == []
    assert all(r.startswith(server.url) for r in seen["requests"])
    assert seen["margin"] == len(first.facts) and seen["marks"] >= len(first.facts)
    assert len(seen["markColours"]) == 1 and seen["markColours"][0] != seen["plainColour"]
    bare = uncovered(coverage(first)[0], [f.span for f in first.facts])
    assert len(seen["nofactColours"]) == (1 if bare else 0)
    assert set(seen["nofactColours"]).isdisjoint(seen["markColours"] + [seen["plainColour"]])
    assert seen["wraps"] == "pre-wrap"
    assert seen["firstLink"].startswith(f"/fact/{SLUG}/")
    assert seen["landed"]["path"] == seen["firstLink"]
