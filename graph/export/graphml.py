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

from typing import Any

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
    text,
)
from graph.views.projection import Projection

GRAPHML = "http://graphml.graphdrawing.org/xmlns"
MEDIA_TYPE = "application/graphml+xml"
TYPES = {"string": "string", "integer": "int", "double": "double", "boolean": "boolean"}
NODE_KEYS = (Column("label", "string"), *NODE_COLUMNS, Column("interval", "string"))
EDGE_KEYS = (Column("label", "string"), Column("weight", "double"), *EDGE_COLUMNS,
             Column("interval", "string"))


def write_graphml(projection: Projection, flt: ExportFilter | None = None) -> bytes:
    """The (filtered) network as a GraphML document, UTF-8."""
    g = export_graph(projection, flt)
    root = etree.Element(_q("graphml"), nsmap={None: GRAPHML})
    for kind, keys in (("node", NODE_KEYS), ("edge", EDGE_KEYS)):
        for column in keys:
            etree.SubElement(root, _q("key"), {
                "id": _key(kind, column.name), "for": kind, "attr.name": column.name,
                "attr.type": TYPES[column.type]})
    graph = etree.SubElement(root, _q("graph"), id="rckg", edgedefault="directed")
    for slug, data in g.nodes(data=True):
        node = etree.SubElement(graph, _q("node"), id=slug)
        _data(node, "node", NODE_KEYS, {**data, "interval": interval(data["spells"])})
    for u, v, relation, data in g.edges(keys=True, data=True):
        edge = etree.SubElement(graph, _q("edge"), id=edge_id(u, v, relation), source=u,
                                target=v)
        values = {**data, "label": relation, "weight": float(data["weight"]),
                  "interval": interval(data["spells"])}
        _data(edge, "edge", EDGE_KEYS, values)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def interval(spells: tuple[Spell, ...]) -> str | None:
    """Spells in Gephi's interval-set syntax; None for a timeless element."""
    if not spells:
        return None
    return "<" + "; ".join(f"[{s or '-Infinity'}, {e or 'Infinity'}]" for s, e in spells) + ">"


def _q(name: str) -> str:
    return f"{{{GRAPHML}}}{name}"


def _key(kind: str, name: str) -> str:
    return f"{kind[0]}_{name}"


def _data(element: etree._Element, kind: str, keys: tuple[Column, ...],
          values: dict[str, Any]) -> None:
    for column in keys:
        value = cell(values.get(column.name))
        if value is not None:
            etree.SubElement(element, _q("data"), key=_key(kind, column.name)).text = text(value)
