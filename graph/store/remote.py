"""rckg over a remote SPARQL 1.1 store (Oxigraph server, Virtuoso, Fuseki…): reading its build
record, answering queries in rckg's own terms, and loading a build so readers never see half.

The store holds rckg's graphs under the names users query, plus one control graph, the build
record (BUILD_GRAPH): the version, the build's details and the list of rckg's graphs. rckg
always queries with that list as the dataset (default graph = their union, named graphs =
them), which gives the embedded store's semantics on every store and hides graphs rckg does
not own (a Virtuoso's system graphs, a build's staging graphs).

A build loads each graph into a staging graph in batches (Graph Store Protocol POST, or
SPARQL Update INSERT DATA), checks the counts, then swaps all graphs and the record in one
SPARQL Update request (MOVE … TO …), which the store applies as one transaction (see the
README for what each store guarantees). On any failure the staging graphs are dropped and the
graphs served before stay as they were.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from graph.config import RemoteSettings
from graph.errors import StoreError
from graph.store import results
from graph.store.embedded import PREFIXES, QueryResult, Term, term_of
from graph.store.remote_http import RemoteRefused, SparqlHttp, StoreUnavailable

BUILD_GRAPH = "urn:rckg:build"
VERSION = "urn:rckg:version"
INFO = "urn:rckg:info"
HAS_GRAPH = "urn:rckg:graph"
STAGING = "urn:rckg:staging:"
BATCH = 10_000  # triples per Graph Store Protocol request
UPDATE_BATCH = 4_000  # triples per INSERT DATA request (Virtuoso refuses 5,000 in one block)
LOAD_TIMEOUT = 300.0  # seconds one load request or the swap may take
SWAP_RETRY_DELAYS = (1.0, 2.0, 4.0)  # pauses before sending a swap the store gave up on again
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RESULT_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"
RECORD_QUERY = (f"SELECT ?p ?o WHERE {{ GRAPH <{BUILD_GRAPH}> {{ <{BUILD_GRAPH}> ?p ?o }} }}")
Progress = Callable[[str], None]
_LABEL = re.compile(r"[^A-Za-z0-9_]")


@dataclass(frozen=True)
class BuildRecord:
    """What the remote store holds of rckg: which build, and its graphs."""

    version: str
    graphs: tuple[str, ...]
    info: dict[str, Any]


def _normalise(term: Term) -> Term:
    """One form for terms whatever the store: a plain literal is an xsd:string, a language
    tag is lower case, a blank node label is a valid one (Virtuoso's are `nodeID://b1`)."""
    if term.kind == "bnode":
        return Term("bnode", _LABEL.sub("_", term.value))
    if term.kind == "literal" and term.lang is None and term.datatype is None:
        return Term("literal", term.value, XSD_STRING)
    if term.kind == "literal" and term.lang is not None:
        return Term("literal", term.value, None, term.lang.lower())
    return term


def read_results(body: bytes) -> QueryResult:
    """SPARQL JSON results from a store, normalised: literal typing, and ASK answers that some
    stores (Virtuoso) send as a one-row table or a number."""
    data = json.loads(body)
    if "boolean" in data:
        value = data["boolean"]
        return QueryResult("ask", [], [], boolean=value in (True, 1, "true", "1"))
    table = results.from_json(body)
    rows = [{k: _normalise(v) for k, v in row.items()} for row in table.rows]
    return QueryResult("select", table.variables, rows)


def read_triples(media_type: str, body: bytes) -> list[ox.Triple]:
    """A CONSTRUCT or DESCRIBE answer (N-Triples or Turtle) as pyoxigraph triples."""
    fmt = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.TURTLE
    try:
        return [q.triple for q in ox.parse(body, format=fmt)]
    except (SyntaxError, ValueError) as exc:
        raise StoreError(f"the remote store sent an RDF answer rckg cannot read: {exc}") from exc


def read_record(http: SparqlHttp, timeout: float) -> BuildRecord | None:
    """The build record in the store, or None when rckg has never built into it."""
    _, body = http.query(RECORD_QUERY, RESULT_ACCEPT, timeout)
    version, info, graphs = None, {}, []
    for row in read_results(body).rows:
        predicate, value = row["p"].value, row["o"].value
        if predicate == VERSION:
            version = value
        elif predicate == INFO:
            info = json.loads(value)
        elif predicate == HAS_GRAPH:
            graphs.append(value)
    if version is None:
        return None
    return BuildRecord(version, tuple(sorted(graphs)), info)


class RemoteStore:
    """The Store interface over a remote SPARQL store (for the command line, builds and the
    server's dumps), reading the build `record` through `http`."""

    def __init__(self, http: SparqlHttp, record: BuildRecord, timeout: float) -> None:
        self.http = http
        self.record = record
        self.info = record.info
        self.timeout = timeout

    @classmethod
    def open(cls, remote: RemoteSettings, timeout: float = 60.0) -> RemoteStore:
        """The store's current build; StoreError if it is unreachable or holds none."""
        http = SparqlHttp(remote, max_connections=4)
        try:
            record = read_record(http, timeout)
        except StoreError:
            http.close()
            raise
        if record is None:
            http.close()
            raise StoreError(f"no graph has been built in the remote store at {remote.query}; "
                             f"run 'rckg build'")
        return cls(http, record, timeout)

    @property
    def version(self) -> str:
        return self.record.version

    def _ask(self, sparql: str, accept: str) -> tuple[str, bytes]:
        graphs = self.record.graphs
        return self.http.query(sparql, accept, self.timeout, graphs, graphs)

    def query(self, sparql: str) -> QueryResult:
        media_type, body = self._ask(sparql, f"{RESULT_ACCEPT}, {GRAPH_ACCEPT}")
        if "sparql-results" not in media_type:
            triples = read_triples(media_type, body)
            return QueryResult("graph", [], [], triples=[
                (term_of(t.subject), term_of(t.predicate), term_of(t.object)) for t in triples])
        return read_results(body)

    def construct(self, sparql: str, media_type: str) -> bytes:
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt is None:
            raise StoreError(f"unsupported RDF media type {media_type!r}")
        answer_type, body = self._ask(sparql, GRAPH_ACCEPT)
        return ox.serialize(read_triples(answer_type, body), format=fmt) or b""

    def quads(self) -> list[ox.Quad]:
        """Every quad of rckg's graphs."""
        table = self.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        return [ox.Quad(_node(r["s"]), _node(r["p"]), _node(r["o"]), _node(r["g"]))  # type: ignore[arg-type]
                for r in table.rows]

    def dump(self, media_type: str) -> bytes:
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt is None:
            raise StoreError(f"unsupported RDF media type {media_type!r}")
        quads = self.quads()
        prefixes = {**PREFIXES, "rckg": f"{self.info.get('base_iri', '')}ontology#"}
        if fmt.supports_datasets:
            return ox.serialize(quads, format=fmt, prefixes=prefixes) or b""
        triples = list(dict.fromkeys(q.triple for q in quads))
        return ox.serialize(triples, format=fmt, prefixes=prefixes) or b""

    def close(self) -> None:
        self.http.close()


def _node(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if term.kind == "uri":
        return ox.NamedNode(term.value)
    if term.kind == "bnode":
        return ox.BlankNode(term.value)
    if term.lang:
        return ox.Literal(term.value, language=term.lang)
    return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype or XSD_STRING))


