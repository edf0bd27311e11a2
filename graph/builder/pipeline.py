"""`rckg build` and `rckg validate`: seeds → checked facts → RDF → SHACL → a new store version."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from graph.builder import checks, ontology, rdf, shacl
from graph.builder.cache import SourceCache
from graph.config import Settings
from graph.errors import Problem, SeedError, StoreError
from graph.sources.seeds import ENTITIES_FILE, Corpus, load_corpus
from graph.sources.sentences import Sentence
from graph.store import backend, remote
from graph.store.embedded import StoreDirectory
from graph.views import projection
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
    converted: list[str] = field(default_factory=list)  # sources converted and validated now
    reused: list[str] = field(default_factory=list)  # sources taken from the build cache
    corpus: Corpus | None = None

    @property
    def covered(self) -> int:
        return self.sentences - len(self.uncovered)


def _quiet(_: str) -> None:
    """Progress sink that says nothing."""


def prepare(settings: Settings, progress: Progress = _quiet,
            full: bool = True) -> tuple[Dataset, BuildReport]:
    """Read, check, convert and validate the seeds; raise SeedError on any problem. Unless
    `full`, sources unchanged since their last build come from the build cache."""
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
    cache = _cache(settings)
    cached = {} if full else {s.slug: g for s in corpus.sources if (g := cache.load(s))}
    report.reused = sorted(cached)
    report.converted = sorted(s.slug for s in corpus.sources if s.slug not in cached)
    progress(f"converting to RDF ({len(report.converted)} of {len(corpus.sources)} sources; "
             f"{len(cached)} unchanged, from the build cache)")
    dataset = rdf.build_dataset(corpus, onto, terms, cached)
    progress("validating with SHACL")
    skip = frozenset(terms.graph(slug) for slug in cached)
    violations = shacl.validate(dataset, onto.shapes, terms, skip)
    if violations:
        raise SeedError([Problem(settings.ontology / ontology.SHAPES_FILE, 1, f"SHACL: {v}")
                         for v in violations])
    report.graphs = {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}
    report.triples = sum(report.graphs.values())
    report.corpus = corpus
    return dataset, report


def _cache(settings: Settings) -> SourceCache:
    """The build cache in the store folder, keyed by everything all sources share."""
    shared = hashlib.sha256(fingerprint(settings, with_sources=False).encode()).hexdigest()
    return SourceCache(settings.store / "cache", shared)


def fingerprint(settings: Settings, with_sources: bool = True) -> str:
    """A digest of everything a build depends on (seeds, ontology, base IRI, and the code
    that turns them into RDF), to skip rebuilds that would change nothing; without the
    sources, a digest of what all sources share."""
    digest = hashlib.sha256(settings.base_iri.encode())
    digest.update((settings.seeds / ENTITIES_FILE).read_bytes())
    folders = [settings.ontology, Path(__file__).parent]
    for folder in [settings.seeds, *folders] if with_sources else folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()
                           and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def is_current(settings: Settings) -> bool:
    """Whether the served version was built from exactly the present seeds and ontology."""
    try:
        store = backend.open_store(settings)
    except StoreError:
        return False
    return store.info.get("fingerprint") == fingerprint(settings)


def build(settings: Settings, progress: Progress = _quiet, full: bool = False) -> BuildReport:
    """Build the graph and swap it in as the served version; nothing changes on failure.
    Only sources that changed are converted and validated again, unless `full`."""
    dataset, report = prepare(settings, progress, full)
    progress(f"writing {report.triples} quads to {backend.describe(settings)}")
    nquads = dataset.serialize(format="nquads", encoding="utf-8")
    info = {"triples": report.triples, "facts": report.facts, "sources": report.sources,
            "graphs": report.graphs, "base_iri": settings.base_iri,
            "fingerprint": fingerprint(settings)}
    if settings.remote is not None:
        quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
        with StoreDirectory(settings.store).lock():  # one build at a time from this machine
            report.version = remote.write_version(settings.remote, quads, info, progress)
    else:
        def load(store: ox.Store) -> None:
            store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)

        report.version = StoreDirectory(settings.store).write_version(
            load, info, projection.saver(settings.base_iri))
    assert report.corpus is not None
    cache, terms = _cache(settings), Terms(settings.base_iri)
    for source in report.corpus.sources:  # only a stored build fills the cache
        if source.slug in report.converted:
            cache.save(source, dataset.graph(terms.graph(source.slug)))
    return report
