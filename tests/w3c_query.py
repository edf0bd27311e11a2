"""The W3C SPARQL 1.0/1.1 query evaluation tests (../shared/conformance/sparql-query): read
the manifests, build one dataset holding every test's data, and compare answers.

Every data file becomes a named graph called by its file: IRI; a test's dataset is given to
the endpoint by `default-graph-uri` (its qt:data) and `named-graph-uri` (its qt:graphData),
or left to the query's FROM clauses. Queries get `BASE <the query file's URL>` in front (the
protocol has no base parameter), so relative IRIs resolve as the tests expect.

Answers compare as RDF terms (lexical forms exact), solutions as multisets with blank nodes
matched one to one, graphs by canonical form (isomorphism). Solution order is not checked.

Run as a script, it records the tests the bare engine fails (no HTTP, no rckg in between):
    PYTHONPATH=. python -m tests.w3c_query > tests/data/w3c_engine_failures.json
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection

from graph.store.sparql_guard import QueryRefused, inspect, mentions

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
DAWGT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")
ROOTS = ("sparql10/manifest-evaluation.ttl", "sparql11/manifest-sparql11-query.ttl",
         "sparql11/manifest-sparql11-results.ttl", "sparql11/manifest-sparql11-fed.ttl",
         "sparql11/entailment/manifest.ttl")
EVALUATION = (MF.QueryEvaluationTest, MF.CSVResultFormatTest)
EMPTY_GRAPH = "urn:rckg:w3c:empty"  # names no graph: an empty default graph
RDF_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
               ".rdf": ox.RdfFormat.RDF_XML, ".n3": ox.RdfFormat.N3}
RESULT_FORMATS = {".srx": ox.QueryResultsFormat.XML, ".srj": ox.QueryResultsFormat.JSON,
                  ".tsv": ox.QueryResultsFormat.TSV, ".csv": ox.QueryResultsFormat.CSV}


@dataclass(frozen=True)
class Case:
    """One evaluation test: where its files are and why it is skipped, if it is."""

    id: str  # short: folder/name, e.g. sparql10/basic/base-prefix-1
    query: str  # the query file's file: IRI
    data: tuple[str, ...]
    graph_data: tuple[str, ...]
    result: str | None
    skip: str | None = None
    text: str = field(default="", repr=False)
    form: str | None = None  # SELECT, ASK, CONSTRUCT, DESCRIBE
    lower_bound: bool = False  # REDUCED (lax cardinality): duplicates may or may not go

    def sparql(self) -> str:
        return f"BASE <{self.query}>\n{self.text}"

    def dataset(self) -> tuple[list[str] | None, list[str] | None]:
        """(default graphs, named graphs) to send, or (None, None) for the query's FROM."""
        if mentions(self.text, "FROM"):  # the data files are graphs of the store by their IRIs
            return None, None
        return list(self.data) or [EMPTY_GRAPH], list(self.graph_data)


def _path(iri: str) -> Path:
    return Path(iri.removeprefix("file://"))


def _entries(manifest: Path) -> Iterator[tuple[Graph, URIRef]]:
    graph = Graph().parse(manifest, format="turtle", publicID=manifest.as_uri())
    for root in graph.subjects(RDF.type, MF.Manifest):
        for listed in graph.objects(root, MF.include):
            for included in Collection(graph, listed):  # type: ignore[arg-type]
                yield from _entries(_path(str(included)))
        for listed in graph.objects(root, MF.entries):
            for entry in Collection(graph, listed):  # type: ignore[arg-type]
                yield graph, URIRef(str(entry))


def _case(folder: Path, graph: Graph, entry: URIRef) -> Case | None:
    if not any((entry, RDF.type, kind) in graph for kind in EVALUATION):
        return None
    action = graph.value(entry, MF.action)
    query = str(graph.value(action, QT.query))
    result = graph.value(entry, MF.result)
    name = _path(query).parent.relative_to(folder).as_posix() + "/" + \
        (str(graph.value(entry, MF.name)) if "#" not in entry else entry.split("#")[-1])
    text = _path(query).read_text(encoding="utf-8")
    skip = None
    if graph.value(action, SD.entailmentRegime) is not None or "/entailment/" in query:
        skip = "entailment regime"
    elif graph.value(action, QT.serviceData) is not None or mentions(text, "SERVICE"):
        skip = "SERVICE (refused: the endpoint never reaches the network)"
    elif graph.value(entry, DAWGT.approval) == DAWGT.Withdrawn:
        skip = "withdrawn"
    form = None
    try:
        form = inspect(text).form
    except QueryRefused:  # an update: not a query evaluation test
        skip = skip or "not a query"
    return Case(name, query, tuple(sorted(str(d) for d in graph.objects(action, QT.data))),
                tuple(sorted(str(d) for d in graph.objects(action, QT.graphData))),
                str(result) if result is not None else None, skip, text, form,
                graph.value(entry, MF.resultCardinality) == MF.LaxCardinality)


