"""The README's example queries run as written on the built graph, and the figures it
states are the figures the build and the queries give."""

from __future__ import annotations

import re

import pytest

from graph.builder.pipeline import BuildReport
from graph.config import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
QUERIES = re.findall(r"```sparql\n(.*?)```", README, re.S)


def test_readme_has_at_least_six_examples():
    assert len(QUERIES) >= 6


@pytest.mark.parametrize("query", QUERIES, ids=[f"example-{i + 1}" for i in range(len(QUERIES))])
def test_readme_query_answers(store, query):
    result = store.query(query)
    assert result.kind == "select"
    if "Rows appear once a second source is added" not in query:  # tested in test_sources
        assert result.rows, query


def test_headline_figures_are_the_builds(built: BuildReport):
    match = re.search(r"\*\*(\d+) facts over (\d+) entities, ([\d,]+) triples in (\d+) named "
                      r"graphs, covering all (\d+) sentences\*\*", README)
    assert match, "the README states the build's figures in its introduction"
    facts, entities, triples, graphs, sentences = match.groups()
    assert (int(facts), int(entities), int(triples.replace(",", "")), int(graphs),
            int(sentences)) == (built.facts, built.entities, built.triples, len(built.graphs),
                                built.sentences)


def test_stated_query_outputs(store):
    ties = store.query(next(q for q in QUERIES if "id:russia ?p ?other" in q))
    assert f"{len(ties.rows)} rows, among them" in README
    counts = store.query(next(q for q in QUERIES if "COUNT(?fact)" in q))
    stated = ", ".join(f"{r['attribution'].value} {r['facts'].value}" for r in counts.rows)
    assert f"({stated}" in README.replace("\n", " ")
    capacity = store.query(next(q for q in QUERIES if "rckg:capacity" in q)).rows[0]
    assert capacity["stated"].value in README and "50000000000" in README
    position = store.query(next(q for q in QUERIES if "oa:TextPositionSelector" in q)).rows[0]
    assert f"`?start` {position['start'].value} and `?end` {position['end'].value}" in README
