"""The questions applications ask most, answered from the projection as plain dicts:
an actor's ties with their evidence, paths between actors, ego networks, facts, and the
pipelines, flows and agreements of the graph.

Plain dicts (not HTTP models) keep this usable from the command line and tests; the API
only validates and serves them.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from itertools import islice, pairwise
from typing import Any

import networkx as nx

from graph.views.projection import Entity, Fact, Projection

QUDT_UNIT = "http://qudt.org/vocab/unit/"
AGREEMENT_TYPES = {"Treaty", "Declaration", "Programme", "VisaRegime", "DocumentSet"}
FLOW_TYPES = {"OilFlow", "GasFlow", "StudentFlow", "TouristFlow"}
MAX_PATHS = 10


class UnknownId(LookupError):
    """No entity or fact has this id; carries the closest ones."""

    def __init__(self, what: str, wanted: str, suggestions: list[dict[str, str]]) -> None:
        super().__init__(f"no {what} with id {wanted!r}")
        self.suggestions = suggestions


def entity_ref(projection: Projection, slug: str) -> dict[str, Any]:
    entity = projection.entities[slug]
    return {"id": slug, "label": entity.labels.get("en", slug), "type": entity.type}


def resolve(projection: Projection, wanted: str) -> str:
    """The slug for an entity slug or a Wikidata Q-id; UnknownId with suggestions otherwise."""
    if wanted in projection.entities:
        return wanted
    if wanted.upper().startswith("Q") and wanted[1:].isdigit():
        for entity in projection.entities.values():
            if entity.wikidata == wanted.upper():
                return entity.slug
    names = {e.slug: e.slug for e in projection.entities.values()}
    names.update({e.labels.get("en", "").lower(): e.slug for e in projection.entities.values()})
    close = difflib.get_close_matches(wanted.lower(), list(names), n=5, cutoff=0.5)
    slugs = list(dict.fromkeys(names[c] for c in close))
    raise UnknownId("entity", wanted, [entity_ref(projection, s) for s in slugs])


def entity_view(projection: Projection, slug: str) -> dict[str, Any]:
    entity = projection.entities[slug]
    counts: dict[str, int] = {}
    for _, _, _, data in projection.edges_of(slug):
        counts[data["relation"]] = counts.get(data["relation"], 0) + 1
    return {
        **entity_ref(projection, slug),
        "iri": entity.iri,
        "labels": entity.labels,
        "aliases": entity.aliases,
        "wikidata": f"http://www.wikidata.org/entity/{entity.wikidata}" if entity.wikidata
        else None,
        "links": {k: [entity_ref(projection, s) for s in v] for k, v in entity.links.items()},
        "commodity": entity.commodity,
        "tie_counts": dict(sorted(counts.items())),
    }


def _time(fact: Fact) -> dict[str, Any] | None:
    if fact.time is None:
        return None
    t = fact.time
    return {"text": t.text, "precision": t.precision, "start": t.start, "end": t.end}


def fact_evidence(projection: Projection, fact: Fact) -> dict[str, Any]:
    """What a tie needs to be cited: relation, time, quantities, attribution and the quote."""
    source = projection.sources.get(fact.source)
    return {
        "fact": {"id": fact.id, "iri": fact.iri},
        "relation": fact.relation,
        "relation_label": projection.relations.get(fact.relation, {}).get("en", fact.relation),
        "plover": fact.plover,
        "time": _time(fact),
        "quantities": [
            {"role": q.role, "stated": q.stated_text, "stated_value": q.stated_value,
             "value": q.value, "unit": q.unit, "unit_iri": QUDT_UNIT + q.unit}
            for q in fact.quantities
        ],
        "attribution": fact.attribution,
        "certainty": fact.certainty,
        "quote": fact.quote,
        "translation": fact.translation,
        "source": {"id": fact.source, "title": source.title if source else "",
                   "url": source.url if source else None},
        "corroborated_by": fact.corroborated_by,
        "conflicts_with": fact.conflicts_with,
    }


@dataclass(frozen=True)
class TieFilter:
    relation: str | None = None
    direction: str | None = None  # outgoing, incoming, both
    counterpart_type: str | None = None
    attribution: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def in_window(fact: Fact, since: dt.date | None, until: dt.date | None) -> bool:
    """Whether the fact's time overlaps [since, until]; undated facts fall outside any window."""
    if since is None and until is None:
        return True
    if fact.time is None or (fact.time.start is None and fact.time.end is None):
        return False
    start = dt.date.fromisoformat(fact.time.start) if fact.time.start else dt.date.min
    end = dt.date.fromisoformat(fact.time.end) if fact.time.end else dt.date.max
    return (since is None or end >= since) and (until is None or start <= until)


