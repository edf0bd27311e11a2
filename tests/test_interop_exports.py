"""Interop: the network exports read by the tools users load them into — networkx (GEXF and
GraphML), igraph (GraphML) — with every node and edge attribute intact and typed: class,
labels, degree, certainty, attribution, time. (graphology-gexf and the GEXF RELAX NG schema
are checked in test_export.py.)"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path
from typing import Any

import igraph
import networkx as nx
import pytest

from graph.export.gexf import write_gexf
from graph.export.graphml import write_graphml
from graph.export.network import EDGE_COLUMNS, NODE_COLUMNS, ExportFilter, cell, export_graph
from graph.store.embedded import OxigraphStore
from graph.views import projection
from graph.views.projection import Projection
from tests.conftest import BASE

FILTERS = {"all": ExportFilter(), "rosatom": ExportFilter(actor="rosatom", depth=1),
           "putin-symmetric": ExportFilter(actor="vladimir-putin",
                                           relations=frozenset({"meetsWith"}))}
PYTHON_TYPES = {"string": str, "integer": int, "boolean": bool, "double": float}


@pytest.fixture(scope="module")
def proj(store: OxigraphStore) -> Projection:
    return projection.load(store.query, BASE, store.version)


def _expected(data: dict[str, Any], columns: Any) -> dict[str, Any]:
    """The attribute values a reader should find: every non-empty column, with its type."""
    found = {}
    for column in columns:
        value = cell(data.get(column.name))
        if value is not None:
            assert isinstance(value, PYTHON_TYPES[column.type])
            found[column.name] = value
    return found


def _edges(g: nx.MultiDiGraph) -> list[tuple[str, str, str, dict[str, Any]]]:
    return [(u, v, relation, d) for u, v, relation, d in g.edges(keys=True, data=True)]


@pytest.mark.parametrize("name", list(FILTERS))
def test_networkx_reads_the_gexf(proj: Projection, name: str):
    g = export_graph(proj, FILTERS[name])
    read = nx.read_gexf(io.BytesIO(write_gexf(proj, FILTERS[name])))
    assert read.is_directed() == any(d["directed"] for *_, d in _edges(g))
    assert set(read) == set(g)
    for node, data in g.nodes(data=True):
        got = read.nodes[node]
        assert got["label"] == data["label"]
        for key, value in _expected(data, NODE_COLUMNS).items():
            assert got[key] == value and type(got[key]) is type(value), (node, key)
    # A symmetric relation is a mutual edge: networkx holds it both ways.
    wanted: Counter[tuple[str, ...]] = Counter()
    for u, v, relation, data in _edges(g):
        wanted[(u, v, relation) if read.is_directed() else (*sorted((u, v)), relation)] += 1
        if not data["directed"] and read.is_directed():
            wanted[(v, u, relation)] += 1
    ends = (lambda u, v: (u, v)) if read.is_directed() else (lambda u, v: tuple(sorted((u, v))))
    assert Counter((*ends(u, v), d["label"]) for u, v, d in read.edges(data=True)) == wanted
    for u, v, data in read.edges(data=True):
        source, target = (u, v) if g.has_edge(u, v, data["label"]) else (v, u)
        original = g[source][target][data["label"]]
        assert data["weight"] == original["weight"]
        for key, value in _expected(original, EDGE_COLUMNS).items():
            assert data[key] == value and type(data[key]) is type(value), (u, v, key)
    if name == "putin-symmetric":  # the meeting: an undirected edge among directed ones
        assert any(not d["directed"] for *_, d in _edges(g)) and read.is_directed()


def test_the_gexf_keeps_certainty_attribution_and_time(proj: Projection):
    """The attributes the issue names, on real edges: not just present, but read back."""
    read = nx.read_gexf(io.BytesIO(write_gexf(proj)))
    edges = [d for *_, d in read.edges(data=True)]
    assert {"certainty", "attribution", "time_start", "relation", "quote"} <= \
        set().union(*(d.keys() for d in edges))
    assert any(d.get("certainty") for d in edges) and any(d.get("time_start") for d in edges)
    assert {d["type"] for _, d in read.nodes(data=True)} >= {"State", "Company"}


@pytest.mark.parametrize("name", list(FILTERS))
def test_igraph_reads_the_graphml(proj: Projection, name: str, tmp_path: Path):
    g = export_graph(proj, FILTERS[name])
    path = tmp_path / "rckg.graphml"
    path.write_bytes(write_graphml(proj, FILTERS[name]))
    read = igraph.Graph.Read_GraphML(str(path))
    assert read.is_directed()
    assert (read.vcount(), read.ecount()) == (g.number_of_nodes(), g.number_of_edges())
    ids = read.vs["id"]
    assert set(ids) == set(g)
    for vertex in read.vs:
        data = g.nodes[vertex["id"]]
        assert vertex["label"] == data["label"]
        for key, value in _expected(data, NODE_COLUMNS).items():
            got = vertex[key]
            # igraph holds GraphML's int as a float (its numeric attribute type)
            assert (got == value) if not isinstance(value, int) or isinstance(value, bool) \
                else (got == float(value)), (vertex["id"], key)
    for edge in read.es:
        u, v = ids[edge.source], ids[edge.target]
        original = g[u][v][edge["label"]]
        assert edge["weight"] == original["weight"]
        assert edge["directed"] is original["directed"]
        for key, value in _expected(original, EDGE_COLUMNS).items():
            got = edge[key]
            assert got == (float(value) if type(value) is int else value), (u, v, key)


@pytest.mark.parametrize("name", list(FILTERS))
def test_networkx_reads_every_graphml_attribute(proj: Projection, name: str):
    g = export_graph(proj, FILTERS[name])
    read = nx.read_graphml(io.BytesIO(write_graphml(proj, FILTERS[name])), force_multigraph=True)
    for node, data in g.nodes(data=True):
        for key, value in _expected(data, NODE_COLUMNS).items():
            assert read.nodes[node][key] == value and type(read.nodes[node][key]) is type(value)
    for u, v, data in read.edges(data=True):
        original = g[u][v][data["label"]]
        for key, value in _expected(original, EDGE_COLUMNS).items():
            assert data[key] == value and type(data[key]) is type(value), (u, v, key)