def _batches(triples: list[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    """Batches of at most `size` triples, except that every triple with a blank node goes into
    one batch (the last): a blank node label means the same node only within one request."""
    blank = [t for t in triples
             if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)]
    named = [t for t in triples
             if not (isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode))]
    for start in range(0, len(named), size):
        yield named[start:start + size]
    if blank:
        yield blank


def _ntriples(triples: Iterable[ox.Triple]) -> bytes:
    return ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b""


def _counts(http: SparqlHttp, graphs: Iterable[str]) -> dict[str, int]:
    names = " ".join(f"<{g}>" for g in graphs)
    sparql = (f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {names} }} "
              f"GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g")
    _, body = http.query(sparql, RESULT_ACCEPT, LOAD_TIMEOUT)
    return {r["g"].value: int(r["n"].value) for r in read_results(body).rows}


def _swap(record: BuildRecord, old: BuildRecord | None, staging: dict[str, str]) -> str:
    """The one update request that makes `record` current: drop graphs no longer built, copy
    each staging graph over its real name, and replace the build record. Every operation is
    SILENT, so none fails at run time (Virtuoso would keep the ones before a failure). COPY,
    not MOVE: it is 3 to 8 times faster on both Oxigraph and Virtuoso; the staging graphs are
    dropped afterwards."""
    parts = [f"DROP SILENT GRAPH <{g}>" for g in (old.graphs if old else ())
             if g not in record.graphs]
    parts += [f"COPY SILENT GRAPH <{tmp}> TO GRAPH <{graph}>" for graph, tmp in staging.items()]
    info = json.dumps(record.info, sort_keys=True)
    facts = [f"<{BUILD_GRAPH}> <{VERSION}> {_literal(record.version)} .",
             f"<{BUILD_GRAPH}> <{INFO}> {_literal(info)} ."]
    facts += [f"<{BUILD_GRAPH}> <{HAS_GRAPH}> <{g}> ." for g in record.graphs]
    parts.append(f"DROP SILENT GRAPH <{BUILD_GRAPH}>")
    parts.append(f"INSERT DATA {{ GRAPH <{BUILD_GRAPH}> {{ {' '.join(facts)} }} }}")
    return " ;\n".join(parts)


