"""The question every peer is asked: an actor's ties with their evidence, for random actors.

rckg answers it at `GET /api/actors/{id}/ties` (first page, 50 ties in text order); the SPARQL
peers get the same question as one query: every statement with the actor as subject and a
counterpart as object, topic or route (or the other way round), with relation, attribution,
certainty, quote, source, the quote's offset and the time, first 50 in text order. It is written
from the actor outwards, so an engine can start from the one bound term and its indexes.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from bench.client import Request, request

SPARQL_JSON = "application/sparql-results+json"
PAGE = 50  # ties per answer: the REST default page

TIES = """PREFIX rckg: <{base}ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?fact ?direction ?role ?relation ?counterpart ?label ?attribution ?certainty ?quote
       ?source ?start ?when ?from ?to
WHERE {{
  {ties}
  ?fact rckg:relation ?relation ; rckg:attribution ?attribution ; rckg:certainty ?certainty ;
        rckg:quote ?quote ; prov:wasDerivedFrom ?source ; rckg:evidence ?evidence .
  ?evidence oa:hasTarget ?target . ?target oa:hasSelector ?position . ?position oa:start ?start .
  ?counterpart skos:prefLabel ?label FILTER(LANG(?label) = "en")
  OPTIONAL {{ {facts} ?fact rckg:time ?t . ?t rckg:timeText ?when }}
  OPTIONAL {{ {facts} ?fact rckg:time ?t1 . ?t1 rckg:start ?from }}
  OPTIONAL {{ {facts} ?fact rckg:time ?t2 . ?t2 rckg:end ?to }}
}}
ORDER BY ?start ?fact ?role
LIMIT {page}"""
ROLES = ("object", "about", "via")  # what links a subject to a counterpart, as in the REST ties


def ties_sparql(base: str, slug: str) -> str:
    """The question for one actor. Each OPTIONAL repeats which facts are the actor's: Oxigraph
    evaluates an OPTIONAL's inside on its own and joins it by hash, so without that it would
    read every time of the graph (0.75 s at 1M triples, against 3 ms with it)."""
    actor = f"<{base}id/{slug}>"
    ties = [f'{{ ?fact rckg:subject {actor} ; rckg:{role} ?counterpart . '
            f'BIND("outgoing" AS ?direction) BIND("{role}" AS ?role) }}' for role in ROLES]
    ties += [f'{{ ?fact rckg:{role} {actor} ; rckg:subject ?counterpart . '
             f'BIND("incoming" AS ?direction) BIND("{role}" AS ?role) }}' for role in ROLES]
    facts = " UNION ".join(f"{{ ?fact rckg:{role} {actor} }}" for role in ("subject", *ROLES))
    return TIES.format(base=base, ties="\n  UNION ".join(ties), facts=facts, page=PAGE)


def draw(actors: list[str], seed: int, count: int) -> list[str]:
    """`count` actors drawn at random (with repeats), the same for every peer."""
    rng = random.Random(seed)
    return [rng.choice(actors) for _ in range(count)]


class Asker:
    """Encodes the question for one peer, once per actor."""

    def __init__(self, url: str, kind: str, base: str) -> None:
        self.url, self.kind, self.base = url, kind, base
        self._cache: dict[str, Request] = {}

    def ask(self, slug: str) -> Request:
        found = self._cache.get(slug)
        if found is None:
            found = self._cache[slug] = self._encode(slug)
        return found

    def _encode(self, slug: str) -> Request:
        if self.kind == "rest":
            return request(self.url, f"/api/actors/{slug}/ties", label=f"ties {slug}")
        if self.kind == "floor":
            return request(self.url, "/floor", label="floor")
        path = {"oxigraph": "/query", "rdflib": "/"}.get(self.kind, "/sparql")
        return request(self.url, path, [("query", ties_sparql(self.base, slug))],
                       accept=SPARQL_JSON, label=f"sparql {slug}")

    def sequence(self, actors: list[str], start: int = 0) -> Iterator[Request]:
        """The questions for `actors` in turn from `start`, round and round."""
        index = start
        while True:
            yield self.ask(actors[index % len(actors)])
            index += 1
