"""Drafts measured against a hand-made gold list of claims (tests/data/drafting/*.gold.yaml).

A draft is *usable as drafted* when it states a gold claim of its sentence with the right
relation, roles, attribution, speaker, certainty and figures, so a curator only removes
`draft: true`. A gold claim is *found in part* when a draft of its sentence has its relation
or names one of its actors. Gold names an entity by slug, or as `new:LABEL` for a name the
entity list lacks; a proposal matches it when their words agree (inflection tolerated).

Run `python -m bench.draftscore` for the figures of the test articles.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from graph.config import PROJECT_ROOT
from graph.sources import lexicon as lexicon_file
from graph.sources.claims import Claim
from graph.sources.drafting import Drafting, draft, split_header, stored_text
from graph.sources.seeds import ENTITIES_FILE, load_corpus, load_entities
from graph.sources.words import same_word, tokens

ARTICLES = PROJECT_ROOT / "tests" / "data" / "drafting"


@dataclass(frozen=True)
class Score:
    drafts: int
    usable: int  # drafts usable as drafted
    gold: int
    found: int  # gold claims found at least in part
    exact: int  # gold claims with a usable draft

    @property
    def precision(self) -> float:
        return self.usable / self.drafts if self.drafts else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.drafts + other.drafts, self.usable + other.usable,
                     self.gold + other.gold, self.found + other.found,
                     self.exact + other.exact)


def read_article(path: Path) -> tuple[str, str]:
    """The text as `rckg add` stores it (title and subtitle first) and its language."""
    header, body = split_header(path.read_text(encoding="utf-8"))
    return stored_text(header, body), header.get("language", "en")


class Judge:
    """Compares the drafts of one text with its gold claims."""

    def __init__(self, text: str, drafting: Drafting, gold: list[dict[str, Any]],
                 figures_in_full: bool = True) -> None:
        self.text, self.drafting, self.gold = text, drafting, gold
        self.figures = _figures if figures_in_full else _values
        self.symmetric = {r for r, e in lexicon_file.load().data["predicates"].items()
                          if e.get("symmetric")}
        for claim in gold:
            if claim["in"] not in text:
                raise ValueError(f"gold claim {claim['id']}: {claim['in']!r} is not in the text")

    def _same(self, gold: str, ref: str) -> bool:
        if not gold.startswith("new:"):
            return gold == ref
        proposal = self.drafting.names.proposals.get(ref)
        if proposal is None:
            return False
        small, large = sorted((tokens(gold[4:]), tokens(proposal.label)), key=len)
        # every word of the shorter name in the longer, which has at most one word more
        return len(small) >= max(1, len(large) - 1) and all(
            any(same_word(a, b) for b in large) for a in small)

    def _names(self, gold: list[str], refs: list[str]) -> bool:
        """Whether the drafted refs are exactly the gold entities."""
        return len(gold) == len(set(refs)) and all(any(self._same(g, r) for r in refs)
                                                   for g in gold)

    def _overlaps(self, gold: dict[str, Any], quote: str) -> bool:
        start = self.text.find(gold["in"])
        at = self.text.find(quote)
        return at < start + len(gold["in"]) and start < at + len(quote)

    def usable(self, gold: dict[str, Any], quote: str, claim: Claim) -> bool:
        if not self._overlaps(gold, quote) or claim.relation != gold["relation"]:
            return False
        if claim.relation in self.symmetric and "object" in gold:
            roles = self._names(gold["subject"] + gold["object"], claim.subject + claim.object)
        else:
            roles = all(self._names(gold[key], getattr(claim, key))
                        for key in ("subject", "object") if key in gold)
        speaker = self._names(gold.get("speaker", []), claim.speaker) \
            if gold["attribution"] == "quoted-speaker" else True
        return (roles and speaker and claim.attribution == gold["attribution"]
                and claim.certainty == gold["certainty"]
                and self.figures(gold.get("quantities", [])) == self.figures(claim.quantities))

    def partly(self, gold: dict[str, Any], quote: str, claim: Claim) -> bool:
        if not self._overlaps(gold, quote):
            return False
        named = [*gold.get("subject", []), *gold.get("object", [])]
        drafted = [*claim.subject, *claim.object]
        return claim.relation == gold["relation"] or any(self._same(g, r) for g in named
                                                         for r in drafted)

    def score(self) -> Score:
        claims = [(d.quote, c) for d, c in self.drafting.claims]
        usable = sum(any(self.usable(g, q, c) for g in self.gold) for q, c in claims)
        found = sum(any(self.partly(g, q, c) for q, c in claims) for g in self.gold)
        exact = sum(any(self.usable(g, q, c) for q, c in claims) for g in self.gold)
        return Score(len(claims), usable, len(self.gold), found, exact)


def _figures(quantities: list[dict[str, Any]]) -> set[tuple[Any, ...]]:
    return {(float(q["value"]), q["unit"], q.get("bound"), bool(q.get("approximate")),
             q.get("direction")) for q in quantities}


def _values(quantities: list[dict[str, Any]]) -> set[tuple[Any, ...]]:
    return {(float(q["value"]), q["unit"].replace("-PER-YR", "")) for q in quantities}


def held_out(seeds: Path = PROJECT_ROOT / "seeds") -> Judge:
    """The first source (junge Welt) judged against its curated fact sheet: a text and a gold
    list nobody wrote for the drafter. Its quantities carry no bound, approximation or
    direction, so figures are compared by value and unit only."""
    corpus = load_corpus(seeds)
    source = corpus.sources[0]
    gold = []
    for fact in source.facts:
        claim: dict[str, Any] = {"id": fact.id, "in": fact.quote,
                                 "relation": fact.get("relation"),
                                 "attribution": fact.get("attribution"),
                                 "certainty": fact.get("certainty"),
                                 "quantities": [{"value": q.value, "unit": q.unit}
                                                for q in fact.quantities]}
        claim.update({key: fact.entities[key] for key in ("subject", "object", "speaker")
                      if fact.entities.get(key)})
        gold.append(claim)
    drafting = draft(source.text, source.language, corpus.entities)
    return Judge(source.text, drafting, gold, figures_in_full=False)


def judge(article: Path, seeds: Path = PROJECT_ROOT / "seeds") -> Judge:
    """Draft `article` (a test article with a `.gold.yaml` beside it) and judge the drafts."""
    text, language = read_article(article)
    gold = yaml.safe_load(article.with_suffix(".gold.yaml").read_text(encoding="utf-8"))
    drafting = draft(text, language, load_entities(seeds / ENTITIES_FILE))
    return Judge(text, drafting, gold["claims"])


def main(folder: Path = ARTICLES) -> int:
    total = Score(0, 0, 0, 0, 0)
    for article in sorted(folder.glob("*.txt")):
        score = judge(article).score()
        total += score
        print(f"{article.name}: {score.usable}/{score.drafts} drafts usable as drafted "
              f"({score.precision:.0%}); {score.found}/{score.gold} gold claims found at least "
              f"in part ({score.recall:.0%}), {score.exact} exactly")
    print(f"all: {total.usable}/{total.drafts} usable ({total.precision:.0%}); "
          f"{total.found}/{total.gold} found in part ({total.recall:.0%}), "
          f"{total.exact}/{total.gold} exactly ({total.exact / max(total.gold, 1):.0%})")
    first = held_out().score()
    print(f"held out, the junge Welt article against its curated sheet: {first.usable}/"
          f"{first.drafts} usable ({first.precision:.0%}); {first.found}/{first.gold} found in "
          f"part ({first.recall:.0%}), {first.exact} exactly")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ARTICLES))
