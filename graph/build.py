"""`rckg build` and `rckg validate`: seeds → checked facts → RDF → SHACL → a new store version."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from graph import checks, ontology, rdf, shacl
from graph.config import Settings
from graph.errors import Problem, SeedError, StoreError
from graph.seeds import Corpus, load_corpus
from graph.sentences import Sentence
from graph.store import StoreDirectory
from graph.vocabulary import Terms

Progress = Callable[[str], None]


@dataclass
class BuildReport:
    """What a build or validation found: counts, and the sentences no fact covers."""

    sources: int = 0
    facts: int = 0
    drafts: dict[str, int] = field(default_factory=dict)  # fact sheet → drafts awaiting review
    entities: int = 0
    sentences: int = 0
    triples: int = 0
    graphs: dict[str, int] = field(default_factory=dict)
    uncovered: list[tuple[str, Sentence]] = field(default_factory=list)
    version: str | None = None

    @property
    def covered(self) -> int:
        return self.sentences - len(self.uncovered)


def _quiet(_: str) -> None:
    """Progress sink that says nothing."""


def prepare(settings: Settings, progress: Progress = _quiet) -> tuple[Dataset, BuildReport]:
    """Read, check, convert and validate the seeds; raise SeedError on any problem."""
    terms = Terms(settings.base_iri)
    progress("reading ontology")
    onto = ontology.load(settings.ontology, terms)
    progress(f"reading seeds from {settings.seeds}")
    corpus: Corpus = load_corpus(settings.seeds)
    progress("checking quotes, figures and names")
    problems = checks.check_corpus(corpus, onto)
    if problems:
        raise SeedError(problems)
    report = BuildReport(sources=len(corpus.sources), entities=len(corpus.entities))
    for source in corpus.sources:
        sentences, missing = checks.coverage(source)
        report.sentences += len(sentences)
        report.facts += len(source.facts)
        if source.drafts:
            report.drafts[str(source.facts_file)] = len(source.drafts)
        report.uncovered += [(source.stem, s) for s in missing]
    progress("converting to RDF")
    dataset = rdf.build_dataset(corpus, onto, terms)
    progress("validating with SHACL")
    violations = shacl.validate(dataset, onto.shapes, terms)
    if violations:
        raise SeedError([Problem(settings.ontology / ontology.SHAPES_FILE, 1, f"SHACL: {v}")
                         for v in violations])
    report.graphs = {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}
    report.triples = sum(report.graphs.values())
    return dataset, report


def fingerprint(settings: Settings) -> str:
    """A digest of everything a build depends on (seeds, ontology, base IRI, and the code
    that turns them into RDF), to skip rebuilds that would change nothing."""
    digest = hashlib.sha256(settings.base_iri.encode())
    for folder in (settings.seeds, settings.ontology, Path(__file__).parent):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()
                           and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def is_current(settings: Settings) -> bool:
    """Whether the served version was built from exactly the present seeds and ontology."""
    try:
        store = StoreDirectory(settings.store).open_current()
    except StoreError:
        return False
    return store.info.get("fingerprint") == fingerprint(settings)


def build(settings: Settings, progress: Progress = _quiet) -> BuildReport:
    """Build the graph and swap it in as the served version; nothing changes on failure."""
    dataset, report = prepare(settings, progress)
    progress(f"writing {report.triples} quads to {settings.store}")
    nquads = dataset.serialize(format="nquads", encoding="utf-8")
    info = {"triples": report.triples, "facts": report.facts, "sources": report.sources,
            "graphs": report.graphs, "base_iri": settings.base_iri,
            "fingerprint": fingerprint(settings)}

    def load(store: ox.Store) -> None:
        store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)

    report.version = StoreDirectory(settings.store).write_version(load, info)
    return report
