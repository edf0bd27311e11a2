"""`rckg build`, `validate`, `query`, `export` through the command line, and what a broken
fact sheet does: a clear error naming file and line, and the served graph unchanged."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph.config import PROJECT_ROOT
from graph.store.embedded import StoreDirectory
from graph.views import projection
from tests.conftest import BASE, PREFIXES

CAPACITY = PREFIXES + """SELECT ?v WHERE {
  ?s rckg:subject id:power-of-siberia-2 ; rckg:capacity [ qudt:numericValue ?v ] }"""
FACTS = "000_fdbe017421ca9382.facts.yaml"


def rckg(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(PROJECT_ROOT / "rckg.py"), *args],
                          capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, timeout=300)


@pytest.fixture()
def workdir(tmp_path: Path) -> dict[str, str]:
    """A copy of the seeds and a store built from them, as an environment for the CLI."""
    seeds = tmp_path / "seeds"
    shutil.copytree(PROJECT_ROOT / "seeds", seeds)
    env = {**os.environ, "RCKG_SEEDS": str(seeds), "RCKG_STORE": str(tmp_path / "store"),
           "RCKG_BASE_IRI": BASE}
    done = rckg("build", env=env)
    assert done.returncode == 0, done.stderr
    return env


def capacity(env: dict[str, str]) -> list[dict[str, object]]:
    done = rckg("query", CAPACITY, "--format", "json", env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["results"]["bindings"]


def break_line(env: dict[str, str], old: str, new: str) -> int:
    """Replace `old` by `new` in the fact sheet; return the 1-based line of its last line."""
    path = Path(env["RCKG_SEEDS"]) / FACTS
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if old in line)
    lines[index] = lines[index].replace(old, new)
    path.write_text("\n".join(lines), encoding="utf-8")
    return index + 1 + new.count("\n")


def test_build_prints_counts_and_full_coverage(workdir):
    done = rckg("build", env=workdir)
    assert done.returncode == 0
    assert "facts:     64" in done.stdout
    assert "sentences: 28/28 covered" in done.stdout
    assert "uncovered" not in done.stdout


def test_query_formats(workdir):
    assert float(capacity(workdir)[0]["v"]["value"]) == 5.0e10
    table = rckg("query", CAPACITY, env=workdir).stdout
    assert "50000000000" in table.replace(".0", "") or "5.0E10" in table or "5e10" in table
    csv = rckg("query", CAPACITY, "--format", "csv", env=workdir).stdout
    assert csv.splitlines()[0] == "v"


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("quote: 'China bremst'", "quote: 'China bremst stark'", "quote not found"),
        ("{role: volume, text: '49 Milliarden Kubikmeter', value: 49,",
         "{role: volume, text: '49 Milliarden Kubikmeter', value: 48,", "differs from the number"),
        ("{role: volume, text: '49 Milliarden Kubikmeter'",
         "{role: volume, text: '48 Milliarden Kubikmeter'", "not in the quote"),
        ("subject: rosatom", "subject: gazprom", "unknown actor or entity 'gazprom'"),
        ("attribution: quoted-speaker", "attribution: rumour", "is not one of"),
        ("{role: change, text: '35 Prozent', value: 35,",
         "{role: change, text: '5 Prozent', value: 5,", "as a whole number"),
        ("value: 49, unit: M3-PER-YR}", "value: 49, unit: PERCENT}", "does not fit"),
        ("start: 2026-01-01, end: 2026-03-31}", "start: 2026-01-01, end: 2026-06-30}",
         "do not span one quarter"),
        ("start: 2025-01-01, end: 2025-12-31}", "start: 2025-01-01, end: 2025-13-31}",
         "is not a date"),
        ("time: {text: in Kürze, precision: relative}", "time: in Kürze",
         "'time' must be a mapping"),
        ("quote: 'China bremst'", "quote: 'China bremst'\n    occurrence: first",
         "whole number"),
    ],
    ids=["quote-not-in-text", "wrong-number", "number-not-in-quote", "unknown-actor",
         "unknown-attribution", "part-of-a-number", "unit-against-words", "half-a-year-quarter",
         "impossible-date", "time-as-text", "occurrence-not-a-number"],
)
def test_broken_fact_sheet_fails_with_file_and_line_and_keeps_the_graph(workdir, old, new, reason):
    before = capacity(workdir)
    line = break_line(workdir, old, new)
    done = rckg("build", env=workdir)
    assert done.returncode == 1
    assert f"{FACTS}:{line}: " in done.stderr
    assert reason in done.stderr
    assert "nothing was stored" in done.stderr
    assert capacity(workdir) == before


def test_yaml_syntax_error_names_the_line(workdir):
    line = break_line(workdir, "quote: 'China bremst'", "quote: 'China bremst")
    done = rckg("validate", env=workdir)
    assert done.returncode == 1
    assert "invalid YAML" in done.stderr
    reported = int(done.stderr.split(f"{FACTS}:")[1].split(":")[0])
    noticed = int(done.stderr.split("noticed on line ")[1].split(")")[0])
    assert reported <= line <= noticed  # the broken line lies between the two lines named
    assert line - reported < 10


def test_a_fact_that_is_not_a_mapping_is_named(workdir):
    break_line(workdir, "  - id: intensify-cooperation",
               "  - just a sentence\n  - id: intensify-cooperation")
    done = rckg("validate", env=workdir)
    assert done.returncode == 1
    assert "fact number 2 under 'facts' must be a mapping" in done.stderr
    assert "Traceback" not in done.stderr


def test_shacl_violation_fails_the_build(workdir):
    entities = Path(workdir["RCKG_SEEDS"]) / "entities.yaml"
    text = entities.read_text(encoding="utf-8")
    entities.write_text(text.replace("  wikidata: Q159\n", "  wikidata: Q0159\n"), encoding="utf-8")
    done = rckg("build", env=workdir)
    assert done.returncode == 1
    assert "entities.yaml:" in done.stderr and "Q0159" in done.stderr


def test_missing_store_is_a_clear_error(tmp_path):
    env = {**os.environ, "RCKG_STORE": str(tmp_path / "nothing")}
    done = rckg("query", "ASK {}", env=env)
    assert done.returncode == 1
    assert "run 'rckg build'" in done.stderr


def test_export_formats_from_the_cli(workdir, tmp_path):
    out = tmp_path / "graph.trig"
    done = rckg("export", "--format", "trig", "-o", str(out), env=workdir)
    assert done.returncode == 0 and out.stat().st_size > 10_000
    nt = rckg("export", "--format", "nt", env=workdir).stdout
    assert "<http://127.0.0.1:8000/id/russia>" in nt
    # Network formats stream into the file; the same bytes as the ones written to stdout.
    gexf = tmp_path / "graph.gexf"
    assert rckg("export", "--format", "gexf", "-o", str(gexf), env=workdir).returncode == 0
    whole = subprocess.run([sys.executable, str(PROJECT_ROOT / "rckg.py"), "export", "--format",
                            "gexf"], capture_output=True, env=workdir, cwd=PROJECT_ROOT,
                           timeout=300).stdout
    assert gexf.read_bytes().rstrip(b"\n") == whole.rstrip(b"\n") and b"<gexf " in whole
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_base_iri_moves_every_iri(workdir):
    env = {**workdir, "RCKG_BASE_IRI": "https://example.org/rckg/"}
    assert rckg("build", env=env).returncode == 0
    nt = rckg("export", "--format", "nq", env=env).stdout
    assert "<https://example.org/rckg/id/russia>" in nt
    assert "http://127.0.0.1:8000/" not in nt


def test_build_if_changed_skips_only_unchanged_inputs(workdir):
    unchanged = rckg("build", "--if-changed", env=workdir)
    assert unchanged.returncode == 0 and "up to date" in unchanged.stdout
    break_line(workdir, "translation: China is putting on the brakes",
               "translation: China is braking")
    changed = rckg("build", "--if-changed", env=workdir)
    assert changed.returncode == 0 and "facts:     64" in changed.stdout


def test_a_build_saves_its_projection(test_settings, built):
    """The server reads the projection a build saved instead of rebuilding it; it must be
    the projection a fresh read of the store gives, and only for its base and version."""
    folder = StoreDirectory(test_settings.store).current_path()
    saved = projection.read(folder / projection.SAVED, test_settings.base_iri, folder.name)
    store = StoreDirectory(test_settings.store).open_current()
    fresh = projection.load(store.query, test_settings.base_iri, store.version)
    assert saved is not None
    assert (saved.entities, saved.facts, saved.sources, saved.relations, saved.symmetric) == \
        (fresh.entities, fresh.facts, fresh.sources, fresh.relations, fresh.symmetric)
    assert sorted(saved.graph.edges(keys=True, data=True)) == \
        sorted(fresh.graph.edges(keys=True, data=True))
    assert projection.read(folder / projection.SAVED, "http://other.example/", folder.name) \
        is None
    assert projection.read(folder / projection.SAVED, test_settings.base_iri, "v0") is None