def ties(projection: Projection, slug: str, flt: TieFilter) -> list[dict[str, Any]]:
    """Every tie of `slug` in text order, each with its counterpart and evidence."""
    return tie_page(projection, slug, flt, 0, None)[1]


def tie_page(projection: Projection, slug: str, flt: TieFilter, offset: int,
             limit: int | None) -> tuple[int, list[dict[str, Any]]]:
    """How many ties of `slug` pass `flt`, and those from `offset` (at most `limit`) with
    their evidence: the filters read only the edge, the fact and the counterpart, so the
    answer's dicts are built for one page, not for every tie of a hub."""
    kept = []
    for source, target, _, data in projection.edges_of(slug):
        if source == target == slug:
            continue
        fact = projection.facts[data["fact"]]
        counterpart = target if source == slug else source
        symmetric = data["relation"] in projection.symmetric and data["role"] == "object"
        direction = "both" if symmetric else ("outgoing" if source == slug else "incoming")
        if (flt.relation and data["relation"] != flt.relation) or \
                (flt.direction and direction != flt.direction) or \
                (flt.counterpart_type and
                 projection.entities[counterpart].type != flt.counterpart_type) or \
                (flt.attribution and fact.attribution != flt.attribution) or \
                not in_window(fact, flt.since, flt.until):
            continue
        kept.append((counterpart, direction, data["role"], fact))
    page = kept[offset:] if limit is None else kept[offset:offset + limit]
    return len(kept), [{"counterpart": entity_ref(projection, counterpart),
                        "direction": direction, "role": role,
                        **fact_evidence(projection, fact)}
                       for counterpart, direction, role, fact in page]


def _undirected(projection: Projection) -> nx.Graph:
    cached = projection.cache.get("undirected")
    if cached is None:
        cached = nx.Graph(projection.graph)
        projection.cache["undirected"] = cached
    return cached


def paths(projection: Projection, start: str, end: str,
          max_length: int) -> list[list[dict[str, Any]]]:
    """Shortest paths (at most MAX_PATHS, at most `max_length` hops) from `start` to `end`,
    each hop with every tie between its two ends."""
    graph = _undirected(projection)
    try:
        found = list(islice(nx.all_shortest_paths(graph, start, end), MAX_PATHS))
    except nx.NetworkXNoPath:
        return []
    result = []
    for path in found:
        if len(path) - 1 > max_length:
            return []
        hops = []
        for a, b in pairwise(path):
            between = [t for t in ties(projection, a, TieFilter()) if t["counterpart"]["id"] == b]
            hops.append({"from": entity_ref(projection, a), "to": entity_ref(projection, b),
                         "ties": between})
        result.append(hops)
    return result


def network(projection: Projection, slug: str, depth: int) -> dict[str, list[dict[str, Any]]]:
    """The ego network of `slug`: nodes and one edge per (source, target, relation)."""
    members = set(nx.ego_graph(_undirected(projection), slug, radius=depth))
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    for source, target, _, data in projection.graph.edges(members, keys=True, data=True):
        if source not in members or target not in members:
            continue
        symmetric = data["relation"] in projection.symmetric and data["role"] == "object"
        a, b = sorted((source, target)) if symmetric else (source, target)
        edge = edges.setdefault((a, b, data["relation"]), {
            "id": f"{a}|{data['relation']}|{b}", "source": a, "target": b,
            "relation": data["relation"],
            "label": projection.relations.get(data["relation"], {}).get("en", data["relation"]),
            "directed": not symmetric, "facts": []})
        if data["fact"] not in edge["facts"]:
            edge["facts"].append(data["fact"])
    nodes = [{**entity_ref(projection, s), "ego": s == slug} for s in sorted(members)]
    return {"nodes": nodes, "edges": sorted(edges.values(), key=lambda e: e["id"])}


