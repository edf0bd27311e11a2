"""rckg's ontology files read as data: the classes, relations and controlled lists they define.

The Turtle in `ontology/` uses relative IRIs, so it is parsed against the configured base.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef

from graph.vocabulary import Terms

FILES = ("rckg.ttl", "vocab.ttl")
SHAPES_FILE = "shapes.ttl"
SCHEMES = ("plover", "attribution", "certainty", "precision", "status")


def parse(path: Path, base: str) -> Graph:
    """Parse one Turtle file of `ontology/` against `base`."""
    graph = Graph()
    graph.parse(path, format="turtle", publicID=base)
    return graph


@dataclass(frozen=True)
class Ontology:
    """What the build needs to know of the ontology: its graph and the names it allows."""

    graph: Graph
    shapes: Graph
    classes: frozenset[str]
    relations: dict[str, bool]  # local name → symmetric
    concepts: dict[str, frozenset[str]]  # scheme → codes


def load(folder: Path, terms: Terms) -> Ontology:
    graph = Graph()
    for name in FILES:
        graph += parse(folder / name, terms.base)
    shapes = parse(folder / SHAPES_FILE, terms.base)
    rckg = str(terms.rckg)
    classes = frozenset(
        str(c)[len(rckg):] for c in graph.subjects(RDF.type, OWL.Class)
        if isinstance(c, URIRef) and str(c).startswith(rckg)
    )
    related_to = terms.rckg.relatedTo
    relations = {
        str(p)[len(rckg):]: (p, RDF.type, OWL.SymmetricProperty) in graph
        for p in graph.subjects(RDFS.subPropertyOf, related_to)
        if str(p).startswith(rckg)
    }
    concepts = {
        scheme: frozenset(
            str(c).rsplit("/", 1)[1]
            for c in graph.subjects(SKOS.inScheme, terms.scheme(scheme))
        )
        for scheme in SCHEMES
    }
    return Ontology(graph, shapes, classes, relations, concepts)
