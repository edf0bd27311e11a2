"""Finding entities by name in any of the four languages, forgiving case, accents and the
inflected forms news text uses ("Russlands", "Chinas", "России", "Китая", "Russia's").

Inflections are handled by stripping common endings from both the query and the labels
(German genitive -s/-es, English possessive 's, Russian case endings), never by adding
inflected forms to the labels themselves.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from graph.views.projection import Entity, Projection

# Endings stripped (longest first) before comparing stems; a stem keeps at least 3 letters.
ENDINGS = sorted(
    ["'s", "’s", "s", "es", "ns", "en", "n", "e", "er", "em",  # German and English
     "а", "я", "у", "ю", "ом", "ем", "ём", "ой", "ей", "ою", "ею", "е", "и", "ы", "й",
     "ия", "ии", "ию", "ий", "ая", "ое", "ые", "ых", "ым", "ов", "ев", "ам", "ям", "ах", "ях"],
    key=len, reverse=True,
)


def fold(text: str) -> str:
    """Case- and accent-insensitive form: 'Peking' ~ 'peking', 'Élysée' ~ 'elysee'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stems(word: str) -> set[str]:
    """The word and every form of it with one known ending removed (stems keep 3 letters)."""
    cut = {word[: -len(e)] for e in ENDINGS if word.endswith(e) and len(word) - len(e) >= 3}
    return {word} | cut


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+(?:['’]s)?", fold(text))


@dataclass(frozen=True)
class Match:
    entity: Entity
    score: int  # 4 exact, 3 same words but inflected, 2 label starts with query, 1 words found
    label: str


def same_word(a: str, b: str) -> bool:
    """Whether two folded words are forms of one word ("russlands" ~ "russland")."""
    return bool(stems(a) & stems(b))


@dataclass(frozen=True)
class _Name:
    """One label or alias, folded and stemmed once per projection (not per request)."""

    entity: Entity
    label: str
    folded: str
    words: tuple[str, ...]
    stems: tuple[frozenset[str], ...]


def _index(projection: Projection) -> list[_Name]:
    cached = projection.cache.get("search-index")
    if cached is None:
        cached = []
        for entity in projection.entities.values():
            for label in [*entity.labels.values(), *(a for v in entity.aliases.values()
                                                     for a in v)]:
                words = tuple(tokens(label))
                cached.append(_Name(entity, label, " ".join(words), words,
                                    tuple(frozenset(stems(w)) for w in words)))
        projection.cache["search-index"] = cached
    return cached


def _score(query: str, wanted: list[frozenset[str]], name: _Name) -> int:
    if name.folded == query:
        return 4
    if len(name.words) == len(wanted) and all(a & b for a, b in zip(name.stems, wanted,
                                                                    strict=True)):
        return 3
    if name.folded.startswith(query) and len(query) >= 2:
        return 2
    raw = query.split()
    if all(any(w & s or (len(r) >= 4 and t.startswith(r))
               for s, t in zip(name.stems, name.words, strict=True))
           for w, r in zip(wanted, raw, strict=True)):
        return 1
    return 0


def search(projection: Projection, query: str, kind: str | None = None) -> list[Match]:
    """Entities whose labels or aliases match `query`, best first, then by English label."""
    folded = " ".join(tokens(query))
    if not folded:
        return []
    wanted = [frozenset(stems(w)) for w in folded.split()]
    best: dict[str, Match] = {}
    for name in _index(projection):
        if kind and name.entity.type != kind:
            continue
        score = _score(folded, wanted, name)
        known = best.get(name.entity.slug)
        if score and (known is None or score > known.score):
            best[name.entity.slug] = Match(name.entity, score, name.label)
    return sorted(best.values(),
                  key=lambda m: (-m.score, m.entity.labels.get("en", m.entity.slug)))
