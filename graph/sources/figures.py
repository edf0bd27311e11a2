"""Figures and periods as a sentence states them, read for a drafted fact.

A quantity keeps its value as written (the checks compare it with the text) and says the rest
beside it: the unit (QUDT codes; currencies by ISO 4217), whether "mehr als"/"more than" makes
it a lower bound, "rund"/"about" an approximation, and "gesunken"/"fell" the direction of a
change. Periods carry their precision: a day, a month, a quarter, a year.
"""

from __future__ import annotations

import calendar
import re
from decimal import Decimal
from typing import Any

from graph.sources.lexicon import Lexicon, find_terms
from graph.sources.numbers import parse_number

_SCALE = (r"(?P<scale>Milliarden|Millionen|Mrd\.|Mio\.|Mrd|Mio|Tausend|billion|million|thousand"
          r"|bn|mn)")
_UNIT = (r"(?P<unit>Kubikmeter|Prozent|cubic met(?:re|er)s|per ?cent|%|Tonnen|tonnes|tons|Barrel"
         r"|barrels|US-Dollar|Dollar|dollars|Euro|euros|Yuan|yuan|Renminbi|Rubel|roubles|rubles)")
_PER_YEAR = r"(?P<year>\s+(?:im Jahr|pro Jahr|jährlich|per year|a year|annually))?"
_NUMBERS = {"de": r"\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?", "en": r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"}
NUMBER = {
    lang: re.compile(r"(?P<sign>[$€])?(?<![\w.,/-])(?P<n>" + pattern + r")(?:\s+" + _SCALE
                     + r")?(?:\s*" + _UNIT + _PER_YEAR + r")?(?![\w])", re.I)
    for lang, pattern in _NUMBERS.items()
}
_UNITS = [("kubik", "M3"), ("cubic", "M3"), ("prozent", "PERCENT"), ("cent", "PERCENT"),
          ("%", "PERCENT"), ("tonne", "TONNE"), ("ton", "TONNE"), ("barrel", "BBL"),
          ("dollar", "USD"), ("$", "USD"), ("euro", "EUR"), ("€", "EUR"), ("yuan", "CNY"),
          ("renminbi", "CNY"), ("rubel", "RUB"), ("rouble", "RUB"), ("ruble", "RUB")]
ROLES = {"M3": "volume", "M3-PER-YR": "volume", "TONNE": "volume", "BBL": "volume",
         "USD": "volume", "EUR": "volume", "CNY": "volume", "RUB": "volume"}

_MONTHS = {"januar": 1, "january": 1, "februar": 2, "february": 2, "märz": 3, "march": 3,
           "april": 4, "mai": 5, "may": 5, "juni": 6, "june": 6, "juli": 7, "july": 7,
           "august": 8, "september": 9, "oktober": 10, "october": 10, "november": 11,
           "dezember": 12, "december": 12}
_MONTH = r"(?P<m>" + "|".join(m.capitalize() for m in _MONTHS) + r")"
_WEEKDAY = (r"(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|Monday|Tuesday"
            r"|Wednesday|Thursday|Friday|Saturday|Sunday)")
_QUARTERS = {"ersten": 1, "zweiten": 2, "dritten": 3, "vierten": 4, "first": 1, "second": 2,
             "third": 3, "fourth": 4}
QUARTER_END = {1: "03-31", 2: "06-30", 3: "09-30", 4: "12-31"}
PERIODS = [  # (pattern, precision); the first pattern that matches a span wins
    (re.compile(r"(?:am )?(?P<d>\d{1,2})\. " + _MONTH + r" (?P<y>\d{4})"), "day"),
    (re.compile(r"(?:on )?(?P<d>\d{1,2}) " + _MONTH + r" (?P<y>\d{4})"), "day"),
    (re.compile(r"(?:on )?" + _MONTH + r" (?P<d>\d{1,2}),? (?P<y>\d{4})"), "day"),
    (re.compile(r"(?:im |in |seit |since )?" + _MONTH + r" (?P<y>\d{4})"), "month"),
    (re.compile(r"(?:im )?(?P<q>ersten|zweiten|dritten|vierten) Quartal (?P<y>\d{4})"),
     "quarter"),
    (re.compile(r"(?:in the )?(?P<q>first|second|third|fourth) quarter of (?P<y>\d{4})"),
     "quarter"),
    (re.compile(r"(?:bis )?(?:Ende|end of) (?P<y>\d{4})"), "year-end"),
    (re.compile(r"(?:im )?(?:Studienjahr|academic year) (?P<y>\d{4})/(?P<y2>\d{2})"),
     "academic-year"),
    (re.compile(r"(?P<y>\d{4})/(?P<y2>\d{2})"), "year-range"),
    (re.compile(r"(?:im Jahr |in )?(?P<y>(?:19|20)\d{2})\b"), "year"),
    (re.compile(r"(?:am |on )" + _WEEKDAY), "weekday"),
    (re.compile(r"(?:im vergangenen Jahr|im Vorjahr|last year|this year|in diesem Jahr)"),
     "relative"),
]


def unit_of(match: re.Match[str]) -> str:
    unit = (match.group("unit") or match.group("sign") or "").casefold()
    code = next((c for word, c in _UNITS if word in unit), "NUM")
    return "M3-PER-YR" if code == "M3" and match.group("year") else code


def find_numbers(sentence: str, language: str, periods: list[tuple[int, int]],
                 lexicon: Lexicon | None = None) -> list[dict[str, Any]]:
    """Quantities stated in a sentence (years that are periods are not quantities)."""
    found = []
    for match in NUMBER.get(language, NUMBER["en"]).finditer(sentence):
        if any(a <= match.start("n") < b for a, b in periods):
            continue
        try:
            value = parse_number(match.group("n"), language)
        except ValueError:
            continue
        unit = unit_of(match)
        if unit == "NUM" and not match.group("scale") and value < 10:
            continue  # "Power of Siberia 2", "Kapitel 3": a name or a rank, not a figure
        text = match.group()[len(match.group("sign") or ""):].strip()
        quantity: dict[str, Any] = {"role": ROLES.get(unit, "count"), "text": text,
                                    "value": _plain(value), "unit": unit}
        if lexicon is not None:
            quantity.update(_qualifiers(sentence, match, language, unit, lexicon))
        found.append(quantity)
    return found


def _qualifiers(sentence: str, match: re.Match[str], language: str, unit: str,
                lexicon: Lexicon) -> dict[str, Any]:
    """Bound, approximation and direction of one figure, from the words around it."""
    before = re.findall(r"\w+", sentence[:match.start()].casefold())[-3:]
    after = re.findall(r"\w+", sentence[match.end():].casefold())[:4]
    found: dict[str, Any] = {}
    for bound in ("lower", "upper"):
        if _ends_with(before, lexicon.words("bounds", bound, language)):
            found["bound"] = bound
            break
    if _ends_with(before, lexicon.words("certainty", "approximate", language)):
        found["approximate"] = True
    by = before[-1:] in (["um"], ["by"])
    if by:  # "steigerte … seine Ölimporte um 30 Prozent": the verb may stand far before
        before = re.findall(r"\w+", sentence[:match.start()].casefold())
    changed = unit == "PERCENT" and (by or bool(
        find_terms(lexicon.words("directions", "decrease", language)
                   + lexicon.words("directions", "increase", language), before + after, 0)))
    if changed:
        found["role"] = "change"
        for direction in ("decrease", "increase"):
            if find_terms(lexicon.words("directions", direction, language), before + after, 0):
                found["direction"] = direction
                break
    return found


def _ends_with(words: list[str], terms: list[str]) -> bool:
    """Whether `words` end with one of the terms (the words right before a number)."""
    for term in terms:
        parts = term.casefold().split()
        if parts and words[-len(parts):] == parts:
            return True
    return False


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def find_period(sentence: str) -> tuple[dict[str, str] | None, list[tuple[int, int]]]:
    """The first period a sentence states, as a fact-sheet time, and the spans of all periods."""
    found: list[tuple[int, dict[str, str]]] = []
    spans: list[tuple[int, int]] = []
    for pattern, precision in PERIODS:
        for match in pattern.finditer(sentence):
            if not any(a < match.end() and match.start() < b for a, b in spans):
                spans.append(match.span())
                found.append((match.start(), _interval(match, precision)))
    return (min(found, key=lambda item: item[0])[1] if found else None), spans


def _interval(match: re.Match[str], precision: str) -> dict[str, str]:
    time = {"text": match.group(), "precision": precision}
    if precision in ("weekday", "relative"):
        return time  # the text gives no date
    year = int(match.group("y"))
    if precision == "day":
        day = f"{year}-{_MONTHS[match.group('m').lower()]:02d}-{int(match.group('d')):02d}"
        time.update(start=day, end=day)
    elif precision == "month":
        month = _MONTHS[match.group("m").lower()]
        last = calendar.monthrange(year, month)[1]
        time.update(start=f"{year}-{month:02d}-01", end=f"{year}-{month:02d}-{last:02d}")
    elif precision == "quarter":
        quarter = _QUARTERS[match.group("q").lower()]
        time.update(start=f"{year}-{3 * quarter - 2:02d}-01", end=f"{year}-{QUARTER_END[quarter]}")
    elif precision == "year-end":
        time.update(end=f"{year}-12-31")
    elif precision == "academic-year":
        time.update(start=f"{year}-09-01", end=f"{year + 1}-08-31")
    elif precision == "year-range":
        last_year = int(str(year)[:2] + match.group("y2"))
        time.update(start=f"{year}-01-01", end=f"{last_year}-12-31")
    else:
        time.update(start=f"{year}-01-01", end=f"{year}-12-31")
    return time
