"""Who and what a sentence names: known entities, proposed new ones, and stand-ins for actors.

Known entities are found through their labels and aliases in four languages (inflections
tolerated), except aliases too generic to mean one entity ("Gespräche"). Names the entity list
lacks become proposals, typed by the cue word before them ("Außenminister Sergej Lawrow" is a
person) and never given a Wikidata id. A capital named as an actor stands for its state
("Moskau und Peking verurteilten …"); "beide Seiten" for the two states the text is about; "er"
after a speech verb for the last person named; "russisches Getreide" names Russia only as a
counterpart.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from graph.sources.lexicon import Lexicon, find_terms
from graph.sources.seeds import Entity
from graph.sources.words import fold, stems

WORD = re.compile(r"\w+(?:[-‑]\w+)*(?:['’]s)?|[^\w\s]")
PLACE_TYPES = {"City", "Place"}


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        """Lower case with umlauts kept: the lexicon tells "fördert" from "fordert"."""
        return self.text.casefold()

    @property
    def capital(self) -> bool:
        return self.text[:1].isupper()


def words_of(text: str) -> list[Word]:
    """Words (hyphenated compounds kept whole) and punctuation marks, with offsets."""
    return [Word(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]


@dataclass
class Proposal:
    """A name the entity list lacks, proposed as a new entity for the curator to accept."""

    slug: str
    type: str
    label: str
    language: str
    cue: str
    aliases: list[str] = field(default_factory=list)

    def as_yaml(self) -> dict[str, object]:
        labels: dict[str, str | None] = {lang: None for lang in ("de", "en", "ru", "zh")}
        labels[self.language] = self.label
        entry: dict[str, object] = {"type": self.type, "labels": labels}
        if self.aliases:
            entry["aliases"] = {self.language: self.aliases}
        entry.update(wikidata=None, cue=self.cue)
        return entry


@dataclass(frozen=True)
class Mention:
    start: int  # word indexes into the sentence's words
    end: int
    refs: tuple[str, ...]  # entity or proposal slugs (two for "beide Seiten")
    kind: str  # actor, place, demonym, group
    type: str


def _slug(label: str) -> str:
    folded = fold(label).replace("ß", "ss")
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "entity"


class Names:
    """Known entities and proposals, matched word by word, longest names first."""

    def __init__(self, entities: dict[str, Entity], lexicon: Lexicon) -> None:
        self.entities = entities
        self.lexicon = lexicon
        self.proposals: dict[str, Proposal] = {}
        self._stems: dict[str, frozenset[str]] = {}  # name word → its stems, computed once
        self.currencies = {fold(c) for forms in lexicon.data["currencies"].values()
                           for c in forms}
        generic = {fold(g) for g in lexicon.words("generic")}
        self.names: list[tuple[list[str], str, str]] = []  # (folded words, slug, type)
        for entity in entities.values():
            aliases = [a for v in entity.aliases.values() for a in v if fold(a) not in generic]
            for name in [*entity.labels.values(), *aliases]:
                self._add(name, entity.slug, entity.type)

    def _add(self, name: str, slug: str, kind: str) -> None:
        parts = re.findall(r"\w+(?:['’]s)?", fold(name))
        if parts and (len(parts) > 1 or len(parts[0]) >= 2):
            self.names.append((parts, slug, kind))
            self.names.sort(key=lambda n: -len(n[0]))
            self._stems.update((p, frozenset(stems(p))) for p in parts)

    def propose(self, label: str, kind: str, language: str, cue: str) -> Proposal:
        """The proposal for `label`, made once; a person's first and last names become aliases."""
        for known in self.proposals.values():
            if fold(known.label) == fold(label) or fold(label) in map(fold, known.aliases):
                if known.type in ("Actor", "Place") and kind not in ("Actor", "Place"):
                    self.upgrade(known, kind, cue)  # "Li Qiang" in a title, then "Premier Li Qiang"
                return known
        slug = _slug(label)
        while slug in self.entities or slug in self.proposals:
            slug += "-new"
        parts = label.split()
        aliases = [parts[0], parts[-1]] if kind == "Person" and len(parts) > 1 else []
        proposal = Proposal(slug, kind, label, language, cue, aliases)
        self.proposals[slug] = proposal
        for name in [label, *aliases]:
            self._add(name, slug, kind)
        return proposal

    def upgrade(self, known: Proposal, kind: str, cue: str) -> None:
        """Type a proposal by a cue met after its first mention."""
        known.type, known.cue = kind, cue
        parts = known.label.split()
        if kind == "Person" and len(parts) > 1 and not known.aliases:
            known.aliases = [parts[0], parts[-1]]
            for alias in known.aliases:
                self._add(alias, known.slug, kind)
        self.names = [(w, s, kind if s == known.slug else k) for w, s, k in self.names]

    def match(self, words: list[Word]) -> list[tuple[int, int, str, str]]:
        """(first, end, slug, type) of every name in `words`, without overlaps."""
        folded = [re.findall(r"\w+(?:['’]s)?", fold(w.text)) for w in words]
        flat: list[str] = []
        owner: list[int] = []
        for index, parts in enumerate(folded):
            flat += parts
            owner += [index] * len(parts)
        taken = [False] * len(flat)
        found = []
        word_stems = [frozenset(stems(w)) for w in flat]
        present = set().union(*word_stems) if word_stems else set()
        for name, slug, kind in self.names:
            name_stems = [self._stems[part] for part in name]
            if not all(s & present for s in name_stems):
                continue  # a word of the name is nowhere in the sentence
            for at in range(len(flat) - len(name) + 1):
                span = range(at, at + len(name))
                if any(taken[i] for i in span):
                    continue
                if all(word_stems[at + i] & s for i, s in enumerate(name_stems)):
                    first, last = owner[at], owner[at + len(name) - 1]
                    if len(name) == 1 and _demonym(self.lexicon, flat[at], ""):
                        continue  # "Russian" is not Russia ("Russian" ~ "Russia" by stem)
                    # "US" is no state inside "US-Dollar" (but NATO is in "NATO-Ostexpansion")
                    if any(part in self.currencies for i in range(first, last + 1)
                           for part in folded[i]) and len(name) < sum(
                            len(folded[i]) for i in range(first, last + 1)):
                        continue
                    found.append((first, last + 1, slug, kind))
                    for i in span:
                        taken[i] = True
        return sorted(found)


