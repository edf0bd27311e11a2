"""The questions applications ask most, answered from the projection as plain dicts:
an actor's ties with their evidence, paths between actors, ego networks, facts, and the
pipelines, flows and agreements of the graph.

Plain dicts (not HTTP models) keep this usable from the command line and tests; the API
only validates and serves them.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice, pairwise
from typing import Any, Literal, get_args

import networkx as nx

from graph.sources import quotes
from graph.sources.words import fold
from graph.views import search
from graph.views.projection import ROLES, Entity, Fact, Projection
from graph.vocabulary import direct

QUDT_UNIT = "http://qudt.org/vocab/unit/"
AGREEMENT_TYPES = {"Treaty", "Declaration", "Programme", "VisaRegime", "DocumentSet"}
FLOW_TYPES = {"OilFlow", "GasFlow", "StudentFlow", "TouristFlow"}
MAX_PATHS = 10
RESOLVING_SCORE = 2  # a name resolves when it is a label, inflected or its start


class UnknownId(LookupError):
    """No entity or fact has this id, or a name fits several; carries the closest ones."""

    def __init__(self, what: str, wanted: str, suggestions: list[dict[str, str]],
                 ambiguous: bool = False) -> None:
        names = " or ".join(s["id"] for s in suggestions[:5])
        said = f"{wanted!r} names several entities" if ambiguous \
            else f"no {what} with id or name {wanted!r}"
        super().__init__(f"{said}; did you mean {names}?" if names else said)
        self.suggestions = suggestions
        self.ambiguous = ambiguous


def entity_ref(projection: Projection, slug: str) -> dict[str, Any]:
    entity = projection.entities[slug]
    return {"id": slug, "label": entity.labels.get("en", slug), "type": entity.type}


def resolve(projection: Projection, wanted: str) -> str:
    """The slug for an entity slug, a Wikidata Q-id, or a label or alias in any of the four
    languages that search finds for one entity only (exactly, inflected, or as the start of
    a label); UnknownId with the candidates otherwise."""
    if wanted in projection.entities:
        return wanted
    if wanted.upper().startswith("Q") and wanted[1:].isdigit():
        for entity in projection.entities.values():
            if entity.wikidata == wanted.upper():
                return entity.slug
    found = search.search(projection, wanted)
    best = [m for m in found if m.score == found[0].score] if found else []
    if len(best) == 1 and best[0].score >= RESOLVING_SCORE:
        return best[0].entity.slug
    slugs = [m.entity.slug for m in found[:5]]
    if not slugs:
        names = {e.slug: e.slug for e in projection.entities.values()}
        names.update({fold(label): name.slug for name in projection.entities.values()
                      for label in [*name.labels.values(),
                                    *(a for v in name.aliases.values() for a in v)]})
        close = difflib.get_close_matches(fold(wanted), list(names), n=5, cutoff=0.5)
        slugs = list(dict.fromkeys(names[c] for c in close))
    raise UnknownId("entity", wanted, [entity_ref(projection, s) for s in slugs],
                    ambiguous=len(best) > 1)


def entity_view(projection: Projection, slug: str) -> dict[str, Any]:
    entity = projection.entities[slug]
    counts: dict[str, int] = {}
    for fact, _, _ in participation(projection).get(slug, []):
        counts[fact.relation] = counts.get(fact.relation, 0) + 1
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
        "direct": direct(fact.attribution, fact.certainty),
        "quote": fact.quote,
        "quote_display": quotes.display(fact.quote),
        "translation": fact.translation,
        "source": {"id": fact.source, "title": source.title if source else "",
                   "url": source.url if source else None},
        "corroborated_by": fact.corroborated_by,
        "conflicts_with": fact.conflicts_with,
    }


Attribution = Literal["reported", "quoted-speaker", "joint-declaration", "author-assessment"]
Certainty = Literal["plain", "approximate", "planned", "unresolved", "hedged"]
Direction = Literal["outgoing", "incoming", "both"]
Plover = Literal["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
                 "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE",
                 "COERCE", "ASSAULT"]  # the plover scheme, as ontology/shapes.ttl allows it
Role = Literal["subject", "object", "about", "via", "from", "to", "place", "speaker",
               "statedIn", "participant"]
ATTRIBUTIONS: tuple[str, ...] = get_args(Attribution)
CERTAINTIES: tuple[str, ...] = get_args(Certainty)
PLOVER: tuple[str, ...] = get_args(Plover)
FACT_ROLES = ROLES  # an actor's roles in a fact, in the order ties list them
EVENT_ROLES = ("participant", "place")  # how an actor takes part in an event a fact is about
ENDS = {"subject": "outgoing", "object": "incoming", "about": "incoming", "via": "incoming",
        "from": "incoming", "to": "incoming"}  # direction of a tie by the actor's role


class BadFilter(ValueError):
    """Filters that can match nothing by construction, e.g. `since` after `until`."""

    def __init__(self, message: str, parameter: str, allowed: list[str] | None = None) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.allowed = allowed


class BadValue(BadFilter):
    """A parameter names a value the graph does not have; carries the allowed ones."""

    def __init__(self, parameter: str, value: str, allowed: list[str]) -> None:
        close = difflib.get_close_matches(value, allowed, n=3, cutoff=0.6)
        hint = f" (did you mean {' or '.join(close)}?)" if close else ""
        super().__init__(f"unknown {parameter} {value!r}{hint}; allowed: {', '.join(allowed)}",
                         parameter, allowed)
        self.value = value


@dataclass(frozen=True)
class FactFilter:
    """The filters facts, ties, networks and exports share, under the same names."""

    relation: str | None = None
    plover: str | None = None
    attribution: str | None = None
    certainty: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    actor: str | None = None  # a slug: facts the actor takes part in, in any role
    source: str | None = None

    def keeps(self, projection: Projection, fact: Fact) -> bool:
        return (self.relation is None or fact.relation == self.relation) and \
            (self.plover is None or fact.plover == self.plover) and \
            (self.attribution is None or fact.attribution == self.attribution) and \
            (self.certainty is None or fact.certainty == self.certainty) and \
            (self.source is None or fact.source == self.source) and \
            (self.actor is None or fact.id in _facts_of(projection, self.actor)) and \
            in_window(fact, self.since, self.until)


@dataclass(frozen=True)
class TieFilter(FactFilter):
    role: str | None = None  # the actor's role in the fact
    direction: str | None = None  # outgoing, incoming, both
    counterpart_type: str | None = None


def check(projection: Projection, flt: FactFilter) -> None:
    """BadValue for a filter value the graph does not know (the fixed lists are checked by
    their types where they come in): an unknown value would silently match nothing."""
    known: dict[str, Callable[[], list[str]]] = {
        "relation": lambda: sorted(projection.relations),
        "source": lambda: sorted(projection.sources),
        "counterpart_type": lambda: entity_types(projection)}
    for name, allowed in known.items():
        value = getattr(flt, name, None)
        if value is not None and value not in allowed():
            raise BadValue(name, value, allowed())
    if flt.since is not None and flt.until is not None and flt.since > flt.until:
        raise BadFilter(f"since {flt.since} is after until {flt.until}: no time is in that "
                        f"window; swap them", "since")


def entity_types(projection: Projection) -> list[str]:
    """The classes that have members in this graph."""
    return sorted({e.type for e in projection.entities.values()})


def in_window(fact: Fact, since: dt.date | None, until: dt.date | None) -> bool:
    """Whether the fact's time overlaps [since, until]; undated facts fall outside any window."""
    if since is None and until is None:
        return True
    if fact.time is None or (fact.time.start is None and fact.time.end is None):
        return False
    start = dt.date.fromisoformat(fact.time.start) if fact.time.start else dt.date.min
    end = dt.date.fromisoformat(fact.time.end) if fact.time.end else dt.date.max
    return (since is None or end >= since) and (until is None or start <= until)


