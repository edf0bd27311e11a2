"""rckg for notebooks: the questions the REST API answers, asked in Python, no server needed.

    from graph.analyst import Analyst
    kg = Analyst.open()                      # the built graph (RCKG_STORE), read-only
    kg.ties("Russland", relation="suppliesTo")

The REST routers call the functions of this module too (`search_actors`, `ties_page`,
`facts_page`, `paths`), so a notebook and the server cannot give different answers. Results
are the same plain dicts the API serves as JSON; `sparql` gives a pandas DataFrame (pandas is
the `notebook` extra) and `graph` the networkx projection. Names are resolved as the API
resolves them: a slug, a Wikidata Q-id, or a label or alias in de, en, ru or zh naming one
entity; an unknown or ambiguous name raises `UnknownId` with the candidates, an unknown
filter value `BadValue` with the allowed ones. See docs/python.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, get_args

import networkx as nx

from graph.config import Settings, settings
from graph.store.backend import open_store
from graph.store.embedded import QueryResult, Term, prefixes_for
from graph.views import lookups, projection, search
from graph.views.lookups import BadFilter, BadValue, FactFilter, TieFilter, UnknownId
from graph.views.projection import Projection

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Analyst", "BadFilter", "BadValue", "UnknownId"]


def search_actors(view: Projection, q: str | None = None,
                  kind: str | None = None) -> dict[str, Any]:
    """Entities matching `q` (best first), or all of them, optionally of one class."""
    if kind is not None and kind not in lookups.entity_types(view):
        raise BadValue("type", kind, lookups.entity_types(view))
    if q:
        found = [{**lookups.entity_ref(view, m.entity.slug), "labels": m.entity.labels,
                  "matched": m.label} for m in search.search(view, q, kind)]
    else:
        found = [{**lookups.entity_ref(view, e.slug), "labels": e.labels, "matched": None}
                 for e in view.entities.values() if kind is None or e.type == kind]
    return {"total": len(found), "actors": found}


def ties_page(view: Projection, actor: str, flt: TieFilter, offset: int = 0,
              limit: int | None = None) -> dict[str, Any]:
    """One page of the ties of `actor` (any name that resolves), with their total."""
    slug = lookups.resolve(view, actor)
    total, page = lookups.tie_page(view, slug, flt, offset, limit)
    return {"actor": lookups.entity_ref(view, slug), "total": total, "offset": offset,
            "limit": limit, "ties": page}


def facts_page(view: Projection, flt: FactFilter, offset: int = 0,
               limit: int | None = None) -> dict[str, Any]:
    """One page of the facts passing `flt` (its `actor` any name that resolves)."""
    if flt.actor is not None:
        flt = dataclasses.replace(flt, actor=lookups.resolve(view, flt.actor))
    total, page = lookups.fact_page(view, flt, offset, limit)
    return {"total": total, "offset": offset, "limit": limit, "facts": page}


def paths(view: Projection, start: str, end: str, max_length: int = 4) -> dict[str, Any]:
    """The shortest paths between two actors (any names that resolve), hop by hop."""
    a, b = lookups.resolve(view, start), lookups.resolve(view, end)
    return {"from": lookups.entity_ref(view, a), "to": lookups.entity_ref(view, b),
            "max_length": max_length, "paths": lookups.paths(view, a, b, max_length)}


def _date(name: str, value: dt.date | str | None) -> dt.date | None:
    """A `since`/`until` given as a date or as YYYY-MM-DD, as REST takes it."""
    if not isinstance(value, str):
        return value
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise BadFilter(f"{name} {value!r} is not a date: write YYYY-MM-DD", name)


class Analyst:
    """The article graph for analysis: the same store and views the server reads."""

    def __init__(self, view: Projection, query: Callable[[str], QueryResult], base: str) -> None:
        self.view = view
        self._query = query
        self._prefixes = "".join(f"PREFIX {p}: <{iri}>\n"
                                 for p, iri in sorted(prefixes_for(base).items()))

    @classmethod
    def open(cls, config: Settings | None = None) -> Analyst:
        """The served version of the graph (RCKG_STORE: a folder or a remote store), with
        the projection its build saved, or one built now."""
        config = config or settings()
        store = open_store(config)
        folder = getattr(store, "path", None)
        view = projection.read(folder / projection.SAVED, config.base_iri, store.version) \
            if folder is not None else None
        if view is None:
            view = projection.load(store.query, config.base_iri, store.version)
        return cls(view, store.query, config.base_iri)

    # What REST answers under /api/actors, /api/facts and /api/paths.

    def search(self, q: str | None = None, type: str | None = None) -> list[dict[str, Any]]:
        """Actors whose labels or aliases in de, en, ru or zh match `q`, best first."""
        return list(search_actors(self.view, q, type)["actors"])

    def actor(self, name: str) -> dict[str, Any]:
        """One actor: labels, aliases, type, Wikidata item, links and tie counts."""
        return lookups.entity_view(self.view, lookups.resolve(self.view, name))

    def ties(self, actor: str, *, role: str | None = None, direction: str | None = None,
             counterpart_type: str | None = None, **filters: Any) -> list[dict[str, Any]]:
        """Every fact `actor` takes part in, with its role; `filters` as for `facts`."""
        for name, value, allowed in (("role", role, get_args(lookups.Role)),
                                     ("direction", direction, get_args(lookups.Direction))):
            if value is not None and value not in allowed:
                raise BadValue(name, value, list(allowed))
        flt = TieFilter(**self._filters(filters), role=role, direction=direction,
                        counterpart_type=counterpart_type)
        return list(ties_page(self.view, actor, flt)["ties"])

    def facts(self, **filters: Any) -> list[dict[str, Any]]:
        """Facts in text order, filtered by relation, plover, attribution, certainty,
        since, until (dates or 'YYYY-MM-DD'), actor or source."""
        return list(facts_page(self.view, FactFilter(**self._filters(filters)))["facts"])

    def paths(self, start: str, end: str, max_length: int = 4) -> list[list[dict[str, Any]]]:
        """Shortest paths from `start` to `end`, each hop with the ties behind it."""
        return list(paths(self.view, start, end, max_length)["paths"])

    def network(self, actor: str, depth: int = 1, **filters: Any) -> dict[str, Any]:
        """The ego network of `actor` as REST gives it (nodes and aggregated edges)."""
        return lookups.network(self.view, lookups.resolve(self.view, actor), depth,
                               FactFilter(**self._filters(filters)))

    def pipelines(self) -> list[dict[str, Any]]:
        return lookups.pipelines(self.view)

    def flows(self) -> list[dict[str, Any]]:
        return lookups.flows(self.view)

    def agreements(self) -> list[dict[str, Any]]:
        return lookups.agreements(self.view)

    # What only Python gives.

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The networkx projection: entities as nodes, one edge per fact and pair (keyed by
        fact id, with `relation` and `role`); read-only, shared with every call here."""
        return self.view.graph

    def sparql(self, query: str) -> pd.DataFrame:
        """A SELECT as a DataFrame (one column per variable; numbers as numbers, other
        terms as their value, unbound as None), with rckg's prefixes predeclared."""
        import pandas as pd

        result: QueryResult = self._query(self._prefixes + query)
        if result.kind != "select":
            raise ValueError(f"sparql() takes a SELECT query, not a {result.kind} query")
        return pd.DataFrame([{v: _value(row[v]) if v in row else None for v in result.variables}
                             for row in result.rows], columns=result.variables)

    def _filters(self, given: dict[str, Any]) -> dict[str, Any]:
        """The keyword filters checked as REST checks its parameters."""
        known = {f.name for f in dataclasses.fields(FactFilter)}
        unknown = sorted(set(given) - known)
        if unknown:
            raise TypeError(f"unknown filter {', '.join(unknown)}; use {', '.join(sorted(known))}")
        for name, allowed in (("attribution", lookups.ATTRIBUTIONS),
                              ("certainty", lookups.CERTAINTIES), ("plover", lookups.PLOVER)):
            if given.get(name) is not None and given[name] not in allowed:
                raise BadValue(name, given[name], list(allowed))
        checked = {**given, "since": _date("since", given.get("since")),
                   "until": _date("until", given.get("until"))}
        if checked.get("actor") is not None:
            checked["actor"] = lookups.resolve(self.view, checked["actor"])
        return checked


XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {f"{XSD}{t}" for t in ("integer", "long", "int", "short", "byte", "nonNegativeInteger",
                                  "positiveInteger", "negativeInteger", "nonPositiveInteger",
                                  "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}
REALS = {f"{XSD}{t}" for t in ("decimal", "double", "float")}


def _value(term: Term) -> Any:
    """A literal of a numeric XSD type as a number, anything else as its string value."""
    if term.kind == "literal" and term.datatype in INTEGERS:
        return int(term.value)
    if term.kind == "literal" and term.datatype in REALS:
        return float(term.value)
    return term.value
