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

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.store import QueryResult

Query = Callable[[str], QueryResult]
ROLES = ("subject", "object", "about", "via", "from", "to", "place", "speaker", "statedIn")
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
        """(source, target, key, data) of every edge touching `slug`, stable order."""
        edges = [(u, v, k, d) for u, v, k, d in self.graph.out_edges(slug, keys=True, data=True)]
        edges += [(u, v, k, d) for u, v, k, d in self.graph.in_edges(slug, keys=True, data=True)]
        return sorted(edges, key=lambda e: (self.facts[e[3]["fact"]].start, e[2], e[0], e[1]))


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


def load(query: Query, base: str, version: str) -> Projection:
    """Read entities, facts and relations through `query` and build the projection."""
    p = _prefixes(base)
    entities = _entities(query, p, base)
    relations, symmetric = _relations(query, p, base)
    sources = {
        r["slug"]: Source(r["slug"], r["s"], r.get("title", ""), r.get("url"))
        for r in _rows(query, p + """SELECT ?s ?slug ?title ?url WHERE {
            ?s a rckg:Source . OPTIONAL { ?s dcterms:title ?title } OPTIONAL { ?s schema:url ?url }
            BIND(REPLACE(STR(?s), "^.*/", "") AS ?slug) }""")
    }
    facts = _facts(query, p, base)
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


def _entities(query: Query, p: str, base: str) -> dict[str, Entity]:
    entities: dict[str, Entity] = {}
    # The classes first, then the entities, filtered and sorted here: Virtuoso 7.2 returns
    # a single row when a `*` path is joined with other patterns under FILTER or ORDER BY.
    ontology = f"{base}ontology#"
    classes = {r["type"] for r in _rows(query, p + """SELECT ?type WHERE {
            ?type rdfs:subClassOf* rckg:Entity }""") if r["type"].startswith(ontology)}
    rows = _rows(query, p + """SELECT ?e ?slug ?type ?wd WHERE {
            ?e rckg:slug ?slug ; a ?type . OPTIONAL { ?e owl:sameAs ?wd } }""")
    rows = [r for r in rows if r["type"] in classes]
    for r in sorted(rows, key=lambda row: (row["slug"], row["type"], row.get("wd", ""))):
        entity = entities.setdefault(r["slug"], Entity(r["slug"], r["e"], ""))
        entity.type = _local(r["type"], base, "ontology#")  # one asserted class per entity
        if "wd" in r:
            entity.wikidata = r["wd"].rsplit("/", 1)[1]
    labels = _rows(query, p + """SELECT ?slug ?kind ?label (LANG(?label) AS ?lang) WHERE {
            ?e rckg:slug ?slug . { ?e skos:prefLabel ?label BIND("pref" AS ?kind) }
            UNION { ?e skos:altLabel ?label BIND("alt" AS ?kind) } }""")
    # In one order whatever the store: search reports the first label that matches.
    for r in sorted(labels, key=lambda row: (row["slug"], row["kind"], row["lang"], row["label"])):
        named = entities.get(r["slug"])
        if named is None:
            continue
        if r["kind"] == "pref":
            named.labels[r["lang"]] = r["label"]
        else:
            named.aliases.setdefault(r["lang"], []).append(r["label"])
    for r in _rows(query, p + """SELECT ?slug ?link ?other WHERE {
            VALUES ?link { rckg:from rckg:to rckg:party rckg:participant rckg:place }
            ?e rckg:slug ?slug ; ?link ?o . ?o rckg:slug ?other } ORDER BY ?slug ?link ?other"""):
        if r["slug"] in entities:
            link = _local(r["link"], base, "ontology#")
            entities[r["slug"]].links.setdefault(link, []).append(r["other"])
    for r in _rows(query, p + "SELECT ?slug ?c WHERE { ?e rckg:slug ?slug ; rckg:commodity ?c }"):
        if r["slug"] in entities:
            entities[r["slug"]].commodity = r["c"]
    for entity in entities.values():
        for names in entity.aliases.values():
            names.sort()
    return entities


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


