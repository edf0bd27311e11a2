"""The store behind every view of the graph: one interface, an embedded Oxigraph by default.

The embedded store keeps each build in its own folder under `versions/` and points
`current` (a symlink) at the one being served. A build writes a new folder and swaps the
link only when everything succeeded, so a failed or killed build leaves the served graph
as it was. Readers open the current version read-only.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from graph.errors import StoreError

READY = "READY.json"  # written last into a version folder: its presence means complete


def sync(path: Path) -> None:
    """fsync a file or a folder (its entries), so a power loss cannot undo it after a later
    step that depends on it: data before the READY marker, the marker before the swap."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
# Prefixes written into Turtle and TriG dumps, so people can read them.
PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "qudt": "http://qudt.org/schema/qudt/",
    "unit": "http://qudt.org/vocab/unit/",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "void": "http://rdfs.org/ns/void#",
    "wd": "http://www.wikidata.org/entity/",
}
KEEP_VERSIONS = 3  # the served one, and older ones a running server may still be leaving


@dataclass(frozen=True)
class Term:
    """One RDF term of a query result, independent of the store that produced it."""

    kind: str  # "uri", "literal" or "bnode"
    value: str
    datatype: str | None = None
    lang: str | None = None


@dataclass(frozen=True)
class QueryResult:
    """A SELECT (variables and rows), an ASK (boolean) or a graph result (triples)."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str]
    rows: list[dict[str, Term]]
    boolean: bool | None = None
    triples: list[tuple[Term, Term, Term]] | None = None


def prefixes_for(base: str) -> dict[str, str]:
    """The prefixes written into Turtle and TriG dumps of a graph under `base`."""
    return {**PREFIXES, "rckg": f"{base}ontology#", "id": f"{base}id/"}


def dump_store(store: ox.Store, media_type: str, prefixes: dict[str, str]) -> bytes:
    """The whole dataset (TriG, N-Quads, JSON-LD) or the union of its graphs (other formats)."""
    fmt = ox.RdfFormat.from_media_type(media_type)
    if fmt is None:
        raise StoreError(f"unsupported RDF media type {media_type!r}")
    if fmt.supports_datasets:
        return store.dump(format=fmt, prefixes=prefixes) or b""
    union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                        use_default_graph_as_union=True)
    assert isinstance(union, ox.QueryTriples)
    return ox.serialize(union, format=fmt, prefixes=prefixes) or b""


class Store(Protocol):
    """What rckg needs from a store; the embedded and (later) remote stores both provide it."""

    @property
    def version(self) -> str: ...

    def query(self, sparql: str) -> QueryResult: ...

    def construct(self, sparql: str, media_type: str) -> bytes: ...

    def dump(self, media_type: str) -> bytes: ...


def term_of(node: object) -> Term:
    """The store-neutral form of a pyoxigraph term."""
    if isinstance(node, ox.NamedNode):
        return Term("uri", node.value)
    if isinstance(node, ox.BlankNode):
        return Term("bnode", node.value)
    if isinstance(node, ox.Literal):
        lang = node.language
        return Term("literal", node.value, None if lang else node.datatype.value, lang)
    raise StoreError(f"unsupported term {node!r}")


def query_store(store: ox.Store, sparql: str) -> QueryResult:
    """A query's result in the store-neutral model; the default graph is the union."""
    result = store.query(sparql, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ask", [], [], boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = []
        for solution in result:
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = term_of(value)
            rows.append(row)
        return QueryResult("select", names, rows)
    assert isinstance(result, ox.QueryTriples)
    triples = [(term_of(t.subject), term_of(t.predicate), term_of(t.object)) for t in result]
    return QueryResult("graph", [], [], triples=triples)


Finish = Callable[[ox.Store, Path], None]  # last step of a version, before it is complete


class OxigraphStore:
    """A read-only view of one complete build on disk."""

    def __init__(self, path: Path) -> None:
        if not (path / READY).exists():
            raise StoreError(f"{path} is not a complete build (no {READY}); run 'rckg build'")
        try:
            self._store = ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:  # RuntimeError: RocksDB found corruption
            raise StoreError(f"the store at {path} cannot be opened ({exc}); "
                             f"run 'rckg build' to write a new one") from exc
        self.path = path
        self.info = json.loads((path / READY).read_text(encoding="utf-8"))

    @property
    def version(self) -> str:
        return str(self.info["version"])

    def query(self, sparql: str) -> QueryResult:
        return query_store(self._store, sparql)

    def construct(self, sparql: str, media_type: str) -> bytes:
        """A CONSTRUCT or DESCRIBE result serialized natively in `media_type`."""
        fmt = ox.RdfFormat.from_media_type(media_type)
        result = self._store.query(sparql, use_default_graph_as_union=True)
        if fmt is None or not isinstance(result, ox.QueryTriples):
            raise StoreError("construct() needs a CONSTRUCT or DESCRIBE query and an RDF type")
        return ox.serialize(result, format=fmt) or b""

    def dump(self, media_type: str) -> bytes:
        """The whole dataset (TriG, N-Quads) or the union of its graphs (other formats)."""
        return dump_store(self._store, media_type, prefixes_for(str(self.info.get("base_iri", ""))))

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))


