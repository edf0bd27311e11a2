"""RDF dumps of the stored graph: TriG and N-Quads keep the named graphs; Turtle, N-Triples
and JSON-LD carry the union of all graphs (JSON-LD keeps the graphs too).

Example:
    >>> from graph.config import settings
    >>> from graph.store.embedded import StoreDirectory
    >>> store = StoreDirectory(settings().store).open_current()  # doctest: +SKIP
    >>> dump(store, "trig")[:7]  # doctest: +SKIP
    b'@prefix'
"""

from __future__ import annotations

from graph.store.embedded import Store

MEDIA_TYPES = {
    "trig": "application/trig",
    "nq": "application/n-quads",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


def dump(store: Store, fmt: str) -> bytes:
    """The graph in `fmt`, one of MEDIA_TYPES' keys."""
    if fmt not in MEDIA_TYPES:
        raise ValueError(f"unknown RDF format {fmt!r}; use one of {', '.join(MEDIA_TYPES)}")
    return store.dump(MEDIA_TYPES[fmt])
