"""What a SPARQL request is, read before any engine sees it: its form, and whether it asks the
server to reach out (SERVICE) or to change data (updates).

pyoxigraph executes SERVICE and LOAD by opening network connections, so rckg refuses them
here. The query is scanned left to right into the tokens the SPARQL grammar knows — IRIs,
strings with their escapes, prefixed names with theirs, variables, language tags, comments —
so only a bare keyword counts: not `ex:service`, `?service`, `"service"`, `@service` or an
IRI containing the word. The scan runs twice, on the text as sent and with `\\u` escapes
resolved (the SPARQL spec resolves them before parsing; pyoxigraph only inside strings and
IRIs), and a keyword seen by either refuses the query: the check fails closed.

The same scan bounds how deeply a query nests and how many operators it chains: the engine
parses and plans recursively, so a query of a few kilobytes nesting thousands of groups,
brackets, UNIONs or `+` would overflow the worker's stack. Such queries are refused with a
message (QueryTooComplex) before the engine sees them. The scan itself takes linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME_CHARS = r"\w\u00b7\u0300-\u036f\u203f-\u2040"  # PN_CHARS beyond \w: ·, combining marks, ‿ ⁀
_LOCAL = (r"""(?:[""" + _NAME_CHARS + r""":%-]|\.(?=[\w:%\\-])|\\[_~.\-!$&'()*+,;=/?\#@%]"""
          r"""|%[0-9A-Fa-f]{2})*""")
_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*+(?:\"\"\")?
                |'''(?:[^'\\]|\\.|'(?!''))*+(?:''')?
                |"(?:[^"\\\n\r]|\\.)*+"?
                |'(?:[^'\\\n\r]|\\.)*+'?)
    | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*+)
    | (?P<name>[^\W\d][""" + _NAME_CHARS + r""".-]*+)(?P<local>:""" + _LOCAL + r""")?
    | (?P<pname>:""" + _LOCAL + r""")
    | (?P<op>&&|\|\||!=|<=|>=|\^\^)
    | (?P<other>.)
    """,
    re.X | re.S,
)
# A run of name characters is a prefixed name when ':' follows it; otherwise it holds the words
# (and dots, dashes, digits) that a scan from each of its positions would read. Reading the run
# once keeps the scan linear: "a.a.a.…" would otherwise be rescanned from every word in it.
_WORD = re.compile(r"[^\W\d]\w*")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY",
                 "WITH"}


READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"
MAX_DEPTH = 128  # brackets ( { [ open at once; real queries stay below 20
MAX_OPERATORS = 10_000  # operators and group keywords, each a level of the parsed query
_OPENING, _CLOSING = set("({["), set(")}]")
_OPERATORS = set("+-*/|^!<>=") | {"&&", "||", "!=", "<=", ">="}
_GROUP_WORDS = {"UNION", "MINUS", "OPTIONAL", "BIND", "FILTER", "EXISTS", "SELECT", "GRAPH",
                "VALUES", "SERVICE", "HAVING"}


class QueryRefused(Exception):
    """The request is not a query this read-only, offline endpoint will run."""


class QueryTooComplex(QueryRefused):
    """The query nests or chains deeper than the engine can parse safely."""


@dataclass(frozen=True)
class QueryInfo:
    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE; None if unreadable (the engine reports)
    has_dataset_clause: bool  # FROM or FROM NAMED present


def _unescape(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2), 16)
    return chr(code) if code <= 0x10FFFF else match.group()


DEPTH_MESSAGE = f"the query nests brackets more than {MAX_DEPTH} deep, the most accepted"
OPERATORS_MESSAGE = (f"the query chains more than {MAX_OPERATORS} operators and group keywords, "
                     f"the most accepted")


def _keyword(part: str) -> str:
    """A word as the engine may read it: pyoxigraph matches a keyword by its first letters,
    without a word boundary, so `SERVICE:x` and `SERVICEex:x` are SERVICE followed by the
    prefixed names `:x` and `ex:x`. Any word starting with SERVICE counts as SERVICE."""
    word = part.upper()
    return "SERVICE" if word.startswith("SERVICE") else word


EXPANSION_FACTOR = 4
EXPANSION_MESSAGE = (f"the query's prefixed names expand to more than {EXPANSION_FACTOR} times "
                     f"its length; declare shorter prefixes or write the IRIs out")


def _scan(sparql: str, limit: bool) -> list[str]:
    """The bare words of a query, upper-cased, in order; with `limit`, raise QueryTooComplex
    as soon as the query nests or chains past the limits."""
    words: list[str] = []
    depth = operators = 0
    for match in _TOKEN.finditer(sparql):
        kind = match.lastgroup
        if kind == "other":
            text = match.group()
            if text in _OPENING:
                depth += 1
                if limit and depth > MAX_DEPTH:
                    raise QueryTooComplex(DEPTH_MESSAGE)
            elif text in _CLOSING:
                depth = max(0, depth - 1)
            elif text in _OPERATORS:
                operators += 1
        elif kind == "name":
            for part in _WORD.findall(match.group()):
                word = _keyword(part)
                words.append(word)
                operators += word in _GROUP_WORDS
        elif kind == "local":  # a prefixed name; its prefix may hide SERVICE (see _keyword)
            words.extend(w for w in map(_keyword, _WORD.findall(match.group("name")))
                         if w == "SERVICE")
        elif kind == "op" and match.group() != "^^":
            operators += 1
        else:
            continue
        if limit and operators > MAX_OPERATORS:
            raise QueryTooComplex(OPERATORS_MESSAGE)
    return words


def keywords(sparql: str) -> list[str]:
    """The bare words of a query, upper-cased, in order."""
    return _scan(sparql, limit=False)


def _references(sparql: str) -> tuple[list[str], list[str]]:
    """The IRIs the query calls as functions (`<iri>(` or `prefix:name(`) and the graphs its
    FROM and FROM NAMED clauses name, expanded with its PREFIX declarations (an undeclared
    prefix is kept as written)."""
    prefixes: dict[str, str] = {}
    calls: list[str] = []
    graphs: list[str] = []
    previous: tuple[str, str] | None = None  # kind and text of the last significant token
    declaring: str | None = None  # the prefix a PREFIX declaration is naming
    naming_graph = False  # after FROM (and NAMED)
    budget = EXPANSION_FACTOR * len(sparql) + 65_536  # characters all expansions may total

    def expand(kind: str, text: str) -> str:
        nonlocal budget
        if kind == "iri":
            return text[1:-1]
        prefix, _, local = text.partition(":")
        budget -= len(prefixes.get(prefix, "")) + len(local)
        if budget < 0:  # a long prefix named many times: quadratic to expand, so refused
            raise QueryTooComplex(EXPANSION_MESSAGE)
        return prefixes[prefix] + local if prefix in prefixes else text

    for match in _TOKEN.finditer(sparql):
        kind, text = match.lastgroup or "", match.group()
        if kind in ("ws", "comment"):
            continue
        if kind == "iri" and declaring is not None:
            prefixes[declaring] = text[1:-1]
        declaring = None
        if kind in ("local", "pname") and previous == ("name", "PREFIX") and text.endswith(":"):
            declaring = text[:-1]
        if naming_graph and kind in ("iri", "local", "pname"):
            graphs.append(expand(kind, text))
        word = text.upper() if kind == "name" else None
        naming_graph = word == "FROM" or (naming_graph and word == "NAMED")
        if text == "(" and previous is not None and previous[0] in ("iri", "local", "pname"):
            calls.append(expand(*previous))
        previous = (kind, word or text)
    return calls, graphs


def called_functions(sparql: str) -> list[str]:
    """The IRIs the query calls as functions, expanded (see _references)."""
    return _references(sparql)[0]


def dataset_graphs(sparql: str) -> list[str]:
    """The graphs the query's FROM and FROM NAMED clauses name, expanded (see _references)."""
    return _references(sparql)[1]