def propose_names(names: Names, words: list[Word], language: str) -> None:
    """Propose the names of one sentence that no known entity or proposal covers."""
    lex = names.lexicon
    stop = set(lex.words("entities", "stop", language)) | set(lex.words("entities", "months"))
    known = names.match(words)
    covered = {i for a, b, _, _ in known for i in range(a, b)}
    folded = [w.lower for w in words]

    def name_run(at: int, limit: int = 3) -> int:
        end = at
        while (end < len(words) and end - at < limit and words[end].capital
               and words[end].text not in stop and end not in covered
               and words[end].text[0].isalpha()):
            end += 1
        return end

    def take(at: int, end: int, kind: str, cue: str) -> None:
        if at > 0 and at - 1 in covered and words[at - 1].text.isupper() and kind != "Place":
            at -= 1  # "UN Security Council": an acronym that leads a longer name
        label = " ".join(w.text for w in words[at:end])
        label = re.sub(r"['’]s$", "", label)
        names.propose(label, kind, language, cue)
        covered.update(range(at, end))

    currencies = {c.casefold(): code for code, forms in lex.data["currencies"].items()
                  for c in forms}
    for at, word in enumerate(words):
        if word.capital and word.lower in currencies and at not in covered:
            take(at, at + 1, "Entity", f"currency {currencies[word.lower]} (ISO 4217)")
    for bodies, kind in (("bodies", "Organisation"), ("groups", "GroupOfPeople")):
        for a, b in find_terms(lex.words("entities", bodies, language), folded, 1):
            start = a
            if a > 0 and _demonym(lex, folded[a - 1], language):
                start = a - 1
            elif kind == "GroupOfPeople" or a == 0 or folded[a - 1] not in ("the", "die", "der"):
                continue
            if not any(i in covered for i in range(start, b)):
                take(start, b, kind, words[b - 1].text)
    for kind, key in (("Person", "person"), ("Organisation", "organisation"),
                      ("Company", "company")):
        for a, b in find_terms(lex.words("entities", key, language), folded, 0):
            end = name_run(b)
            if end > b:
                take(b, end, kind, " ".join(w.text for w in words[a:b]))
            for first, _, slug, _ in known:
                proposal = names.proposals.get(slug)
                if first == b and proposal and proposal.type in ("Actor", "Place"):
                    names.upgrade(proposal, kind, " ".join(w.text for w in words[a:b]))
            covered.update(range(a, b))  # the cue word is not a name itself
    suffixes = lex.data["entities"]["suffixes"]
    places = set(lex.words("entities", "places", language))
    for at, word in enumerate(words):
        if at in covered or not word.capital or word.text in stop or not word.text[0].isalpha():
            continue
        end = name_run(at)
        previous = folded[at - 1] if at else ""
        kind = next((k for k, ends in suffixes.items()
                     if any(folded[end - 1].endswith(e) for e in ends)), "")
        opening = at == 0 or words[at - 1].text in (":", "»", "\"", "„")
        if language == "de" and opening and end - at >= 2:
            continue  # "Zahlreiche Abkommen": any German word is capitalised here
        if end - at >= 2 and not _demonym(lex, folded[at], language):
            take(at, end, kind or "Actor", "name")
        elif language == "de" and kind == "Organisation" and previous in ("der", "die", "des"):
            take(at, end, kind, "name")
        elif previous in places and end - at == 1 and (language == "de" or word.text.isupper()):
            take(at, end, "Place", previous)
        elif language == "en" and at > 0 and previous in ("the", *places) \
                and not _demonym(lex, folded[at], language):
            take(at, end, kind or "Place", "name")
        elif at == 0 and end - at == 1 and len(words) > 1 and words[1].text.islower() \
                and language == "de" and re.search(r"(te|ten)$", words[1].text) \
                and not re.search(r"(ung|heit|keit|schaft|tion|lich|ig|isch|t|s|e|en|er)$",
                                  folded[0]):
            take(at, end, kind or "Actor", "name before a verb")


