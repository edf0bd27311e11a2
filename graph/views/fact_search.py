"""Facts for a reader rather than a graph: every fact naming an actor (those without a
counterpart too), facts whose quote or translation holds some words, and where each quote
sits in its sentence and whose words are whose inside it.

The explorer needs these because an edge shows only the facts that have two ends, and a quote
can carry another voice: the joint declaration's "root causes" with the author's gloss
"sprich: die NATO-Ostexpansion" inside it, which the graph records as a fact of its own.
"""

from __future__ import annotations

import re
from typing import Any

from graph.sources import sentences
from graph.sources.words import fold
from graph.views.projection import Fact, Projection

MAX_FOUND = 200  # facts one text search returns at most


def facts_about(projection: Projection, slug: str) -> list[Fact]:
    """Every fact that names `slug` in any role, in text order."""
    return [f for f in projection.facts.values() if any(slug in s for s in f.roles.values())]


def _haystack(projection: Projection, fact: Fact) -> str:
    index: dict[str, str] = projection.cache.setdefault("fact-search-index", {})
    found = index.get(fact.id)
    if found is None:
        parts = [fact.quote, fact.translation or "", *(q.stated_text for q in fact.quantities)]
        found = index[fact.id] = fold(" ".join(parts))
    return found


def search_facts(projection: Projection, query: str) -> list[Fact]:
    """Facts whose quote, translation or stated quantities hold every word of `query`
    (case and accents ignored, a word may sit inside a longer one: "Erdgas" finds
    "Erdgasverbrauchs"), in text order."""
    words = [w for w in re.findall(r"\w+", fold(query)) if w]
    if not words:
        return []
    found = [f for f in projection.facts.values()
             if all(w in _haystack(projection, f) for w in words)]
    return found[:MAX_FOUND]


def _by_source(projection: Projection) -> dict[str, list[Fact]]:
    index: dict[str, list[Fact]] | None = projection.cache.get("facts-by-source")
    if index is None:
        index = {}
        for fact in projection.facts.values():
            index.setdefault(fact.source, []).append(fact)
        projection.cache["facts-by-source"] = index
    return index


def voices(projection: Projection, fact: Fact) -> list[dict[str, Any]]:
    """The other facts of the same source whose quote lies inside this one's and who speaks
    differently (another attribution): offsets relative to the quote, and whose they are."""
    inner = []
    for other in _by_source(projection).get(fact.source, []):
        if other.id == fact.id:
            continue
        if fact.start <= other.start and other.end <= fact.end \
                and (other.start, other.end) != (fact.start, fact.end) \
                and other.attribution != fact.attribution:
            inner.append({"start": other.start - fact.start, "end": other.end - fact.start,
                          "attribution": other.attribution, "fact": other.id})
    return sorted(inner, key=lambda v: (v["start"], v["end"]))


def sentence_of(text: str, split: list[sentences.Sentence], start: int,
                end: int) -> dict[str, Any] | None:
    """The sentence (or run of sentences) of `text` that holds [start, end), with its offset;
    `split` is `sentences.split(text)`, computed once per source."""
    found = [s for s in split if s.start < end and start < s.end]
    if not found:
        return None
    first, last = found[0].start, found[-1].end
    return {"text": text[first:last], "start": first}
