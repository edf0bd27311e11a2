"""The drafter of `rckg add`: sentences, relations and roles, speakers, new entities, figures,
measured against hand-made gold claims of two test articles (tests/data/drafting)."""

from __future__ import annotations

import pytest
import yaml

from bench.draftscore import ARTICLES, Judge, held_out, judge, read_article
from graph.builder.ontology import load as load_ontology
from graph.config import PROJECT_ROOT
from graph.sources import drafting, lexicon
from graph.sources.seeds import load_corpus, load_entities
from graph.sources.sentences import split
from graph.vocabulary import Terms
from tests.conftest import BASE

ENTITIES = load_entities(PROJECT_ROOT / "seeds" / "entities.yaml")
HARBIN, MOSCOW = read_article(ARTICLES / "de_harbin.txt"), read_article(ARTICLES / "en_moscow.txt")


@pytest.fixture(scope="module")
def harbin() -> drafting.Drafting:
    return drafting.draft(*HARBIN, ENTITIES)


@pytest.fixture(scope="module")
def moscow() -> drafting.Drafting:
    return drafting.draft(*MOSCOW, ENTITIES)


def sentence(found: drafting.Drafting, start: str) -> drafting.Draft:
    return next(d for d in found.drafts if d.quote.startswith(start))


def claim(found: drafting.Drafting, start: str, relation: str | None = None):
    claims = sentence(found, start).claims
    return next(c for c in claims if relation in (None, c.relation))


# --- sentences --------------------------------------------------------------------------------

def test_splitter_keeps_dates_abbreviations_and_quotes_whole():
    sentences = [s.text for s in split(HARBIN[0], language="de")]
    for whole in ("Beide Seiten unterzeichneten rund 15 Abkommen, u. a. zur Landwirtschaft und "
                  "zum Bau einer Straßenbrücke über den Amur.",
                  "Chinas Importe aus Russland erreichten im vergangenen Jahr mehr als 130 Mrd. "
                  "US-Dollar.",
                  "Schon am 7. Mai 2024 hatten Putin und Xi in Moskau eine Erklärung über die "
                  "Vertiefung der Partnerschaft unterzeichnet."):
        assert whole in sentences
    quoted = split("Lawrow sagte: »Wir sind Nachbarn.« Wang Yi stimmte zu.", language="de")
    assert [s.text for s in quoted] == ["Lawrow sagte: »Wir sind Nachbarn.«", "Wang Yi stimmte zu."]


def test_splitter_leaves_the_first_sources_sentences_as_the_coverage_check_knows_them():
    source = load_corpus(PROJECT_ROOT / "seeds").sources[0]
    sentences = split(source.text, language="de")
    assert len(sentences) == 30
    assert all(source.text[s.start:s.end] == s.text for s in sentences)


