"""GraphML of the network, for networkx, yEd, Cytoscape and Gephi.

Every attribute has a typed key declared `for="node"` or `for="edge"` (string, int,
double, boolean). Nodes carry `label` (English); edges carry `label` = the relation and
`weight` = the number of supporting facts.

Mixed directedness: the graph is `edgedefault="directed"`, and each edge has a boolean
`directed` data value, false for the symmetric relations (whose ends are in sorted
order). It is data rather than GraphML's XML `directed` attribute on purpose:
`networkx.read_graphml` refuses a graph that mixes the two ("directed=false edge found
in directed graph"), and reading the file back must work. For Gephi's timeline and its
undirected edges, use the GEXF export. Time spells are a string `interval` in Gephi's
interval-set syntax (`<[2025-01-01, 2025-12-31]>`, open bounds as ±Infinity).

Example:
    >>> import io, networkx as nx
    >>> from graph import projection
    >>> from graph.config import settings
    >>> from graph.store.embedded import StoreDirectory
    >>> store = StoreDirectory(settings().store).open_current()  # doctest: +SKIP
    >>> p = projection.load(store.query, settings().base_iri, store.version)  # doctest: +SKIP
    >>> g = nx.read_graphml(io.BytesIO(write_graphml(p, ExportFilter(actor="rosatom"))))
    ... # doctest: +SKIP
    >>> sorted(g)  # doctest: +SKIP
    ['china', 'nuclear-power', 'rosatom']
"""

from __future__ import annotations

import io
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
from graph.export.xmlstream import Writer, escape_text
from graph.views.projection import Projection

GRAPHML = "http://graphml.graphdrawing.org/xmlns"
MEDIA_TYPE = "application/graphml+xml"
TYPES = {"string": "string", "integer": "int", "double": "double", "boolean": "boolean"}
NODE_KEYS = (Column("label", "string"), *NODE_COLUMNS, Column("interval", "string"))
EDGE_KEYS = (Column("label", "string"), Column("weight", "double"), *EDGE_COLUMNS,
             Column("interval", "string"))


def write_graphml(projection: Projection, flt: ExportFilter | None = None) -> bytes:
    """The (filtered) network as a GraphML document, UTF-8."""
    out = io.BytesIO()
    write_graphml_to(projection, flt, out)
    return out.getvalue()


def write_graphml_to(projection: Projection, flt: ExportFilter | None, out: BinaryIO) -> None:
    """Write the GraphML document into `out` one node or edge at a time (see gexf)."""
    with paused_gc():
        net = Network(projection, flt)
        w = Writer(out)
        w.start("graphml", {"xmlns": GRAPHML})
        for kind, keys in (("node", NODE_KEYS), ("edge", EDGE_KEYS)):
            for column in keys:
                w.leaf("key", {"id": _key(kind, column.name), "for": kind, "attr.name": column.name,
                               "attr.type": TYPES[column.type]})
        w.start("graph", {"id": "rckg", "edgedefault": "directed"})
        for slug, data in net.nodes.items():
            _element(w, "node", {"id": slug}, NODE_KEYS,
                     {**data, "interval": interval(data["spells"])})
        for u, v, relation, data in net.edges():
            values = {**data, "label": relation, "weight": float(data["weight"]),
                      "interval": interval(data["spells"])}
            _element(w, "edge", {"id": edge_id(u, v, relation), "source": u, "target": v},
                     EDGE_KEYS, values)
        w.end("graph")
        w.end("graphml")
        w.close()


def interval(spells: tuple[Spell, ...]) -> str | None:
    """Spells in Gephi's interval-set syntax; None for a timeless element."""
    if not spells:
        return None
    return "<" + "; ".join(f"[{s or '-Infinity'}, {e or 'Infinity'}]" for s, e in spells) + ">"


def _key(kind: str, name: str) -> str:
    return f"{kind[0]}_{name}"


def _element(w: Writer, kind: str, attributes: dict[str, str], keys: tuple[Column, ...],
             values: dict[str, Any]) -> None:
    present = [f'<data key="{_key(kind, name)}">{escape_text(text(value))}</data>'
               for name, value in cells(keys, values)]
    w.block(kind, present, attributes)
