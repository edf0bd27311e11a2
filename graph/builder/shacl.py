"""SHACL validation of a built dataset against rckg's shapes, before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass

from pyshacl import validate as pyshacl_validate
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import SH

from graph.vocabulary import Terms


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.focus} {self.path}: {self.message}"


def validate(dataset: Dataset, shapes: Graph, terms: Terms,
             skip: frozenset[URIRef] = frozenset()) -> list[Violation]:
    """Every SHACL violation in the dataset's data graphs but those in `skip` (already
    validated); the ontology is merged in, so subclasses are seen as their superclasses."""
    data = Graph()
    for graph in dataset.graphs():
        name = graph.identifier
        if isinstance(name, URIRef) and name != terms.graph("meta") and name not in skip:
            data += graph
    conforms, report, _ = pyshacl_validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    if conforms:
        return []
    assert isinstance(report, Graph)
    violations = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        violations.append(Violation(
            str(report.value(result, SH.focusNode)),
            str(report.value(result, SH.resultPath) or ""),
            str(report.value(result, SH.resultMessage) or "constraint not met"),
        ))
    return sorted(violations, key=str)
