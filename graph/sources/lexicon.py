"""The drafter's word lists (ontology/lexicon.yaml) and matching their terms against tokens.

Kept as data beside the ontology so that a curator who sees a missed predicate adds a word,
not code. Terms are matched on lower-case words (umlauts kept: "fördert" is not "fordert"):
a term matches a word that starts with it and adds at most three letters, so one entry
covers "verurteilt", "verurteilte", "verurteilten".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from graph.config import PROJECT_ROOT

LEXICON_FILE = PROJECT_ROOT / "ontology" / "lexicon.yaml"
_SLACK = 3  # letters a word may add to a term (inflection)


@dataclass(frozen=True)
class Predicate:
    relation: str
    plover: str | None
    symmetric: bool
    noun: bool  # a noun trigger ("Importe") rather than a verb ("importierte")
    words: tuple[str, ...]  # lower case


@dataclass(frozen=True)
class Lexicon:
    data: dict[str, Any]
    predicates: dict[str, tuple[Predicate, ...]]  # language → entries, longest terms first

    def words(self, *path: str) -> list[str]:
        """The list at `path` (e.g. "certainty", "hedged", "de"), empty when absent."""
        node: Any = self.data
        for key in path:
            node = node.get(key, {}) if isinstance(node, dict) else {}
        return [str(w) for w in node] if isinstance(node, list) else []


def matches(term: tuple[str, ...], words: list[str], at: int, slack: int = _SLACK) -> bool:
    """Whether the lower-case `words` from index `at` are the term (each word inflected at most
    `slack` letters beyond the term's; slack 0 means exact)."""
    if at + len(term) > len(words):
        return False
    return all(w == t or (slack and len(t) >= 4 and w.startswith(t) and len(w) - len(t) <= slack)
               for w, t in zip(words[at:at + len(term)], term, strict=False))


def head_noun(term: tuple[str, ...], word: str) -> bool:
    """Whether a German compound ends in the one-word noun term ("Ölimporte" ~ "Importe")."""
    return len(term) == 1 and len(term[0]) >= 5 and any(
        word.endswith(term[0] + tail) for tail in ("", "n", "s", "en")) and word != term[0]


def find_terms(terms: list[str], words: list[str], slack: int = _SLACK) -> list[tuple[int, int]]:
    """(first, last + 1) word indexes of every occurrence of any term, longest terms first."""
    found: list[tuple[int, int]] = []
    split = _split(tuple(terms))
    for at in range(len(words)):
        for term in split:
            if term and matches(term, words, at, slack):
                if not any(a <= at < b for a, b in found):
                    found.append((at, at + len(term)))
                break
    return found


@lru_cache(maxsize=512)
def _split(terms: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Terms as lower-case words, longest first (computed once per list)."""
    return sorted((tuple(t.casefold().split()) for t in terms), key=len, reverse=True)


@lru_cache(maxsize=4)
def load(path: Path = LEXICON_FILE) -> Lexicon:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    predicates: dict[str, list[Predicate]] = {}
    for relation, entry in data["predicates"].items():
        for language in ("de", "en"):
            for kind in ("verbs", "nouns"):
                for term in entry.get(language, {}).get(kind, []):
                    predicates.setdefault(language, []).append(Predicate(
                        relation, entry.get("plover"), bool(entry.get("symmetric")),
                        kind == "nouns", tuple(term.casefold().split())))
    ordered = {lang: tuple(sorted(items, key=lambda p: -len(p.words)))
               for lang, items in predicates.items()}
    return Lexicon(data, ordered)
