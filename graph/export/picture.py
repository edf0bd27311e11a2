"""A picture of the network (PNG 1600×1200 or SVG), for people who would rather look than
open Gephi: a spring layout with a fixed seed (the same graph gives the same picture),
nodes coloured by type family with a legend and sized by degree, English labels, one arc
per relation (several between the same pair curve apart), arrows on directed relations.

Drawn on a bare matplotlib Figure with the Agg canvas: no display, and no pyplot global
state, so concurrent HTTP requests cannot draw into each other's figure.

Example:
    >>> from graph import projection
    >>> from graph.config import settings
    >>> from graph.store.embedded import StoreDirectory
    >>> store = StoreDirectory(settings().store).open_current()  # doctest: +SKIP
    >>> p = projection.load(store.query, settings().base_iri, store.version)  # doctest: +SKIP
    >>> draw(p, ExportFilter(actor="rosatom"), "png")[:8]  # doctest: +SKIP
    b'\\x89PNG\\r\\n\\x1a\\n'
"""

from __future__ import annotations

import gc
import io
import math
import textwrap
from collections import defaultdict
from typing import Any

import matplotlib
import networkx as nx
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure, SubFigure
from matplotlib.lines import Line2D

from graph.export.gexf import node_size
from graph.export.network import FAMILIES, ExportFilter, export_graph
from graph.views.projection import Projection

MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml"}
WIDTH, HEIGHT, DPI = 1600, 1200, 100
SEED = 7
PAD = 0.12  # data units around the layout, so labels at the rim stay in the picture
EDGE_LABELS_UP_TO = 40  # edges; beyond that, relation labels would only make noise
Position = dict[str, tuple[float, float]]
# A light box behind labels keeps them legible over lines (and, unlike a stroke path
# effect, leaves SVG text as text).
HALO = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.75}


def draw(projection: Projection, flt: ExportFilter | None, fmt: str) -> bytes:
    """The (filtered) network drawn as `fmt` ("png" or "svg")."""
    if fmt not in MEDIA_TYPES:
        raise ValueError(f"unknown picture format {fmt!r}; use png or svg")
    flt = flt or ExportFilter()
    g = export_graph(projection, flt)
    fig = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.22, 0.01, 0.77, 0.91))
    ax.set_axis_off()
    fig.suptitle("rckg — Russia–China relations", fontsize=20, y=0.985)
    summary = (f"{flt.describe()}: {g.number_of_nodes()} entities, {g.number_of_edges()} "
               "relations (one line per relation type; arrows point from subject to object)")
    fig.text(0.5, 0.945, textwrap.fill(summary, 150), ha="center", va="top", fontsize=11,
             color="#444444")
    if g.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "No relation matches this filter.", ha="center", fontsize=16)
    else:
        _draw_graph(ax, g)
    try:
        return _save(fig, fmt)
    finally:
        # A figure is a web of reference cycles, promoted while it is drawn to the oldest
        # generation, which a server holding a large projection rarely collects: it grew by
        # ~3 MB per distinct export. Free it now (drawing costs far more than this pass).
        del fig, ax
        gc.collect()


def _draw_graph(ax: Axes, g: nx.MultiDiGraph) -> None:
    fig = ax.get_figure()
    box = ax.get_position()
    width, height = box.width * WIDTH, box.height * HEIGHT
    aspect = width / height * (1 + 2 * PAD) - 2 * PAD  # x range that keeps x and y at one scale
    pos = _layout(g, aspect)
    ax.set_xlim(-PAD, aspect + PAD)
    ax.set_ylim(-PAD, 1 + PAD)
    _draw_edges(ax, g, pos)
    _draw_nodes(ax, g, pos)
    if fig is not None:
        _legend(fig, g)


def _layout(g: nx.MultiDiGraph, aspect: float) -> Position:
    """Spring layout (fixed seed), stretched to fill [0, aspect] × [0, 1].

    Edges pull with 1/sqrt(degree × degree), so the many leaves of Russia and China
    spread out instead of piling onto them.
    """
    simple = nx.Graph(g.to_undirected(as_view=True))
    for u, v, data in simple.edges(data=True):
        data["pull"] = 1 / math.sqrt(simple.degree(u) * simple.degree(v))
    k = 2 / math.sqrt(max(simple.number_of_nodes(), 1))
    raw = nx.spring_layout(simple, k=k, iterations=500, seed=SEED, weight="pull")
    xs = [float(xy[0]) for xy in raw.values()]
    ys = [float(xy[1]) for xy in raw.values()]
    return {node: (_stretch(float(xy[0]), xs) * aspect, _stretch(float(xy[1]), ys))
            for node, xy in raw.items()}


