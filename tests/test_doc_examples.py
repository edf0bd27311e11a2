"""Example outputs in the docs are the real outputs: each result table after a SPARQL example
holds rows the query returns, and each JSON answer after a `curl` example is part of what the
server answers. An example may leave things out (fewer columns, rows or keys, `…` in a list) but
never show a value the graph does not give."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from graph.config import PROJECT_ROOT
from graph.store.embedded import OxigraphStore
from tests.conftest import BASE
from tests.server import running_server

PAGES = {page.name: page.read_text(encoding="utf-8")
         for page in sorted((PROJECT_ROOT / "docs").glob("*.md"))}
TABLES = [(name, query, table) for name, text in PAGES.items()
          for query, table in re.findall(r"```sparql\n((?:(?!```).)*)```\n+```\n((?:(?!```).)*)```",
                                         text, re.S)]
ANSWERS = [(name, path, answer) for name, text in PAGES.items()
           for path, answer in re.findall(
               r"```sh\ncurl '?http://127\.0\.0\.1:8000(/[^'\s]*)'?\n```\n```json\n(.*?)```", text,
               re.S)]


def _cells(table: str) -> tuple[list[str], list[dict[str, str]]]:
    """Columns and rows of a fixed-width table, sliced at the header's column starts."""
    header, *lines = [line for line in table.splitlines() if line.strip()]
    starts = [m.start() for m in re.finditer(r"\S+", header)]
    names = header.split()
    bounds = [*starts[1:], None]
    rows = [{name: line[start:end].strip() for name, start, end in zip(names, starts, bounds,
                                                                       strict=True)}
            for line in lines if not set(line.strip()) <= {"-", " "}]
    return names, rows


def _shown(real: str, shown: str) -> bool:
    """Whether a cell shows the real value: whole, as an IRI's last segment, or cut with …."""
    if shown == real:
        return True
    if shown.startswith("…"):
        return real.endswith(shown[1:])
    return real.rsplit("/", 1)[-1].rsplit("#", 1)[-1] == shown


def test_docs_have_examples_with_outputs() -> None:
    assert len(TABLES) >= 2 and len(ANSWERS) >= 2


@pytest.mark.parametrize(("page", "query", "table"), TABLES,
                         ids=[f"{p}-table-{i + 1}" for i, (p, _, _) in enumerate(TABLES)])
def test_result_tables_are_real(store: OxigraphStore, page: str, query: str,
                                table: str) -> None:
    result = store.query(query)
    names, rows = _cells(table)
    assert set(names) <= set(result.variables), f"{page}: columns {names}"
    real = [{v: (row[v].value if v in row else "") for v in result.variables}
            for row in result.rows]
    for shown in rows:
        assert any(all(_shown(r[n], shown[n]) for n in names) for r in real), \
            f"{page}: no row of the answer reads {shown}"


def _part_of(shown: Any, real: Any) -> bool:
    """Whether `shown` (parsed from the docs) is part of `real` (the server's answer)."""
    if isinstance(shown, dict):
        return isinstance(real, dict) and all(k in real and _part_of(v, real[k])
                                              for k, v in shown.items())
    if isinstance(shown, list):
        return isinstance(real, list) and all(any(_part_of(s, r) for r in real) for s in shown)
    if isinstance(shown, str) and shown.endswith("…"):  # a string cut short
        return isinstance(real, str) and real.startswith(shown[:-1].rstrip())
    return bool(shown == real)


@pytest.fixture(scope="module")
def server(test_settings, built) -> Iterator[str]:
    env = {"RCKG_STORE": str(test_settings.store), "RCKG_BASE_IRI": BASE, "RCKG_WORKERS": "2"}
    with running_server(env) as running:
        yield running.url


@pytest.mark.parametrize(("page", "path", "answer"), ANSWERS,
                         ids=[f"{p}-answer-{i + 1}" for i, (p, _, _) in enumerate(ANSWERS)])
def test_json_answers_are_real(server: str, page: str, path: str, answer: str) -> None:
    shown = json.loads(re.sub(r",\s*…\s*([\]}])", r"\1", answer))
    real = httpx.get(server + path, timeout=30).json()
    assert _part_of(shown, real), f"{page}: GET {path} no longer answers {answer}"
