"""The network every Gephi-style export writes: entities as nodes, and one edge per
(source, target, relation) that aggregates the facts supporting it.

Why aggregate: Gephi merges parallel edges of the same kind and sums their weights, so
rckg does the merging itself, keeps each relation type apart (the edge's `kind`), and
says how many facts stand behind an edge (`weight`, never 0) and which ones (`fact`,
`quote`, `source_url`, ...). Multi-valued attributes are tuples here; writers join them
with " | ". `fact`, `quote`, `translation` and `time_text` stay aligned, one entry per
fact (empty where a fact has none); the others list distinct values.

Rules:

- Nodes are the entities that take part in an edge (plus the actor of an ego export).
- Edges come from the projection's edges: subject → object, and subject → the flow,
  pipeline, event or agreement a fact is about or goes via (`role`). Facts of the
  author's own assessment are included, marked by `attribution`.
- A symmetric relation (meetsWith, cooperatesWith, negotiatesWith) between subject and
  object gives one undirected edge (`directed` False) with its two ends in sorted order, so
  A–B and B–A are one edge; its link to what the talks or meeting are about stays directed
  (subject → topic), as in the REST ego network.
- Time: each fact's interval (its time start/end; a missing bound is open) becomes a
  spell; overlapping or touching spells merge (Gephi rejects overlapping intervals). A
  fact the text gives no date for is timeless, and an edge with any timeless fact is
  timeless (no spells: present throughout), since hiding it from part of the timeline
  would drop that fact. A node's spells are the union of its edges' spells; a node with
  a timeless edge is timeless.
- Filters: `relations` keeps the facts of those relations; `since`/`until` keep the facts
  whose interval overlaps the window, and **drop undated facts** (nothing says they fall
  in the window); then `actor` keeps the nodes within `depth` hops of the actor, either
  direction, and the edges among them.

Example:
    >>> from graph import projection
    >>> from graph.config import settings
    >>> from graph.store.embedded import StoreDirectory
    >>> store = StoreDirectory(settings().store).open_current()  # doctest: +SKIP
    >>> p = projection.load(store.query, settings().base_iri, store.version)  # doctest: +SKIP
    >>> g = export_graph(p, ExportFilter(actor="rosatom"))  # doctest: +SKIP
    >>> sorted(g), sorted(k for _, _, k in g.edges(keys=True))  # doctest: +SKIP
    (['china', 'nuclear-power', 'rosatom'], ['expandsActivityIn', 'expandsActivityIn'])
"""

from __future__ import annotations

import datetime
import difflib
import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import networkx as nx

from graph.views.lookups import in_window
from graph.views.projection import Fact, Projection
from graph.vocabulary import direct

SEPARATOR = " | "
Bound = datetime.date | None
Spell = tuple[str | None, str | None]  # ISO dates; None is an open bound
Scalar = str | int | float | bool


class Column(NamedTuple):
    """An attribute column of the exports: its name and a type every Gephi reads."""

    name: str
    type: str  # string | integer | double | boolean


NODE_COLUMNS = (
    Column("type", "string"), Column("family", "string"),
    Column("label_de", "string"), Column("label_en", "string"),
    Column("label_ru", "string"), Column("label_zh", "string"),
    Column("wikidata", "string"), Column("iri", "string"), Column("degree", "integer"),
    Column("time_start", "string"), Column("time_end", "string"),
)
EDGE_COLUMNS = (
    Column("relation", "string"), Column("relation_en", "string"),
    Column("directed", "boolean"), Column("role", "string"), Column("plover", "string"),
    Column("attribution", "string"), Column("certainty", "string"),
    Column("direct", "boolean"),
    Column("quote", "string"), Column("translation", "string"), Column("time_text", "string"),
    Column("time_start", "string"), Column("time_end", "string"),
    Column("source_url", "string"), Column("fact", "string"),
    Column("sources", "integer"), Column("corroborations", "integer"),
    Column("conflicts", "integer"),
)


class Family(NamedTuple):
    label: str
    color: str  # #rrggbb