def _demonym(lex: Lexicon, word: str, language: str) -> str | None:
    """The state a demonym adjective names ("russisches" → russia), if it is one."""
    for slug, forms in lex.data["actors"]["demonyms"].items():
        if any(word.startswith(f.casefold()) and len(word) - len(f) <= 3 for f in forms):
            return str(slug)
    return None


def find_mentions(names: Names, words: list[Word], language: str,
                  context: Context) -> list[Mention]:
    """The actors, places and stand-ins of one sentence, in order."""
    lex = names.lexicon
    folded = [w.lower for w in words]
    places = set(lex.words("entities", "places", language))
    capitals = lex.data["actors"]["capitals"]
    found: list[Mention] = []
    for a, b, slug, kind in names.match(words):
        after_place = a > 0 and folded[a - 1] in places
        if slug in capitals and not after_place:
            found.append(Mention(a, b, (capitals[slug],), "actor", "State"))
        elif kind in PLACE_TYPES or (kind == "Region" and after_place and slug in capitals):
            found.append(Mention(a, b, (slug,), "place" if after_place else "actor", kind))
        else:
            found.append(Mention(a, b, (slug,), "actor", kind))
    taken = {i for m in found for i in range(m.start, m.end)}
    for key, refs in (("both_states", context.both_states()),
                      ("both_people", context.last_people(2))):
        for a, b in find_terms(lex.words("actors", key, language), folded, 1):
            if refs and not any(i in taken for i in range(a, b)):
                found.append(Mention(a, b, refs, "group", "State" if key == "both_states"
                                     else "Person"))
                taken.update(range(a, b))
    for at, word in enumerate(folded):
        state = _demonym(lex, word, language)
        if state and at not in taken and state in names.entities:
            nxt = words[at + 1] if at + 1 < len(words) else None
            person_cue = nxt is not None and nxt.capital and language == "de" and any(
                c.casefold() == nxt.lower[:len(c)] for c in lex.words("entities", "person", "de"))
            if not person_cue:
                found.append(Mention(at, at + 1, (state,), "demonym", "State"))
    return sorted(found, key=lambda m: m.start)


class Context:
    """What earlier sentences named: for "beide Seiten", "the two ministers" and "er"."""

    def __init__(self) -> None:
        self.states: Counter[str] = Counter()
        self.people: list[str] = []

    def both_states(self) -> tuple[str, ...]:
        top = [s for s, _ in self.states.most_common(2)]
        return tuple(top) if len(top) == 2 else ()

    def last_people(self, count: int) -> tuple[str, ...]:
        distinct = list(dict.fromkeys(reversed(self.people)))[:count]
        return tuple(reversed(distinct)) if len(distinct) == count else ()

    def note(self, mentions: list[Mention]) -> None:
        for mention in mentions:
            if mention.kind in ("actor",) and len(mention.refs) == 1:
                ref = mention.refs[0]
                if mention.type == "State":
                    self.states[ref] += 1
                elif mention.type == "Person":
                    self.people.append(ref)
