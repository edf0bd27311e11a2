"""The README's example queries run as written on the built graph."""

from __future__ import annotations

import re

import pytest

from graph.config import PROJECT_ROOT

QUERIES = re.findall(r"```sparql\n(.*?)```", (PROJECT_ROOT / "README.md").read_text(), re.S)


def test_readme_has_at_least_six_examples():
    assert len(QUERIES) >= 6


@pytest.mark.parametrize("query", QUERIES, ids=[f"example-{i + 1}" for i in range(len(QUERIES))])
def test_readme_query_answers(store, query):
    result = store.query(query)
    assert result.kind == "select" and result.rows, query
