"""Where sources agree and where they conflict, so neither claim overwrites the other.

Two facts from different sources are about the same thing when they share relation, subjects,
and objects or topics (`object` and `about`), and their periods meet (overlapping dates, or
both undated). Then, quantity by quantity of the same role: equal values corroborate, different
values conflict ("about 20 documents" against "about 40"). Facts without quantities that are
about the same thing corroborate each other. Both claims stay in their own source graphs; the
links between them live in a graph of their own.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from graph.sources.numbers import first_number
from graph.sources.seeds import Corpus, Fact, Quantity, Source

Key = tuple[str, frozenset[str], frozenset[str]]


@dataclass(frozen=True)
class Link:
    kind: str  # "corroborates" or "conflictsWith"
    first: tuple[str, str]  # (source slug, fact id)
    second: tuple[str, str]


def normalised(quantity: Quantity, language: str) -> Decimal:
    """The stated value times the scale its text states ("49 Milliarden" → 4.9e10)."""
    stated = first_number(quantity.text, language)
    return Decimal(str(quantity.value)) * (stated.scale if stated else Decimal(1))


def _key(fact: Fact) -> Key:
    return (str(fact.get("relation")), frozenset(fact.entities.get("subject", [])),
            frozenset(fact.entities.get("object", []) + fact.entities.get("about", [])))


def _span(fact: Fact) -> tuple[dt.date, dt.date] | None:
    if fact.time is None or (fact.time.start is None and fact.time.end is None):
        return None
    return fact.time.start or dt.date.min, fact.time.end or dt.date.max


def _same_period(a: Fact, b: Fact) -> bool:
    first, second = _span(a), _span(b)
    if first is None or second is None:
        return first is None and second is None
    return first[0] <= second[1] and second[0] <= first[1]


def _compare(a: Fact, a_source: Source, b: Fact, b_source: Source) -> str | None:
    values_a = {q.role: normalised(q, a_source.language) for q in a.quantities}
    values_b = {q.role: normalised(q, b_source.language) for q in b.quantities}
    shared = set(values_a) & set(values_b)
    if not shared:
        return "corroborates" if not values_a and not values_b else None
    if any(values_a[r] != values_b[r] for r in shared):
        return "conflictsWith"
    return "corroborates"


def links(corpus: Corpus) -> Iterator[Link]:
    """Every corroboration and conflict between facts of different sources."""
    groups: dict[Key, list[tuple[Source, Fact]]] = defaultdict(list)
    for source in corpus.sources:
        for fact in source.facts:
            groups[_key(fact)].append((source, fact))
    for members in groups.values():
        for i, (a_source, a) in enumerate(members):
            for b_source, b in members[i + 1:]:
                if a_source is b_source or not _same_period(a, b):
                    continue
                kind = _compare(a, a_source, b, b_source)
                if kind:
                    yield Link(kind, (a_source.slug, a.id), (b_source.slug, b.id))
