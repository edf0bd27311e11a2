"""GEXF 1.3 for Gephi and Gephi Lite, written with lxml so that Gephi reads what we mean.

Written by hand rather than with `networkx.write_gexf`, which writes the 1.2draft namespace,
puts an attribute named `type` in the XML `type` slot, writes `kind` as data, and whose
1.3 output does not validate. What this writer guards against:

- Gephi merges parallel edges of the same `kind`: each edge's `kind` (and `label`) is its
  relation, and there is one edge per (source, target, relation) (see `network`).
- Gephi drops edges of weight 0: `weight` is the number of supporting facts, at least 1.
- Gephi drops edges whose type contradicts `defaultedgetype`: every edge says
  `type="directed"` or `"undirected"`, and `defaultedgetype` is written only when all
  edges agree (absent, Gephi imports a mixed graph).
- Gephi ignores attribute types it does not know (`anyURI`, lists): only string, integer
  and boolean columns; ids equal titles, so Gephi's columns and Gephi Lite's (graphology
  keys by id) have the same names; no column is named like a reserved one (id, label,
  weight, kind, type on edges).
- Gephi reads dates in ISO form only, and rejects overlapping intervals: `timeformat="date"`,
  spells with ISO dates, merged where they overlap, an open bound where the text gives
  none. The file is `mode="dynamic"` only when something has spells.
- No `xsi:schemaLocation` (the RELAX NG schema rejects it).

Example:
    >>> from graph import projection
    >>> from graph.config import settings
    >>> from graph.store.embedded import StoreDirectory
    >>> store = StoreDirectory(settings().store).open_current()  # doctest: +SKIP
    >>> p = projection.load(store.query, settings().base_iri, store.version)  # doctest: +SKIP
    >>> write_gexf(p, ExportFilter(actor="rosatom"))[:38]  # doctest: +SKIP
    b"<?xml version='1.0' encoding='UTF-8'?>"
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import networkx as nx
from lxml import etree

from graph.export.network import (
    EDGE_COLUMNS,
    NODE_COLUMNS,
    Column,
    ExportFilter,
    Spell,
    cell,
    edge_id,
    export_graph,
    is_dynamic,
    text,
)
from graph.views.projection import Projection

GEXF = "http://gexf.net/1.3"
VIZ = "http://gexf.net/1.3/viz"
MEDIA_TYPE = "application/gexf+xml"


def write_gexf(projection: Projection, flt: ExportFilter | None = None) -> bytes:
    """The (filtered) network as a GEXF 1.3 document, UTF-8."""
    g = export_graph(projection, flt)
    root = etree.Element(_g("gexf"), nsmap={None: GEXF, "viz": VIZ}, version="1.3")
    meta = etree.SubElement(root, _g("meta"))
    etree.SubElement(meta, _g("creator")).text = "rckg"
    etree.SubElement(meta, _g("description")).text = f"{g.graph['title']} ({g.graph['version']})"
    graph = etree.SubElement(root, _g("graph"), _graph_attributes(g))
    _declare(graph, "node", NODE_COLUMNS)
    _declare(graph, "edge", EDGE_COLUMNS)
    nodes = etree.SubElement(graph, _g("nodes"), count=str(g.number_of_nodes()))
    for slug, data in g.nodes(data=True):
        _node(nodes, slug, data)
    edges = etree.SubElement(graph, _g("edges"), count=str(g.number_of_edges()))
    for u, v, relation, data in g.edges(keys=True, data=True):
        _edge(edges, u, v, relation, data)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _g(name: str) -> str:
    return f"{{{GEXF}}}{name}"


def _graph_attributes(g: nx.MultiDiGraph) -> dict[str, str]:
    attributes = {"idtype": "string", "mode": "static"}
    if is_dynamic(g):
        attributes.update(mode="dynamic", timeformat="date")
    kinds = {d["directed"] for _, _, d in g.edges(data=True)}
    if len(kinds) == 1:  # one type for all: say so; mixed: leave Gephi to take each edge's
        attributes["defaultedgetype"] = "directed" if kinds.pop() else "undirected"
    return attributes


def _declare(graph: etree._Element, kind: str, columns: Iterable[Column]) -> None:
    declared = etree.SubElement(graph, _g("attributes"), {"class": kind, "mode": "static"})
    for column in columns:
        etree.SubElement(declared, _g("attribute"), id=column.name, title=column.name,
                         type=column.type)


def _node(parent: etree._Element, slug: str, data: dict[str, Any]) -> None:
    node = etree.SubElement(parent, _g("node"), id=slug, label=data["label"])
    _attvalues(node, NODE_COLUMNS, data)
    _spells(node, data["spells"])
    red, green, blue = (int(data["color"][i:i + 2], 16) for i in (1, 3, 5))
    etree.SubElement(node, f"{{{VIZ}}}color", r=str(red), g=str(green), b=str(blue))
    etree.SubElement(node, f"{{{VIZ}}}size", value=f"{node_size(data['degree']):.2f}")


def node_size(degree: int) -> float:
    """viz:size by degree: grows with the square root, so hubs do not swamp the picture."""
    return 10 + 5 * math.sqrt(degree)


def _edge(parent: etree._Element, u: str, v: str, relation: str, data: dict[str, Any]) -> None:
    edge = etree.SubElement(parent, _g("edge"), id=edge_id(u, v, relation), source=u, target=v,
                            type="directed" if data["directed"] else "undirected",
                            label=relation, kind=relation, weight=str(data["weight"]))
    _attvalues(edge, EDGE_COLUMNS, data)
    _spells(edge, data["spells"])


def _attvalues(element: etree._Element, columns: Iterable[Column], data: dict[str, Any]) -> None:
    values = etree.SubElement(element, _g("attvalues"))
    for column in columns:
        value = cell(data.get(column.name))
        if value is not None:
            etree.SubElement(values, _g("attvalue"), {"for": column.name, "value": text(value)})


def _spells(element: etree._Element, spells: tuple[Spell, ...]) -> None:
    if not spells:
        return
    holder = etree.SubElement(element, _g("spells"))
    for start, end in spells:
        bounds = {name: value for name, value in (("start", start), ("end", end)) if value}
        etree.SubElement(holder, _g("spell"), bounds)
