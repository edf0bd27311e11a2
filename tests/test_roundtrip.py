"""Every dump is read back by the other RDF toolkit: pyoxigraph reads what rdflib writes,
and rdflib reads what the store (pyoxigraph) writes, with the same number of triples."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

from graph.builder.pipeline import prepare
from graph.export import rdf as rdf_export
from graph.store.embedded import OxigraphStore

DATASET_FORMATS = {"trig": ("trig", ox.RdfFormat.TRIG), "nq": ("nquads", ox.RdfFormat.N_QUADS),
                   "jsonld": ("json-ld", ox.RdfFormat.JSON_LD)}
GRAPH_FORMATS = {"ttl": ("turtle", ox.RdfFormat.TURTLE), "nt": ("nt", ox.RdfFormat.N_TRIPLES),
                 "rdfxml": ("xml", ox.RdfFormat.RDF_XML)}


def quad_count(store: OxigraphStore) -> int:
    return int(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
               .rows[0]["n"].value)


def triple_count(store: OxigraphStore) -> int:
    """Distinct triples of the union graph (what a graph-only format carries)."""
    result = store.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")
    return int(result.rows[0]["n"].value)


@pytest.mark.parametrize("fmt", sorted(DATASET_FORMATS))
def test_rdflib_reads_the_stores_dataset_dumps(store, fmt):
    rdflib_name, _ = DATASET_FORMATS[fmt]
    dataset = Dataset()
    dataset.parse(data=rdf_export.dump(store, fmt), format=rdflib_name)
    assert len(list(dataset.quads())) == quad_count(store)
    assert quad_count(store) > 4000


@pytest.mark.parametrize("fmt", sorted(GRAPH_FORMATS))
def test_rdflib_reads_the_stores_graph_dumps(store, fmt):
    rdflib_name, _ = GRAPH_FORMATS[fmt]
    graph = Graph()
    graph.parse(data=rdf_export.dump(store, fmt), format=rdflib_name)
    assert len(graph) == triple_count(store)


@pytest.mark.parametrize("fmt", sorted(DATASET_FORMATS))
def test_pyoxigraph_reads_what_rdflib_writes(test_settings, fmt):
    dataset, report = prepare(test_settings)
    rdflib_name, ox_format = DATASET_FORMATS[fmt]
    data = dataset.serialize(format=rdflib_name, encoding="utf-8")
    quads = list(ox.parse(data, format=ox_format))
    assert len(quads) == report.triples


@pytest.mark.parametrize("fmt", sorted(GRAPH_FORMATS))
def test_pyoxigraph_reads_rdflib_graph_output(test_settings, fmt):
    dataset, _ = prepare(test_settings)
    union = Graph()
    for graph in dataset.graphs():
        union += graph
    rdflib_name, ox_format = GRAPH_FORMATS[fmt]
    data = union.serialize(format=rdflib_name, encoding="utf-8")
    triples = list(ox.parse(data, format=ox_format))
    assert len(triples) == len(union)


def test_unknown_export_format_is_refused(store):
    with pytest.raises(ValueError, match="unknown RDF format"):
        rdf_export.dump(store, "gexf-ish")