def cases(folder: Path) -> list[Case]:
    """Every evaluation test of the suite under `folder`, in manifest order."""
    found: dict[str, Case] = {}
    for root in ROOTS:
        for graph, entry in _entries(folder / root):
            case = _case(folder, graph, entry)
            if case is not None:
                found.setdefault(case.id, case)
    return list(found.values())


def _data_files(case: Case) -> Iterable[str]:
    yield from case.data
    yield from case.graph_data
    if not case.data and not case.graph_data:  # FROM <relative.ttl>: resolved against the query
        base = case.query.rsplit("/", 1)[0]
        for path in _path(base).glob("*"):
            if path.suffix in RDF_FORMATS and not path.name.startswith("manifest"):
                yield path.as_uri()


def _own(term: Any, fresh: dict[str, ox.BlankNode]) -> Any:
    """The term, with a blank node replaced by this file's own fresh one."""
    if isinstance(term, ox.BlankNode):
        return fresh.setdefault(term.value, ox.BlankNode())
    return term


def build_dataset(all_cases: list[Case]) -> ox.Dataset:
    """Each data file any case reads, as the named graph called by its IRI."""
    dataset = ox.Dataset()
    loaded: set[str] = set()
    for case in all_cases:
        if case.skip:
            continue
        for iri in _data_files(case):
            if iri in loaded:
                continue
            loaded.add(iri)
            fmt = RDF_FORMATS.get(_path(iri).suffix)
            if fmt is None:
                continue
            name = ox.NamedNode(iri)
            fresh: dict[str, ox.BlankNode] = {}  # the parser keeps labels: one set per file
            for triple in ox.parse(path=_path(iri), format=fmt, base_iri=iri):
                dataset.add(ox.Quad(_own(triple.subject, fresh), triple.predicate,
                                    _own(triple.object, fresh), name))
    return dataset


# --- answers, read and compared -------------------------------------------------------------

Row = dict[str, Any]


@dataclass(frozen=True)
class Answer:
    kind: str  # "boolean", "rows", "graph"
    boolean: bool | None = None
    rows: list[Row] | None = None
    lower_bound: bool = False
    triples: frozenset[ox.Triple] | None = None
    plain: bool = False  # rows of CSV strings: only values compare


def canonical(triples: Iterable[ox.Triple]) -> frozenset[ox.Triple]:
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return frozenset(q.triple for q in dataset)


def from_solutions(solutions: ox.QuerySolutions | ox.QueryBoolean) -> Answer:
    if isinstance(solutions, ox.QueryBoolean):
        return Answer("boolean", boolean=bool(solutions))
    names = [v.value for v in solutions.variables]
    return Answer("rows", rows=[{n: s[n] for n in names if s[n] is not None}
                                for s in solutions])


def from_engine(result: object) -> Answer:
    if isinstance(result, ox.QueryTriples):
        return Answer("graph", triples=canonical(result))
    assert isinstance(result, ox.QuerySolutions | ox.QueryBoolean)
    return from_solutions(result)


def _result_set(graph: Graph) -> Answer:
    """The DAWG result-set vocabulary (rs:ResultSet) read into an Answer."""
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    boolean = list(store.query(f"SELECT ?b WHERE {{ ?r <{RS.boolean}> ?b }}"))
    if boolean:
        return Answer("boolean", boolean=boolean[0]["b"].value == "true")
    rows: dict[Any, Row] = {}
    for found in store.query(f"""SELECT ?s ?n ?v WHERE {{ ?r <{RS.solution}> ?s OPTIONAL {{
            ?s <{RS.binding}> [ <{RS.variable}> ?n ; <{RS.value}> ?v ] }} }}"""):
        row = rows.setdefault(found["s"], {})
        if found["n"] is not None:
            row[found["n"].value] = found["v"]
    return Answer("rows", rows=list(rows.values()))


