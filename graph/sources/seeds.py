"""Reading the seeds: source texts, their metadata, fact sheets and the shared entity list.

This module only reads and shapes; `graph.checks` decides whether what it read is right.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import Problem, SeedError
from graph.sources import yamlio

ENTITIES_FILE = "entities.yaml"
FACTS_SUFFIX = ".facts.yaml"
META_SUFFIX = ".meta.yaml"
LANGUAGES = ("de", "en", "ru", "zh")

# Fact fields that name entities, with whether they may hold a list.
ENTITY_FIELDS = ("subject", "object", "about", "via", "from", "to", "place", "speaker", "stated_in",
                 "perspective")
# Fields that name other facts of the same sheet (claims about claims), with their property.
FACT_LINK_FIELDS = {"reason_for": "reasonFor", "cause_of": "causeOf",
                    "evidence_for": "evidenceFor"}
FACT_FIELDS = {
    *ENTITY_FIELDS, *FACT_LINK_FIELDS,
    "id", "relation", "plover", "time", "quantities", "characterisation", "status",
    "attribution", "certainty", "quote", "also_quoted", "occurrence", "translation", "note",
    "draft",
}
ENTITY_KEYS = {"type", "labels", "aliases", "wikidata", "from", "to", "commodity", "party",
               "participant", "place"}
TIME_KEYS = {"text", "precision", "start", "end"}
QUANTITY_KEYS = {"role", "text", "value", "unit", "bound", "approximate", "direction"}
# What the words around a figure add to it: "mehr als" (a lower bound), "rund" (approximate),
# "gesunken" (a decrease). Each reaches the graph with the quantity.
QUANTITY_QUALIFIERS = {"bound": ("lower", "upper"), "direction": ("increase", "decrease")}
# proposed_entities: what `rckg add` proposes for entities.yaml; read by a curator, not the build.
SHEET_KEYS = {"source", "facts", "no_claim", "proposed_entities"}
NO_CLAIM_KEYS = {"quote", "reason"}
META_KEYS = {"slug", "title", "subtitle", "author", "byline", "publisher", "language", "url",
             "date"}
# What each field may hold: "str", "int", "num", "bool", "strs" (a string or a list of them),
# "map" (checked further by its reader). A field not listed here is a string.
FIELD_KINDS = {
    "occurrence": "int", "draft": "bool", "value": "num", "time": "map", "quantities": "list",
    "approximate": "bool", "proposed_entities": "map",
    "facts": "list", "no_claim": "list",
    "also_quoted": "strs", "labels": "map", "aliases": "map",
    **{key: "strs" for key in (*ENTITY_FIELDS, *FACT_LINK_FIELDS, "party", "participant")},
}


@dataclass(frozen=True)
class Entity:
    slug: str
    type: str
    labels: dict[str, str]
    aliases: dict[str, list[str]]
    wikidata: str | None
    links: dict[str, list[str]]  # from, to, party, participant, place → slugs
    commodity: str | None
    file: Path
    line: int


@dataclass(frozen=True)
class TimeSpec:
    text: str
    precision: str
    start: dt.date | None
    end: dt.date | None
    line: int


@dataclass(frozen=True)
class Quantity:
    role: str
    text: str
    value: Any
    unit: str
    line: int
    bound: str | None = None  # lower ("mehr als") or upper ("bis zu")
    approximate: bool = False  # "rund", "etwa"
    direction: str | None = None  # increase or decrease, for a change


@dataclass
class Fact:
    """One curated claim, as written in a fact sheet (before any checking)."""

    id: str
    raw: yamlio.Node
    file: Path
    line: int
    entities: dict[str, list[str]] = field(default_factory=dict)
    time: TimeSpec | None = None
    quantities: list[Quantity] = field(default_factory=list)
    span: tuple[int, int] = (0, 0)  # set by the checks once the quote is located
    extra_spans: list[tuple[int, int]] = field(default_factory=list)  # of also_quoted
    fact_links: dict[str, list[str]] = field(default_factory=dict)  # reason_for … → fact ids

    def get(self, key: str) -> Any:
        return self.raw.get(key)

    def line_of(self, key: str) -> int:
        return self.raw.line_of(key)

    @property
    def quote(self) -> str:
        return str(self.raw.get("quote", ""))

    @property
    def also_quoted(self) -> list[str]:
        """Further quotes of the same claim (a headline that says it again, say)."""
        return _as_list(self.raw.get("also_quoted"))


@dataclass(frozen=True)
class NoClaim:
    quote: str
    reason: str
    file: Path
    line: int


@dataclass
class Source:
    """A source text with its metadata and fact sheet."""

    stem: str
    text: str
    meta: dict[str, Any]
    text_file: Path
    facts_file: Path
    facts: list[Fact]  # reviewed facts: only these enter the graph
    no_claims: list[NoClaim]
    drafts: list[Fact] = field(default_factory=list)  # `draft: true`, waiting for review

    @property
    def slug(self) -> str:
        return str(self.meta.get("slug") or self.stem)

    @property
    def language(self) -> str:
        return str(self.meta.get("language") or "de")


@dataclass
class Corpus:
    entities: dict[str, Entity]
    sources: list[Source]
    entities_file: Path


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _date(value: Any, path: Path, line: int) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise SeedError([Problem(path, line, f"{value!r} is not a date (YYYY-MM-DD)")]) from None


def _kind_problem(key: str, value: Any) -> str | None:
    """Why `value` does not fit field `key`, or None; YAML's silent typing (a bare 2025 is a
    number, `yes` a boolean, `{a, b}` a mapping) is caught here instead of downstream."""
    kind = FIELD_KINDS.get(key, "str")
    if value is None:
        return None
    fits = {
        "str": isinstance(value, str),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "num": isinstance(value, (int, float)) and not isinstance(value, bool),
        "bool": isinstance(value, bool),
        "map": isinstance(value, dict),
        "list": isinstance(value, list),
        "strs": isinstance(value, str)
        or (isinstance(value, list) and all(isinstance(v, str) for v in value)),
    }[kind]
    if fits:
        return None
    wanted = {"str": "a string", "int": "a whole number", "num": "a number",
              "bool": "true or false", "map": "a mapping", "list": "a list",
              "strs": "a string or a list of strings"}[kind]
    return f"{key!r} must be {wanted}, not {type(value).__name__} {value!r:.40}"


def strict(node: yamlio.Node, allowed: set[str], path: Path, what: str) -> list[Problem]:
    """Unknown keys and values of the wrong type in one mapping, each at its line."""
    problems = []
    for key, value in node.items():
        line = node.line_of(str(key))
        if key not in allowed:
            hint = " (a value with an unquoted comma in a {…} mapping?)" if value is None else ""
            problems.append(Problem(path, line, f"{what}: unknown key {key!r}{hint}"))
        elif (message := _kind_problem(str(key), value)) is not None:
            problems.append(Problem(path, line, f"{what}: {message}"))
    return problems


def _language_map(node: Any, path: Path, line: int, what: str,
                  lists: bool) -> list[Problem]:
    """A labels or aliases map: keys are languages, values strings (or lists of them)."""
    if node is None:
        return []
    if not isinstance(node, yamlio.Node):
        return [Problem(path, line, f"{what}: expected a mapping of languages")]
    problems = []
    for lang, value in node.items():
        at = node.line_of(str(lang))
        if lang not in LANGUAGES:
            problems.append(Problem(path, at, f"{what}: {lang!r} is not a language "
                                    f"({', '.join(LANGUAGES)}); an unquoted comma in a "
                                    f"{{…}} mapping cuts a value there: quote it"))
        elif lists and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            problems.append(Problem(path, at, f"{what} {lang}: expected a list of strings"))
        elif not lists and not (isinstance(value, str) and value.strip()):
            problems.append(Problem(path, at, f"{what} {lang}: expected a non-empty string"))
    return problems


def load_entities(path: Path) -> dict[str, Entity]:
    data = yamlio.load(path)
    if not isinstance(data, yamlio.Node):
        raise SeedError([Problem(path, 1, "expected a mapping of entity slugs")])
    entities: dict[str, Entity] = {}
    problems: list[Problem] = []
    for slug, body in data.items():
        line = data.line_of(slug)
        if not isinstance(body, yamlio.Node):
            problems.append(Problem(path, line, f"entity {slug!r}: expected a mapping"))
            continue
        found = strict(body, ENTITY_KEYS, path, f"entity {slug!r}")
        found += _language_map(body.get("labels"), path, body.line_of("labels"),
                               f"entity {slug!r} labels", lists=False)
        found += _language_map(body.get("aliases"), path, body.line_of("aliases"),
                               f"entity {slug!r} aliases", lists=True)
        if found:
            problems += found
            continue
        links = {k: _as_list(body.get(k)) for k in ("from", "to", "party", "participant", "place")}
        aliases = {lang: _as_list(v) for lang, v in (body.get("aliases") or {}).items()}
        entities[str(slug)] = Entity(
            slug=str(slug),
            type=str(body.get("type", "")),
            labels={k: str(v) for k, v in (body.get("labels") or {}).items()},
            aliases=aliases,
            wikidata=str(body["wikidata"]) if body.get("wikidata") else None,
            links={k: v for k, v in links.items() if v},
            commodity=body.get("commodity"),
            file=path,
            line=line,
        )
    if problems:
        raise SeedError(problems)
    return entities


def _time(raw: Any, path: Path, line: int) -> TimeSpec | None:
    if raw is None:
        return None
    if not isinstance(raw, yamlio.Node):
        raise SeedError([Problem(path, line, "time must be a mapping: "
                                             "{text: …, precision: …, start: …, end: …}")])
    if problems := strict(raw, TIME_KEYS, path, "time"):
        raise SeedError(problems)
    return TimeSpec(
        text=str(raw.get("text", "")),
        precision=str(raw.get("precision", "")),
        start=_date(raw.get("start"), path, raw.line_of("start")),
        end=_date(raw.get("end"), path, raw.line_of("end")),
        line=line,
    )


def _fact(raw: Any, path: Path, line: int, number: int) -> Fact:
    if not isinstance(raw, yamlio.Node):
        raise SeedError([Problem(path, line, f"fact number {number} under 'facts' must be a "
                                             f"mapping of fields, not {raw!r:.40}")])
    fact = Fact(id=str(raw.get("id", "")), raw=raw, file=path, line=raw.line)
    if problems := strict(raw, FACT_FIELDS, path, f"fact {fact.id!r}"):
        raise SeedError(problems)
    fact.entities = {k: _as_list(raw.get(k)) for k in ENTITY_FIELDS if raw.get(k) is not None}
    fact.fact_links = {k: _as_list(raw.get(k)) for k in FACT_LINK_FIELDS
                       if raw.get(k) is not None}
    fact.time = _time(raw.get("time"), path, raw.line_of("time"))
    quantities = raw.get("quantities") or []
    if not isinstance(quantities, list):
        raise SeedError([Problem(path, raw.line_of("quantities"), "quantities must be a list")])
    for item in quantities:
        if not isinstance(item, yamlio.Node):
            raise SeedError([Problem(path, raw.line_of("quantities"), "each quantity must be a "
                                     "mapping: {role: …, text: …, value: …, unit: …}")])
        problems = strict(item, QUANTITY_KEYS, path, f"fact {fact.id!r} quantity")
        problems += [Problem(path, item.line_of(key), f"fact {fact.id!r} quantity: {key} must be "
                             f"one of {', '.join(allowed)}, not {item.get(key)!r}")
                     for key, allowed in QUANTITY_QUALIFIERS.items()
                     if item.get(key) is not None and item.get(key) not in allowed]
        if problems:
            raise SeedError(problems)
        fact.quantities.append(
            Quantity(role=str(item.get("role", "")), text=str(item.get("text", "")),
                     value=item.get("value"), unit=str(item.get("unit", "")), line=item.line,
                     bound=item.get("bound"), approximate=bool(item.get("approximate")),
                     direction=item.get("direction"))
        )
    return fact


def load_source(facts_file: Path) -> Source:
    stem = facts_file.name[: -len(FACTS_SUFFIX)]
    text_file = facts_file.with_name(stem + ".txt")
    meta_file = facts_file.with_name(stem + META_SUFFIX)
    try:
        text = text_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedError([Problem(text_file, 1, f"cannot read source text: {exc}")]) from exc
    meta = yamlio.load(meta_file) if meta_file.exists() else {}
    sheet = yamlio.load(facts_file)
    if not isinstance(sheet, yamlio.Node) or not isinstance(sheet.get("facts"), list):
        raise SeedError([Problem(facts_file, 1, "expected a mapping with a 'facts' list")])
    problems = strict(sheet, SHEET_KEYS, facts_file, "fact sheet")
    if isinstance(meta, yamlio.Node):
        problems += strict(meta, META_KEYS, meta_file, "metadata")
    for item in sheet.get("no_claim") or []:
        if not isinstance(item, yamlio.Node):
            problems.append(Problem(facts_file, sheet.line_of("no_claim"),
                                    "each no_claim must be a mapping: {quote: …, reason: …}"))
        else:
            problems += strict(item, NO_CLAIM_KEYS, facts_file, "no_claim")
    if problems:
        raise SeedError(problems)
    facts = []
    for index, raw in enumerate(sheet["facts"], start=1):
        try:
            facts.append(_fact(raw, facts_file, sheet.line_of("facts"), index))
        except SeedError as exc:
            problems += exc.problems
    if problems:
        raise SeedError(problems)
    no_claims = [
        NoClaim(str(n.get("quote", "")), str(n.get("reason", "")), facts_file, n.line)
        for n in sheet.get("no_claim") or []
    ]
    reviewed = [f for f in facts if f.get("draft") is not True]
    drafts = [f for f in facts if f.get("draft") is True]
    return Source(stem, text, dict(meta or {}), text_file, facts_file, reviewed, no_claims,
                  drafts)


def load_corpus(seeds: Path) -> Corpus:
    """Read every fact sheet in `seeds` and the entity list beside them."""
    entities_file = seeds / ENTITIES_FILE
    if not entities_file.exists():
        raise SeedError([Problem(entities_file, 1, "entity list missing")])
    entities = load_entities(entities_file)
    sources = [load_source(p) for p in sorted(seeds.glob("*" + FACTS_SUFFIX))]
    return Corpus(entities, sources, entities_file)