class StoreDirectory:
    """The embedded store's folder: its versions, the `current` link and the build lock."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.versions = root / "versions"
        self.current = root / "current"

    def current_path(self) -> Path:
        """The folder of the version being served; StoreError if there is none complete."""
        if not self.current.exists():
            raise StoreError(f"no graph has been built at {self.root}; run 'rckg build'")
        path = self.current.resolve()
        if not (path / READY).exists():
            raise StoreError(f"{path} is not a complete build (no {READY}); run 'rckg build'")
        return path

    def open_current(self) -> OxigraphStore:
        return OxigraphStore(self.current_path())

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the build lock: StoreError at once if another build holds it."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / "build.lock").open("w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise StoreError(f"another build is running on {self.root}") from exc
            yield

    def write_version(self, load: Callable[[ox.Store], None], info: dict[str, object],
                      finish: Finish | None = None) -> str:
        """Fill a new version with `load` and make it current; returns its name.

        Nothing visible changes until the final rename of the `current` link, so an error or
        a kill at any earlier point leaves the served graph untouched; a version folder that
        was not completed is removed (now, or by the next build if this one was killed).
        """
        try:
            with self.lock():
                self.versions.mkdir(parents=True, exist_ok=True)
                self._remove_incomplete()
                stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
                path = Path(tempfile.mkdtemp(prefix=f"{stamp}-", dir=self.versions))
                try:
                    self._fill(path, load, info, finish)
                except BaseException:
                    shutil.rmtree(path, ignore_errors=True)
                    raise
                link = self.root / f"current.{os.getpid()}.tmp"
                link.unlink(missing_ok=True)
                link.symlink_to(Path("versions") / path.name)
                os.replace(link, self.current)
                sync(self.root)  # the swap itself, on disk before the build says it is done
                self._prune(keep=path.name)
                return path.name
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise StoreError(f"cannot write the store in {self.root}: {reason}; "
                             f"the graph served before is unchanged") from exc

    @staticmethod
    def _fill(path: Path, load: Callable[[ox.Store], None], info: dict[str, object],
              finish: Finish | None) -> None:
        store = ox.Store(str(path))
        try:
            load(store)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"cannot load the data: {exc}") from exc
        except RuntimeError as exc:  # RocksDB reports I/O trouble (a full disk) this way
            raise OSError(str(exc)) from exc
        store.flush()
        if finish is not None:
            finish(store, path)
        del store
        for written in sorted(path.rglob("*")):  # all on disk before the marker says complete
            if written.is_file():
                sync(written)
        sync(path)
        ready = {**info, "version": path.name}
        (path / READY).write_text(json.dumps(ready, indent=2), encoding="utf-8")
        sync(path / READY)
        sync(path)

    def _remove_incomplete(self) -> None:
        """Remove folders of builds that never finished (killed or failed)."""
        for path in self.versions.iterdir():
            if path.is_dir() and not (path / READY).exists():
                shutil.rmtree(path, ignore_errors=True)

    def _prune(self, keep: str) -> None:
        complete = sorted(p for p in self.versions.iterdir() if (p / READY).exists())
        for path in complete[:-KEEP_VERSIONS]:
            if path.name != keep:
                shutil.rmtree(path, ignore_errors=True)


def load_file(directory: StoreDirectory, data: Path, base_iri: str | None = None,
              finish: Finish | None = None) -> str:
    """Make `data` (TriG or N-Quads with named graphs; Turtle, N-Triples, RDF/XML or JSON-LD
    into the default graph) the current version of `directory`."""
    fmt = ox.RdfFormat.from_extension(data.suffix.lstrip("."))
    if fmt is None:
        raise StoreError(f"{data}: unknown RDF file extension {data.suffix!r}")

    def load(store: ox.Store) -> None:
        store.bulk_load(path=str(data), format=fmt, base_iri=base_iri)

    return directory.write_version(load, {"source_file": str(data), "base_iri": base_iri or ""},
                                   finish)
