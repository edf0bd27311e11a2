"""Query results written as SPARQL JSON, CSV or a plain table, from the store-neutral model."""

from __future__ import annotations

import csv
import io
import json

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graph.store import QueryResult, Term


def _json_term(term: Term) -> dict[str, str]:
    kind = {"uri": "uri", "bnode": "bnode", "literal": "literal"}[term.kind]
    out = {"type": kind, "value": term.value}
    if term.lang:
        out["xml:lang"] = term.lang
    elif term.datatype and term.kind == "literal":
        out["datatype"] = term.datatype
    return out


def to_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON (SELECT and ASK)."""
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean})
    body = {
        "head": {"vars": result.variables},
        "results": {
            "bindings": [{k: _json_term(v) for k, v in row.items()} for row in result.rows]
        },
    }
    return json.dumps(body, ensure_ascii=False, indent=1)


def _plain(term: Term | None) -> str:
    if term is None:
        return ""
    return f"_:{term.value}" if term.kind == "bnode" else term.value


def to_csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV (SELECT; ASK as one 'boolean' column)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerows([["boolean"], [str(result.boolean).lower()]])
        return out.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_plain(row.get(v)) for v in result.variables])
    return out.getvalue()


def to_table(result: QueryResult, width: int = 60) -> str:
    """A fixed-width text table for people at a terminal."""
    if result.kind == "ask":
        return "yes" if result.boolean else "no"
    cells = [[_plain(row.get(v))[:width] for v in result.variables] for row in result.rows]
    widths = [max([len(v), *(len(c[i]) for c in cells)]) for i, v in enumerate(result.variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(result.variables, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines)


def _rdflib(term: Term) -> Node:
    if term.kind == "uri":
        return URIRef(term.value)
    if term.kind == "bnode":
        return BNode(term.value)
    datatype = URIRef(term.datatype) if term.datatype else None
    return Literal(term.value, lang=term.lang, datatype=datatype)


def to_turtle(result: QueryResult) -> str:
    """Turtle for CONSTRUCT and DESCRIBE results."""
    graph = Graph()
    for s, p, o in result.triples or []:
        graph.add((_rdflib(s), _rdflib(p), _rdflib(o)))
    return graph.serialize(format="turtle")
