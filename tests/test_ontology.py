"""The ontology files as data: both RDF parsers agree on them, every class has a SHACL
shape, and the shapes catch what a curator can get wrong."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SH, SKOS

from graph.builder import ontology, shacl
from graph.builder.pipeline import prepare
from graph.config import PROJECT_ROOT
from graph.vocabulary import Terms
from tests.conftest import BASE

FOLDER = PROJECT_ROOT / "ontology"
TERMS = Terms(BASE)


@pytest.mark.parametrize("name", ["rckg.ttl", "vocab.ttl", "shapes.ttl"])
def test_both_parsers_read_the_same_triples(name):
    with (FOLDER / name).open("rb") as handle:
        ox_triples = list(ox.parse(handle, format=ox.RdfFormat.TURTLE, base_iri=BASE))
    graph = ontology.parse(FOLDER / name, BASE)
    assert len(ox_triples) == len(graph) > 100
    relative = [t for t in ox_triples if isinstance(t.subject, ox.NamedNode)
                and not t.subject.value.startswith(("http", "urn"))]
    assert relative == []


def test_every_class_has_a_shape():
    onto = ontology.load(FOLDER, TERMS)
    targeted = {str(c)[len(str(TERMS.rckg)):] for c in onto.shapes.objects(None, SH.targetClass)
                if str(c).startswith(str(TERMS.rckg))}
    assert onto.classes - targeted == set()
    assert {"State", "Person", "Pipeline", "GasFlow", "Treaty", "Condemnation", "Statement"} \
        <= onto.classes


def test_relations_are_properties_and_concepts_with_symmetric_ones_marked():
    onto = ontology.load(FOLDER, TERMS)
    assert {name for name, symmetric in onto.relations.items() if symmetric} == {
        "meetsWith", "cooperatesWith", "negotiatesWith"}
    for name in onto.relations:
        iri = TERMS.rckg[name]
        assert (iri, RDF.type, OWL.ObjectProperty) in onto.graph
        assert (iri, RDF.type, SKOS.Concept) in onto.graph
        assert any(isinstance(o, Literal) and o.language == "en"
                   for o in onto.graph.objects(iri, RDFS.label)), name


def test_plover_scheme_has_the_sixteen_event_types():
    onto = ontology.load(FOLDER, TERMS)
    assert onto.concepts["plover"] == {
        "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
        "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
    assert onto.concepts["attribution"] == {
        "reported", "quoted-speaker", "joint-declaration", "author-assessment"}


@pytest.fixture(scope="module")
def prepared(test_settings):
    dataset, _ = prepare(test_settings)
    return dataset, ontology.load(FOLDER, TERMS)


def source_graph(dataset):
    return dataset.graph(TERMS.graph("junge-welt-522920"))


def test_built_dataset_conforms(prepared):
    dataset, onto = prepared
    assert shacl.validate(dataset, onto.shapes, TERMS) == []


def test_shapes_catch_a_missing_label(prepared):
    dataset, onto = prepared
    reference = dataset.graph(TERMS.graph("reference"))
    label = Literal("Россия", lang="ru")
    reference.remove((TERMS.entity("russia"), SKOS.prefLabel, label))
    try:
        violations = shacl.validate(dataset, onto.shapes, TERMS)
        assert any(v.focus == str(TERMS.entity("russia")) for v in violations)
    finally:
        reference.add((TERMS.entity("russia"), SKOS.prefLabel, label))


def test_shapes_catch_a_quoted_speaker_without_speaker(prepared):
    dataset, onto = prepared
    graph = source_graph(dataset)
    fact = TERMS.fact("junge-welt-522920", "energy-locomotive")
    speaker = TERMS.entity("vladimir-putin")
    graph.remove((fact, TERMS.rckg.speaker, speaker))
    try:
        violations = shacl.validate(dataset, onto.shapes, TERMS)
        assert [v.focus for v in violations] == [str(fact)]
    finally:
        graph.add((fact, TERMS.rckg.speaker, speaker))


def test_shapes_catch_a_time_that_ends_before_it_starts(prepared):
    dataset, onto = prepared
    graph = source_graph(dataset)
    time = URIRef(str(TERMS.fact("junge-welt-522920", "oil-imports-up")) + "#time")
    end = next(graph.objects(time, TERMS.rckg.end))
    early = Literal("2025-01-01", datatype=end.datatype)
    graph.remove((time, TERMS.rckg.end, end))
    graph.add((time, TERMS.rckg.end, early))
    try:
        violations = shacl.validate(dataset, onto.shapes, TERMS)
        assert any(v.focus == str(time) for v in violations)
    finally:
        graph.remove((time, TERMS.rckg.end, early))
        graph.add((time, TERMS.rckg.end, end))


def test_ontology_graph_is_part_of_the_dataset(store):
    graphs = store.named_graphs()
    assert graphs == sorted(str(TERMS.graph(n)) for n in
                            ("entailed", "junge-welt-522920", "meta", "ontology",
                             "reference"))


def test_shapes_file_is_valid_shacl():
    shapes = Graph().parse(FOLDER / "shapes.ttl", format="turtle", publicID=BASE)
    assert len(set(shapes.subjects(RDF.type, SH.NodeShape))) >= 40
