"""Words as news text inflects them, compared forgivingly: case- and accent-folding and the
stripping of common endings (German genitive -s/-es, English possessive 's, Russian case
endings). Search and drafting both match names this way."""

from __future__ import annotations

import re
import unicodedata

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


def same_word(a: str, b: str) -> bool:
    """Whether two folded words are forms of one word ("russlands" ~ "russland")."""
    return bool(stems(a) & stems(b))