def _facts(query: Query, p: str, base: str) -> dict[str, Fact]:
    facts: dict[str, Fact] = {}
    for r in _rows(query, p + """SELECT * WHERE {
            ?f a rckg:Statement ; rckg:relation ?rel ; rckg:attribution ?attr ;
               rckg:certainty ?cert ; rckg:quote ?quote ; prov:wasDerivedFrom ?src ;
               rckg:evidence/oa:hasTarget/oa:hasSelector [ oa:start ?start ; oa:end ?end ] .
            OPTIONAL { ?f rckg:ploverType ?plover } OPTIONAL { ?f rckg:translation ?tr }
            OPTIONAL { ?f rckg:note ?note } OPTIONAL { ?f rckg:characterisation ?char }
            OPTIONAL { ?f rckg:status ?status }
            OPTIONAL { ?f rckg:time ?t . ?t rckg:timeText ?ttext ; rckg:precision ?prec .
                       OPTIONAL { ?t rckg:start ?tstart } OPTIONAL { ?t rckg:end ?tend } } }"""):
        fact_id = _local(r["f"], base, "fact/")
        time = Time(r["ttext"], r["prec"].rsplit("/", 1)[1], r.get("tstart"), r.get("tend")) \
            if "ttext" in r else None
        facts[fact_id] = Fact(
            id=fact_id, iri=r["f"], relation=_local(r["rel"], base, "ontology#"),
            attribution=r["attr"].rsplit("/", 1)[1], certainty=r["cert"].rsplit("/", 1)[1],
            quote=r["quote"], source=r["src"].rsplit("/", 1)[1], start=int(r["start"]),
            end=int(r["end"]), plover=r["plover"].rsplit("/", 1)[1] if "plover" in r else None,
            translation=r.get("tr"), note=r.get("note"), characterisation=r.get("char"),
            status=r["status"].rsplit("/", 1)[1] if "status" in r else None, time=time,
        )
    values = " ".join(f"rckg:{role}" for role in ROLES)
    for r in _rows(query, p + f"""SELECT ?f ?role ?slug WHERE {{
            VALUES ?role {{ {values} }} ?f a rckg:Statement ; ?role ?e . ?e rckg:slug ?slug }}
            ORDER BY ?f ?role ?slug"""):
        fact = facts.get(_local(r["f"], base, "fact/"))
        if fact is not None:
            fact.roles.setdefault(_local(r["role"], base, "ontology#"), []).append(r["slug"])
    for r in _rows(query, p + """SELECT ?f ?role ?text ?stated ?value ?unit WHERE {
            ?f a rckg:Statement ; ?role ?q . ?role rdfs:subPropertyOf rckg:quantity .
            ?q rckg:statedText ?text ; rckg:statedValue ?stated ; qudt:numericValue ?value ;
               qudt:unit ?unit } ORDER BY ?f ?q"""):
        fact = facts.get(_local(r["f"], base, "fact/"))
        if fact is not None:
            fact.quantities.append(Quantity(
                _local(r["role"], base, "ontology#"), r["text"], float(r["stated"]),
                float(r["value"]), r["unit"].rsplit("/", 1)[1]))
    for r in _rows(query, p + """SELECT ?f ?kind ?other WHERE {
            VALUES ?kind { rckg:corroborates rckg:conflictsWith } ?f ?kind ?other }
            ORDER BY ?f ?kind ?other"""):
        fact = facts.get(_local(r["f"], base, "fact/"))
        other = _local(r["other"], base, "fact/")
        if fact is not None:
            kind = _local(r["kind"], base, "ontology#")
            (fact.corroborated_by if kind == "corroborates" else fact.conflicts_with).append(other)
    return dict(sorted(facts.items(), key=lambda item: (item[1].source, item[1].start, item[0])))
