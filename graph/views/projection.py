"""The graph as analysts' tools see it: entities as nodes, facts as edges (networkx).

Built once per store version from a handful of SPARQL queries (through whatever answers
them: the embedded store, the query pool, later a remote store) and then reused by the REST
lookups, paths and exports, so no request rebuilds it.

Each fact gives an edge subject → object per pair (role "object"); where a fact names the
flow, pipeline, event or agreement it is about, or the pipeline it goes via, the subject is
linked to that too (role "about" or "via"), so "what goes through Power of Siberia 1" and
paths through pipelines and agreements can be answered.
"""

from __future__ import annotations

import gc
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox

from graph.store.embedded import Finish, QueryResult, Term, query_store

Query = Callable[[str], QueryResult]
ROLES = ("subject", "object", "about", "via", "from", "to", "place", "speaker", "statedIn")
ENTITY_LINKS = ("from", "to", "party", "participant", "place")  # structure of entities
LINK_ROLES = ("about", "via")  # roles that also give a subject → entity edge


@dataclass
class Entity:
    slug: str
    iri: str
    type: str
    labels: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    wikidata: str | None = None
    links: dict[str, list[str]] = field(default_factory=dict)  # from, to, party, … → slugs
    commodity: str | None = None


@dataclass
class Quantity:
    role: str
    stated_text: str
    stated_value: float
    value: float
    unit: str


@dataclass
class Time:
    text: str
    precision: str
    start: str | None
    end: str | None


@dataclass
class Source:
    slug: str
    iri: str
    title: str
    url: str | None
    subtitle: str | None = None
    author: str | None = None
    publisher: str | None = None
    date: str | None = None  # ISO date, when the source gives one
    language: str | None = None
    text: str = ""  # the whole text the quotes' offsets count in


@dataclass
class Fact:
    id: str  # "{source}/{fact}", as in the fact's IRI
    iri: str
    relation: str
    attribution: str
    certainty: str
    quote: str
    source: str  # source slug
    start: int  # character offsets of the quote in the source text
    end: int
    plover: str | None = None
    translation: str | None = None
    note: str | None = None
    characterisation: str | None = None
    status: str | None = None
    time: Time | None = None
    quantities: list[Quantity] = field(default_factory=list)
    roles: dict[str, list[str]] = field(default_factory=dict)  # role → entity slugs
    corroborated_by: list[str] = field(default_factory=list)  # fact ids of other sources
    conflicts_with: list[str] = field(default_factory=list)


@dataclass
class Projection:
    version: str
    base: str
    entities: dict[str, Entity]
    facts: dict[str, Fact]
    sources: dict[str, Source]
    relations: dict[str, dict[str, str]]  # relation → labels by language
    symmetric: set[str]
    graph: nx.MultiDiGraph
    cache: dict[str, Any] = field(default_factory=dict)  # views derived once per version

    def edges_of(self, slug: str) -> list[tuple[str, str, str, dict[str, str]]]:
        """(source, target, key, data) of every edge touching `slug`, stable order; sorted
        once per actor and version (a hub of a large graph has thousands)."""
        cache: dict[str, list[tuple[str, str, str, dict[str, str]]]] = \
            self.cache.setdefault("edges_of", {})
        found = cache.get(slug)
        if found is None:
            edges = list(self.graph.out_edges(slug, keys=True, data=True))
            edges += self.graph.in_edges(slug, keys=True, data=True)
            found = cache[slug] = sorted(
                edges, key=lambda e: (self.facts[e[3]["fact"]].start, e[2], e[0], e[1]))
        return found


def _local(iri: str, base: str, part: str) -> str:
    return iri[len(base) + len(part):] if iri.startswith(base + part) else iri


def _rows(query: Query, sparql: str) -> list[dict[str, str]]:
    return [{k: t.value for k, t in row.items()} for row in query(sparql).rows]


