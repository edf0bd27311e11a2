"""Numbers as a text states them ("56.000", "49 Milliarden", "1,5 Mio.") read as values.

The check that a fact's figure equals the article's figure rests on this, so it reads the
text's own notation: German uses "." for thousands and "," for decimals, English the reverse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Scale words by language: a German "Billion" is 10^12, an English "billion" 10^9.
_SCALES: dict[str, dict[str, Decimal]] = {
    "de": {"tausend": Decimal(10) ** 3, "mio": Decimal(10) ** 6, "million": Decimal(10) ** 6,
           "millionen": Decimal(10) ** 6, "mrd": Decimal(10) ** 9, "milliarde": Decimal(10) ** 9,
           "milliarden": Decimal(10) ** 9, "billion": Decimal(10) ** 12,
           "billionen": Decimal(10) ** 12},
    "en": {"thousand": Decimal(10) ** 3, "million": Decimal(10) ** 6,
           "millions": Decimal(10) ** 6, "mn": Decimal(10) ** 6, "billion": Decimal(10) ** 9,
           "billions": Decimal(10) ** 9, "bn": Decimal(10) ** 9, "trillion": Decimal(10) ** 12},
}

_NUMBER = re.compile(r"\d[\d.,\u00a0\u202f]*\d|\d")


@dataclass(frozen=True)
class StatedNumber:
    """The first number of a text: its value as written, and the scale word after it."""

    value: Decimal
    scale: Decimal

    @property
    def scaled(self) -> Decimal:
        return self.value * self.scale


def parse_number(token: str, language: str) -> Decimal:
    """Read one number token in the notation of `language` ("de" or "en")."""
    token = token.replace("\u00a0", "").replace("\u202f", "")
    thousands, decimal = (".", ",") if language == "de" else (",", ".")
    groups = token.split(thousands)
    if len(groups) > 1 and not all(len(g.split(decimal)[0]) == 3 for g in groups[1:]):
        raise ValueError(f"{token!r} is not a number in {language} notation")
    try:
        return Decimal(token.replace(thousands, "").replace(decimal, "."))
    except InvalidOperation as exc:
        raise ValueError(f"{token!r} is not a number") from exc


def first_number(text: str, language: str) -> StatedNumber | None:
    """Find the first number in `text` and the scale word that follows it, if any."""
    match = _NUMBER.search(text)
    if match is None:
        return None
    token = match.group().rstrip(".,")
    value = parse_number(token, language)
    rest = text[match.start() + len(token):].split()
    word = rest[0].lower().strip(".,;:!?()»«\"'") if rest else ""
    scale = _SCALES.get(language, _SCALES["en"]).get(word, Decimal(1))
    return StatedNumber(value, scale)


def years_in(text: str) -> set[int]:
    """Four-digit years in a text, with "2024/25" read as 2024 and 2025."""
    years: set[int] = set()
    for match in re.finditer(r"\b(\d{4})(?:\s*[/–-]\s*(\d{2,4}))?\b", text):
        first = int(match.group(1))
        years.add(first)
        if match.group(2):
            tail = match.group(2)
            years.add(int(str(first)[: 4 - len(tail)] + tail))
    return years
