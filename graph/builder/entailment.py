"""The entailments rckg supports, materialised at build time into their own named graph.

A kept OWL 2 RL reasoner (`reasonable`) runs over the ontology and the resource triples of the
data; what it derives about the data's own nodes (entities and facts) — inverse edges and
super-property edges such as `rckg:relatedTo` — goes into `{base}graph/entailed`.
Super-classes are left out on purpose: every consumer (REST, explorer, Gephi families) reads
an entity's one asserted class, and `?e a/rdfs:subClassOf* rckg:Actor` answers class
questions from the ontology graph already. Asserted triples stay where they are, so a
query can ask with the entailments (the default graph, the union) or without them (`FROM`
the other graphs, or `FILTER NOT EXISTS { GRAPH <…/graph/entailed> { … } }`).
"""

from __future__ import annotations

from collections.abc import Iterable

import reasonable
from rdflib import OWL, RDF, Graph, Literal, URIRef

from graph.vocabulary import Terms


def entailed(asserted: Iterable[Graph], ontology: Graph, terms: Terms) -> Graph:
    """The triples the reasoner derives about the data's entities and facts, and only those
    that are not asserted already."""
    data = Graph()
    for graph in asserted:
        for triple in graph:
            # Literals entail nothing here; owl:sameAs to Wikidata is a link to look up, not
            # an identity to reason with (it would copy every fact onto the Wikidata item).
            if not isinstance(triple[2], Literal) and triple[1] != OWL.sameAs:
                data.add(triple)
    given = Graph()
    given += ontology
    given += data
    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(given)
    prefixes = (f"{terms.base}id/", f"{terms.base}fact/")
    result = Graph()
    for s, p, o in reasoner.reason():
        if not (isinstance(s, URIRef) and isinstance(o, URIRef) and str(s).startswith(prefixes)):
            continue
        if p in (OWL.sameAs, RDF.type) or (s, p, o) in data:
            continue
        result.add((s, p, o))
    return result