# One colour per class family (fixed, so every export and picture agrees).
FAMILIES: dict[str, Family] = {
    "state": Family("States", "#d62728"),
    "people": Family("People", "#1f77b4"),
    "organisation": Family("Organisations, companies, industries", "#ff7f0e"),
    "place": Family("Places", "#2ca02c"),
    "agreement": Family("Agreements", "#9467bd"),
    "infrastructure": Family("Infrastructure", "#8c564b"),
    "flow": Family("Flows", "#17becf"),
    "event": Family("Events", "#e377c2"),
    "position": Family("Positions", "#bcbd22"),
    "cooperation": Family("Cooperation", "#393b79"),
    "other": Family("Other", "#7f7f7f"),
}
_CLASSES = {
    "state": ("State",),
    "people": ("Person", "GroupOfPeople"),
    "organisation": ("Organisation", "Company", "Industry"),
    "place": ("Place", "City", "Region"),
    "agreement": ("Agreement", "Treaty", "Declaration", "Programme", "VisaRegime",
                  "DocumentSet"),
    "infrastructure": ("Infrastructure", "Pipeline"),
    "flow": ("Flow", "OilFlow", "GasFlow", "StudentFlow", "TouristFlow"),
    "event": ("Event", "Visit", "Meeting", "Signing", "Ceremony", "Negotiation",
              "Invitation", "War"),
    "position": ("Position", "Condemnation", "Demand"),
    "cooperation": ("Cooperation", "CooperationField"),
}
FAMILY_OF_CLASS = {cls: family for family, classes in _CLASSES.items() for cls in classes}


def family(entity_type: str) -> str:
    """The colour family of an ontology class ("other" for a class not listed)."""
    return FAMILY_OF_CLASS.get(entity_type, "other")


@dataclass(frozen=True)
class ExportFilter:
    """Which part of the graph to export; the defaults export everything."""

    actor: str | None = None
    depth: int = 1
    relations: frozenset[str] | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None

    def describe(self) -> str:
        """A short human description, for titles and file metadata."""
        parts = []
        if self.actor is not None:
            parts.append(f"ego network of {self.actor}, depth {self.depth}")
        if self.relations is not None:
            parts.append("relations " + ", ".join(sorted(self.relations)))
        if self.since is not None or self.until is not None:
            parts.append(f"facts in {self.since or '…'}..{self.until or '…'}")
        return "; ".join(parts) or "whole graph"


@dataclass
class _Bundle:
    """The facts (and roles) behind one exported edge, while they are collected."""

    facts: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    spells: tuple[Spell, ...] = ()