def mentions(sparql: str, word: str) -> bool:
    """Whether the query has the bare keyword `word`, as written or with escapes resolved."""
    unescaped = _ESCAPE.sub(_unescape, sparql)
    return word in keywords(sparql) or (unescaped != sparql and word in keywords(unescaped))


STANDARD_FUNCTIONS = ("http://www.w3.org/2001/XMLSchema#",)  # the casts SPARQL 1.1 defines


def _check_strict(sparql: str, words: list[str]) -> None:
    """Refuse what a remote store might run beyond SPARQL 1.1: pragmas (Virtuoso's DEFINE,
    which can make it fetch URLs) and extension functions (Virtuoso's bif: and sql:); and,
    since another engine may split names differently, SERVICE anywhere in a name."""
    if any("SERVICE" in m.group().upper() for m in _TOKEN.finditer(sparql)
           if m.lastgroup in ("name", "local", "pname")):
        raise QueryRefused("SERVICE is disabled: a remote store is never sent a query with "
                           "SERVICE in any name, not even inside a prefixed name")
    if "DEFINE" in words:
        raise QueryRefused("DEFINE is not SPARQL 1.1: store-specific pragmas are not accepted")
    for function in called_functions(sparql):
        if not function.startswith(STANDARD_FUNCTIONS):
            raise QueryRefused(f"the query calls {function!r}: only SPARQL 1.1's functions "
                               f"and XSD casts are accepted")


def inspect(sparql: str, strict: bool = False) -> QueryInfo:
    """Classify a query; raise QueryRefused for updates and federated (SERVICE) queries, and
    QueryTooComplex for queries nesting or chaining past MAX_DEPTH or MAX_OPERATORS. With
    `strict` (for a remote store, which may extend SPARQL), also for pragmas and calls of
    extension functions."""
    scans = [_scan(sparql, limit=True)]
    unescaped = _ESCAPE.sub(_unescape, sparql)
    if unescaped != sparql:
        scans.append(_scan(unescaped, limit=True))
    if strict:
        for text, words in zip((sparql, unescaped), scans, strict=False):
            _check_strict(text, words)
    for words in scans:
        if "SERVICE" in words:
            raise QueryRefused("SERVICE is disabled: this endpoint never contacts other servers "
                               "on a query's behalf")
        first = next((w for w in words if w not in ("PREFIX", "BASE")), None)
        if first in _UPDATE_WORDS:
            raise QueryRefused(READ_ONLY)
    words = scans[0]
    first = next((w for w in words if w not in ("PREFIX", "BASE")), None)
    form = first if first in _QUERY_FORMS else None
    return QueryInfo(form=form, has_dataset_clause="FROM" in words)


def undeclared_prefixes(sparql: str) -> list[str]:
    """The prefixes the query's prefixed names use without a PREFIX declaration, in order of
    first use (blank node labels, `_:b`, are not prefixed names)."""
    declared: set[str] = set()
    used: list[str] = []
    after_prefix = False
    for match in _TOKEN.finditer(sparql):
        kind = match.lastgroup
        if kind in ("ws", "comment"):
            continue
        if kind in ("local", "pname"):
            prefix = match.group("name") or "" if kind == "local" else ""
            if after_prefix:
                declared.add(prefix)
            elif prefix != "_" and prefix not in declared and prefix not in used:
                used.append(prefix)
        after_prefix = kind == "name" and match.group().upper() == "PREFIX"
    return used
