"""Shared fixtures: a graph built once per test session into a temporary store."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from graph.build import BuildReport, build
from graph.config import PROJECT_ROOT, Settings, settings
from graph.store import OxigraphStore, QueryResult, StoreDirectory

SHARED = PROJECT_ROOT.parent / "shared"
BASE = "http://127.0.0.1:8000/"
IN_CI = os.environ.get("CI") == "true"


def shared_path(*parts: str) -> Path:
    """A file under ../shared; skips the test when absent outside CI, fails in CI."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} is missing, and CI must have ../shared")
        pytest.skip(f"{path} is absent (a fresh clone has no ../shared)")
    return path


def node_script(script: str, packages: tuple[str, ...]) -> list[str]:
    """The command that runs tests/js/SCRIPT with Node; skips (or, in CI, fails) when Node.js
    or the packages in node_modules are missing."""
    installed = all((PROJECT_ROOT / "node_modules" / name).exists() for name in packages)
    if shutil.which("node") is None or not installed:
        message = "Node.js or node_modules missing: run 'npm ci' (make test does)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return ["node", str(PROJECT_ROOT / "tests" / "js" / script)]


@pytest.fixture(scope="session")
def test_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The project's seeds and ontology, with a store of the test session's own."""
    return replace(settings(), store=tmp_path_factory.mktemp("store"), base_iri=BASE)


@pytest.fixture(scope="session")
def built(test_settings: Settings) -> BuildReport:
    return build(test_settings)


@pytest.fixture(scope="session")
def store(test_settings: Settings, built: BuildReport) -> Iterator[OxigraphStore]:
    yield StoreDirectory(test_settings.store).open_current()


PREFIXES = """
PREFIX rckg: <http://127.0.0.1:8000/ontology#>
PREFIX id: <http://127.0.0.1:8000/id/>
PREFIX vocab: <http://127.0.0.1:8000/vocab/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX qudt: <http://qudt.org/schema/qudt/>
PREFIX unit: <http://qudt.org/vocab/unit/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
PREFIX void: <http://rdfs.org/ns/void#>
"""


def run(store: OxigraphStore, sparql: str) -> QueryResult:
    """Run `sparql` with the project's usual prefixes (default base IRI)."""
    return store.query(PREFIXES + sparql)


def values(store: OxigraphStore, sparql: str) -> list[tuple[str, ...]]:
    """Rows of a SELECT as tuples of plain values (missing bindings as ''), sorted."""
    result = run(store, sparql)
    return sorted(tuple(row[v].value if v in row else "" for v in result.variables)
                  for row in result.rows)
