"""More sources: `rckg add` drafts a fact sheet, `rckg review` admits it, and claims that
agree or conflict across sources are kept side by side and linked."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from lxml import etree

from graph.config import PROJECT_ROOT
from graph.sources import drafting
from tests.conftest import BASE, PREFIXES

DATA = PROJECT_ROOT / "tests" / "data" / "sources"
SOURCES = ("en_visit", "de_studierende")
# The claims a reader drafts from each test source: (relation, subject, object, figures)
PRESENT = {
    "en_visit": [("signs", ["vladimir-putin", "xi-jinping"], [], []),
                 ("meetsWith", ["vladimir-putin"], ["xi-jinping"], []),
                 ("signs", ["russia", "china"], [], ["40"]),
                 ("suppliesTo", ["russia"], ["china"], ["49 billion cubic metres"])],
    "de_studierende": [("studiesIn", ["chinese-students"], [], ["56.000"]),
                       ("importsFrom", ["china"], ["russia"], ["30 Prozent"])],
}
CONFLICTS = {("000_fdbe017421ca9382", "documents-signed", "en_visit", "documents-signed"),
             ("000_fdbe017421ca9382", "oil-imports-up", "de_studierende", "oelimporte")}
CORROBORATIONS = {
    ("000_fdbe017421ca9382", "meeting", "en_visit", "meeting"),
    ("000_fdbe017421ca9382", "gas-2025", "en_visit", "gas-2025"),
    ("000_fdbe017421ca9382", "power-of-siberia-2-capacity", "en_visit",
     "power-of-siberia-2-capacity"),
    ("000_fdbe017421ca9382", "chinese-students-in-russia", "de_studierende",
     "chinesische-studierende"),
    ("000_fdbe017421ca9382", "visa-free-extended", "de_studierende", "visafrei"),
}


def rckg(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(PROJECT_ROOT / "rckg.py"), *args],
                          capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, timeout=300)


@pytest.fixture()
def corpus(tmp_path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """A copy of the seeds with both test sources added; (environment, name → stem)."""
    seeds = tmp_path / "seeds"
    shutil.copytree(PROJECT_ROOT / "seeds", seeds)
    env = {**os.environ, "RCKG_SEEDS": str(seeds), "RCKG_STORE": str(tmp_path / "store"),
           "RCKG_BASE_IRI": BASE}
    stems = {}
    for name in SOURCES:
        done = rckg("add", str(DATA / f"{name}.txt"), env=env)
        assert done.returncode == 0, done.stderr
        stems[name] = next(p.stem for p in seeds.glob("*.txt") if p.stem not in stems.values()
                           and not p.stem.startswith("000_"))
    return env, stems


def test_add_copies_the_text_and_its_metadata(corpus):
    env, stems = corpus
    seeds = Path(env["RCKG_SEEDS"])
    text = (seeds / f"{stems['en_visit']}.txt").read_text(encoding="utf-8")
    # the title leads the stored text so that a fact can quote it; the header lines do not
    assert text.startswith("Putin and Xi sign dozens of deals in Beijing\n\n"
                           "Russia's President Vladimir Putin met")
    assert "Title:" not in text
    meta = yaml.safe_load((seeds / f"{stems['en_visit']}.meta.yaml").read_text())
    assert meta["title"] == "Putin and Xi sign dozens of deals in Beijing"
    assert (meta["language"], meta["date"]) == ("en", "2026-05-21")
    assert meta["url"] == "https://example.org/rckg-test/en-visit"
    german = yaml.safe_load((seeds / f"{stems['de_studierende']}.meta.yaml").read_text())
    assert german["language"] == "de" and german["date"] is None
    again = rckg("add", str(DATA / "en_visit.txt"), env=env)
    assert again.returncode == 2 and "already" in again.stderr


@pytest.mark.parametrize("name", SOURCES)
def test_draft_finds_claims_figures_and_quotes(corpus, name):
    env, stems = corpus
    seeds = Path(env["RCKG_SEEDS"])
    sheet = yaml.safe_load((seeds / f"{stems[name]}.facts.yaml").read_text(encoding="utf-8"))
    text = (seeds / f"{stems[name]}.txt").read_text(encoding="utf-8")
    facts = sheet["facts"]
    assert facts and all(f["draft"] is True and f["quote"] in text for f in facts)

    def listed(value):
        return [value] if isinstance(value, str) else list(value or [])

    drafted = [(f["relation"], listed(f["subject"]), listed(f.get("object")),
                [q["text"] for q in f.get("quantities", [])]) for f in facts]
    assert drafted == PRESENT[name]


def test_add_reports_drafts_proposals_and_undrafted_sentences(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(PROJECT_ROOT / "seeds", seeds)
    env = {**os.environ, "RCKG_SEEDS": str(seeds), "RCKG_STORE": str(tmp_path / "store")}
    done = rckg("add", str(PROJECT_ROOT / "tests" / "data" / "drafting" / "en_moscow.txt"),
                env=env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "  15 drafted facts from 15 of 22 sentences" in lines
    assert '  proposed entity: sergei-lavrov (Person, "Sergei Lavrov", cue: counterpart)' in lines
    assert "  no draft: Cargo traffic on the Northern Sea Route also grew." in lines
    first = "000_fdbe017421ca9382.facts.yaml"
    assert (seeds / first).read_bytes() == (PROJECT_ROOT / "seeds" / first).read_bytes()


def test_drafts_wait_outside_the_graph(corpus):
    env, _ = corpus
    done = rckg("build", env=env)
    assert done.returncode == 0, done.stderr
    assert "facts:     64" in done.stdout  # only the reviewed article
    assert done.stdout.count("wait for review") == 2


def review_all(env: dict[str, str], stems: dict[str, str]) -> None:
    """Put the curated sheets in place (still drafts), then review them with the CLI."""
    seeds = Path(env["RCKG_SEEDS"])
    for name, stem in stems.items():
        shutil.copy(DATA / f"{name}.facts.yaml", seeds / f"{stem}.facts.yaml")
        done = rckg("review", stem, env=env)
        assert done.returncode == 0 and "marked reviewed" in done.stdout


def test_reviewed_sources_are_built_with_conflicts_and_corroborations(corpus):
    env, stems = corpus
    review_all(env, stems)
    done = rckg("build", env=env)
    assert done.returncode == 0, done.stderr
    assert "facts:     71" in done.stdout and "sources:   3" in done.stdout
    assert "wait for review" not in done.stdout
    slug = {name: yaml.safe_load((Path(env["RCKG_SEEDS"]) / f"{stem}.meta.yaml").read_text())
            ["slug"] for name, stem in stems.items()}
    slug["000_fdbe017421ca9382"] = "junge-welt-522920"

    def pairs(kind: str) -> set[tuple[str, str, str, str]]:
        query = PREFIXES + f"""SELECT ?a ?b WHERE {{ ?a rckg:{kind} ?b .
            FILTER(STRSTARTS(STR(?a), "{BASE}fact/junge-welt-522920/")) }}"""
        done = rckg("query", query, "--format", "json", env=env)
        rows = json.loads(done.stdout)["results"]["bindings"]
        back = {v: k for k, v in slug.items()}
        found = set()
        for row in rows:
            a = row["a"]["value"][len(f"{BASE}fact/"):].split("/")
            b = row["b"]["value"][len(f"{BASE}fact/"):].split("/")
            found.add((back[a[0]], a[1], back[b[0]], b[1]))
        return found

    assert pairs("conflictsWith") == CONFLICTS
    assert pairs("corroborates") == CORROBORATIONS


def test_conflicts_show_in_rest_and_gexf(corpus):
    from dataclasses import replace

    from fastapi.testclient import TestClient

    from api.app import create_app
    from graph.config import settings

    env, stems = corpus
    review_all(env, stems)
    assert rckg("build", env=env).returncode == 0
    config = replace(settings(), seeds=Path(env["RCKG_SEEDS"]), store=Path(env["RCKG_STORE"]),
                     base_iri=BASE, workers=1)
    with TestClient(create_app(config)) as client:
        ties = client.get("/api/actors/russia/ties", params={"relation": "signs",
                                                             "limit": 100}).json()["ties"]
        counted = [t for t in ties if t["quantities"]
                   and "cooperation-documents" in {c["id"] for c in t["counterparts"]}]
        assert sorted(t["quantities"][0]["value"] for t in counted) == [20.0, 40.0]
        assert all(len(t["conflicts_with"]) == 1 for t in counted)
        gexf = etree.fromstring(client.get("/api/export/gexf").content)
    ns = {"g": "http://gexf.net/1.3"}
    titles = {a.get("id"): a.get("title") for a in gexf.iterfind(".//g:attribute", ns)}
    assert {"sources", "conflicts", "corroborations"} <= set(titles.values())
    edge = next(e for e in gexf.iterfind(".//g:edge", ns)
                if (e.get("source"), e.get("target"), e.get("kind")) ==
                ("russia", "cooperation-documents", "signs"))
    values = {titles[v.get("for")]: v.get("value") for v in edge.iterfind(".//g:attvalue", ns)}
    # two facts: the subtitle's "Abkommen" is a second quote of documents-signed
    assert (values["sources"], values["conflicts"], float(edge.get("weight"))) == ("2", "2", 2.0)


def test_review_refuses_unknown_ids(corpus):
    env, stems = corpus
    done = rckg("review", stems["en_visit"], "no-such-fact", env=env)
    assert done.returncode == 1 and "not drafts" in done.stderr


def test_header_block_and_periods():
    meta, body = drafting.split_header("Title: A\nLanguage: de\n\nText. More.")
    assert meta == {"title": "A", "language": "de"} and body == "Text. More."
    assert drafting.split_header("No header here.\n\nText.") == ({}, "No header here.\n\nText.")
    time, _ = drafting.find_period("China steigerte im ersten Quartal 2026 die Importe.")
    assert time == {"text": "im ersten Quartal 2026", "precision": "quarter",
                    "start": "2026-01-01", "end": "2026-03-31"}
    time, _ = drafting.find_period("visa-free travel until the end of 2027")
    assert time == {"text": "end of 2027", "precision": "year-end", "end": "2027-12-31"}
    numbers = drafting.find_numbers("50 billion cubic metres per year and 35 percent", "en", [])
    assert [(n["value"], n["unit"]) for n in numbers] == [(50, "M3-PER-YR"), (35, "PERCENT")]


def test_incremental_build_converts_only_what_changed(corpus):
    env, stems = corpus
    review_all(env, stems)
    first = rckg("build", env=env)
    assert "rebuilt:   3 of 3 sources" in first.stdout
    again = rckg("build", env=env)
    assert "rebuilt:   0 of 3 sources (none); 3 unchanged" in again.stdout
    sheet = Path(env["RCKG_SEEDS"]) / f"{stems['de_studierende']}.facts.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace(
        "note: A deliberate conflict", "note: On purpose, a conflict"), encoding="utf-8")
    changed = rckg("build", env=env)
    slug = yaml.safe_load((Path(env["RCKG_SEEDS"]) / f"{stems['de_studierende']}.meta.yaml")
                          .read_text())["slug"]
    assert f"rebuilt:   1 of 3 sources ({slug}); 2 unchanged" in changed.stdout
    full = rckg("build", "--full", env=env)
    assert "rebuilt:   3 of 3 sources" in full.stdout
    # the same graph either way
    triples = {next(x for x in out.splitlines() if x.startswith("triples:"))
               for out in (again.stdout, changed.stdout, full.stdout)}
    assert len(triples) == 1
    entities = Path(env["RCKG_SEEDS"]) / "entities.yaml"
    entities.write_text(entities.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert "rebuilt:   3 of 3 sources" in rckg("build", env=env).stdout  # shared input changed


def test_documented_conflict_query_lists_both_claims(corpus):
    import re

    env, stems = corpus
    review_all(env, stems)
    assert rckg("build", env=env).returncode == 0
    page = (PROJECT_ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    query = next(q for q in re.findall(r"```sparql\n(.*?)```", page, re.S)
                 if "conflictsWith" in q)
    done = rckg("query", query, "--format", "json", env=env)
    rows = json.loads(done.stdout)["results"]["bindings"]
    assert sorted((r["value"]["value"], r["otherValue"]["value"]) for r in rows) in (
        [("20 Dokumente", "40 documents"), ("35 Prozent", "30 Prozent")],
        [("20 Dokumente", "40 documents"), ("30 Prozent", "35 Prozent")],
        [("35 Prozent", "30 Prozent"), ("40 documents", "20 Dokumente")],
        [("30 Prozent", "35 Prozent"), ("40 documents", "20 Dokumente")])


def test_drafting_the_article_finds_its_figures_and_most_actors():
    """Measured against the curated sheet of the junge Welt article: every figure is found
    (numbers as stated), and most of the entities its facts name."""
    from graph.sources.seeds import load_corpus

    corpus = load_corpus(PROJECT_ROOT / "seeds")
    source = corpus.sources[0]
    drafts = drafting.draft(source.text, "de", corpus.entities).drafts
    found_numbers = {q["text"].split()[0] for d in drafts for q in d.quantities}
    curated_numbers = {q.text.split()[0] for f in source.facts for q in f.quantities}
    assert found_numbers == curated_numbers
    found = {e for d in drafts for e in d.entities}
    curated = {e for f in source.facts for key in ("subject", "object", "via", "place")
               for e in f.entities.get(key, [])}
    # 35 of 44: the meeting is no longer found through its generic alias "Gespräche", which
    # would tie any talks to it
    assert len(found & curated) / len(curated) >= 0.78
    assert "putin-xi-meeting" not in found