def test_title_and_subtitle_become_quotable_text(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    stem, _ = drafting.add(ARTICLES / "de_harbin.txt", seeds, ENTITIES, {})
    text = (seeds / f"{stem}.txt").read_text(encoding="utf-8")
    assert text.startswith("Zahlen in Rubel und Yuan\n\nMischustin und Li Qiang vereinbaren")
    sheet = yaml.safe_load((seeds / f"{stem}.facts.yaml").read_text(encoding="utf-8"))
    subtitle = next(f for f in sheet["facts"] if f["quote"] == "Moskau kritisiert westliche "
                                                                  "Sanktionen")
    assert (subtitle["relation"], subtitle["subject"], subtitle["object"]) == (
        "criticises", "russia", "the-west")
    assert all(f["draft"] is True and f["quote"] in text for f in sheet["facts"])


# --- lexicon and relations --------------------------------------------------------------------

def test_lexicon_names_only_relations_and_plover_types_of_the_ontology():
    ontology = load_ontology(PROJECT_ROOT / "ontology", Terms(BASE))
    data = lexicon.load().data
    for relation, entry in data["predicates"].items():
        assert relation in ontology.relations, relation
        assert bool(entry.get("symmetric")) == ontology.relations[relation], relation
        assert entry.get("plover") in ontology.concepts["plover"] | {None}, relation
        assert entry.get("de") and entry.get("en"), f"{relation}: German and English words"
    for key in ("stances", "thing_subjects"):
        assert set(data[key]) <= set(ontology.relations) | {"characterises"}


@pytest.mark.parametrize(("language", "start", "relation", "subject", "objects"), [
    ("de", "Chinas Importe aus Russland", "importsFrom", ["china"], ["russia"]),
    ("de", "Russlands Exporte nach China", "suppliesTo", ["russia"], ["china"]),
    ("de", "In einer gemeinsamen Erklärung verurteilten", "condemns", ["russia", "china"],
     ["united-states", "europaischen-union"]),
    ("de", "Li betonte, Beijing sei bereit", "buysFrom", ["china"], ["russia"]),
    ("de", "Schon am 7. Mai 2024", "signs", ["vladimir-putin", "xi-jinping"], []),
    ("en", "China's Foreign Minister Wang Yi met", "meetsWith", ["wang-yi"], ["sergei-lavrov"]),
    ("en", "The two ministers agreed", "cooperatesWith", ["wang-yi"], ["sergei-lavrov"]),
    ("en", "Wang Yi stressed that Beijing opposes", "opposes", ["china"], ["nato"]),
    ("en", "China bought more than 108 million", "buysFrom", ["china"], ["russia"]),
])
def test_relation_and_roles_follow_the_sentence(harbin, moscow, language, start, relation,
                                                 subject, objects):
    found = claim(harbin if language == "de" else moscow, start)
    assert (found.relation, found.subject, found.object) == (relation, subject, objects)


def test_a_sentence_with_two_predicates_gets_two_claims():
    found = drafting.draft("Russland lieferte 2025 mehr Öl an China und kaufte chinesische "
                           "Autos.", "de", ENTITIES)
    assert [(c.relation, c.subject, c.object) for _, c in found.claims] == [
        ("suppliesTo", ["russia"], ["china"]), ("buysFrom", ["russia"], ["china"])]


def test_a_noun_inside_a_signed_declaration_is_no_claim_of_its_own(harbin):
    claims = sentence(harbin, "Schon am 7. Mai 2024").claims
    assert [c.relation for c in claims] == ["signs"]


def test_every_draft_shows_its_confidence(tmp_path, harbin):
    text = drafting.sheet("x", harbin)
    comments = [line for line in text.splitlines() if line.strip().startswith("# confidence")]
    assert len(comments) == len(harbin.claims)
    values = [c.confidence for _, c in harbin.claims]
    assert all(0 < v < 1 for v in values)
    # a verb with both roles is surer than a stance whose only actor is its speaker
    assert claim(harbin, "Gazprom lieferte").confidence > claim(harbin, "»Wir lassen").confidence


# --- attribution and certainty ----------------------------------------------------------------

@pytest.mark.parametrize(("language", "start", "kind", "speaker"), [
    ("de", "»Wir lassen uns nicht vorschreiben", "quoted-speaker", ("michail-mischustin",)),
    ("de", "Laut Mischustin liegt das", "quoted-speaker", ("michail-mischustin",)),
    ("de", "Der Nachrichtenagentur Xinhua zufolge", "quoted-speaker", ("xinhua",)),
    ("de", "Der russische Außenminister Sergej Lawrow erklärte", "quoted-speaker",
     ("sergej-lawrow",)),
    ("de", "In einer gemeinsamen Erklärung", "joint-declaration", ()),
    ("de", "Beide Regierungen forderten", "joint-declaration", ()),
    ("en", "According to Lavrov, Wang will", "quoted-speaker", ("sergei-lavrov",)),
    ("en", "Payments in yuan", "quoted-speaker", ("russian-central-bank",)),
    ("en", "In a joint statement, Moscow", "joint-declaration", ()),
])
def test_speakers_and_joint_declarations(harbin, moscow, language, start, kind, speaker):
    said = sentence(harbin if language == "de" else moscow, start).attribution
    assert said is not None and (said.kind, said.speaker) == (kind, speaker)


def test_a_speaker_is_no_role_unless_the_claim_is_a_stance(harbin, moscow):
    blamed = claim(harbin, "Laut Mischustin")
    assert (blamed.relation, blamed.subject, blamed.object, blamed.speaker) == (
        "blames", ["michail-mischustin"], ["the-west"], ["michail-mischustin"])
    meeting = claim(moscow, "According to Lavrov")
    assert "sergei-lavrov" not in meeting.subject + meeting.object
    assert (meeting.speaker, meeting.certainty) == (["sergei-lavrov"], "planned")
    own = claim(harbin, "Gazprom lieferte")
    assert (own.attribution, own.speaker) == ("quoted-speaker", ["gazprom"])


def test_hedges_mark_the_authors_reading_in_their_clause_only(harbin, moscow):
    assessed = claim(harbin, "Russland ist offenbar")
    assert (assessed.attribution, assessed.certainty) == ("author-assessment", "hedged")
    reported = claim(moscow, "Beijing, however, appears cautious")
    assert (reported.subject, reported.attribution, reported.certainty) == (
        ["chinese-banks"], "reported", "hedged")
    planned = claim(harbin, "Russland und China wollen")
    assert (planned.attribution, planned.certainty) == ("reported", "planned")


# --- entities ---------------------------------------------------------------------------------

def test_unknown_names_are_proposed_typed_by_their_cue(harbin, moscow):
    proposals = {**harbin.names.proposals, **moscow.names.proposals}
    expected = {"sergej-lawrow": ("Person", "Sergej Lawrow", "de"),
                "li-qiang": ("Person", "Li Qiang", "de"),
                "xinhua": ("Organisation", "Xinhua", "de"),
                "harbin": ("Place", "Harbin", "de"),
                "rubel": ("Entity", "Rubel", "de"),
                "wang-yi": ("Person", "Wang Yi", "en"),
                "un-security-council": ("Organisation", "UN Security Council", "en"),
                "chinese-banks": ("GroupOfPeople", "Chinese banks", "en")}
    for slug, (kind, label, language) in expected.items():
        entry = proposals[slug].as_yaml()
        assert entry["type"] == kind
        assert entry["labels"] == {**{"de": None, "en": None, "ru": None, "zh": None},
                                   language: label}
        assert entry["wikidata"] is None  # never guessed
    assert proposals["rubel"].cue == "currency RUB (ISO 4217)"
    assert not set(proposals) & set(ENTITIES)  # known names are never proposed again
    # a surname alone ("Lawrow", "Wang") is the proposed person
    assert claim(moscow, "According to Lavrov").subject == ["wang-yi"]


def test_capitals_as_actors_are_their_states_and_places_stay_places(harbin, moscow):
    assert claim(harbin, "Moskau kritisiert").subject == ["russia"]
    condemned = claim(moscow, "In a joint statement, Moscow and Beijing")
    assert condemned.subject == ["russia", "china"]
    met = claim(moscow, "China's Foreign Minister Wang Yi met")
    assert met.place == ["moscow"] and "russia" not in met.subject + met.object


def test_generic_aliases_do_not_name_a_specific_entity(moscow):
    # "talks" is an English alias of the 2026 Putin–Xi meeting in entities.yaml
    assert "putin-xi-meeting" not in sentence(moscow, '"Our countries').entities
    assert "putin-xi-meeting" not in drafting.draft(
        "Bei den Gesprächen in Harbin ging es um Getreide.", "de", ENTITIES).drafts[0].entities


def test_a_currency_after_a_number_names_no_state(harbin):
    found = sentence(harbin, "Chinas Importe aus Russland")
    assert "united-states" not in found.entities


# --- figures ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "start", "figures"), [
    ("de", "Chinas Importe aus Russland", [(130, "USD", "lower", False, None)]),
    ("de", "Russlands Exporte nach China", [(16, "PERCENT", None, False, "decrease")]),
    ("de", "China importierte im März 2026", [(1.2, "TONNE", None, True, None)]),
    ("de", "Gazprom lieferte", [(45, "M3", "lower", False, None)]),
    ("en", "China's imports from Russia fell", [(9, "PERCENT", None, False, "decrease"),
                                                (125, "USD", None, True, None)]),
    ("en", "Rosatom, which manages", [(3.2, "TONNE", None, False, None),
                                      (40, "PERCENT", None, False, "increase")]),
])
def test_figures_keep_unit_bound_approximation_and_sign(harbin, moscow, language, start,
                                                        figures):
    found = sentence(harbin if language == "de" else moscow, start).quantities
    assert [(q["value"], q["unit"], q.get("bound"), bool(q.get("approximate")),
             q.get("direction")) for q in found] == figures
    assert all(q["text"] in sentence(harbin if language == "de" else moscow, start).quote
               for q in found)