Part = tuple[Fact, str, str | None]  # a fact, the actor's role in it, the event it is through


def participation(projection: Projection) -> dict[str, list[Part]]:
    """Every actor's parts in facts, in text order: one per role the actor has in a fact
    (a triple `?fact rckg:ROLE ?actor`), and, where a fact is about an event the actor takes
    part in (as participant or place) without being named in the fact, one as that. Built
    once per version: a hub's ties are then one list, not a scan of every fact."""
    cached: dict[str, list[Part]] | None = projection.cache.get("participation")
    if cached is None:
        cached = {}
        for fact in projection.facts.values():
            named = {s for slugs in fact.roles.values() for s in slugs}
            for role in FACT_ROLES:
                for slug in fact.roles.get(role, []):
                    cached.setdefault(slug, []).append((fact, role, None))
            through: dict[str, tuple[str, str]] = {}
            for event in fact.roles.get("about", []):
                links = projection.entities[event].links
                for role in EVENT_ROLES:
                    for slug in links.get(role, []):
                        if slug not in named:
                            through.setdefault(slug, (role, event))
            for slug, (role, event) in through.items():
                cached.setdefault(slug, []).append((fact, role, event))
        projection.cache["participation"] = cached
    return cached


def _facts_of(projection: Projection, slug: str) -> set[str]:
    key = f"facts-of:{slug}"
    found: set[str] | None = projection.cache.get(key)
    if found is None:
        found = projection.cache[key] = {f.id for f, _, _ in
                                         participation(projection).get(slug, [])}
    return found


