"""What a SPARQL request is, read before any engine sees it: its form, and whether it asks the
server to reach out (SERVICE) or to change data (updates).

pyoxigraph executes SERVICE and LOAD by opening network connections, so rckg refuses them
here. The query is scanned left to right into the tokens the SPARQL grammar knows — IRIs,
strings with their escapes, prefixed names with theirs, variables, language tags, comments —
so only a bare keyword counts: not `ex:service`, `?service`, `"service"`, `@service` or an
IRI containing the word. The scan runs twice, on the text as sent and with `\\u` escapes
resolved (the SPARQL spec resolves them before parsing; pyoxigraph only inside strings and
IRIs), and a keyword seen by either refuses the query: the check fails closed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                |'''(?:[^'\\]|\\.|'(?!''))*'''
                |"(?:[^"\\\n\r]|\\.)*"
                |'(?:[^'\\\n\r]|\\.)*')
    | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<pname>(?:[^\W\d][\w.-]*)?:(?:[\w:%-]|\.(?=[\w:%\\-])|\\[_~.\-!$&'()*+,;=/?\#@%]
                                      |%[0-9A-Fa-f]{2})*)
    | (?P<word>[^\W\d]\w*)
    | (?P<other>.)
    """,
    re.X | re.S,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY",
                 "WITH"}


READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"


class QueryRefused(Exception):
    """The request is not a query this read-only, offline endpoint will run."""


@dataclass(frozen=True)
class QueryInfo:
    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE; None if unreadable (the engine reports)
    has_dataset_clause: bool  # FROM or FROM NAMED present


def _unescape(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2), 16)
    return chr(code) if code <= 0x10FFFF else match.group()


def keywords(sparql: str) -> list[str]:
    """The bare words of a query, upper-cased, in order."""
    return [m.group().upper() for m in _TOKEN.finditer(sparql) if m.lastgroup == "word"]


def inspect(sparql: str) -> QueryInfo:
    """Classify a query; raise QueryRefused for updates and federated (SERVICE) queries."""
    views = [keywords(sparql)]
    unescaped = _ESCAPE.sub(_unescape, sparql)
    if unescaped != sparql:
        views.append(keywords(unescaped))
    for words in views:
        if "SERVICE" in words:
            raise QueryRefused("SERVICE is disabled: this endpoint never contacts other servers "
                               "on a query's behalf")
        first = next((w for w in words if w not in ("PREFIX", "BASE")), None)
        if first in _UPDATE_WORDS:
            raise QueryRefused(READ_ONLY)
    words = views[0]
    first = next((w for w in words if w not in ("PREFIX", "BASE")), None)
    form = first if first in _QUERY_FORMS else None
    return QueryInfo(form=form, has_dataset_clause="FROM" in words)
