"""What a SPARQL request is, read before any engine sees it: its form, and whether it asks the
server to reach out (SERVICE) or to change data (updates).

pyoxigraph executes SERVICE and LOAD by opening network connections, so rckg refuses them
here. The check works on the query's tokens with comments, strings and IRIs removed, so an
IRI or a literal that merely contains the word "service" is not mistaken for the keyword.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_STRIP = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'  # long strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'  # short strings
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'  # IRIs
    r"|#[^\n\r]*",  # comments
    re.S,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"}


class QueryRefused(Exception):
    """The request is not a query this read-only, offline endpoint will run."""


@dataclass(frozen=True)
class QueryInfo:
    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE; None if unreadable (the engine reports)
    has_dataset_clause: bool  # FROM or FROM NAMED present


def _unescape(match: re.Match[str]) -> str:
    """SPARQL resolves \\uXXXX escapes before parsing, so a keyword may hide behind them."""
    code = int(match.group(1) or match.group(2), 16)
    return chr(code) if code <= 0x10FFFF else match.group()


def keywords(sparql: str) -> list[str]:
    """The bare words of a query, upper-cased, outside comments, strings and IRIs.

    Prefixed names (`ex:service`) and variables (`?service`) are not keywords: words glued to
    a ':' or following '?', '$' or ':' are skipped.
    """
    text = _STRIP.sub(" ", _ESCAPE.sub(_unescape, sparql))
    words = []
    for match in _WORD.finditer(text):
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        if before in "?$:" or after == ":" or before.isalnum() or before == "_":
            continue
        words.append(match.group().upper())
    return words


def inspect(sparql: str) -> QueryInfo:
    """Classify a query; raise QueryRefused for updates and federated (SERVICE) queries."""
    words = keywords(sparql)
    if "SERVICE" in words:
        raise QueryRefused(
            "SERVICE is disabled: this endpoint never contacts other servers on a query's behalf"
        )
    first = next((w for w in words if w not in ("PREFIX", "BASE")), None)
    if first in _UPDATE_WORDS or (first == "WITH"):
        raise QueryRefused("this endpoint is read-only: SPARQL Update is not accepted")
    form = first if first in _QUERY_FORMS else None
    return QueryInfo(form=form, has_dataset_clause="FROM" in words)