def _direction(projection: Projection, fact: Fact, role: str) -> str | None:
    if role in ("subject", "object") and fact.relation in projection.symmetric:
        return "both"
    return ENDS.get(role)


def counterparts(projection: Projection, fact: Fact, slug: str) -> list[dict[str, Any]]:
    """The fact's other actors, each with its role, in the order of the roles."""
    return [{**entity_ref(projection, other), "role": role} for role in FACT_ROLES
            for other in fact.roles.get(role, []) if other != slug]


def ties(projection: Projection, slug: str, flt: TieFilter) -> list[dict[str, Any]]:
    """Every tie of `slug` in text order: each fact it takes part in, with its role."""
    return tie_page(projection, slug, flt, 0, None)[1]


def tie_page(projection: Projection, slug: str, flt: TieFilter, offset: int,
             limit: int | None) -> tuple[int, list[dict[str, Any]]]:
    """How many ties of `slug` pass `flt`, and those from `offset` (at most `limit`) with
    their evidence: the filters read only the fact, the role and the counterparts, so the
    answer's dicts are built for one page, not for every tie of a hub."""
    check(projection, flt)
    kept = []
    for fact, role, event in participation(projection).get(slug, []):
        direction = _direction(projection, fact, role)
        if (flt.role and role != flt.role) or \
                (flt.direction and direction != flt.direction) or \
                (flt.counterpart_type and not any(
                    projection.entities[s].type == flt.counterpart_type
                    for slugs in fact.roles.values() for s in slugs if s != slug)) or \
                not flt.keeps(projection, fact):
            continue
        kept.append((fact, role, event, direction))
    page = kept[offset:] if limit is None else kept[offset:offset + limit]
    return len(kept), [{"role": role, "through": entity_ref(projection, event) if event else None,
                        "direction": direction,
                        "counterparts": counterparts(projection, fact, slug),
                        **fact_evidence(projection, fact)}
                       for fact, role, event, direction in page]


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
            linking = {data["fact"] for x, y in ((a, b), (b, a))
                       for data in projection.graph.get_edge_data(x, y, default={}).values()}
            between = [t for t in ties(projection, a, TieFilter())
                       if t["fact"]["id"] in linking]
            hops.append({"from": entity_ref(projection, a), "to": entity_ref(projection, b),
                         "ties": between})
        result.append(hops)
    return result


def network(projection: Projection, slug: str, depth: int,
            flt: FactFilter | None = None) -> dict[str, list[dict[str, Any]]]:
    """The ego network of `slug` over the facts passing `flt`: nodes and one edge per
    (source, target, relation)."""
    flt = flt or FactFilter()
    check(projection, flt)
    graph: nx.MultiDiGraph = projection.graph
    undirected = _undirected(projection)
    if flt != FactFilter():
        graph = nx.MultiDiGraph()
        graph.add_nodes_from(projection.graph)
        graph.add_edges_from(
            (u, v, k, data) for u, v, k, data in projection.graph.edges(keys=True, data=True)
            if flt.keeps(projection, projection.facts[data["fact"]]))
        undirected = nx.Graph(graph)
    members = set(nx.ego_graph(undirected, slug, radius=depth))
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    for source, target, _, data in graph.edges(members, keys=True, data=True):
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


def fact_page(projection: Projection, flt: FactFilter, offset: int = 0,
              limit: int | None = None) -> tuple[int, list[dict[str, Any]]]:
    """How many facts pass `flt`, and those from `offset` (at most `limit`), in source-text
    order (the source, then the quote's offset): a stable order, so pages never overlap."""
    check(projection, flt)
    kept = [f for f in projection.facts.values() if flt.keeps(projection, f)]
    page = kept[offset:] if limit is None else kept[offset:offset + limit]
    return len(kept), [fact_view(projection, f.id) for f in page]


def facts(projection: Projection, flt: FactFilter | None = None) -> list[dict[str, Any]]:
    """Every fact passing `flt`, in source-text order."""
    return fact_page(projection, flt or FactFilter())[1]


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
