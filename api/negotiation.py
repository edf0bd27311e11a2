"""Content negotiation: pick a media type from the client's Accept header (with q-values,
parsed by python-mimeparse) or from explicit `format`/`output` parameters.

Clients name formats in many ways (SPARQLWrapper sends `format=json-ld&output=json-ld`, others
`n3`, `rdf`, `text/xml`): every common name and media type maps onto what rckg writes, and a
parameter naming nothing known leaves the choice to Accept instead of failing.
"""

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
_JSON, _XML = results.JSON_TYPE, results.XML_TYPE
# Names (parameter values) and media types (Accept) that stand for a results format.
RESULT_FORMATS = {
    "json": _JSON, "srj": _JSON, "sparql-results+json": _JSON, "application/json": _JSON,
    "text/javascript": _JSON, "application/javascript": _JSON,
    "xml": _XML, "srx": _XML, "sparql-results+xml": _XML, "application/xml": _XML,
    "text/xml": _XML,
    "csv": results.CSV_TYPE, "tsv": results.TSV_TYPE,
}
# The same for RDF formats. N3 clients get Turtle, which is N3 without its extensions.
GRAPH_FORMATS = {
    "ttl": "text/turtle", "turtle": "text/turtle", "n3": "text/turtle",
    "text/n3": "text/turtle", "text/rdf+n3": "text/turtle", "application/x-turtle": "text/turtle",
    "jsonld": "application/ld+json", "json-ld": "application/ld+json",
    "json": "application/ld+json", "application/json": "application/ld+json",
    "nt": "application/n-triples", "ntriples": "application/n-triples",
    "n-triples": "application/n-triples", "text/plain": "application/n-triples",
    "xml": "application/rdf+xml", "rdf": "application/rdf+xml", "rdfxml": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml", "rdf/xml": "application/rdf+xml",
    "application/xml": "application/rdf+xml", "text/xml": "application/rdf+xml",
    "trig": "application/trig", "nq": "application/n-quads", "nquads": "application/n-quads",
    "n-quads": "application/n-quads",
    # A client asking a graph query for SPARQL JSON or XML results (rdflib's SPARQLStore does)
    # gets the RDF format of the same family, which it reads by the answer's Content-Type.
    results.JSON_TYPE: "application/ld+json", results.XML_TYPE: "application/rdf+xml",
}
FORMAT_PARAMETERS = ("format", "output")  # the names clients use for the format parameter


def _named(offered: list[str], fmt: str, names: dict[str, str]) -> str | None:
    key = fmt.strip().lower()
    wanted = names.get(key, key)
    return wanted if wanted in offered else None


def choose(offered: list[str], accept: str | None, fmt: str | list[str] | None,
           names: dict[str, str]) -> str | None:
    """The media type to answer with, or None when nothing offered is acceptable.

    The first format parameter naming something offered overrides Accept, so a browser link
    can ask for CSV; otherwise Accept decides (its aliases too, such as application/json).
    """
    for value in [fmt] if isinstance(fmt, str) else fmt or []:
        found = _named(offered, value, names)
        if found:
            return found
    if not accept or not accept.strip():
        return offered[0]
    aliases = [name for name, target in names.items() if "/" in name and target in offered]
    try:
        # best_match prefers the last of equally good offers, so offer the default last.
        # Aliases only count when Accept takes none of the types themselves (even by */*).
        best = mimeparse.best_match(list(reversed(offered)), accept) \
            or mimeparse.best_match(aliases, accept)
    except (ValueError, mimeparse.MimeTypeParseException):
        return offered[0]
    return names.get(best, best) if best else None


def prefers_html(accept: str | None) -> bool:
    """True when the client ranks text/html above every RDF type, as browsers do."""
    if not accept:
        return False
    try:
        html = mimeparse.quality("text/html", accept)
        return html > 0 and html > max(mimeparse.quality(t, accept) for t in GRAPH_TYPES)
    except (ValueError, mimeparse.MimeTypeParseException):
        return False
