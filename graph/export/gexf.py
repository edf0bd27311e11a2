"""GEXF 1.3 for Gephi and Gephi Lite, written with lxml so that Gephi reads what we mean.

Written by hand rather than with `networkx.write_gexf`, which writes the 1.2draft namespace,
puts an attribute named `type` in the XML `type` slot, writes `kind` as data, and whose
1.3 output does not validate. What this writer guards against:

- Gephi merges parallel edges of the same `kind`: each edge's `kind` (and `label`) is its
  relation, and there is one edge per (source, target, relation) (see `network`).
- Gephi drops edges of weight 0: `weight` is the number of supporting facts, at least 1.
- Gephi drops edges whose type contradicts `defaultedgetype`, and networkx refuses a file
  whose edge types disagree with it (an absent default means undirected): when all edges
  agree, the default is their type; when directed and symmetric relations mix, the default is
  `directed` and each symmetric edge is `mutual` (GEXF's edge that goes both ways), which
  networkx reads as the two directions and graphology-gexf as one undirected edge.
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

import io
import math
from collections.abc import Iterable
from typing import Any, BinaryIO

from graph.export.network import (
    EDGE_COLUMNS,
    NODE_COLUMNS,
    Column,
    ExportFilter,
    Network,
    Spell,
    cells,
    edge_id,
    paused_gc,
    text,
)
from graph.export.xmlstream import Writer, attribute
from graph.views.projection import Projection

GEXF = "http://gexf.net/1.3"
VIZ = "http://gexf.net/1.3/viz"
MEDIA_TYPE = "application/gexf+xml"


def write_gexf(projection: Projection, flt: ExportFilter | None = None) -> bytes:
    """The (filtered) network as a GEXF 1.3 document, UTF-8."""
    out = io.BytesIO()
    write_gexf_to(projection, flt, out)
    return out.getvalue()


def write_gexf_to(projection: Projection, flt: ExportFilter | None, out: BinaryIO) -> None:
    """Write the GEXF document into `out` as it is made: one node or edge at a time, so the
    memory it takes does not grow with the graph (beyond the nodes held by `Network`)."""
    with paused_gc():
        net = Network(projection, flt)
        mixed = len(net.kinds) == 2
        w = Writer(out)
        w.start("gexf", {"xmlns": GEXF, "xmlns:viz": VIZ, "version": "1.3"})
        w.start("meta")
        w.leaf("creator", text="rckg")
        w.leaf("description", text=f"{net.title} ({net.version})")
        w.end("meta")
        w.start("graph", _graph_attributes(net))
        _declare(w, "node", NODE_COLUMNS)
        _declare(w, "edge", EDGE_COLUMNS)
        w.start("nodes", {"count": str(len(net.nodes))})
        for slug, data in net.nodes.items():
            _node(w, slug, data)
        w.end("nodes")
        w.start("edges", {"count": str(len(net))})
        for u, v, relation, data in net.edges():
            _edge(w, u, v, relation, data, mixed)
        w.end("edges")
        w.end("graph")
        w.end("gexf")
        w.close()


def _graph_attributes(net: Network) -> dict[str, str]:
    attributes = {"idtype": "string", "mode": "static"}
    if net.dynamic:
        attributes.update(mode="dynamic", timeformat="date")
    attributes["defaultedgetype"] = "undirected" if net.kinds == {False} else "directed"
    return attributes


def edge_type(directed: bool, mixed: bool) -> str:
    """An edge's GEXF type: a symmetric relation is `mutual` among directed edges."""
    if directed:
        return "directed"
    return "mutual" if mixed else "undirected"


def _declare(w: Writer, kind: str, columns: Iterable[Column]) -> None:
    w.start("attributes", {"class": kind, "mode": "static"})
    for column in columns:
        w.leaf("attribute", {"id": column.name, "title": column.name, "type": column.type})
    w.end("attributes")


def _node(w: Writer, slug: str, data: dict[str, Any]) -> None:
    w.start("node", {"id": slug, "label": data["label"]})
    _attvalues(w, NODE_COLUMNS, data)
    _spells(w, data["spells"])
    color = data["color"]
    w.leaf("viz:color", {"r": str(int(color[1:3], 16)), "g": str(int(color[3:5], 16)),
                         "b": str(int(color[5:7], 16))})
    w.leaf("viz:size", {"value": f"{node_size(data['degree']):.2f}"})
    w.end("node")


def node_size(degree: int) -> float:
    """viz:size by degree: grows with the square root, so hubs do not swamp the picture."""
    return 10 + 5 * math.sqrt(degree)


def _edge(w: Writer, u: str, v: str, relation: str, data: dict[str, Any], mixed: bool) -> None:
    w.start("edge", {"id": edge_id(u, v, relation), "source": u, "target": v,
                     "type": edge_type(bool(data["directed"]), mixed), "label": relation,
                     "kind": relation, "weight": str(data["weight"])})
    _attvalues(w, EDGE_COLUMNS, data)
    _spells(w, data["spells"])
    w.end("edge")


def _attvalues(w: Writer, columns: Iterable[Column], data: dict[str, Any]) -> None:
    w.block("attvalues", [f'<attvalue for="{name}" value="{attribute(text(value))}"/>'
                          for name, value in cells(columns, data)])


def _spells(w: Writer, spells: tuple[Spell, ...]) -> None:
    if not spells:
        return
    w.start("spells")
    for start, end in spells:
        w.leaf("spell", {name: value for name, value in (("start", start), ("end", end))
                         if value})
    w.end("spells")
