"""Shared fixtures: a graph built once per test session into a temporary store."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from graph.builder.pipeline import BuildReport, build
from graph.config import PROJECT_ROOT, RemoteSettings, Settings, settings
from graph.store.embedded import OxigraphStore, QueryResult, StoreDirectory

if TYPE_CHECKING:
    from tests.store_servers import RemoteStore as RemoteStoreServer

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


STORES = ("embedded", "oxigraph", "virtuoso")  # every kind of store the API suite runs on


def remote_settings(endpoints: RemoteStoreServer) -> RemoteSettings:
    """rckg's settings for a store server started by the tests."""
    return RemoteSettings(endpoints.query, endpoints.update, endpoints.gsp, endpoints.user,
                          endpoints.password)


@pytest.fixture(scope="session", params=STORES)
def any_store(request: pytest.FixtureRequest, test_settings: Settings,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Settings for the article graph built into each kind of store in turn: the embedded
    one, then an Oxigraph server and a Virtuoso started on loopback for the session."""
    if request.param == "embedded":
        request.getfixturevalue("built")
        yield test_settings
        return
    from tests.store_servers import require_binary, store_server

    require_binary(request.param)  # skips with the reason outside CI, fails in CI
    workdir = tmp_path_factory.mktemp(request.param)
    with store_server(request.param, workdir / "server") as endpoints:
        config = replace(test_settings, store=workdir / "state",
                         remote=remote_settings(endpoints))
        build(config)
        yield config


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
