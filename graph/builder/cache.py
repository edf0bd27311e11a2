"""Incremental builds: each source's converted and validated graph, kept by a digest of all
it depends on, so adding or changing one source converts and validates only that one.

The digest covers the source's own files and everything shared (entity list, ontology,
the building code, base IRI): a change to any shared input invalidates every entry, which
is the full rebuild `rckg build --full` also forces.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from rdflib import Graph

from graph.sources.seeds import Source


class SourceCache:
    """Source graphs as N-Triples files under `folder`, named by source slug and digest."""

    def __init__(self, folder: Path, shared: str) -> None:
        self.folder = folder
        self.shared = shared

    def key(self, source: Source) -> str:
        digest = hashlib.sha256(self.shared.encode())
        for path in (source.text_file, source.facts_file,
                     source.text_file.with_name(source.stem + ".meta.yaml")):
            digest.update(path.read_bytes() if path.exists() else b"")
        return digest.hexdigest()[:32]

    def _path(self, source: Source) -> Path:
        return self.folder / f"{source.slug}.{self.key(source)}.nt"

    def load(self, source: Source) -> Graph | None:
        path = self._path(source)
        if not path.exists():
            return None
        graph = Graph()
        graph.parse(path, format="nt")
        return graph

    def save(self, source: Source, graph: Graph) -> None:
        """Keep `graph` for `source`, replacing older entries of the same source."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob(f"{source.slug}.*.nt"):
            old.unlink()
        path = self._path(source)
        # One temporary file per build: overlapping builds (two checkouts, a CLI and a
        # server) must not write into each other's file before the rename.
        temporary = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
        graph.serialize(temporary, format="nt", encoding="utf-8")
        temporary.replace(path)