def expected(case: Case) -> Answer:
    answer = _expected(case)
    if case.lower_bound:
        return Answer(answer.kind, answer.boolean, answer.rows, True, answer.triples)
    return answer


def _expected(case: Case) -> Answer:
    assert case.result is not None
    path = _path(case.result)
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as lines:
            return Answer("rows", rows=list(csv.DictReader(lines)), plain=True)
    if path.suffix in RESULT_FORMATS:
        return from_solutions(ox.parse_query_results(path=path,
                                                     format=RESULT_FORMATS[path.suffix]))
    triples = [q.triple for q in ox.parse(path=path, format=RDF_FORMATS[path.suffix],
                                          base_iri=case.result)]
    if case.form in ("CONSTRUCT", "DESCRIBE"):
        return Answer("graph", triples=canonical(triples))
    graph = Graph().parse(path, format={".ttl": "turtle", ".rdf": "xml"}.get(path.suffix, "nt"),
                          publicID=case.result)
    return _result_set(graph)


def _plain(term: Any) -> str:
    """A term as CSV writes it, blank node labels aside (they need not match)."""
    if isinstance(term, str):
        return "_:" if term.startswith("_:") else term
    if isinstance(term, ox.BlankNode):
        return "_:"
    return str(term.value)


def _match(expected_rows: list[Row], actual_rows: list[Row], mapping: dict[str, str]) -> bool:
    """Whether the rows match one to one under a blank node bijection extending `mapping`."""
    if not expected_rows:
        return not actual_rows
    first, rest = expected_rows[0], expected_rows[1:]
    for index, row in enumerate(actual_rows):
        if row.keys() != first.keys():
            continue
        extended = dict(mapping)
        if all(_same(first[k], row[k], extended) for k in first) and \
                _match(rest, actual_rows[:index] + actual_rows[index + 1:], extended):
            return True
    return False


def _same(want: Any, got: Any, mapping: dict[str, str]) -> bool:
    if isinstance(want, ox.BlankNode) and isinstance(got, ox.BlankNode):
        if want.value in mapping:
            return mapping[want.value] == got.value
        if got.value in mapping.values():
            return False
        mapping[want.value] = got.value
        return True
    return bool(want == got)


def agree(want: Answer, got: Answer) -> bool:
    if want.kind != got.kind:
        return False
    if want.kind == "boolean":
        return want.boolean == got.boolean
    if want.kind == "graph":
        return want.triples == got.triples
    assert want.rows is not None and got.rows is not None
    if want.plain:
        def plain(rows: list[Row]) -> Counter[str]:
            return Counter(json.dumps({k: _plain(v) for k, v in row.items() if v != ""},
                                      sort_keys=True) for row in rows)
        return plain(want.rows) == plain(got.rows)
    if want.lower_bound:  # REDUCED: compare the distinct solutions
        return agree(Answer("rows", rows=_distinct(want.rows)), Answer("rows", rows=_distinct(
            got.rows)))
    if len(want.rows) != len(got.rows):
        return False
    return _match(want.rows, got.rows, {})


def _distinct(rows: list[Row]) -> list[Row]:
    found: list[Row] = []
    for row in rows:
        if row not in found:
            found.append(row)
    return found


# --- the bare engine, for the list of its own failures ---------------------------------------

def engine_failures(folder: Path) -> list[str]:
    """The runnable cases the bare engine fails (or cannot answer), by id."""
    all_cases = cases(folder)
    store = ox.Store()
    store.extend(build_dataset(all_cases))
    failed = []
    for case in all_cases:
        if case.skip:
            continue
        defaults, named = case.dataset()
        arguments: dict[str, Any] = {}
        if defaults is not None:
            arguments = {"default_graph": [ox.NamedNode(g) for g in defaults],
                         "named_graphs": [ox.NamedNode(g) for g in named or []]}
        try:
            got = from_engine(store.query(case.sparql(), **arguments))
            ok = agree(expected(case), got)
        except (SyntaxError, ValueError, OSError, RuntimeError):
            ok = False
        if not ok:
            failed.append(case.id)
    return failed


if __name__ == "__main__":
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else \
        Path(__file__).resolve().parent.parent.parent / "shared" / "conformance" / "sparql-query"
    print(json.dumps({"pyoxigraph": ox.__version__, "failures": engine_failures(shared)},
                     indent=1))
