"""Claims proposed from one sentence: relation, who acts on whom, who says so, how surely.

Each predicate word of the lexicon in a sentence proposes a claim. Its subject is the nearest
actor (or "A und B") before the word that no preposition governs, its object the nearest actor
after it, else one a preposition governs before it (German puts verbs last), else a demonym
("russisches Getreide" → Russia). A speaker ("sagte X", "laut X", "X zufolge") is never a
role unless the claim is a stance with no other actor ("X erklärte, … »…«": X characterises).
Certainty and the author's assessment are read in the clause of the predicate only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph.sources.lexicon import Lexicon, Predicate, find_terms, head_noun, matches
from graph.sources.mentions import Context, Mention, Word

_COORDINATORS = {"und", "and", "sowie", ",", "der", "die", "des", "dem", "the", "sein", "seine",
                 "ihr", "ihre", "his", "her", "their"}
_PREPOSITIONS = {"in", "im", "nach", "aus", "von", "vom", "bei", "mit", "an", "auf", "für",
                 "gegen", "über", "zu", "zur", "zum", "to", "from", "with", "at", "into", "of",
                 "for", "against", "on", "by"}
_QUOTES = set("»«\"“”„")
# Types that can act: only these are subjects (a treaty or a pipeline is an object)
ACTOR_TYPES = {"State", "Person", "Organisation", "Company", "Industry", "GroupOfPeople",
               "Actor"}


@dataclass
class Claim:
    relation: str
    plover: str | None
    subject: list[str]
    object: list[str] = field(default_factory=list)
    place: list[str] = field(default_factory=list)
    attribution: str = "reported"
    speaker: list[str] = field(default_factory=list)
    certainty: str = "plain"
    quantities: list[dict[str, Any]] = field(default_factory=list)
    time: dict[str, str] | None = None
    confidence: float = 0.0
    trigger: str = ""
    noun: bool = False  # proposed by a noun ("Importe"), not a verb


@dataclass(frozen=True)
class Attribution:
    kind: str  # reported, quoted-speaker, joint-declaration, author-assessment
    speaker: tuple[str, ...]
    speaker_at: frozenset[int]  # mention indexes that are the speaker
    own: bool  # "nach eigenen Angaben": the subject speaks
    scope: tuple[int, int] | None = None  # words it covers when only a relative clause


def _group(mentions: list[Mention], words: list[Word], indexes: list[int]) -> list[list[int]]:
    """Runs of mentions joined by "und"/"and"/commas (and words like "sein chinesischer
    Amtskollege" after a coordinator)."""
    groups: list[list[int]] = []
    for index in indexes:
        if groups:
            last = mentions[groups[-1][-1]]
            gap = [w.lower for w in words[last.end:mentions[index].start]]
            joined = not gap or (gap[0] in _COORDINATORS and gap[0] not in (",",) and
                                 len(gap) <= 4 and not any(g in ":;»«\"" for g in gap))
            if gap and gap[0] == "," and len(gap) == 1:
                joined = True
            if joined and (gap or mentions[index].type == last.type):
                groups[-1].append(index)
                continue
        groups.append([index])
    return groups


def _refs(mentions: list[Mention], group: list[int]) -> list[str]:
    return list(dict.fromkeys(r for i in group for r in mentions[i].refs))


def attribution(words: list[Word], mentions: list[Mention], lex: Lexicon, language: str,
                context: Context, joint_before: bool) -> Attribution:
    """Who the sentence says is speaking, if anyone."""
    folded = [w.lower for w in words]
    actors = [i for i, m in enumerate(mentions) if m.kind in ("actor", "group")]
    if find_terms(lex.words("attribution", "joint", language), folded, 1):
        return Attribution("joint-declaration", (), frozenset(), False)
    if find_terms(lex.words("attribution", "own", language), folded, 0):
        return Attribution("quoted-speaker", (), frozenset(), True)
    for a, b in find_terms(lex.words("attribution", "before", language), folded, 0):
        near = [i for i in actors if b <= mentions[i].start <= b + 6]
        if near:
            return _speaker(mentions, near[0], _relative(words, a))
    for a, _ in find_terms(lex.words("attribution", "after", language), folded, 0):
        near = [i for i in actors if a - 4 <= mentions[i].end <= a]
        if near:
            return _speaker(mentions, near[-1])
    pronouns = set(lex.words("actors", "pronouns", language))
    for a, b in find_terms(lex.words("attribution", "speech", language), folded, 0):
        after = [i for i in actors if mentions[i].start == b]
        if after:
            return _speaker(mentions, after[0])
        if b < len(folded) and folded[b] in pronouns and context.last_people(1):
            return Attribution("quoted-speaker", context.last_people(1), frozenset(), False)
        before = [i for i in actors if a - 8 <= mentions[i].end <= a]
        if before:
            return _speaker(mentions, before[-1])
    if joint_before and any(m.kind == "group" and m.type == "State" for m in mentions):
        return Attribution("joint-declaration", (), frozenset(), False)
    return Attribution("reported", (), frozenset(), False)


def _speaker(mentions: list[Mention], index: int,
             scope: tuple[int, int] | None = None) -> Attribution:
    return Attribution("quoted-speaker", mentions[index].refs, frozenset({index}), False, scope)


_RELATIVE = {"die", "der", "das", "which", "who", "that"}


def _relative(words: list[Word], at: int) -> tuple[int, int] | None:
    """The relative clause ", die … ," that word `at` stands in, if any: "Kooperation, die
    laut Putin ein »beispiellooses Niveau« erreicht hat" attributes only the clause."""
    start = next((i for i in range(at - 1, 0, -1) if words[i].text in (",", ":", ";")), None)
    if start is None or words[start + 1].lower not in _RELATIVE:
        return None
    end = next((i for i in range(at, len(words)) if words[i].text in (",", ":", ";")),
               len(words))
    return start + 1, end


def _clause(words: list[Word], at: int) -> tuple[int, int]:
    """The word range between the colons or semicolons around word `at`."""
    start, end = 0, len(words)
    for i, word in enumerate(words):
        if word.text in (":", ";"):
            if i < at:
                start = i + 1
            elif i > at:
                end = i
                break
    return start, end


def _cue(lex: Lexicon, words: list[Word], span: tuple[int, int], skip: tuple[int, int],
         *path: str) -> bool:
    """Whether a cue word of `path` stands in `span` outside `skip` (the predicate itself);
    capitalised words other than the first are names ("May"), not cues."""
    folded = [w.lower if (i == span[0] or not w.capital) and not skip[0] <= i < skip[1]
              else "" for i, w in enumerate(words)]
    return bool(find_terms(lex.words(*path), folded[span[0]:span[1]], 0))


def propose(words: list[Word], mentions: list[Mention], lex: Lexicon, language: str,
            context: Context, quantities: list[dict[str, Any]], time: dict[str, str] | None,
            joint_before: bool) -> tuple[list[Claim], Attribution]:
    """The claims of one sentence (none when no predicate has an actor)."""
    said = attribution(words, mentions, lex, language, context, joint_before)
    folded = [w.lower for w in words]
    triggers: list[tuple[int, int, Predicate]] = []
    named = {i for m in mentions for i in range(m.start, m.end)}
    for at in range(len(folded)):
        if at in named or any(a <= at < b for a, b, _ in triggers):
            continue  # "Energiekooperation" is an entity here, not a predicate
        for entry in lex.predicates.get(language, ()):
            if matches(entry.words, folded, at) or (
                    entry.noun and language == "de" and head_noun(entry.words, folded[at])):
                triggers.append((at, at + len(entry.words), entry))
                break
    roles = [i for i, m in enumerate(mentions)
             if m.kind in ("actor", "group") and i not in said.speaker_at
             and m.type != "Entity"]
    governed = {i for i in roles if mentions[i].start > 0
                and folded[mentions[i].start - 1] in _PREPOSITIONS}
    for group in _group(mentions, words, roles):  # "of Russia and China": both governed
        if group[0] in governed:
            governed.update(group)
    roles = [i for i in roles if not _modifier(mentions, words, i)]
    places = [r for m in mentions if m.kind == "place" for r in m.refs]
    quoted = any(w.text in _QUOTES for w in words)
    capitals = lex.data["actors"]["capitals"]
    claims: list[Claim] = []
    for start, end, entry in triggers:
        claim = _roles(entry, start, end, mentions, words, roles, governed, said, lex,
                       context.both_states(), language)
        if claim is None:
            continue
        _qualify(claim, words, (start, end), said, lex, language, quantities)
        claim.place, claim.time = places, time
        if not claim.object and places and entry.relation in lex.words("destinations"):
            # "Putin zu Gast in Beijing": a visit's place is where it goes, a capital its state
            claim.object = [capitals.get(places[0], places[0])]
        claim.quantities = quantities
        claims.append(claim)
    if not claims and said.kind == "quoted-speaker" and said.speaker and quoted:
        claim = Claim("characterises", None, list(said.speaker), trigger="»…«")
        _qualify(claim, words, (0, 0), said, lex, language, quantities)
        claim.confidence = 0.3
        claims.append(claim)
    return _unique(claims), said


def _modifier(mentions: list[Mention], words: list[Word], index: int) -> bool:
    """Whether a state only qualifies the person named next ("China's leader Xi Jinping",
    "Russlands Präsident Putin"): then the person acts, not the state."""
    mention = mentions[index]
    if mention.type != "State" or index + 1 >= len(mentions):
        return False
    following = mentions[index + 1]
    gap = words[mention.end:following.start]
    return (following.type == "Person" and len(gap) <= 3
            and all(w.text[:1].isalpha() and w.lower not in _COORDINATORS for w in gap)
            and (words[mention.end - 1].lower.endswith(("'s", "’s", "s")) or not gap))


def _roles(entry: Predicate, start: int, end: int, mentions: list[Mention], words: list[Word],
           roles: list[int], governed: set[int], said: Attribution, lex: Lexicon,
           both: tuple[str, ...], language: str) -> Claim | None:
    left = [i for i in roles if mentions[i].end <= start]
    bound = next((i for i in range(end, len(words) - 1) if words[i].text == ","
                  and words[i + 1].lower in _RELATIVE), len(words))
    right = [i for i in roles if end <= mentions[i].start < bound]
    acts = set(ACTOR_TYPES) if entry.relation not in lex.words("thing_subjects") else None
    free_left = _group(mentions, words, [i for i in left if i not in governed
                                         and (acts is None or mentions[i].type in acts)])
    right_groups = _group(mentions, words, right)
    subject = _refs(mentions, free_left[-1]) if free_left else []
    confidence = 0.45 if entry.noun else 0.55
    rest = right_groups
    if not subject:  # "Representatives of Russia and China signed": they act through others
        owners = [g for g in _group(mentions, words, [i for i in left if i in governed])
                  if words[mentions[g[0]].start - 1].lower in ("of", "von")]
        subject = _refs(mentions, owners[-1]) if owners else []
    if not subject and len(right_groups) >= 2 and not any(
            i in governed or (acts is not None and mentions[i].type not in acts)
            for i in right_groups[0]):
        subject, rest = _refs(mentions, right_groups[0]), right_groups[1:]
    if not subject and not entry.noun and lex.data.get("verb_second") == language \
            and len(right_groups) == 1 \
            and not any(
            i in governed or (acts is not None and mentions[i].type not in acts)
            for i in right_groups[0]):  # "Im Studienjahr … studierten 56.000 Studierende"
        subject, rest = _refs(mentions, right_groups[0]), []
    objects = _refs(mentions, rest[0]) if rest else []
    if not objects:
        before = _group(mentions, words, [i for i in left if i in governed])
        objects = _refs(mentions, before[-1]) if before else []
    if entry.symmetric and len(subject) >= 2:
        subject, objects = subject[:1], subject[1:]
    if not subject and said.own:
        return None
    if not subject and entry.relation in lex.words("stances") and said.speaker:
        subject, confidence = list(said.speaker), confidence - 0.15
    if not subject and said.kind == "joint-declaration":
        subject = list(both)  # a joint declaration is the two states' own
    if not subject:
        return None
    if not objects:
        demonyms = [m.refs[0] for m in mentions if m.kind == "demonym"
                    and m.refs[0] not in subject]
        if demonyms:
            objects, confidence = demonyms[:1], confidence - 0.1
    objects = [o for o in objects if o not in subject]
    if objects:
        confidence += 0.25
    claim = Claim(entry.relation, entry.plover, subject, objects,
                  trigger=" ".join(w.text for w in words[start:end]), noun=entry.noun)
    claim.confidence = round(min(confidence, 0.95), 2)
    return claim


def _qualify(claim: Claim, words: list[Word], trigger: tuple[int, int], said: Attribution,
             lex: Lexicon, language: str, quantities: list[dict[str, Any]]) -> None:
    """Attribution, speaker and certainty of one claim."""
    span = _clause(words, trigger[0]) if trigger[1] else (0, len(words))
    claim.attribution = said.kind
    claim.speaker = list(said.speaker) if not said.own else list(claim.subject)
    if said.scope and not said.scope[0] <= trigger[0] < said.scope[1]:
        claim.attribution, claim.speaker = "reported", []
    if said.own:
        claim.attribution = "quoted-speaker"
    hedged = _cue(lex, words, span, trigger, "certainty", "hedged", language)
    if hedged and said.kind == "reported" and _cue(lex, words, span, trigger, "assessment",
                                                     language):
        claim.attribution = "author-assessment"
    if hedged:
        claim.certainty = "hedged"
    elif _cue(lex, words, span, trigger, "certainty", "planned", language):
        claim.certainty = "planned"
    elif any(q.get("approximate") for q in quantities):
        claim.certainty = "approximate"
    if claim.attribution in ("quoted-speaker", "joint-declaration"):
        claim.confidence = round(min(claim.confidence + 0.05, 0.95), 2)


def _unique(claims: list[Claim]) -> list[Claim]:
    """One claim per relation; a noun's claim only where no verb's has the same actors
    ("eine Erklärung über die Vertiefung der Partnerschaft unterzeichnet" is a signing)."""
    kept: list[Claim] = []
    for claim in sorted(claims, key=lambda c: (c.noun, -c.confidence)):
        actors = frozenset(claim.subject) | frozenset(claim.object)
        if any(k.relation == claim.relation or
               (claim.noun and actors <= (frozenset(k.subject) | frozenset(k.object)))
               for k in kept):
            continue
        kept.append(claim)
    return kept
