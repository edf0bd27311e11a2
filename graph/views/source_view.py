"""A source as its second reader checks it: the text cut where quotes begin and end, the
sentences that carry no fact, and the facts in text order.

The layout works on plain offsets, so the server (facts from the store) and the command line
(facts, drafts included, from the fact sheets) show a source the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from graph.sources import sentences
from graph.sources.sentences import Sentence
from graph.views.projection import Fact, Projection, Source


@dataclass(frozen=True)
class Quoted:
    """One fact's quote: where it stands in the text."""

    fact: str
    start: int
    end: int


@dataclass(frozen=True)
class Segment:
    """A stretch of text inside the same quotes (`facts`, innermost first); `ends` are the
    facts whose quote ends with it; `nofact` is set inside a sentence no quote touches."""

    start: int
    end: int
    facts: tuple[str, ...]
    ends: tuple[str, ...]
    nofact: bool


def metadata_lines(text: str, author: str | None, url: str | None) -> list[str]:
    """Paragraphs that are metadata, not sentences: the URL line and the byline (the author's
    name after at most one word, "Von Jörg Kronauer")."""
    found = [url, f"<{url}>"] if url else []
    for paragraph in re.split(r"\n\s*\n", text):
        words = paragraph.strip()
        if author and words.endswith(author) and len(words[:-len(author)].split()) <= 1:
            found.append(words)
    return found


def sentences_of(text: str, author: str | None, url: str | None) -> list[Sentence]:
    return sentences.split(text, metadata_lines(text, author, url))


def layout(text: str, quotes: list[Quoted], uncovered: list[Sentence]) -> list[Segment]:
    """`text` cut at every quote's start and end and at every uncovered sentence's bounds."""
    cuts = {0, len(text)}
    for q in quotes:
        cuts.update((q.start, q.end))
    for s in uncovered:
        cuts.update((s.start, s.end))
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    segments = []
    for a, b in pairwise(bounds):
        inside = sorted((q for q in quotes if q.start <= a and b <= q.end),
                        key=lambda q: (q.end - q.start, q.start, q.fact))
        segments.append(Segment(
            a, b, tuple(q.fact for q in inside),
            tuple(q.fact for q in quotes if q.end == b and q.start < b),
            any(s.start <= a and b <= s.end for s in uncovered)))
    return segments


def describe(subjects: list[str], relation: str, objects: list[str],
             others: dict[str, list[str]]) -> str:
    """A fact in words from its labels: "Russia supplies to China (via: Power of Siberia 1)"."""
    words = " ".join(p for p in (" and ".join(subjects), relation, " and ".join(objects)) if p)
    extra = "; ".join(f"{role}: {', '.join(names)}" for role, names in others.items() if names)
    return f"{words} ({extra})" if extra else words


def fact_words(view: Projection, fact: Fact) -> str:
    def names(role: str) -> list[str]:
        return [view.entities[s].labels.get("en", s) for s in fact.roles.get(role, [])
                if s in view.entities]

    relation = view.relations.get(fact.relation, {}).get("en", fact.relation)
    return describe(names("subject"), relation, names("object"),
                    {role: names(role) for role in fact.roles if role not in ("subject", "object")})


def _facts_of(view: Projection, slug: str) -> list[Fact]:
    return [f for f in view.facts.values() if f.source == slug]  # in text order


def coverage(source: Source, facts: list[Fact]) -> tuple[list[Sentence], list[Sentence]]:
    """The source's sentences and those no fact's quote touches."""
    found = sentences_of(source.text, source.author, source.url)
    spans = [span for f in facts for span in [(f.start, f.end), *f.extra_spans]]
    return found, sentences.uncovered(found, spans)


def summary(view: Projection, source: Source) -> dict[str, Any]:
    """What REST says of a source: metadata, fact count and sentence coverage (worked out
    once per graph version: the list of sources would otherwise split every text again)."""
    cache: dict[str, dict[str, Any]] = view.cache.setdefault("source_summaries", {})
    if source.slug not in cache:
        cache[source.slug] = _summary(view, source)
    return cache[source.slug]


def _summary(view: Projection, source: Source) -> dict[str, Any]:
    facts = _facts_of(view, source.slug)
    found, missing = coverage(source, facts)
    return {
        "id": source.slug, "iri": source.iri, "title": source.title,
        "subtitle": source.subtitle, "author": source.author, "publisher": source.publisher,
        "date": source.date, "url": source.url, "language": source.language,
        "facts": len(facts), "characters": len(source.text),
        "coverage": {"sentences": len(found), "with_facts": len(found) - len(missing),
                     "ratio": round((len(found) - len(missing)) / len(found), 4) if found
                     else None},
    }


def reading(view: Projection, source: Source) -> dict[str, Any]:
    """Everything the source page shows: the summary, the facts in text order and the text's
    segments (the sentences without a fact among them)."""
    facts = _facts_of(view, source.slug)
    _, missing = coverage(source, facts)
    quotes = [Quoted(f.id, start, end) for f in facts
              for start, end in [(f.start, f.end), *f.extra_spans]]
    return {
        **summary(view, source),
        "margin": [{"number": n, "fact": f, "words": fact_words(view, f)}
                   for n, f in enumerate(facts, start=1)],
        "segments": layout(source.text, quotes, missing),
    }