def test_changes_are_changes_and_currencies_are_volumes(harbin):
    fell = sentence(harbin, "Russlands Exporte nach China").quantities[0]
    assert fell["role"] == "change"
    assert sentence(harbin, "Chinas Importe aus Russland").quantities[0]["role"] == "volume"


@pytest.mark.parametrize(("text", "time"), [
    ("Schon am 7. Mai 2024 hatten Putin und Xi in Moskau eine Erklärung unterzeichnet.",
     {"text": "am 7. Mai 2024", "precision": "day", "start": "2024-05-07",
      "end": "2024-05-07"}),
    ("China importierte im März 2026 rund 1,2 Millionen Tonnen Weizen aus Russland.",
     {"text": "im März 2026", "precision": "month", "start": "2026-03-01",
      "end": "2026-03-31"}),
    ("Chinese banks have reportedly delayed several projects since March 2025.",
     {"text": "since March 2025", "precision": "month", "start": "2025-03-01",
      "end": "2025-03-31"}),
    ("Wang Yi met Sergei Lavrov in Moscow on Tuesday.",
     {"text": "on Tuesday", "precision": "weekday"}),
])
def test_months_and_days_keep_their_precision(text, time):
    assert drafting.find_period(text)[0] == time


# --- measured against the gold ----------------------------------------------------------------

