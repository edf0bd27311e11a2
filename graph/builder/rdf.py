"""Checked seeds → an RDF dataset: one named graph per source, plus reference, ontology, meta.

Each fact becomes a statement node (the n-ary pattern) with its quote anchored in the source
by Web Annotation selectors. A fact stated plainly, not as the author's reading
(`vocabulary.direct`), also gets a direct edge per subject × object pair (both ways for a
symmetric relation); planned, approximate, unresolved and hedged facts stay statements only.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from rdflib import OWL, RDF, RDFS, SKOS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from graph.builder.entailment import entailed
from graph.builder.ontology import Ontology
from graph.sources.agreement import links, normalised
from graph.sources.seeds import FACT_LINK_FIELDS, LANGUAGES, Corpus, Entity, Fact, Quantity, Source
from graph.vocabulary import DCAT, OA, PROV, QUDT, SCHEMA, SD, UNIT, VOID, WD, Terms, direct

CONTEXT_CHARS = 32  # characters of prefix and suffix kept by each TextQuoteSelector
ENTITY_LINKS = ("from", "to", "party", "participant", "place")
FACT_LINKS = {"subject": "subject", "object": "object", "about": "about", "via": "via",
              "from": "from", "to": "to", "place": "place", "speaker": "speaker",
              "stated_in": "statedIn", "perspective": "perspective"}


def build_dataset(corpus: Corpus, ontology: Ontology, terms: Terms,
                  cached: Mapping[str, Graph] | None = None) -> Dataset:
    """The whole graph of a checked corpus, ready to validate and store; sources whose graph
    is in `cached` (by slug) are taken from there instead of being converted again."""
    dataset = Dataset()
    ontology_graph = dataset.graph(terms.graph("ontology"))
    ontology_graph += ontology.graph
    ontology_graph += ontology.shapes
    reference = dataset.graph(terms.graph("reference"))
    for entity in corpus.entities.values():
        _add_entity(reference, entity, terms)
    for source in corpus.sources:
        graph = dataset.graph(terms.graph(source.slug))
        if cached and source.slug in cached:
            graph += cached[source.slug]
            continue
        _add_source(graph, source, terms)
        for fact in source.facts:
            _add_fact(graph, fact, source, corpus, ontology, terms)
    agreement = dataset.graph(terms.graph("agreement"))
    for link in links(corpus):
        first, second = terms.fact(*link.first), terms.fact(*link.second)
        agreement.add((first, terms.rckg[link.kind], second))
        agreement.add((second, terms.rckg[link.kind], first))
    asserted = [reference, *(dataset.graph(terms.graph(s.slug)) for s in corpus.sources)]
    dataset.graph(terms.graph("entailed")).__iadd__(entailed(asserted, ontology.graph, terms))
    _add_description(dataset, corpus, terms)
    return dataset


def _add_entity(graph: Graph, entity: Entity, terms: Terms) -> None:
    node = terms.entity(entity.slug)
    graph.add((node, RDF.type, terms.rckg[entity.type]))
    graph.add((node, terms.rckg.slug, Literal(entity.slug)))
    for lang in LANGUAGES:
        label = Literal(entity.labels[lang], lang=lang)
        graph.add((node, SKOS.prefLabel, label))
        graph.add((node, RDFS.label, label))
    for lang, aliases in entity.aliases.items():
        for alias in aliases:
            graph.add((node, SKOS.altLabel, Literal(alias, lang=lang)))
    if entity.wikidata:
        graph.add((node, OWL.sameAs, WD[entity.wikidata]))
    for key in ENTITY_LINKS:
        for slug in entity.links.get(key, []):
            graph.add((node, terms.rckg[key], terms.entity(slug)))
    if entity.commodity:
        graph.add((node, terms.rckg.commodity, Literal(entity.commodity)))


def _add_source(graph: Graph, source: Source, terms: Terms) -> None:
    node = terms.source(source.slug)
    meta = source.meta
    graph.add((node, RDF.type, terms.rckg.Source))
    graph.add((node, RDF.type, SCHEMA.NewsArticle))
    lang = source.language
    for key, prop in (("title", DCTERMS.title), ("subtitle", SCHEMA.alternativeHeadline),
                      ("author", DCTERMS.creator), ("publisher", DCTERMS.publisher)):
        if meta.get(key):
            graph.add((node, prop, Literal(str(meta[key]), lang=lang if key != "author" else None)))
    graph.add((node, DCTERMS.language, Literal(lang)))
    if meta.get("date"):
        graph.add((node, DCTERMS.date, Literal(str(meta["date"]), datatype=XSD.date)))
    if meta.get("url"):
        graph.add((node, SCHEMA.url, URIRef(str(meta["url"]))))
    graph.add((node, terms.rckg.sourceText, Literal(source.text, lang=lang)))


def _add_fact(graph: Graph, fact: Fact, source: Source, corpus: Corpus, ontology: Ontology,
              terms: Terms) -> None:
    node = terms.fact(source.slug, fact.id)
    rckg = terms.rckg
    relation = rckg[str(fact.get("relation"))]
    graph.add((node, RDF.type, rckg.Statement))
    graph.add((node, rckg.factId, Literal(fact.id)))
    graph.add((node, rckg.relation, relation))
    graph.add((node, RDFS.label, Literal(_label(fact, corpus, ontology, terms), lang="en")))
    for key, prop in FACT_LINKS.items():
        for slug in fact.entities.get(key, []):
            graph.add((node, rckg[prop], terms.entity(slug)))
    for key, scheme in (("plover", "plover"), ("attribution", "attribution"),
                        ("certainty", "certainty"), ("status", "status")):
        if fact.get(key) is not None:
            prop = rckg.ploverType if key == "plover" else rckg[key]
            graph.add((node, prop, terms.concept(scheme, str(fact.get(key)))))
    lang = source.language
    if fact.get("characterisation") is not None:
        phrase = str(fact.get("characterisation"))
        graph.add((node, rckg.characterisation, Literal(phrase, lang=lang)))
    graph.add((node, rckg.quote, Literal(fact.quote, lang=lang)))
    if fact.get("translation"):
        graph.add((node, rckg.translation, Literal(str(fact.get("translation")), lang="en")))
    if fact.get("note"):
        graph.add((node, rckg.note, Literal(str(fact.get("note")), lang="en")))
    graph.add((node, PROV.wasDerivedFrom, terms.source(source.slug)))
    if fact.time:
        _add_time(graph, node, fact, lang, terms)
    for index, quantity in enumerate(fact.quantities, start=1):
        _add_quantity(graph, node, URIRef(f"{node}#q{index}"), quantity, lang, terms)
    _add_evidence(graph, node, "", fact.span, source, terms)
    for number, span in enumerate(fact.extra_spans, start=2):
        _add_evidence(graph, node, str(number), span, source, terms)
    for key, prop in FACT_LINK_FIELDS.items():
        for target in fact.fact_links.get(key, []):
            graph.add((node, rckg[prop], terms.fact(source.slug, target)))
    if not direct(str(fact.get("attribution")), str(fact.get("certainty"))):
        return
    symmetric = ontology.relations.get(str(fact.get("relation")), False)
    for subject in fact.entities.get("subject", []):
        for obj in fact.entities.get("object", []):
            graph.add((terms.entity(subject), relation, terms.entity(obj)))
            if symmetric:
                graph.add((terms.entity(obj), relation, terms.entity(subject)))


def _label(fact: Fact, corpus: Corpus, ontology: Ontology, terms: Terms) -> str:
    def names(key: str) -> str:
        return " and ".join(corpus.entities[s].labels["en"] for s in fact.entities.get(key, []))

    relation = terms.rckg[str(fact.get("relation"))]
    verb = next((str(o) for o in ontology.graph.objects(relation, RDFS.label)
                 if getattr(o, "language", None) == "en"), str(fact.get("relation")))
    return " ".join(part for part in (names("subject"), verb, names("object")) if part)


def _add_time(graph: Graph, node: URIRef, fact: Fact, lang: str, terms: Terms) -> None:
    time = fact.time
    assert time is not None
    spec = URIRef(f"{node}#time")
    graph.add((node, terms.rckg.time, spec))
    graph.add((spec, RDF.type, terms.rckg.TimeSpec))
    graph.add((spec, terms.rckg.timeText, Literal(time.text, lang=lang)))
    graph.add((spec, terms.rckg.precision, terms.concept("precision", time.precision)))
    if time.start:
        graph.add((spec, terms.rckg.start, Literal(time.start.isoformat(), datatype=XSD.date)))
    if time.end:
        graph.add((spec, terms.rckg.end, Literal(time.end.isoformat(), datatype=XSD.date)))


def _add_quantity(graph: Graph, node: URIRef, qnode: URIRef, quantity: Quantity, lang: str,
                  terms: Terms) -> None:
    stated = Decimal(str(quantity.value))
    graph.add((node, terms.rckg[quantity.role], qnode))
    graph.add((qnode, RDF.type, QUDT.QuantityValue))
    graph.add((qnode, terms.rckg.statedText, Literal(quantity.text, lang=lang)))
    graph.add((qnode, terms.rckg.statedValue, Literal(stated, datatype=XSD.decimal)))
    value = float(normalised(quantity, lang))
    graph.add((qnode, QUDT.numericValue, Literal(value, datatype=XSD.double)))
    graph.add((qnode, QUDT.unit, UNIT[quantity.unit]))
    if quantity.bound:
        graph.add((qnode, terms.rckg.bound, Literal(quantity.bound)))
    if quantity.approximate:
        graph.add((qnode, terms.rckg.approximate, Literal(True)))
    if quantity.direction:
        graph.add((qnode, terms.rckg.direction, Literal(quantity.direction)))


def _add_evidence(graph: Graph, node: URIRef, number: str, span: tuple[int, int],
                  source: Source, terms: Terms) -> None:
    """One Web Annotation placing a quote of the fact (the first, or `number`) in the text."""
    start, end = span
    text = source.text
    evidence, target = URIRef(f"{node}#evidence{number}"), URIRef(f"{node}#target{number}")
    quote, position = URIRef(f"{node}#quote{number}"), URIRef(f"{node}#position{number}")
    graph.add((node, terms.rckg.evidence, evidence))
    graph.add((evidence, RDF.type, OA.Annotation))
    graph.add((evidence, OA.motivatedBy, OA.describing))
    graph.add((evidence, OA.hasBody, node))
    graph.add((evidence, OA.hasTarget, target))
    graph.add((target, RDF.type, OA.SpecificResource))
    graph.add((target, OA.hasSource, terms.source(source.slug)))
    graph.add((target, OA.hasSelector, quote))
    graph.add((target, OA.hasSelector, position))
    graph.add((quote, RDF.type, OA.TextQuoteSelector))
    graph.add((quote, OA.exact, Literal(text[start:end])))
    graph.add((quote, OA.prefix, Literal(text[max(0, start - CONTEXT_CHARS):start])))
    graph.add((quote, OA.suffix, Literal(text[end:end + CONTEXT_CHARS])))
    graph.add((position, RDF.type, OA.TextPositionSelector))
    graph.add((position, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
    graph.add((position, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))


def _add_description(dataset: Dataset, corpus: Corpus, terms: Terms) -> None:
    """VoID/DCAT description of the dataset, with the counts of every other graph."""
    meta = dataset.graph(terms.graph("meta"))
    node = terms.dataset
    meta.add((node, RDF.type, VOID.Dataset))
    meta.add((node, RDF.type, DCAT.Dataset))
    title = "rckg: Russia–China relations knowledge graph"
    meta.add((node, DCTERMS.title, Literal(title, lang="en")))
    meta.add((node, DCTERMS.description, Literal(
        "Claims of news sources on Russia–China relations as RDF statements, each with the "
        "verbatim quote it rests on. The default graph of the SPARQL endpoint is the union "
        "of all named graphs.", lang="en")))
    meta.add((node, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
    meta.add((node, RDFS.comment, Literal(
        "The licence covers rckg's curation (fact sheets, entities, ontology). Source texts and "
        "quotes remain their authors' and publishers'.", lang="en")))
    meta.add((node, VOID.sparqlEndpoint, URIRef(f"{terms.base}sparql")))
    meta.add((node, VOID.uriSpace, Literal(f"{terms.base}id/")))
    for vocabulary in (str(terms.rckg), str(PROV), str(OA), str(QUDT), str(SKOS)):
        meta.add((node, VOID.vocabulary, URIRef(vocabulary)))
    total = 0
    for graph in dataset.graphs():
        name = graph.identifier
        if name in (terms.graph("meta"),) or not isinstance(name, URIRef) or len(graph) == 0:
            continue
        subset = BNode()
        meta.add((node, VOID.subset, subset))
        meta.add((subset, RDF.type, VOID.Dataset))
        meta.add((subset, SD.name, name))
        meta.add((subset, VOID.triples, Literal(len(graph))))
        total += len(graph)
    for source in corpus.sources:
        meta.add((node, DCTERMS.source, terms.source(source.slug)))
    facts = sum(len(s.facts) for s in corpus.sources)
    meta.add((node, VOID.triples, Literal(total)))
    meta.add((node, VOID.entities, Literal(len(corpus.entities) + facts)))
    meta.add((node, terms.rckg.statementCount, Literal(facts)))