def _stretch(value: float, values: list[float]) -> float:
    low, high = min(values), max(values)
    return (value - low) / (high - low) if high > low else 0.5


def _radius(g: nx.MultiDiGraph, node: str) -> float:
    """A node's marker radius in points."""
    return 0.55 * node_size(g.nodes[node]["degree"])


def _draw_nodes(ax: Axes, g: nx.MultiDiGraph, pos: Position) -> None:
    nodes = list(g)
    ax.scatter([pos[n][0] for n in nodes], [pos[n][1] for n in nodes],
               s=[(2 * _radius(g, n)) ** 2 for n in nodes],
               c=[g.nodes[n]["color"] for n in nodes], edgecolors="white", linewidths=1.2,
               zorder=3)
    for n in sorted(nodes, key=lambda n: g.nodes[n]["degree"]):  # hubs' labels on top
        ax.annotate(g.nodes[n]["label"], pos[n], xytext=(0, _radius(g, n) + 2),
                    textcoords="offset points", ha="center", va="bottom",
                    fontsize=8 + min(g.nodes[n]["degree"], 20) * 0.25, zorder=4,
                    bbox=HALO)


def _draw_edges(ax: Axes, g: nx.MultiDiGraph, pos: Position) -> None:
    by_pair: dict[tuple[str, str], list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
    for u, v, data in g.edges(data=True):
        by_pair[(min(u, v), max(u, v))].append((u, v, data))
    label_edges = g.number_of_edges() <= EDGE_LABELS_UP_TO
    for (a, _), edges in by_pair.items():
        for i, (u, v, data) in enumerate(edges):
            rad = 0.18 * (i - (len(edges) - 1) / 2)
            rad = rad if u == a else -rad  # the same side whichever way the arrow runs
            _arc(ax, g, pos, u, v, rad, data)
            if label_edges:
                _edge_label(ax, pos[u], pos[v], rad, data["relation_en"])


def _arc(ax: Axes, g: nx.MultiDiGraph, pos: Position, u: str, v: str, rad: float,
         data: dict[str, Any]) -> None:
    style = "-|>" if data["directed"] else "-"
    ax.annotate("", xy=pos[v], xytext=pos[u], zorder=2, arrowprops={
        "arrowstyle": style, "color": "#7a7a7a", "alpha": 0.7, "mutation_scale": 12,
        "linewidth": 0.8 + 0.6 * (data["weight"] - 1), "connectionstyle": f"arc3,rad={rad}",
        "shrinkA": _radius(g, u), "shrinkB": _radius(g, v) + 1})


def _edge_label(ax: Axes, start: tuple[float, float], end: tuple[float, float], rad: float,
                label: str) -> None:
    """The relation at the middle of its arc (arc3: control point off the chord by rad)."""
    (x1, y1), (x2, y2) = start, end
    x = (x1 + x2) / 2 + 0.5 * rad * (y2 - y1)
    y = (y1 + y2) / 2 - 0.5 * rad * (x2 - x1)
    ax.text(x, y, label, fontsize=7, color="#555555", ha="center", va="center", zorder=2.5,
            bbox=HALO)


def _legend(fig: Figure | SubFigure, g: nx.MultiDiGraph) -> None:
    present = {data["family"] for _, data in g.nodes(data=True)}
    handles = [Line2D([], [], linestyle="", marker="o", markersize=11,
                      markerfacecolor=family.color, markeredgecolor="white", label=family.label)
               for name, family in FAMILIES.items() if name in present]
    fig.legend(handles=handles, title="Entity type", loc="upper left",
               bbox_to_anchor=(0.005, 0.92), fontsize=10, title_fontsize=11, framealpha=0.9)


def _save(fig: Figure, fmt: str) -> bytes:
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    with matplotlib.rc_context({"svg.hashsalt": "rckg", "svg.fonttype": "none"}):
        fig.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata, facecolor="white")
    return buffer.getvalue()
