"""The curator's safety net: every quote verbatim, every figure as the article states it,
every name known. Each problem names the file and line to fix.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from graph.builder.ontology import Ontology
from graph.errors import Problem
from graph.sources.numbers import first_number, years_in
from graph.sources.seeds import FACT_FIELDS, LANGUAGES, Corpus, Fact, Quantity, Source, TimeSpec
from graph.sources.sentences import Sentence, split, uncovered
from graph.vocabulary import QUANTITY_ROLES, UNITS

# Precisions that say the text gives no calendar dates: a fact with one must not carry any.
UNDATED = {"weekday", "relative", "duration"}

# Reports one problem of a fact: (the field it concerns or its line, the message).
Report = Callable[[str | int, str], None]


def check_corpus(corpus: Corpus, ontology: Ontology) -> list[Problem]:
    """All problems of the corpus; locates each quote (sets `Fact.span`) on the way."""
    problems = _check_entities(corpus, ontology)
    for source in corpus.sources:
        problems += _check_source(source, corpus, ontology)
    return problems


def _check_entities(corpus: Corpus, ontology: Ontology) -> list[Problem]:
    problems = []
    for entity in corpus.entities.values():
        messages = []
        if entity.type not in ontology.classes:
            messages.append(f"unknown type {entity.type!r}")
        missing = [lang for lang in LANGUAGES if not entity.labels.get(lang)]
        if missing:
            messages.append(f"no label in {', '.join(missing)}")
        if entity.wikidata and not re.fullmatch(r"Q[1-9]\d*", entity.wikidata):
            messages.append(f"wikidata {entity.wikidata!r} is not a Q-id")
        for key, slugs in entity.links.items():
            messages += [f"{key} names unknown entity {s!r}" for s in slugs
                         if s not in corpus.entities]
        problems += [Problem(corpus.entities_file, entity.line, f"entity {entity.slug!r}: {m}")
                     for m in messages]
    return problems + _check_names_unique(corpus)


def _check_names_unique(corpus: Corpus) -> list[Problem]:
    """A label names one entity in its language, so a person searching can tell entities
    apart; an alias neither repeats its own label (a sign of a value cut at a comma) nor
    names another entity."""
    owner: dict[tuple[str, str], str] = {}
    problems = []
    for entity in corpus.entities.values():
        for lang, label in entity.labels.items():
            key = (lang, label.casefold())
            if key in owner:
                problems.append(Problem(corpus.entities_file, entity.line,
                                        f"entity {entity.slug!r}: label {label!r}@{lang} is "
                                        f"already the label of {owner[key]!r}"))
            else:
                owner[key] = entity.slug
    for entity in corpus.entities.values():
        for lang, aliases in entity.aliases.items():
            for alias in aliases:
                other = owner.get((lang, alias.casefold()))
                if other == entity.slug:
                    problems.append(Problem(corpus.entities_file, entity.line,
                                            f"entity {entity.slug!r}: alias {alias!r}@{lang} "
                                            f"repeats its label"))
                elif other is not None:
                    problems.append(Problem(corpus.entities_file, entity.line,
                                            f"entity {entity.slug!r}: alias {alias!r}@{lang} "
                                            f"is the label of {other!r}"))
    return problems


def locate(quote: str, text: str, occurrence: int | None) -> tuple[int, int] | str:
    """The span of `quote` in `text`, or a message saying why it cannot be placed."""
    starts = [m.start() for m in re.finditer(re.escape(quote), text)] if quote else []
    if not starts:
        return _divergence(quote, text)
    if occurrence is None:
        if len(starts) > 1:
            return f"quote occurs {len(starts)} times in the text; add 'occurrence: N'"
        return starts[0], starts[0] + len(quote)
    if not 1 <= occurrence <= len(starts):
        return f"occurrence {occurrence} asked, but the quote occurs {len(starts)} times"
    start = starts[occurrence - 1]
    return start, start + len(quote)


def _divergence(quote: str, text: str) -> str:
    """Say where the longest matching start of `quote` parts from the text."""
    best, at = 0, -1
    for length in range(min(len(quote), 80), 3, -1):
        at = text.find(quote[:length])
        if at >= 0:
            best = length
            break
    if best == 0:
        return "quote not found in the source text"
    while best < len(quote) and at + best < len(text) and quote[best] == text[at + best]:
        best += 1
    return (
        f"quote not found in the source text: it matches for {best} characters "
        f"(from offset {at}), then the quote has {quote[best:best + 20]!r} "
        f"where the text has {text[at + best:at + best + 20]!r}"
    )


def _check_source(source: Source, corpus: Corpus, ontology: Ontology) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for fact in source.facts:
        def bad(key: str | int, message: str, fact: Fact = fact) -> None:
            line = key if isinstance(key, int) else fact.line_of(key)
            problems.append(Problem(fact.file, line, f"fact {fact.id!r}: {message}"))

        if not fact.id:
            bad("id", "no id")
        elif fact.id in seen:
            bad("id", f"id already used on line {seen[fact.id]}")
        else:
            seen[fact.id] = fact.line
        for key in sorted(set(fact.raw) - FACT_FIELDS):
            bad(key, f"unknown field {key!r}")
        _check_names(fact, corpus, ontology, bad)
        _check_quote(fact, source, bad)
    ids = {f.id for f in source.facts}
    for fact in source.facts:
        for key, targets in fact.fact_links.items():
            for target in targets:
                if target not in ids:
                    problems.append(Problem(fact.file, fact.line_of(key),
                                            f"fact {fact.id!r}: {key} names no fact of this "
                                            f"sheet: {target!r}"))
                elif target == fact.id:
                    problems.append(Problem(fact.file, fact.line_of(key),
                                            f"fact {fact.id!r}: {key} names the fact itself"))
    for claim in source.no_claims:
        if isinstance(locate(claim.quote, source.text, None), str):
            problems.append(Problem(claim.file, claim.line, "no_claim quote not in the text"))
        if not claim.reason.strip():
            problems.append(Problem(claim.file, claim.line, "no_claim needs a reason"))
    return problems


def _check_names(fact: Fact, corpus: Corpus, ontology: Ontology, bad: Report) -> None:
    relation = fact.get("relation")
    if relation not in ontology.relations:
        bad("relation", f"unknown relation {relation!r}")
    if not fact.entities.get("subject"):
        bad("subject", "no subject")
    for key, slugs in fact.entities.items():
        for slug in slugs:
            if slug not in corpus.entities:
                bad(key, f"{key} names unknown actor or entity {slug!r}")
    for key, scheme, required in (
        ("plover", "plover", False),
        ("attribution", "attribution", True),
        ("certainty", "certainty", True),
        ("status", "status", False),
    ):
        value = fact.get(key)
        if value is None and not required:
            continue
        if value not in ontology.concepts[scheme]:
            allowed = ", ".join(sorted(ontology.concepts[scheme]))
            bad(key, f"{key} {value!r} is not one of: {allowed}")
    if fact.get("attribution") == "quoted-speaker" and not fact.entities.get("speaker"):
        bad("attribution", "attribution quoted-speaker needs a speaker")
    if fact.time and fact.time.precision not in ontology.concepts["precision"]:
        bad("time", f"time precision {fact.time.precision!r} is unknown")


def _check_quote(fact: Fact, source: Source, bad: Report) -> None:
    occurrence = fact.get("occurrence")
    if occurrence is not None and not isinstance(occurrence, int):
        bad("occurrence", f"occurrence must be a whole number, not {occurrence!r}")
        return
    where = locate(fact.quote, source.text, occurrence)
    if isinstance(where, str):
        bad("quote", where)
        return
    fact.span = where
    quote = fact.quote
    phrase = fact.get("characterisation")
    if phrase is not None and str(phrase) not in quote:
        bad("characterisation", f"characterisation {phrase!r} is not in the quote")
    # A per-year unit fits a quote without "Jahr" when the fact's time is one whole year:
    # "erreichten 2025 rund 49 Milliarden Kubikmeter" is a volume over that year.
    yearly = bool(fact.time and fact.time.precision in ("year", "academic-year"))
    for quantity in fact.quantities:
        _check_quantity(quantity, quote + (" (im Jahr)" if yearly else ""), source.language, bad)
    for extra in fact.also_quoted:
        if isinstance(found := locate(extra, source.text, None), str):
            bad("also_quoted", f"also_quoted {extra[:30]!r}…: {found}")
        else:
            fact.extra_spans.append(found)
    if fact.time:
        _check_time(fact.time, quote, bad)


def _check_quantity(q: Quantity, quote: str, language: str, bad: Report) -> None:
    if q.role not in QUANTITY_ROLES:
        bad(q.line, f"quantity role {q.role!r} is not one of {', '.join(QUANTITY_ROLES)}")
    if q.unit not in UNITS:
        bad(q.line, f"unit {q.unit!r} is not one of {', '.join(sorted(UNITS))}")
    elif not re.search(UNITS[q.unit], quote, re.I | re.S):
        bad(q.line, f"unit {q.unit} does not fit the words of the quote")
    # The stated text must stand in the quote as a whole number: "5 Prozent" is not in
    # "35 Prozent", nor "6.000" in "56.000".
    if not re.search(r"(?<![\d.,])" + re.escape(q.text) + r"(?![\d])", quote):
        bad(q.line, f"quantity text {q.text!r} is not in the quote (as a whole number)")
        return
    try:
        stated = first_number(q.text, language)
        value = Decimal(str(q.value))
    except (ValueError, InvalidOperation) as exc:
        bad(q.line, f"quantity: {exc}")
        return
    if stated is None:
        bad(q.line, f"quantity text {q.text!r} states no number")
    elif stated.value != value:
        bad(q.line, f"value {q.value} differs from the number the text states in {q.text!r}"
            f" ({stated.value})")


def _check_time(time: TimeSpec, quote: str, bad: Report) -> None:
    if time.text not in quote:
        bad("time", f"time text {time.text!r} is not in the quote")
    if time.precision in UNDATED and (time.start or time.end):
        bad("time", f"precision {time.precision!r} means the text gives no dates; remove them")
    stated_years = years_in(time.text)
    for date in (time.start, time.end):
        if date and date.year not in stated_years:
            bad("time", f"year {date.year} is not stated in the time text {time.text!r}")
    if time.start and time.end and time.start > time.end:
        bad("time", "time starts after it ends")
    elif (problem := interval_problem(time)) is not None:
        bad("time", problem)


def interval_problem(time: TimeSpec) -> str | None:
    """Why the dates do not span what the precision says (a quarter is a whole quarter)."""
    start, end = time.start, time.end
    if time.precision == "year-end":
        return None if end and end.month == 12 and end.day == 31 else \
            "precision year-end needs an end on 31 December"
    if start is None or end is None:
        return None if time.precision in UNDATED | {"before-event"} else \
            f"precision {time.precision!r} needs a start and an end"
    whole = {
        "day": start == end,
        "month": start.day == 1 and (end + dt.timedelta(days=1)).day == 1
        and (start.year, start.month) == (end.year, end.month),
        "quarter": start.day == 1 and start.month in (1, 4, 7, 10) and start.year == end.year
        and (end + dt.timedelta(days=1)).day == 1 and end.month == start.month + 2,
        "year": (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
        and start.year == end.year,
        "year-range": (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
        and start.year < end.year,
        "academic-year": end.year == start.year + 1 and 300 <= (end - start).days <= 366,
    }
    ok = whole.get(time.precision, True)
    return None if ok else f"the dates {start}..{end} do not span one {time.precision}"


def coverage(source: Source) -> tuple[list[Sentence], list[Sentence]]:
    """The source's sentences, and those no fact or no-claim quote covers."""
    skip = [str(source.meta.get("byline", "")), f"<{source.meta.get('url', '')}>"]
    sentences = split(source.text, [s for s in skip if s.strip("<>")], source.language)
    spans = [f.span for f in source.facts if f.span != (0, 0)]
    spans += [span for f in source.facts for span in f.extra_spans]
    for claim in source.no_claims:
        where = locate(claim.quote, source.text, None)
        if not isinstance(where, str):
            spans.append(where)
    return sentences, uncovered(sentences, spans)