def _literal(text: str) -> str:
    return str(ox.Literal(text))


def _leftover_staging(http: SparqlHttp) -> list[str]:
    sparql = (f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
              f"FILTER(STRSTARTS(STR(?g), \"{STAGING}\")) }}")
    _, body = http.query(sparql, RESULT_ACCEPT, LOAD_TIMEOUT)
    return [r["g"].value for r in read_results(body).rows]


def write_version(remote: RemoteSettings, quads: list[ox.Quad], info: dict[str, Any],
                  progress: Progress) -> str:
    """Load `quads` into the remote store as a new version and swap it in; returns its name.
    Nothing readers see changes until the final swap; on failure, StoreError."""
    version = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + secrets.token_hex(3)
    by_graph: dict[str, list[ox.Triple]] = {}
    for quad in quads:
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise StoreError("a build for a remote store must put every triple in a named graph")
        by_graph.setdefault(quad.graph_name.value, []).append(quad.triple)
    http = SparqlHttp(remote, max_connections=2)
    staging = {g: f"{STAGING}{version}:{i}" for i, g in enumerate(sorted(by_graph))}
    unchanged = "the graph served before is unchanged"
    sent = False
    try:
        old = read_record(http, LOAD_TIMEOUT)
        for leftover in _leftover_staging(http):  # from builds that were killed
            if leftover < f"{STAGING}{version}":  # older: never a build running now elsewhere
                http.update(f"DROP SILENT GRAPH <{leftover}>", LOAD_TIMEOUT)
        done, total = 0, len(quads)
        size = BATCH if http.remote.gsp else UPDATE_BATCH
        for graph, tmp in staging.items():
            for batch in _batches(by_graph[graph], size):
                _load_batch(http, tmp, batch)
                done += len(batch)
                progress(f"loaded {done} of {total} triples into staging graphs")
        counts = _counts(http, staging.values())
        for graph, tmp in staging.items():
            expected = len(set(by_graph[graph]))
            if counts.get(tmp, 0) != expected:
                raise StoreError(f"the remote store holds {counts.get(tmp, 0)} triples of "
                                 f"{graph} after loading {expected}")
        record = BuildRecord(version, tuple(sorted(by_graph)), {**info, "version": version})
        progress("swapping the new version in (one update request)")
        unchanged = ("the store did not confirm the swap, so either version may be served: "
                     "run 'rckg build' again")
        sent = True
        _apply_swap(http, _swap(record, old, staging), progress)
        progress("dropping the staging graphs")
    except RemoteRefused as exc:
        _drop(http, staging.values())
        raise StoreError(f"the remote store refused the load: {exc}; {unchanged}") from exc
    except StoreError as exc:
        if not sent:  # once sent, the store may still apply the swap: keep what it copies
            _drop(http, staging.values())
        raise StoreError(f"{exc}; {unchanged}") from exc
    else:
        _drop(http, staging.values())
    finally:
        http.close()
    return version


def _apply_swap(http: SparqlHttp, swap: str, progress: Progress) -> None:
    """Send the swap, again after a pause if the store gave up on it: Virtuoso rolls a swap
    back when it waits too long for concurrent readers (SR171). Sending it twice is harmless:
    it copies the same staging graphs and writes the same record."""
    for delay in SWAP_RETRY_DELAYS:
        try:
            http.update(swap, LOAD_TIMEOUT)
            return
        except StoreUnavailable as exc:
            progress(f"the store did not apply the swap ({exc}); trying again in {delay:g} s")
            time.sleep(delay)
    http.update(swap, LOAD_TIMEOUT)


def _load_batch(http: SparqlHttp, graph: str, batch: list[ox.Triple]) -> None:
    body = _ntriples(batch)
    if http.remote.gsp:
        http.post_graph(graph, body, LOAD_TIMEOUT)
        return
    triples = body.decode("utf-8")
    if any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
           for t in batch):  # INSERT DATA may not hold blank nodes (Virtuoso refuses them)
        http.update(f"INSERT {{ GRAPH <{graph}> {{\n{triples}\n}} }} WHERE {{}}", LOAD_TIMEOUT)
    else:
        http.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{triples}\n}} }}", LOAD_TIMEOUT)


def _drop(http: SparqlHttp, graphs: Iterable[str]) -> None:
    """Best effort: remove staging graphs after a failed load (a later build also does)."""
    for graph in graphs:
        try:
            http.update(f"DROP SILENT GRAPH <{graph}>", 30.0)
        except StoreError:
            return
