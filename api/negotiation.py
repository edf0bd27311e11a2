"""Content negotiation: pick a media type from the client's Accept header (with q-values,
parsed by python-mimeparse) or from an explicit `format` parameter."""

from __future__ import annotations

import mimeparse

from graph.store import results

RESULT_TYPES = list(results.RESULT_TYPES)  # SELECT and ASK; the first is the default
GRAPH_TYPES = [  # CONSTRUCT and DESCRIBE; the first is the default
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/rdf+xml",
    "application/trig",
    "application/n-quads",
]
RESULT_FORMATS = {"json": results.JSON_TYPE, "xml": results.XML_TYPE, "csv": results.CSV_TYPE,
                  "tsv": results.TSV_TYPE}
GRAPH_FORMATS = {"ttl": "text/turtle", "turtle": "text/turtle", "jsonld": "application/ld+json",
                 "json": "application/ld+json", "nt": "application/n-triples",
                 "xml": "application/rdf+xml", "rdfxml": "application/rdf+xml",
                 "trig": "application/trig", "nq": "application/n-quads"}


def choose(offered: list[str], accept: str | None, fmt: str | None,
           names: dict[str, str]) -> str | None:
    """The media type to answer with, or None when nothing offered is acceptable.

    `fmt` (a short name or a media type) overrides Accept, so a browser link can ask for CSV.
    """
    if fmt:
        wanted = names.get(fmt.lower(), fmt.lower())
        return wanted if wanted in offered else None
    if not accept or not accept.strip():
        return offered[0]
    try:
        # best_match prefers the last of equally good offers, so offer the default last.
        return mimeparse.best_match(list(reversed(offered)), accept) or None
    except (ValueError, mimeparse.MimeTypeParseException):
        return offered[0]


def prefers_html(accept: str | None) -> bool:
    """True when the client ranks text/html above every RDF type, as browsers do."""
    if not accept:
        return False
    try:
        html = mimeparse.quality("text/html", accept)
        return html > 0 and html > max(mimeparse.quality(t, accept) for t in GRAPH_TYPES)
    except (ValueError, mimeparse.MimeTypeParseException):
        return False