def fact_view(projection: Projection, fact_id: str) -> dict[str, Any]:
    fact = projection.facts.get(fact_id)
    if fact is None:
        close = difflib.get_close_matches(fact_id, list(projection.facts), n=5, cutoff=0.5)
        raise UnknownId("fact", fact_id, [{"id": c, "label": c, "type": "Statement"}
                                          for c in close])
    return {
        **fact_evidence(projection, fact),
        "roles": {role: [entity_ref(projection, s) for s in slugs]
                  for role, slugs in sorted(fact.roles.items())},
        "characterisation": fact.characterisation,
        "status": fact.status,
        "note": fact.note,
        "evidence": {"start": fact.start, "end": fact.end},
    }


def facts(projection: Projection, attribution: str | None = None,
          relation: str | None = None, source: str | None = None) -> list[dict[str, Any]]:
    return [fact_view(projection, f.id) for f in projection.facts.values()
            if (attribution is None or f.attribution == attribution)
            and (relation is None or f.relation == relation)
            and (source is None or f.source == source)]


def _facts_about(projection: Projection, slug: str) -> list[Fact]:
    return [f for f in projection.facts.values() if any(slug in s for s in f.roles.values())]


def pipelines(projection: Projection) -> list[dict[str, Any]]:
    result = []
    for entity in _of_types(projection, {"Pipeline"}):
        related = _facts_about(projection, entity.slug)
        result.append({
            **entity_ref(projection, entity.slug),
            "from": _refs(projection, entity.links.get("from", [])),
            "to": _refs(projection, entity.links.get("to", [])),
            "status": [{"status": f.status, **fact_evidence(projection, f)}
                       for f in related if f.status],
            "capacity": _quantities(projection, related, "capacity"),
            "volumes": _quantities(projection, related, "volume"),
        })
    return result


def flows(projection: Projection) -> list[dict[str, Any]]:
    result = []
    for entity in _of_types(projection, FLOW_TYPES):
        related = _facts_about(projection, entity.slug)
        via = sorted({s for f in related for s in f.roles.get("via", [])})
        result.append({
            **entity_ref(projection, entity.slug),
            "commodity": entity.commodity,
            "from": _refs(projection, entity.links.get("from", [])),
            "to": _refs(projection, entity.links.get("to", [])),
            "via": _refs(projection, via),
            "quantities": [q for role in ("volume", "count", "target")
                           for q in _quantities(projection, related, role)],
            "changes": _quantities(projection, related, "change"),
        })
    return result


def agreements(projection: Projection) -> list[dict[str, Any]]:
    result = []
    for entity in _of_types(projection, AGREEMENT_TYPES):
        related = _facts_about(projection, entity.slug)
        result.append({
            **entity_ref(projection, entity.slug),
            "kind": entity.type,
            "parties": _refs(projection, entity.links.get("party", [])),
            "status": [{"status": f.status, **fact_evidence(projection, f)}
                       for f in related if f.status],
            "validity": [{"time": _time(f), "fact": f.id} for f in related
                         if f.time and f.relation in ("extends", "isScheduledFor")],
        })
    return result


def _of_types(projection: Projection, types: set[str]) -> list[Entity]:
    return [e for e in projection.entities.values() if e.type in types]


def _refs(projection: Projection, slugs: list[str]) -> list[dict[str, Any]]:
    return [entity_ref(projection, s) for s in slugs]


def _quantities(projection: Projection, related: list[Fact], role: str) -> list[dict[str, Any]]:
    return [{**fact_evidence(projection, f), "quantity": q} for f in related
            for q in fact_evidence(projection, f)["quantities"] if q["role"] == role]