@pytest.mark.parametrize("article", ["de_harbin.txt", "en_moscow.txt"])
def test_drafts_measured_against_the_gold(article):
    """At least half of the drafts usable as drafted, at least 60 % of the gold claims found
    at least in part (figures in docs/curation.md)."""
    score = judge(ARTICLES / article).score()
    assert score.drafts > 0 and score.gold >= 15
    assert score.precision >= 0.5, score
    assert score.recall >= 0.6, score


def test_drafts_of_the_first_source_against_its_curated_sheet():
    """Held out: a text and a gold list not written for the drafter (measured 5/12 usable,
    24/64 found in part; docs/curation.md). Floors below the measure catch a regression."""
    score = held_out().score()
    assert score.gold == len(load_corpus(PROJECT_ROOT / "seeds").sources[0].facts)
    assert score.precision >= 0.4, score
    assert score.recall >= 0.35, score


def test_the_judge_tells_a_wrong_draft_from_a_right_one(harbin):
    gold = yaml.safe_load((ARTICLES / "de_harbin.gold.yaml").read_text(encoding="utf-8"))
    judged = Judge(HARBIN[0], harbin, gold["claims"])
    right = claim(harbin, "Chinas Importe aus Russland")
    quote = sentence(harbin, "Chinas Importe aus Russland").quote
    target = next(g for g in gold["claims"] if g["id"] == "imports-value")
    assert judged.usable(target, quote, right)
    from dataclasses import replace
    for wrong in (replace(right, relation="buysFrom"), replace(right, subject=["russia"]),
                  replace(right, certainty="approximate"),
                  replace(right, quantities=[{**right.quantities[0], "bound": None}])):
        assert not judged.usable(target, quote, wrong)
    assert judged.partly(target, quote, replace(right, relation="buysFrom"))


def test_gold_spans_are_verbatim_text():
    for article in sorted(ARTICLES.glob("*.txt")):
        text, _ = read_article(article)
        gold = yaml.safe_load(article.with_suffix(".gold.yaml").read_text(encoding="utf-8"))
        assert all(claim["in"] in text for claim in gold["claims"]), article


def test_drafting_never_writes_to_reviewed_facts(tmp_path):
    import shutil

    seeds = tmp_path / "seeds"
    shutil.copytree(PROJECT_ROOT / "seeds", seeds)
    before = {p.name: p.read_bytes() for p in seeds.iterdir()}
    for article in ("de_harbin.txt", "en_moscow.txt"):
        drafting.add(ARTICLES / article, seeds, ENTITIES, {})
    after = {p.name: p.read_bytes() for p in seeds.iterdir() if p.name in before}
    assert after == before
    assert len(list(seeds.iterdir())) == len(before) + 6



def test_reviewed_drafts_pass_the_checks_but_proposals_wait_for_the_entity_list(tmp_path):
    """A draft the curator accepts as drafted is a valid fact (quote, figures, time, names);
    one that names a proposed entity fails until the proposal is moved to entities.yaml."""
    import shutil

    from graph.builder.checks import check_corpus

    seeds = tmp_path / "seeds"
    shutil.copytree(PROJECT_ROOT / "seeds", seeds)
    ontology = load_ontology(PROJECT_ROOT / "ontology", Terms(BASE))
    stems = {name: drafting.add(folder / f"{name}.txt", seeds, ENTITIES, {})[0]
             for folder, name in ((PROJECT_ROOT / "tests" / "data" / "sources", "en_visit"),
                                  (ARTICLES, "de_harbin"))}
    for stem in stems.values():
        assert drafting.review(seeds / f"{stem}.facts.yaml", None)
    problems = check_corpus(load_corpus(seeds), ontology)
    proposed = set(drafting.draft(*HARBIN, ENTITIES).names.proposals)
    assert problems and all(stems["de_harbin"] in str(p.file) for p in problems)
    assert all("unknown actor or entity" in p.message
               and p.message.rstrip("'").rsplit("'", 1)[-1] in proposed for p in problems)
