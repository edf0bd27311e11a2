"""`rckg add`: a new source into seeds/, with a drafted fact sheet a person then reviews.

The draft does the tedious part — one candidate fact per sentence that names a known entity
or a figure, with the verbatim quote, the entities found (through the labels and aliases of
the graph in four languages, inflected forms included), and numbers, units and periods read
from the text. It cannot know the relation: every draft carries `relation: relatedTo` and
`draft: true`, and none enters the graph until a person fixes it and removes that flag (by
hand or with `rckg review`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from graph.sources.words import same_word, tokens

from graph.sources.numbers import parse_number
from graph.sources.seeds import FACTS_SUFFIX, META_SUFFIX, Entity
from graph.sources.sentences import split

HEADER_KEYS = ("title", "subtitle", "author", "publisher", "date", "language", "url")

_SCALE = r"(?P<scale>Milliarden|Millionen|Mrd\.?|Mio\.?|Tausend|billion|million|thousand|bn)"
_UNIT = (r"(?P<unit>Kubikmeter|Prozent|cubic met(?:re|er)s|per ?cent|%|Tonnen|tonnes|Barrel"
         r"|barrels|Dollar|dollars|Euro|euros)")
_PER_YEAR = r"(?P<year>\s+(?:im Jahr|pro Jahr|jährlich|per year|a year|annually))?"
NUMBER = {
    "de": re.compile(r"(?<![\w.,/-])(?P<n>\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?)(?:\s+" + _SCALE
                     + r")?(?:\s*" + _UNIT + _PER_YEAR + r")?(?![\w])", re.I),
    "en": re.compile(r"(?<![\w.,/-])(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+" + _SCALE
                     + r")?(?:\s*" + _UNIT + _PER_YEAR + r")?(?![\w])", re.I),
}
_QUARTERS = {"ersten": 1, "zweiten": 2, "dritten": 3, "vierten": 4, "first": 1, "second": 2,
             "third": 3, "fourth": 4}
ROLES = {"M3": "volume", "M3-PER-YR": "volume", "PERCENT": "change", "TONNE": "volume",
         "BBL": "volume"}  # the role a drafted quantity most likely has, by unit
QUARTER_END = {1: "03-31", 2: "06-30", 3: "09-30", 4: "12-31"}
PERIODS = [  # (pattern, precision); the first pattern that matches a span wins
    (re.compile(r"(?:im )?(?P<q>ersten|zweiten|dritten|vierten) Quartal (?P<y>\d{4})"),
     "quarter"),
    (re.compile(r"(?:in the )?(?P<q>first|second|third|fourth) quarter of (?P<y>\d{4})"),
     "quarter"),
    (re.compile(r"(?:bis )?(?:Ende|end of) (?P<y>\d{4})"), "year-end"),
    (re.compile(r"(?:im )?(?:Studienjahr|academic year) (?P<y>\d{4})/(?P<y2>\d{2})"),
     "academic-year"),
    (re.compile(r"(?P<y>\d{4})/(?P<y2>\d{2})"), "year-range"),
    (re.compile(r"(?:im Jahr |in )?(?P<y>(?:19|20)\d{2})\b"), "year"),
]
APPROXIMATE = re.compile(r"\b(rund|etwa|ungefähr|zeitweise|about|around|approximately|some)\b",
                         re.I)
PLANNED = re.compile(r"\b(soll|sollen|will|wollen|geplant|plant|plans?|planned|intends?|"
                     r"would)\b", re.I)
HEDGED = re.compile(r"\b(dürfte|könnte|vermutlich|may|might|likely)\b", re.I)


@dataclass
class Draft:
    quote: str
    entities: list[str] = field(default_factory=list)
    quantities: list[dict[str, Any]] = field(default_factory=list)
    time: dict[str, str] | None = None


def split_header(text: str) -> tuple[dict[str, str], str]:
    """The `Key: value` header block (if any) and the body after its blank line."""
    lines = text.lstrip("\ufeff").split("\n")
    meta: dict[str, str] = {}
    for index, line in enumerate(lines):
        if not line.strip():
            return (meta, "\n".join(lines[index + 1:])) if meta else ({}, text)
        key, sep, value = line.partition(":")
        if not sep or key.strip().lower() not in HEADER_KEYS:
            return {}, text
        meta[key.strip().lower()] = value.strip()
    return {}, text


class Gazetteer:
    """Entity names in four languages, matched word by word with inflections tolerated."""

    def __init__(self, entities: dict[str, Entity]) -> None:
        names: list[tuple[list[str], str]] = []
        for entity in entities.values():
            for name in [*entity.labels.values(), *(a for v in entity.aliases.values()
                                                    for a in v)]:
                words = tokens(name)
                if words and (len(words) > 1 or len(words[0]) >= 2):
                    names.append((words, entity.slug))
        self.names = sorted(names, key=lambda n: -len(n[0]))  # longest names first

    def find(self, sentence: str) -> list[str]:
        """Slugs of the entities a sentence names, in order, each once."""
        words = tokens(sentence)
        taken = [False] * len(words)
        found: list[tuple[int, str]] = []
        for name, slug in self.names:
            for start in range(len(words) - len(name) + 1):
                span = range(start, start + len(name))
                if any(taken[i] for i in span):
                    continue
                if all(same_word(words[start + i], part) for i, part in enumerate(name)):
                    found.append((start, slug))
                    for i in span:
                        taken[i] = True
        ordered = [slug for _, slug in sorted(found)]
        return list(dict.fromkeys(ordered))


def _unit(match: re.Match[str]) -> str:
    unit = (match.group("unit") or "").lower()
    if "kubik" in unit or "cubic" in unit:
        return "M3-PER-YR" if match.group("year") else "M3"
    if "prozent" in unit or "cent" in unit or unit == "%":
        return "PERCENT"
    if "tonne" in unit:
        return "TONNE"
    if "barrel" in unit:
        return "BBL"
    if "dollar" in unit:
        return "USD"
    if "euro" in unit:
        return "EUR"
    return "NUM"


def find_numbers(sentence: str, language: str, periods: list[tuple[int, int]]) -> list[dict]:
    """Quantities stated in a sentence (years that are periods are not quantities)."""
    found = []
    for match in NUMBER.get(language, NUMBER["en"]).finditer(sentence):
        if any(a <= match.start() < b for a, b in periods):
            continue
        try:
            value = parse_number(match.group("n"), language)
        except ValueError:
            continue
        unit = _unit(match)
        if unit == "NUM" and not match.group("scale") and value < 10:
            continue  # "Power of Siberia 2", "Kapitel 3": a name or a rank, not a figure
        found.append({"role": ROLES.get(unit, "count"), "text": match.group().strip(),
                      "value": _plain(value), "unit": unit})
    return found


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
    year = int(match.group("y"))
    time = {"text": match.group(), "precision": precision}
    if precision == "quarter":
        quarter = _QUARTERS[match.group("q").lower()]
        time.update(start=f"{year}-{3 * quarter - 2:02d}-01", end=f"{year}-{QUARTER_END[quarter]}")
    elif precision == "year-end":
        time.update(end=f"{year}-12-31")
    elif precision == "academic-year":
        time.update(start=f"{year}-09-01", end=f"{year + 1}-08-31")
    elif precision == "year-range":
        last = int(str(year)[:2] + match.group("y2"))
        time.update(start=f"{year}-01-01", end=f"{last}-12-31")
    else:
        time.update(start=f"{year}-01-01", end=f"{year}-12-31")
    return time


def draft(text: str, language: str, gazetteer: Gazetteer) -> list[Draft]:
    """One draft per sentence that names a known entity or states a figure."""
    drafts = []
    for sentence in split(text):
        time, spans = find_period(sentence.text)
        found = Draft(sentence.text, gazetteer.find(sentence.text),
                      find_numbers(sentence.text, language, spans), time)
        if found.entities or found.quantities or found.time:
            drafts.append(found)
    return drafts


def _certainty(quote: str) -> str:
    for pattern, name in ((HEDGED, "hedged"), (PLANNED, "planned"),
                          (APPROXIMATE, "approximate")):
        if pattern.search(quote):
            return name
    return "plain"


def sheet(stem: str, drafts: list[Draft]) -> str:
    """The drafted fact sheet as YAML, every fact marked `draft: true`."""
    facts = []
    for number, found in enumerate(drafts, start=1):
        fact: dict[str, Any] = {"id": f"draft-{number:03d}", "draft": True,
                                "relation": "relatedTo"}
        if found.entities:
            fact["subject"] = found.entities[0]
        if len(found.entities) > 1:
            fact["object"] = found.entities[1:] if len(found.entities) > 2 else found.entities[1]
        if found.time:
            fact["time"] = found.time
        if found.quantities:
            fact["quantities"] = found.quantities
        fact.update(attribution="reported", certainty=_certainty(found.quote),
                    quote=found.quote)
        facts.append(fact)
    head = (f"# Drafted fact sheet of {stem}.txt. Each fact is a draft (draft: true): choose its\n"
            f"# relation, check subject, object, figures and time, then remove `draft: true`\n"
            f"# (or run `rckg review {stem} ID`) so that it enters the graph.\n")
    body = yaml.safe_dump({"source": stem, "facts": facts}, allow_unicode=True,
                          sort_keys=False, width=100)
    return head + body


def add(path: Path, seeds: Path, entities: dict[str, Entity],
        overrides: dict[str, str]) -> tuple[str, list[Draft]]:
    """Copy the source at `path` into `seeds` with its metadata and drafted fact sheet."""
    header, body = split_header(path.read_text(encoding="utf-8"))
    meta = {**header, **{k: v for k, v in overrides.items() if v}}
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
    if any(p.name.endswith(f"_{digest}.txt") for p in seeds.glob("*.txt")):
        raise FileExistsError(f"{path}: this text is already in {seeds}")
    index = len(list(seeds.glob("[0-9][0-9][0-9]_*.txt")))
    stem = f"{index:03d}_{digest}"
    language = meta.get("language") or "en"
    slug = meta.get("slug") or _slug(meta.get("publisher", ""), meta.get("title", stem))
    record = {"slug": slug, **{k: meta.get(k) for k in HEADER_KEYS}, "byline": None}
    record["language"] = language
    drafts = draft(body, language, Gazetteer(entities))
    (seeds / f"{stem}.txt").write_text(body, encoding="utf-8")
    (seeds / f"{stem}{META_SUFFIX}").write_text(
        "# Metadata of the source text (from its header block and options).\n"
        + yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (seeds / f"{stem}{FACTS_SUFFIX}").write_text(sheet(stem, drafts), encoding="utf-8")
    return stem, drafts


def _slug(*parts: str) -> str:
    words = re.findall(r"[a-z0-9]+", " ".join(parts).lower().replace("ü", "ue")
                       .replace("ö", "oe").replace("ä", "ae").replace("ß", "ss"))
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 60:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or "source"


def review(facts_file: Path, ids: list[str] | None) -> list[str]:
    """Remove `draft: true` from the facts `ids` (all drafts if None); returns those marked."""
    lines = facts_file.read_text(encoding="utf-8").split("\n")
    current, marked, kept = None, [], []
    for line in lines:
        match = re.match(r"\s*- id:\s*(\S+)", line)
        if match:
            current = match.group(1).strip("'\"")
        if re.fullmatch(r"\s+draft:\s*true\s*", line) and (ids is None or current in ids):
            marked.append(str(current))
            continue
        kept.append(line)
    facts_file.write_text("\n".join(kept), encoding="utf-8")
    return marked