class Network:
    """The filtered, aggregated network, read lazily: nodes are held (a few per entity), edges
    are computed one at a time as a writer asks for them, so writing a file costs memory for
    the nodes and the grouping of fact ids, not for every edge's attributes at once."""

    def __init__(self, projection: Projection, flt: ExportFilter | None = None) -> None:
        flt = flt or ExportFilter()
        _check(projection, flt)
        self.projection = projection
        self.title = f"rckg: {flt.describe()}"
        self.version = projection.version
        bundles = sorted(_bundles(projection, flt).items())
        order = dict.fromkeys(slug for (u, v, _), _b in bundles for slug in (u, v))
        if flt.actor is not None:
            order.setdefault(flt.actor)
            near = _near(bundles, flt.actor, flt.depth)
            order = dict.fromkeys(slug for slug in order if slug in near)
            bundles = [(key, b) for key, b in bundles if key[0] in near and key[1] in near]
        position = {slug: i for i, slug in enumerate(order)}
        bundles.sort(key=lambda item: position[item[0][0]])  # by source, as networkx lists them
        self._bundles = bundles
        self.nodes: dict[str, dict[str, Any]] = {s: _node_data(projection, s) for s in order}
        spans: dict[str, list[tuple[Bound, Bound]] | None] = {s: [] for s in order}
        self.kinds: set[bool] = set()  # whether edges are directed: {True}, {False} or both
        for slug in order:
            self.nodes[slug]["degree"] = 0
        for (u, v, relation), bundle in bundles:
            bundle.spells = _fact_spells([projection.facts[i] for i in bundle.facts])
            self.kinds.add(_directed(projection, relation, bundle))
            for slug in (u, v):
                self.nodes[slug]["degree"] += 1
                known = spans[slug]
                if known is not None and bundle.spells:
                    known.extend((_date(s), _date(e)) for s, e in bundle.spells)
                elif known is not None:
                    spans[slug] = None  # a timeless edge makes its ends timeless
        for slug, found in spans.items():
            _set_spells(self.nodes[slug], _merge(found) if found else ())
        self.dynamic = any(d["spells"] for d in self.nodes.values()) or \
            any(b.spells for _, b in bundles)

    def edges(self) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """(source, target, relation, attributes), in a stable order, made as asked for."""
        for (u, v, relation), bundle in self._bundles:
            yield u, v, relation, _edge_data(self.projection, relation, bundle)

    def __len__(self) -> int:
        return len(self._bundles)


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector off while an export runs: it makes no cycles, and each
    full collection would walk the whole projection (millions of objects) for nothing (the
    projection's loader pauses it for the same reason)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def export_graph(projection: Projection, flt: ExportFilter | None = None) -> nx.MultiDiGraph:
    """The filtered, aggregated network as a networkx graph (see the module docstring for the
    rules); writers of big files read `Network` instead, which does not hold every edge."""
    with paused_gc():
        network = Network(projection, flt)
        g = nx.MultiDiGraph(title=network.title, version=network.version)
        g.add_nodes_from(network.nodes.items())
        for u, v, relation, data in network.edges():
            g.add_edge(u, v, key=relation, **data)
    return g


def _near(bundles: list[tuple[tuple[str, str, str], _Bundle]], actor: str,
          depth: int) -> set[str]:
    """The nodes within `depth` hops of the actor, ignoring edge direction."""
    neighbours: dict[str, set[str]] = {}
    for (u, v, _), _bundle in bundles:
        neighbours.setdefault(u, set()).add(v)
        neighbours.setdefault(v, set()).add(u)
    near, frontier = {actor}, {actor}
    for _ in range(depth):
        frontier = {n for slug in frontier for n in neighbours.get(slug, ())} - near
        near |= frontier
    return near


def _directed(projection: Projection, relation: str, bundle: _Bundle) -> bool:
    return relation not in projection.symmetric or "object" not in bundle.roles


def cell(value: Any) -> Scalar | None:
    """An attribute value as one scalar for a file (tuples joined), None when empty."""
    if isinstance(value, tuple):
        return SEPARATOR.join(value) if any(value) else None
    if value is None or value == "":
        return None
    return value


def cells(columns: Iterable[Column], data: dict[str, Any]) -> list[tuple[str, Scalar]]:
    """(column, value) of the columns that have a value in `data` (see `cell`)."""
    found = []
    for column in columns:
        value = data.get(column.name)
        if isinstance(value, tuple):
            if not any(value):
                continue
            value = SEPARATOR.join(value)
        elif value is None or value == "":
            continue
        found.append((column.name, value))
    return found


def text(value: Scalar) -> str:
    """A scalar as XML and CSV write it (booleans lower-case, as GEXF and GraphML want)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def edge_id(u: str, v: str, relation: str) -> str:
    """A stable, unique id for the edge of `relation` from `u` to `v` (an XML NMTOKEN)."""
    return f"{u}:{relation}:{v}"


def _check(projection: Projection, flt: ExportFilter) -> None:
    if flt.actor is not None and flt.actor not in projection.entities:
        close = difflib.get_close_matches(flt.actor, list(projection.entities), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ValueError(f"unknown actor {flt.actor!r}: no entity has that slug{hint}")
    if flt.depth < 0:
        raise ValueError(f"depth must be 0 or more, not {flt.depth}")
    unknown = sorted((flt.relations or frozenset()) - set(projection.relations))
    if unknown:
        raise ValueError(f"unknown relation(s) {', '.join(unknown)}; "
                         f"known: {', '.join(sorted(projection.relations))}")
    if flt.since is not None and flt.until is not None and flt.since > flt.until:
        raise ValueError(f"since {flt.since} is after until {flt.until}")


def _bundles(projection: Projection, flt: ExportFilter) -> dict[tuple[str, str, str], _Bundle]:
    """Group the projection's edges of the kept facts by (source, target, relation)."""
    everything = flt.relations is None and flt.since is None and flt.until is None
    kept = None if everything else {f.id for f in projection.facts.values() if _keeps(f, flt)}
    facts: dict[tuple[str, str, str], dict[str, None]] = {}  # ordered sets
    roles: dict[tuple[str, str, str], dict[str, None]] = {}
    symmetric = projection.symmetric
    for u, v, data in projection.graph.edges(data=True):
        fact = data["fact"]
        if kept is not None and fact not in kept:
            continue
        relation, role = data["relation"], data["role"]
        if relation in symmetric and role == "object" and v < u:
            u, v = v, u
        key = (u, v, relation)
        if key in facts:
            facts[key][fact] = None
            roles[key][role] = None
        else:
            facts[key], roles[key] = {fact: None}, {role: None}
    by_id = projection.facts
    return {key: _Bundle(sorted(ids, key=lambda i: (by_id[i].source, by_id[i].start, i)),
                         list(roles[key])) for key, ids in facts.items()}


def _keeps(fact: Fact, flt: ExportFilter) -> bool:
    if flt.relations is not None and fact.relation not in flt.relations:
        return False
    return in_window(fact, flt.since, flt.until)  # undated facts fall outside any window


def _bounds(fact: Fact) -> tuple[Bound, Bound]:
    if fact.time is None:
        return None, None
    return _date(fact.time.start), _date(fact.time.end)


def _date(value: str | None) -> Bound:
    return datetime.date.fromisoformat(value[:10]) if value else None


def _distinct(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _node_data(projection: Projection, slug: str) -> dict[str, Any]:
    entity = projection.entities.get(slug)
    labels = entity.labels if entity else {}
    entity_type = entity.type if entity else ""
    return {
        "label": labels.get("en", slug), "type": entity_type, "family": family(entity_type),
        **{f"label_{lang}": labels.get(lang) for lang in ("de", "en", "ru", "zh")},
        "wikidata": entity.wikidata if entity else None, "iri": entity.iri if entity else None,
        "color": FAMILIES[family(entity_type)].color,
    }


def _edge_data(projection: Projection, relation: str, bundle: _Bundle) -> dict[str, Any]:
    facts = [projection.facts[i] for i in bundle.facts]
    data: dict[str, Any] = {
        "relation": relation,
        "relation_en": projection.relations.get(relation, {}).get("en", relation),
        "directed": _directed(projection, relation, bundle),
        "weight": len(facts),
        "role": tuple(bundle.roles),
        "plover": _distinct(f.plover for f in facts),
        "attribution": _distinct(f.attribution for f in facts),
        "certainty": _distinct(f.certainty for f in facts),
        # the edge is in the plain RDF layer only if every fact behind it is
        "direct": all(direct(f.attribution, f.certainty) for f in facts),
        "quote": tuple(f.quote for f in facts),
        "translation": tuple(f.translation or "" for f in facts),
        "time_text": tuple(f.time.text if f.time else "" for f in facts),
        "source_url": _distinct(_source_url(projection, f) for f in facts),
        "fact": tuple(f.id for f in facts),
        # how many sources say it, and how many of its facts other sources confirm or contest
        "sources": len({f.source for f in facts}),
        "corroborations": sum(1 for f in facts if f.corroborated_by),
        "conflicts": sum(1 for f in facts if f.conflicts_with),
    }
    _set_spells(data, bundle.spells)
    return data


def _source_url(projection: Projection, fact: Fact) -> str:
    source = projection.sources.get(fact.source)
    return (source.url or source.iri) if source else fact.source


def _fact_spells(facts: list[Fact]) -> tuple[Spell, ...]:
    spans = []
    for fact in facts:
        start, end = _bounds(fact)
        if start is None and end is None:
            return ()  # a timeless fact makes the edge timeless
        spans.append((start, end))
    return _merge(spans)


def _merge(spans: Iterable[tuple[Bound, Bound]]) -> tuple[Spell, ...]:
    """Union of intervals; overlapping or touching ones (next day included) become one."""
    lowest = datetime.date.min
    merged: list[list[Bound]] = []
    for start, end in sorted(spans, key=lambda s: s[0] or lowest):
        last = merged[-1] if merged else None
        if last is not None and (last[1] is None or start is None
                                 or start <= last[1] + datetime.timedelta(days=1)):
            last[1] = None if last[1] is None or end is None else max(last[1], end)
        else:
            merged.append([start, end])
    return tuple((_iso(s), _iso(e)) for s, e in merged)


def _iso(value: Bound) -> str | None:
    return value.isoformat() if value else None


def _set_spells(data: dict[str, Any], spells: tuple[Spell, ...]) -> None:
    """Store the spells and their overall bounds (`time_start`/`time_end`, None if open)."""
    data["spells"] = spells
    data["time_start"] = spells[0][0] if spells else None
    data["time_end"] = spells[-1][1] if spells else None
