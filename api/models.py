"""Response models of the REST API (validated and documented in OpenAPI)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> object:
    """Only YYYY-MM-DD: pydantic alone would also read `0` as 1970-01-01 and a date-time."""
    if not isinstance(value, dt.date) and not (isinstance(value, str)
                                                and _ISO_DATE.fullmatch(value)):
        raise ValueError("a date is written YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
"""A date parameter, as its OpenAPI schema says: YYYY-MM-DD."""


class Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


class EntityRef(Model):
    id: str = Field(description="slug of the entity IRI, e.g. 'russia'")
    label: str = Field(description="English label")
    type: str = Field(description="rckg class, e.g. State, Person, Pipeline, GasFlow")


class TimeSpan(Model):
    text: str = Field(description="the text's own wording, e.g. 'im ersten Quartal 2026'")
    precision: str
    start: str | None = Field(description="first day the wording spans (ISO), if it gives one")
    end: str | None = Field(description="last day the wording spans (ISO), if it gives one")


class QuantityOut(Model):
    role: str = Field(description="capacity, volume, change, count or target")
    stated: str = Field(description="as the text states it, e.g. '49 Milliarden Kubikmeter'")
    stated_value: float
    value: float = Field(description="normalised to the unit, e.g. 4.9e10")
    unit: str = Field(description="QUDT unit code, e.g. M3, M3-PER-YR, PERCENT, NUM")
    unit_iri: str


class SourceRef(Model):
    id: str
    title: str
    url: str | None


class FactRef(Model):
    id: str = Field(description="'{source}/{fact}', citable; the fact's IRI ends with it")
    iri: str


class Evidence(Model):
    fact: FactRef
    relation: str
    relation_label: str
    plover: str | None = Field(description="PLOVER event type, where there is one")
    time: TimeSpan | None
    quantities: list[QuantityOut]
    attribution: str = Field(description="reported, quoted-speaker, joint-declaration or "
                                         "author-assessment")
    certainty: str = Field(description="plain, approximate, planned, unresolved or hedged")
    direct: bool = Field(description="whether the fact is also a plain `subject relation "
                                     "object` edge of the graph (certainty plain, not the "
                                     "author's reading); otherwise only a statement")
    quote: str = Field(description="verbatim span of the source text")
    quote_display: str = Field(description="the quote as a person reads it: the scraped "
                                           "page's Markdown link syntax removed, words kept")
    translation: str | None = Field(description="English rendering; never evidence")
    source: SourceRef
    corroborated_by: list[str] = Field(description="ids of facts of other sources that make "
                                                   "the same claim for the same period")
    conflicts_with: list[str] = Field(description="ids of facts of other sources that state a "
                                                  "different value for the same claim and period")


class Party(EntityRef):
    role: str = Field(description="how this entity figures in the fact: subject, object, "
                                  "about, via, from, to, place, speaker or statedIn")


class Tie(Evidence):
    role: str = Field(description="the actor's role in the fact: subject, object, about, via, "
                                  "from, to, place, speaker, statedIn; or participant or place "
                                  "of the event the fact is about (`through`)")
    through: EntityRef | None = Field(description="the event by which the actor takes part, "
                                                  "when the fact does not name it itself")
    direction: Literal["outgoing", "incoming", "both"] | None = Field(
        description="outgoing when the actor is the subject, incoming when the fact points at "
                    "it (object, about, via, from, to), both for a symmetric relation, null "
                    "when it is only the place, speaker or source of the statement")
    counterparts: list[Party] = Field(description="the fact's other entities with their roles; "
                                                  "empty for a fact about the actor alone")


class TiesPage(Model):
    actor: EntityRef
    total: int
    offset: int
    limit: int
    ties: list[Tie]


class ActorMatch(EntityRef):
    labels: dict[str, str]
    matched: str | None = Field(description="the label or alias the search matched")


class ActorList(Model):
    total: int
    actors: list[ActorMatch]


class ActorDetail(EntityRef):
    iri: str
    labels: dict[str, str]
    aliases: dict[str, list[str]]
    wikidata: str | None
    links: dict[str, list[EntityRef]]
    commodity: str | None
    tie_counts: dict[str, int] = Field(description="ties by relation type (they add up to the "
                                                   "`total` of the actor's ties)")


class Hop(Model):
    from_: EntityRef = Field(alias="from")
    to: EntityRef
    ties: list[Tie]


class Paths(Model):
    from_: EntityRef = Field(alias="from")
    to: EntityRef
    max_length: int
    paths: list[list[Hop]]


class NetworkNode(EntityRef):
    ego: bool


class NetworkEdge(Model):
    id: str
    source: str
    target: str
    relation: str
    label: str
    directed: bool
    facts: list[str]


class Network(Model):
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]


class Span(Model):
    start: int = Field(description="character offset of the quote in the source text")
    end: int


class FactDetail(Evidence):
    roles: dict[str, list[EntityRef]]
    characterisation: str | None
    status: str | None
    note: str | None
    evidence: Span


class FactList(Model):
    total: int = Field(description="facts passing the filters, on all pages")
    offset: int
    limit: int
    facts: list[FactDetail]


class QuantityEvidence(Evidence):
    quantity: QuantityOut


class StatusEvidence(Evidence):
    status: str


class Pipeline(EntityRef):
    from_: list[EntityRef] = Field(alias="from")
    to: list[EntityRef]
    status: list[StatusEvidence]
    capacity: list[QuantityEvidence]
    volumes: list[QuantityEvidence]


class Flow(EntityRef):
    commodity: str | None
    from_: list[EntityRef] = Field(alias="from")
    to: list[EntityRef]
    via: list[EntityRef]
    quantities: list[QuantityEvidence]
    changes: list[QuantityEvidence]


class Validity(Model):
    time: TimeSpan | None
    fact: str


class Agreement(EntityRef):
    kind: str
    parties: list[EntityRef]
    status: list[StatusEvidence]
    validity: list[Validity]


class NotFound(Model):
    detail: str
    suggestions: list[EntityRef]


class Coverage(Model):
    sentences: int = Field(description="sentences of the text (byline and URL line left out)")
    with_facts: int = Field(description="sentences that at least one fact's quote touches")
    ratio: float | None = Field(description="with_facts / sentences")


class SourceSummary(Model):
    id: str = Field(description="the source's id, the last segment of its IRI")
    iri: str
    title: str
    subtitle: str | None
    author: str | None
    publisher: str | None
    date: str | None = Field(description="publication date (ISO), when the source gives one")
    url: str | None
    language: str | None = Field(description="language of the text (BCP 47)")
    facts: int = Field(description="reviewed facts taken from this source")
    characters: int = Field(description="length of the text the quotes' offsets count in")
    coverage: Coverage


class SourceList(Model):
    total: int
    sources: list[SourceSummary]


class SentenceOut(Model):
    start: int = Field(description="character offset in the source text")
    end: int
    text: str = Field(description="verbatim")
    display: str = Field(description="as a person reads it (Markdown residue removed)")


class SourceDetail(SourceSummary):
    uncovered: list[SentenceOut] = Field(description="sentences that carry no fact")