def _prefixes(base: str) -> str:
    return f"""PREFIX rckg: <{base}ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX qudt: <http://qudt.org/schema/qudt/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
"""


log = logging.getLogger("rckg.projection")
SAVED = "projection.json"  # a build's projection, written into its version folder
SAVED_FORMAT = 3  # raised whenever the classes above change shape


def save(view: Projection, path: Path) -> None:
    """Write the projection beside the store it was read from, so a server starts without
    rebuilding it. Plain JSON, read back field by field: whoever can write the store folder
    (a shared folder, a copied snapshot) cannot make the server run code, as pickle could."""
    data = {
        "format": SAVED_FORMAT, "base": view.base, "version": view.version,
        "entities": [asdict(e) for e in view.entities.values()],
        "facts": [asdict(f) for f in view.facts.values()],
        "sources": [asdict(s) for s in view.sources.values()],
        "relations": view.relations, "symmetric": sorted(view.symmetric),
        "nodes": list(view.graph.nodes),
        "edges": [[u, v, k, d] for u, v, k, d in view.graph.edges(keys=True, data=True)],
    }
    with path.open("w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, separators=(",", ":"))


def _fact(data: dict[str, Any]) -> Fact:
    time = data.pop("time")
    quantities = data.pop("quantities")
    return Fact(**data, time=Time(**time) if time is not None else None,
                quantities=[Quantity(**q) for q in quantities])


def _projection(data: dict[str, Any]) -> Projection:
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(data["nodes"])
    graph.add_edges_from((u, v, k, d) for u, v, k, d in data["edges"])
    return Projection(
        data["version"], data["base"],
        {e["slug"]: Entity(**e) for e in data["entities"]},
        {f["id"]: _fact(f) for f in data["facts"]},
        {s["slug"]: Source(**s) for s in data["sources"]},
        data["relations"], set(data["symmetric"]), graph)


def saver(base: str) -> Finish:
    """The last step of writing a store version: build its projection and save it there."""
    def finish(store: ox.Store, path: Path) -> None:
        try:
            view = load(lambda sparql: query_store(store, sparql), base, path.name)
        except Exception:  # data not in rckg's shape: the server builds it, or reports why
            log.warning("no projection saved for %s: the data is not in rckg's shape", path,
                        exc_info=True)
            return
        save(view, path / SAVED)

    return finish


def read(path: Path, base: str, version: str) -> Projection | None:
    """The projection saved at `path` for this base and version, or None (absent, from
    another version of rckg, or unreadable: the caller builds it instead)."""
    enabled = gc.isenabled()
    gc.disable()  # as in load: nothing read here is garbage
    try:
        with path.open("rb") as stored:
            found = json.load(stored)
        if not (isinstance(found, dict) and found.get("format") == SAVED_FORMAT
                and found.get("base") == base and found.get("version") == version):
            return None
        return _projection(found)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    finally:
        if enabled:
            gc.enable()


def load(query: Query, base: str, version: str) -> Projection:
    """Read entities, facts and relations through `query` and build the projection."""
    # Hundreds of thousands of objects are made here, none of them garbage: the cyclic
    # collector would walk them over and over for nothing (15-20% of the time at 1M triples).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(query, base, version)
    finally:
        if enabled:
            gc.enable()


def _load(query: Query, base: str, version: str) -> Projection:
    p = _prefixes(base)
    scan = _Scan(query, p)
    entities, slug_of = _entities(query, p, base, scan)
    relations, symmetric = _relations(query, p, base)
    sources = _sources(query, p)
    facts = _facts(query, p, base, scan, slug_of)
    graph = nx.MultiDiGraph()
    for entity in entities.values():
        graph.add_node(entity.slug)
    for fact in facts.values():
        for subject in fact.roles.get("subject", []):
            for obj in fact.roles.get("object", []):
                graph.add_edge(subject, obj, key=fact.id, fact=fact.id, relation=fact.relation,
                               role="object")
            for role in LINK_ROLES:
                for target in fact.roles.get(role, []):
                    if target != subject and target not in fact.roles.get("object", []):
                        graph.add_edge(subject, target, key=f"{fact.id}#{role}", fact=fact.id,
                                       relation=fact.relation, role=role)
    return Projection(version, base, entities, facts, sources, relations, symmetric, graph)


def _sources(query: Query, p: str) -> dict[str, Source]:
    """Every source with its metadata and text (one row each: a source has one of each)."""
    found = {}
    for r in _rows(query, p + """SELECT ?s ?title ?url ?subtitle ?author ?publisher ?date
            ?language ?text WHERE { ?s a rckg:Source .
            OPTIONAL { ?s dcterms:title ?title } OPTIONAL { ?s schema:url ?url }
            OPTIONAL { ?s schema:alternativeHeadline ?subtitle }
            OPTIONAL { ?s dcterms:creator ?author } OPTIONAL { ?s dcterms:publisher ?publisher }
            OPTIONAL { ?s dcterms:date ?date } OPTIONAL { ?s dcterms:language ?language }
            OPTIONAL { ?s rckg:sourceText ?text } }"""):
        slug = r["s"].rsplit("/", 1)[1]
        found[slug] = Source(slug, r["s"], r.get("title", ""), r.get("url"), r.get("subtitle"),
                             r.get("author"), r.get("publisher"), r.get("date"),
                             r.get("language"), r.get("text", ""))
    return dict(sorted(found.items()))


class _Scan:
    """Reads the graph one property at a time: `SELECT ?s ?o WHERE { ?s P ?o }` is a single
    range of one index, where a query joining a dozen patterns per fact makes the store look
    up each of them by key (on disk, ~20 µs each); the joins are then done here, in dicts.
    At 1M triples this reads the facts in a fraction of the time the joins took."""

    def __init__(self, query: Query, prefixes: str) -> None:
        self.query = query
        self.prefixes = prefixes

    def terms(self, predicate: str) -> list[tuple[str, Term]]:
        rows = self.query(f"{self.prefixes}SELECT ?s ?o WHERE {{ ?s {predicate} ?o }}").rows
        return [(row["s"].value, row["o"]) for row in rows if "s" in row and "o" in row]

    def values(self, predicate: str) -> dict[str, str]:
        """Subject → value (the last one read, if there are several)."""
        return {s: o.value for s, o in self.terms(predicate)}

    def subjects(self, predicate: str, obj: str) -> list[str]:
        rows = self.query(f"{self.prefixes}SELECT ?s WHERE {{ ?s {predicate} {obj} }}").rows
        return [row["s"].value for row in rows if "s" in row]

    def pairs(self, predicate: str) -> list[tuple[str, str]]:
        return [(s, o.value) for s, o in self.terms(predicate)]

    def many(self, predicate: str) -> dict[str, list[str]]:
        """Subject → its values, each once."""
        found: dict[str, list[str]] = {}
        for s, o in self.terms(predicate):
            values = found.setdefault(s, [])
            if o.value not in values:
                values.append(o.value)
        return found


def _entities(query: Query, p: str, base: str, scan: _Scan) -> tuple[dict[str, Entity],
                                                                      dict[str, str]]:
    """The entities by slug, and the slug of every IRI that has one."""
    entities: dict[str, Entity] = {}
    # The classes first, then the entities, filtered and sorted here: Virtuoso 7.2 returns
    # a single row when a `*` path is joined with other patterns under FILTER or ORDER BY.
    ontology = f"{base}ontology#"
    classes = {r["type"] for r in _rows(query, p + """SELECT ?type WHERE {
            ?type rdfs:subClassOf* rckg:Entity }""") if r["type"].startswith(ontology)}
    rows = _rows(query, p + """SELECT ?e ?slug ?type ?wd WHERE {
            ?e rckg:slug ?slug ; a ?type . OPTIONAL { ?e owl:sameAs ?wd } }""")
    rows = [r for r in rows if r["type"] in classes]
    # The entailment graph adds every super-class; the entity's type is its most specific.
    supers: dict[str, set[str]] = {}
    for sub, sup in scan.pairs("rdfs:subClassOf"):
        supers.setdefault(sub, set()).add(sup)

    def depth(cls: str, seen: frozenset[str] = frozenset()) -> int:
        return 1 + max((depth(s, seen | {cls}) for s in supers.get(cls, ()) if s not in seen),
                       default=0)

    for r in sorted(rows, key=lambda row: (row["slug"], depth(row["type"]), row["type"],
                                           row.get("wd", ""))):
        entity = entities.setdefault(r["slug"], Entity(r["slug"], r["e"], ""))
        entity.type = _local(r["type"], base, "ontology#")  # the deepest class wins
        if "wd" in r:
            entity.wikidata = r["wd"].rsplit("/", 1)[1]
    slug_of = scan.values("rckg:slug")
    labels = [(slug_of[e], kind, term.lang or "", term.value)
              for kind, predicate in (("pref", "skos:prefLabel"), ("alt", "skos:altLabel"))
              for e, term in scan.terms(predicate) if e in slug_of]
    # In one order whatever the store: search reports the first label that matches.
    for slug, kind, lang, label in sorted(set(labels)):
        named = entities.get(slug)
        if named is None:
            continue
        if kind == "pref":
            named.labels[lang] = label
        else:
            named.aliases.setdefault(lang, []).append(label)
    links = [(slug_of[e], f"{base}ontology#{link}", slug_of[o])
             for link in ENTITY_LINKS for e, o in scan.pairs(f"rckg:{link}")
             if e in slug_of and o in slug_of]
    for slug, link, other in sorted(set(links)):
        if slug in entities:
            entities[slug].links.setdefault(_local(link, base, "ontology#"), []).append(other)
    for e, commodity in scan.values("rckg:commodity").items():
        if e in slug_of and slug_of[e] in entities:
            entities[slug_of[e]].commodity = commodity
    for entity in entities.values():
        for names in entity.aliases.values():
            names.sort()
    return entities, slug_of


def _relations(query: Query, p: str, base: str) -> tuple[dict[str, dict[str, str]], set[str]]:
    relations: dict[str, dict[str, str]] = {}
    symmetric: set[str] = set()
    for r in _rows(query, p + """SELECT ?r ?label (LANG(?label) AS ?lang) ?sym WHERE {
            ?r rdfs:subPropertyOf rckg:relatedTo ; rdfs:label ?label .
            OPTIONAL { ?r a owl:SymmetricProperty BIND("yes" AS ?sym) } }"""):
        name = _local(r["r"], base, "ontology#")
        relations.setdefault(name, {})[r["lang"]] = r["label"]
        if "sym" in r:  # (not BIND(EXISTS …): Virtuoso answers it with 1, not true)
            symmetric.add(name)
    return relations, symmetric


def _facts(query: Query, p: str, base: str, scan: _Scan,
           slug_of: dict[str, str]) -> dict[str, Fact]:
    """Every statement with the parts a tie shows, read property by property."""
    statements = scan.subjects("a", "rckg:Statement")
    required = [scan.values(f"rckg:{name}") for name in ("relation", "attribution",
                                                         "certainty", "quote")]
    sources = scan.values("prov:wasDerivedFrom")
    positions = _positions(scan)
    optional = {name: scan.values(f"rckg:{name}") for name in (
        "ploverType", "translation", "note", "characterisation", "status")}
    times = _times(scan)
    facts: dict[str, Fact] = {}
    for f in statements:
        values = [found.get(f) for found in required]
        source, position = sources.get(f), positions.get(f)
        if source is None or position is None or any(v is None for v in values):
            continue
        relation, attribution, certainty, quote = (str(v) for v in values)
        fact_id = _local(f, base, "fact/")
        plover, status = optional["ploverType"].get(f), optional["status"].get(f)
        facts[fact_id] = Fact(
            id=fact_id, iri=f, relation=_local(relation, base, "ontology#"),
            attribution=attribution.rsplit("/", 1)[1], certainty=certainty.rsplit("/", 1)[1],
            quote=quote, source=source.rsplit("/", 1)[1], start=position[0], end=position[1],
            plover=plover.rsplit("/", 1)[1] if plover else None,
            translation=optional["translation"].get(f), note=optional["note"].get(f),
            characterisation=optional["characterisation"].get(f),
            status=status.rsplit("/", 1)[1] if status else None, time=times.get(f),
        )
    for role in sorted(ROLES):  # in the order of the roles' IRIs, as ORDER BY would give
        for f, slugs in scan.many(f"rckg:{role}").items():
            fact = facts.get(_local(f, base, "fact/"))
            named = sorted({slug_of[e] for e in slugs if e in slug_of})
            if fact is not None and named:
                fact.roles[role] = named
    _quantities(query, p, base, scan, facts)
    for kind in ("conflictsWith", "corroborates"):
        for f, others in sorted(scan.many(f"rckg:{kind}").items()):
            fact = facts.get(_local(f, base, "fact/"))
            if fact is not None:
                found = [_local(o, base, "fact/") for o in sorted(others)]
                (fact.corroborated_by if kind == "corroborates" else fact.conflicts_with)[:] = \
                    found
    return dict(sorted(facts.items(), key=lambda item: (item[1].source, item[1].start, item[0])))


def _positions(scan: _Scan) -> dict[str, tuple[int, int]]:
    """Each statement's quote offsets: its evidence's target's selector with a start and an
    end (rckg:evidence/oa:hasTarget/oa:hasSelector [ oa:start ?start ; oa:end ?end ])."""
    starts, ends = scan.values("oa:start"), scan.values("oa:end")
    targets, selectors = scan.many("oa:hasTarget"), scan.many("oa:hasSelector")
    found: dict[str, tuple[int, int]] = {}
    for f, evidences in scan.many("rckg:evidence").items():
        for selector in (s for e in evidences for t in targets.get(e, [])
                         for s in selectors.get(t, [])):
            if selector in starts and selector in ends:
                found[f] = (int(starts[selector]), int(ends[selector]))
    return found


def _times(scan: _Scan) -> dict[str, Time]:
    """Statement → its time, where the time has a text and a precision."""
    texts, precisions = scan.values("rckg:timeText"), scan.values("rckg:precision")
    starts, ends = scan.values("rckg:start"), scan.values("rckg:end")
    found = {}
    for f, t in scan.values("rckg:time").items():
        if t in texts and t in precisions:
            found[f] = Time(texts[t], precisions[t].rsplit("/", 1)[1], starts.get(t), ends.get(t))
    return found


def _quantities(query: Query, p: str, base: str, scan: _Scan, facts: dict[str, Fact]) -> None:
    roles = [r["role"] for r in _rows(query, p + """SELECT ?role WHERE {
            ?role rdfs:subPropertyOf rckg:quantity }""")]
    texts, stated = scan.values("rckg:statedText"), scan.values("rckg:statedValue")
    values, units = scan.values("qudt:numericValue"), scan.values("qudt:unit")
    found: dict[str, list[tuple[str, str]]] = {}  # fact id → (quantity, role)
    for role in roles:
        for f, quantities in scan.many(f"<{role}>").items():
            found.setdefault(_local(f, base, "fact/"), []).extend((q, role) for q in quantities)
    for fact_id, pairs in found.items():
        fact = facts.get(fact_id)
        if fact is None:
            continue
        for q, role in sorted(pairs):
            if q in texts and q in stated and q in values and q in units:
                fact.quantities.append(Quantity(
                    _local(role, base, "ontology#"), texts[q], float(stated[q]),
                    float(values[q]), units[q].rsplit("/", 1)[1]))
