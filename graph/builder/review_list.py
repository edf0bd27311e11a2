"""`rckg review STEM --list`: a source's facts against its text as a plain-text table, read
from the fact sheet (drafts included, shown apart), so a curator checks them without YAML.

It says what the source page says: each fact in text order with its offsets, the relation in
words, attribution, certainty and time, and the quote as read; then the sentences no
reviewed fact covers, each with the curator's no-claim reason where there is one.
"""

from __future__ import annotations

from rdflib import RDFS, Literal, URIRef

from graph.builder.checks import coverage, locate
from graph.builder.ontology import Ontology
from graph.sources import sentences
from graph.sources.quotes import display
from graph.sources.seeds import Corpus, Fact, Source
from graph.views.source_view import describe

COLUMNS = ("#", "id", "offsets", "attribution", "certainty", "time", "relation in words")


def _relation_label(ontology: Ontology, relation: str, base: str) -> str:
    labels = [o for o in ontology.graph.objects(URIRef(f"{base}ontology#{relation}"),
                                                RDFS.label)
              if isinstance(o, Literal) and o.language == "en"]
    return str(labels[0]) if labels else relation


def _words(fact: Fact, corpus: Corpus, ontology: Ontology, base: str) -> str:
    def names(role: str) -> list[str]:
        return [corpus.entities[s].labels.get("en", s) if s in corpus.entities else s
                for s in fact.entities.get(role, [])]

    others = {role: names(role) for role in fact.entities if role not in ("subject", "object")}
    return describe(names("subject"), _relation_label(ontology, str(fact.get("relation")), base),
                    names("object"), others)


def _place(fact: Fact, text: str) -> tuple[int, int] | str:
    occurrence = fact.get("occurrence")
    return locate(fact.quote, text, occurrence if isinstance(occurrence, int) else None)


def _rows(facts: list[Fact], source: Source, corpus: Corpus, ontology: Ontology,
          base: str) -> list[tuple[list[str], str]]:
    """(cells, quote line) per fact, in text order."""
    placed = [(f, _place(f, source.text)) for f in facts]
    # As the graph orders them (by start, then id); a quote that is not found comes last.
    placed.sort(key=lambda item: (item[1][0] if isinstance(item[1], tuple) else len(source.text),
                                  item[0].id))
    rows = []
    for number, (fact, where) in enumerate(placed, start=1):
        offsets = f"{where[0]}-{where[1]}" if isinstance(where, tuple) else "NOT FOUND"
        time = fact.time.text if fact.time else "-"
        cells = [str(number), fact.id, offsets, str(fact.get("attribution") or "-"),
                 str(fact.get("certainty") or "-"), time,
                 _words(fact, corpus, ontology, base)]
        quote = " ".join(display(fact.quote).split())
        rows.append((cells, quote if isinstance(where, tuple) else f"{quote}  ({where})"))
    return rows


def _table(rows: list[tuple[list[str], str]]) -> list[str]:
    if not rows:
        return ["  (none)"]
    widths = [max(len(c[i]) for c in [list(COLUMNS), *(r[0] for r in rows)])
              for i in range(len(COLUMNS) - 1)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=False)) + \
            "  " + cells[-1]

    out = [line(list(COLUMNS))]
    for cells, quote in rows:
        out += [line(cells), " " * (widths[0] + 2) + "» " + quote + " «"]
    return out


def listing(source: Source, corpus: Corpus, ontology: Ontology, base: str) -> str:
    """The plain-text review list of `source`."""
    meta = source.meta
    for fact in source.facts:  # coverage reads the located spans, as in the build
        where = _place(fact, source.text)
        fact.span = where if isinstance(where, tuple) else (0, 0)
    found, _ = coverage(source)  # the build's sentences (byline and URL line left out)
    bare = sentences.uncovered(found, [f.span for f in source.facts if f.span != (0, 0)])
    claims = [(c, w) for c in source.no_claims
              if isinstance(w := locate(c.quote, source.text, None), tuple)]
    head = [
        f"{meta.get('title', source.stem)}",
        f"  author: {meta.get('author') or '-'} · publisher: {meta.get('publisher') or '-'} · "
        f"date: {meta.get('date') or 'not given'} · language: {source.language}",
        f"  url: {meta.get('url') or '-'}",
        f"  {len(source.facts)} reviewed facts, {len(source.drafts)} drafts; "
        f"{len(found) - len(bare)} of {len(found)} sentences carry a reviewed fact",
        "",
        f"REVIEWED FACTS ({source.facts_file.name}, in text order)",
    ]
    body = _table(_rows(source.facts, source, corpus, ontology, base))
    drafts = ["", "DRAFTS (not reviewed: not in the graph until marked reviewed)",
              *_table(_rows(source.drafts, source, corpus, ontology, base))]
    reasons = []
    for sentence in bare:
        why = [c.reason for c, (a, b) in claims if a < sentence.end and sentence.start < b]
        label = f"no claim: {why[0]}" if why else "NOT COVERED"
        reasons.append(f"  {sentence.start}-{sentence.end}  [{label}]  "
                       f"{' '.join(display(sentence.text).split())}")
    tail = ["", "SENTENCES THAT CARRY NO FACT", *(reasons or ["  (none)"])]
    return "\n".join(head + body + drafts + tail) + "\n"
