"""IRIs of rckg's graph and the standard vocabularies it reuses, for one base IRI."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from rdflib import Namespace, URIRef

PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
QUDT = Namespace("http://qudt.org/schema/qudt/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

# Units a fact sheet may use (QUDT unit codes), each with the words a quote must contain for
# it: a fact cannot say PERCENT of "49 Milliarden Kubikmeter".
_PER_YEAR = r"(?=.*(jahr|jährlich|annual|year|yr))"
UNITS = {
    "NUM": r"",
    "PERCENT": r"prozent|%|per ?cent",
    "M3": r"kubikmeter|cubic met|m³|\bm3\b|bcm",
    "M3-PER-YR": _PER_YEAR + r".*(kubikmeter|cubic met|m³|\bm3\b|bcm)",
    "TONNE": r"tonne",
    "TONNE-PER-YR": _PER_YEAR + r".*tonne",
    "BBL": r"barrel",
    "BBL-PER-DAY": r"barrel.*(tag|day)",
    "USD": r"dollar|usd|\$",
    "EUR": r"euro|eur|€",
    "CNY": r"yuan|renminbi|cny",
    "RUB": r"rubel|rouble|ruble|rub",
}

# Quantity roles in fact sheets → rckg properties (sub-properties of rckg:quantity).
QUANTITY_ROLES = ("capacity", "volume", "change", "count", "target")


@dataclass(frozen=True)
class Terms:
    """The IRIs of one rckg graph, all under `base`."""

    base: str

    @cached_property
    def rckg(self) -> Namespace:
        return Namespace(f"{self.base}ontology#")

    def entity(self, slug: str) -> URIRef:
        return URIRef(f"{self.base}id/{slug}")

    def fact(self, source: str, fact_id: str) -> URIRef:
        return URIRef(f"{self.base}fact/{source}/{fact_id}")

    def source(self, slug: str) -> URIRef:
        return URIRef(f"{self.base}source/{slug}")

    def graph(self, name: str) -> URIRef:
        return URIRef(f"{self.base}graph/{name}")

    def concept(self, scheme: str, code: str) -> URIRef:
        return URIRef(f"{self.base}vocab/{scheme}/{code}")

    def scheme(self, scheme: str) -> URIRef:
        return URIRef(f"{self.base}vocab/{scheme}")

    @property
    def dataset(self) -> URIRef:
        return URIRef(f"{self.base}dataset")


def direct(attribution: str, certainty: str) -> bool:
    """Whether a fact also becomes plain `subject relation object` edges (Wikidata's truthy
    lesson: only best-rank statements become `wdt:` triples). Only a fact the source states
    as plainly so, and not as the author's own reading, does; a planned, approximate,
    unresolved or hedged fact stays a statement node with its certainty, so an edge query
    never shows it as settled."""
    return certainty == "plain" and attribution != "author-assessment"
