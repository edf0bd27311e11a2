"""Query results in the SPARQL result formats (JSON, XML, CSV, TSV) and as a plain table,
written from the store-neutral model so every store and the command line share them."""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

from graph.store.embedded import QueryResult, Term


def _json_term(term: Term) -> dict[str, str]:
    kind = {"uri": "uri", "bnode": "bnode", "literal": "literal"}[term.kind]
    out = {"type": kind, "value": term.value}
    if term.lang:
        out["xml:lang"] = term.lang
    elif term.datatype and term.kind == "literal":
        out["datatype"] = term.datatype
    return out


def to_json(result: QueryResult, indent: int | None = None) -> str:
    """SPARQL 1.1 Query Results JSON (SELECT and ASK); compact unless `indent` is given."""
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean})
    if indent is None:
        return _compact_json(result)
    body = {
        "head": {"vars": result.variables},
        "results": {
            "bindings": [{k: _json_term(v) for k, v in row.items()} for row in result.rows]
        },
    }
    return json.dumps(body, ensure_ascii=False, indent=indent)


_string = getattr(json.encoder, "c_encode_basestring", None) or json.encoder.encode_basestring


def _term_text(term: Term) -> str:
    value = _string(term.value)
    if term.kind != "literal":
        kind = "uri" if term.kind == "uri" else "bnode"
        return f'{{"type": "{kind}", "value": {value}}}'
    if term.lang:
        return f'{{"type": "literal", "value": {value}, "xml:lang": {_string(term.lang)}}}'
    if term.datatype:
        return f'{{"type": "literal", "value": {value}, "datatype": {_string(term.datatype)}}}'
    return f'{{"type": "literal", "value": {value}}}'


def _compact_json(result: QueryResult) -> str:
    """The same text as json.dumps of the result's dicts, written directly: half the time,
    which counts where query workers answer hundreds of thousands of rows (the projection)."""
    names = {name: _string(name) for name in result.variables}
    bindings = ", ".join(
        "{" + ", ".join(f"{names.get(k) or _string(k)}: {_term_text(v)}" for k, v in row.items())
        + "}" for row in result.rows)
    head = json.dumps(result.variables, ensure_ascii=False)
    return f'{{"head": {{"vars": {head}}}, "results": {{"bindings": [{bindings}]}}}}'


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
JSON_TYPE = "application/sparql-results+json"
XML_TYPE = "application/sparql-results+xml"
CSV_TYPE = "text/csv"
TSV_TYPE = "text/tab-separated-values"
RESULT_TYPES = (JSON_TYPE, XML_TYPE, CSV_TYPE, TSV_TYPE)


def _xml_term(term: Term) -> str:
    if term.kind == "uri":
        return f"<uri>{escape(term.value)}</uri>"
    if term.kind == "bnode":
        return f"<bnode>{escape(term.value)}</bnode>"
    attrs = f" xml:lang={quoteattr(term.lang)}" if term.lang else ""
    if term.datatype and not term.lang:
        attrs = f" datatype={quoteattr(term.datatype)}"
    return f"<literal{attrs}>{escape(term.value)}</literal>"


def to_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML Format."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in result.variables]
    out.append("</head>")
    if result.kind == "ask":
        out.append(f"<boolean>{str(result.boolean).lower()}</boolean>")
    else:
        out.append("<results>")
        for row in result.rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(k)}>{_xml_term(v)}</binding>"
                    for k, v in row.items()]
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out)


def _tsv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if term.kind == "uri":
        return f"<{term.value}>"
    if term.kind == "bnode":
        return f"_:{term.value}"
    text = (term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))
    if term.lang:
        return f'"{text}"@{term.lang}'
    if term.datatype and term.datatype != XSD_STRING:
        return f'"{text}"^^<{term.datatype}>'
    return f'"{text}"'


def to_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV (SELECT; ASK as one 'boolean' column)."""
    if result.kind == "ask":
        return f"?boolean\n{str(result.boolean).lower()}\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(_tsv_term(row.get(v)) for v in result.variables) for row in result.rows]
    return "\n".join(lines) + "\n"


def serialize(result: QueryResult, media_type: str) -> bytes:
    """A SELECT or ASK result in one of RESULT_TYPES."""
    writer = {JSON_TYPE: to_json, XML_TYPE: to_xml, CSV_TYPE: to_csv, TSV_TYPE: to_tsv}
    return writer[media_type](result).encode("utf-8")


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



def from_json(body: bytes | str) -> QueryResult:
    """Read SPARQL 1.1 Query Results JSON back into the store-neutral model. A term that
    recurs (a relation, a language, an entity) is made once and shared: terms are immutable,
    and making them is most of the time this takes."""
    data = json.loads(body)
    if "boolean" in data:
        return QueryResult("ask", [], [], boolean=bool(data["boolean"]))
    names = list(data["head"].get("vars", []))
    made: dict[tuple[str, str, str | None, str | None], Term] = {}
    rows = []
    for binding in data["results"]["bindings"]:
        row = {}
        for name, term in binding.items():
            key = (term["type"], term["value"], term.get("datatype"), term.get("xml:lang"))
            found = made.get(key)
            if found is None:
                kind = "literal" if key[0] == "typed-literal" else key[0]
                found = made[key] = Term(kind, key[1], key[2], key[3])
            row[name] = found
        rows.append(row)
    return QueryResult("select", names, rows)
