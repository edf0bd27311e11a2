"""`rckg add`: a new source into seeds/, with a drafted fact sheet a person then reviews.

The draft proposes what a curator would write: per sentence (title and subtitle included), one
claim per predicate the lexicon knows (ontology/lexicon.yaml), with subject and object by the
sentence's structure, the speaker and attribution, certainty, figures with their units, bounds
and directions, the period and its precision, and a confidence. Names the entity list lacks
become proposed entities. Every fact stays `draft: true` and outside the graph until a person
checks it and removes the flag (by hand or with `rckg review`); reviewed facts are never
touched.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from graph.sources import lexicon as lexicon_file
from graph.sources.claims import Attribution, Claim, propose
from graph.sources.figures import find_numbers, find_period
from graph.sources.mentions import Context, Mention, Names, find_mentions, propose_names, words_of
from graph.sources.seeds import FACTS_SUFFIX, META_SUFFIX, Entity
from graph.sources.sentences import split

__all__ = ["find_numbers", "find_period"]  # figures' readers, used through this module too

HEADER_KEYS = ("title", "subtitle", "author", "publisher", "date", "language", "url")


@dataclass
class Draft:
    """One sentence as the drafter read it: what it names, states, and the claims it proposes."""

    quote: str
    entities: list[str] = field(default_factory=list)
    quantities: list[dict[str, Any]] = field(default_factory=list)
    time: dict[str, str] | None = None
    claims: list[Claim] = field(default_factory=list)
    attribution: Attribution | None = None  # who the sentence says is speaking


@dataclass
class Drafting:
    """The drafts of one text and the new entities they propose."""

    drafts: list[Draft]
    names: Names

    @property
    def claims(self) -> list[tuple[Draft, Claim]]:
        return [(d, c) for d in self.drafts for c in d.claims]

    @property
    def undrafted(self) -> list[Draft]:
        """Sentences that name an entity or a figure but propose no claim."""
        return [d for d in self.drafts if not d.claims and (d.entities or d.quantities)]

    def used_proposals(self) -> list[str]:
        """Proposals named in the text (all of them: a currency may be in no claim yet)."""
        named = {r for d in self.drafts for r in d.entities}
        return [slug for slug in self.names.proposals if slug in named]


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


def _masked(text: str, quantities: list[dict[str, Any]]) -> str:
    """The sentence with its figures blanked, so that "240 Mrd. US-Dollar" names no state."""
    chars = list(text)
    for quantity in quantities:
        at = text.find(quantity["text"])
        for i in range(at, at + len(quantity["text"]) if at >= 0 else at):
            chars[i] = " "
    return "".join(chars)


def draft(text: str, language: str, entities: dict[str, Entity]) -> Drafting:
    """Read every sentence of `text` and propose its claims and the entities they need."""
    lexicon = lexicon_file.load()
    names = Names(entities, lexicon)
    drafts, masked = [], []
    for sentence in split(text, language=language):
        time, spans = find_period(sentence.text)
        quantities = find_numbers(sentence.text, language, spans, lexicon)
        drafts.append(Draft(sentence.text, [], quantities, time))
        masked.append(words_of(_masked(sentence.text, quantities)))
    for words in masked:  # first pass: every new name, wherever it is first introduced
        propose_names(names, words, language)
    context = Context()
    for words in masked:  # the two states the text is about, for "beide Seiten"
        context.note(find_mentions(names, words, language, context))
    context.people.clear()
    joint = False
    for found, words in zip(drafts, masked, strict=True):
        mentions = find_mentions(names, words, language, context)
        found.entities = _named(mentions)
        found.claims, found.attribution = propose(words, mentions, lexicon, language, context,
                                                  found.quantities, found.time, joint)
        joint = found.attribution.kind == "joint-declaration"
        context.note(mentions)
    return Drafting(drafts, names)


def _named(mentions: list[Mention]) -> list[str]:
    return list(dict.fromkeys(r for m in mentions if m.kind in ("actor", "place", "group")
                              for r in m.refs))


def _one(values: list[str]) -> str | list[str]:
    return values[0] if len(values) == 1 else values


def sheet(stem: str, drafting: Drafting) -> str:
    """The drafted fact sheet as YAML: every fact `draft: true`, with its confidence as a
    comment, and the proposed entities after the facts."""
    lines = [f"# Drafted fact sheet of {stem}.txt. Each fact is a draft (draft: true): check its",
             "# relation, subject, object, speaker, figures and time, then remove `draft: true`",
             f"# (or run `rckg review {stem} ID`) so that it enters the graph. Proposed entities",
             "# (end of file) go to entities.yaml once checked: fill in the other languages'",
             "# labels and the Wikidata id (never guessed).",
             f"source: {stem}", "facts:"]
    for number, (found, claim) in enumerate(drafting.claims, start=1):
        fact: dict[str, Any] = {"id": f"draft-{number:03d}", "draft": True,
                                "relation": claim.relation, "subject": _one(claim.subject)}
        if claim.object:
            fact["object"] = _one(claim.object)
        if claim.place:
            fact["place"] = _one(claim.place)
        if claim.time:
            fact["time"] = claim.time
        if claim.quantities:
            fact["quantities"] = claim.quantities
        if claim.plover:
            fact["plover"] = claim.plover
        fact["attribution"] = claim.attribution
        if claim.speaker:
            fact["speaker"] = _one(claim.speaker)
        fact.update(certainty=claim.certainty, quote=found.quote)
        lines.append(f"  # confidence {claim.confidence:.2f}: {claim.relation} from "
                     f"{claim.trigger!r}")
        body = yaml.safe_dump([fact], allow_unicode=True, sort_keys=False, width=100)
        lines += ["  " + line for line in body.rstrip("\n").split("\n")]
    if not drafting.claims:
        lines[-1] = "facts: []"
    undrafted = drafting.undrafted
    if undrafted:
        lines.append("# Sentences without a draft (they name an entity or a figure):")
        lines += [f"#   {d.quote}" for d in undrafted]
    proposals = {slug: drafting.names.proposals[slug].as_yaml()
                 for slug in drafting.used_proposals()}
    if proposals:
        lines.append(yaml.safe_dump({"proposed_entities": proposals}, allow_unicode=True,
                                    sort_keys=False, width=100).rstrip("\n"))
    return "\n".join(lines) + "\n"


def report(drafting: Drafting) -> list[str]:
    """The short report `rckg add` prints: drafts, proposed entities, sentences left out."""
    claims = drafting.claims
    lines = [f"{len(claims)} drafted facts from {len({id(d) for d, _ in claims})} of "
             f"{len(drafting.drafts)} sentences"]
    for slug in drafting.used_proposals():
        proposal = drafting.names.proposals[slug]
        lines.append(f"proposed entity: {slug} ({proposal.type}, \"{proposal.label}\", "
                     f"cue: {proposal.cue})")
    for found in drafting.undrafted:
        lines.append(f"no draft: {found.quote}")
    return lines


def add(path: Path, seeds: Path, entities: dict[str, Entity],
        overrides: dict[str, str]) -> tuple[str, Drafting]:
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
    text = stored_text(meta, body)
    drafting = draft(text, language, entities)
    (seeds / f"{stem}.txt").write_text(text, encoding="utf-8")
    (seeds / f"{stem}{META_SUFFIX}").write_text(
        "# Metadata of the source text (from its header block and options).\n"
        + yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (seeds / f"{stem}{FACTS_SUFFIX}").write_text(sheet(stem, drafting), encoding="utf-8")
    return stem, drafting


def stored_text(meta: dict[str, str], body: str) -> str:
    """The text as seeds/ keeps it: title and subtitle lead, as in the first source, so that
    facts can quote them; the other header lines are metadata only."""
    return "".join(f"{meta[k]}\n\n" for k in ("title", "subtitle") if meta.get(k)) + body


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
