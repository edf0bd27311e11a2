"""Strict seed loading: what YAML would accept silently is an error naming file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.builder import checks
from graph.builder.ontology import load as load_ontology
from graph.config import PROJECT_ROOT
from graph.errors import SeedError
from graph.sources.seeds import load_corpus, load_entities
from graph.vocabulary import Terms

GOOD = """russia:
  type: State
  labels: {de: Russland, en: Russia, ru: Россия, zh: 俄罗斯}
"""


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "entities.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SeedError) as caught:
        load_entities(path)
    return [f"{p.file.name}:{p.line}: {p.message}" for p in caught.value.problems]


def test_unquoted_comma_in_a_flow_mapping_cuts_no_label_silently(tmp_path: Path) -> None:
    found = problems_of(tmp_path, GOOD + """students:
  type: StudentFlow
  labels: {de: Studierende, en: students, ru: китайские студенты, обучающиеся в России, zh: 学生}
""")
    assert found == ["entities.yaml:6: entity 'students' labels: 'обучающиеся в России' is not "
                     "a language (de, en, ru, zh); an unquoted comma in a {…} mapping cuts a "
                     "value there: quote it"]


@pytest.mark.parametrize(("extra", "line", "message"), [
    ("  colour: red\n", 4, "entity 'russia': unknown key 'colour'"),
    ("  wikidata: 159\n", 4, "entity 'russia': 'wikidata' must be a string, not int 159"),
    ("  party: {a: b}\n", 4, "entity 'russia': 'party' must be a string or a list of strings"),
    ("  aliases: {de: Russische Föderation}\n", 4,
     "entity 'russia' aliases de: expected a list of strings"),
    ("  aliases: {fr: [Russie]}\n", 4, "entity 'russia' aliases: 'fr' is not a language"),
    ("  type: City\n", 4, "duplicate key 'type'"),
])
def test_wrong_entity_fields_are_named_with_their_line(tmp_path: Path, extra: str, line: int,
                                                       message: str) -> None:
    found = problems_of(tmp_path, GOOD + extra)
    assert len(found) == 1 and found[0].startswith("entities.yaml:") and message in found[0]
    assert found[0].split(":")[1] == str(line)


def seeds_with(tmp_path: Path, old: str, new: str, file: str) -> Path:
    """A copy of the project's seeds with one replacement in `file`."""
    seeds = tmp_path / "seeds"
    seeds.mkdir(parents=True)
    for source in (PROJECT_ROOT / "seeds").iterdir():
        text = source.read_bytes()
        if source.name == file:
            assert old.encode() in text, old
            text = text.replace(old.encode(), new.encode(), 1)
        (seeds / source.name).write_bytes(text)
    return seeds


@pytest.mark.parametrize(("old", "new", "message"), [
    ("    certainty: plain\n    quote: 'Putin zu Gast in Beijing'",
     "    certainty: plain\n    colour: red\n    quote: 'Putin zu Gast in Beijing'",
     "fact 'visit': unknown key 'colour'"),
    ("    quote: 'Putin zu Gast in Beijing'", "    quote: 'Putin zu Gast in Beijing'\n"
     "    occurrence: first", "fact 'visit': 'occurrence' must be a whole number"),
    ("{text: am Mittwoch, precision: weekday}", "{text: am Mittwoch, precison: weekday}",
     "time: unknown key 'precison'"),
    ("{role: change, text: '35 Prozent', value: 35, unit: PERCENT,",
     "{role: change, text: '35 Prozent', value: '35', unit: PERCENT,",
     "quantity: 'value' must be a number"),
    ("no_claim:\n  - quote:", "no_claims:\n  - quote:", "fact sheet: unknown key 'no_claims'"),
    ("unit: PERCENT, direction: increase}", "unit: PERCENT, direction: up}",
     "quantity: direction must be one of increase, decrease, not 'up'"),
    ("unit: PERCENT, direction: increase}", "unit: PERCENT, bound: more}",
     "quantity: bound must be one of lower, upper, not 'more'"),
    ("unit: PERCENT, direction: increase}", "unit: PERCENT, approximate: 'yes'}",
     "quantity: 'approximate' must be true or false"),
])
def test_wrong_fact_fields_are_named(tmp_path: Path, old: str, new: str, message: str) -> None:
    seeds = seeds_with(tmp_path, old, new, "000_fdbe017421ca9382.facts.yaml")
    with pytest.raises(SeedError) as caught:
        load_corpus(seeds)
    found = [str(p) for p in caught.value.problems]
    assert len(found) == 1 and message in found[0]
    assert ".facts.yaml:" in found[0]


def label_problems(tmp_path: Path, old: str, new: str) -> list[str]:
    seeds = seeds_with(tmp_path, old, new, "entities.yaml")
    corpus = load_corpus(seeds)
    ontology = load_ontology(PROJECT_ROOT / "ontology", Terms("http://127.0.0.1:8000/"))
    return [p.message for p in checks.check_corpus(corpus, ontology)]


def test_two_entities_with_one_label_fail_the_build(tmp_path: Path) -> None:
    found = label_problems(tmp_path, "de: Studierendenstrom von China nach Russland",
                           "de: chinesische Studierende in Russland")
    assert found == ["entity 'students-china-russia': label 'chinesische Studierende in "
                     "Russland'@de is already the label of 'chinese-students'"]


def test_an_alias_that_repeats_the_label_or_names_another_entity_fails(tmp_path: Path) -> None:
    found = label_problems(tmp_path, '["Договор о добрососедстве, дружбе и сотрудничестве"]',
                           "[Договор о добрососедстве, дружбе и сотрудничестве]")
    assert found == ["entity 'treaty-of-good-neighbourliness': alias 'Договор о "
                     "добрососедстве'@ru repeats its label"]
    found = label_problems(tmp_path / "b", "aliases: {de: [SOZ]", "aliases: {de: [China]")
    assert found == ["entity 'sco': alias 'China'@de is the label of 'china'"]


def test_the_russian_labels_are_whole() -> None:
    entities = load_entities(PROJECT_ROOT / "seeds" / "entities.yaml")
    assert entities["students-china-russia"].labels["ru"] == "поток студентов из Китая в Россию"
    assert entities["treaty-of-good-neighbourliness"].aliases["ru"] == [
        "Договор о добрососедстве, дружбе и сотрудничестве"]
    assert entities["the-west"].type == "GroupOfStates"
    assert entities["ukraine-war"].wikidata is None  # not confirmed: left absent


def test_what_the_words_around_a_figure_say_reaches_the_graph(tmp_path: Path) -> None:
    """"Steigerung … um 35 Prozent" is an increase; "rund", "mehr als" qualify a figure: each
    is kept with the quantity in RDF, not dropped by the loader."""
    from rdflib import Literal, Namespace

    from graph.builder.rdf import build_dataset

    seeds = seeds_with(tmp_path, "unit: PERCENT, direction: increase}",
                       "unit: PERCENT, direction: increase, bound: lower, approximate: true}",
                       "000_fdbe017421ca9382.facts.yaml")
    terms = Terms("http://127.0.0.1:8000/")
    corpus = load_corpus(seeds)
    dataset = build_dataset(corpus, load_ontology(PROJECT_ROOT / "ontology", terms), terms)
    rckg = Namespace(terms.rckg)
    change = next(o for _, _, o, _ in dataset.quads((None, rckg.change, None, None)))
    for prop, value in ((rckg.direction, Literal("increase")), (rckg.bound, Literal("lower")),
                        (rckg.approximate, Literal(True))):
        assert any(dataset.quads((change, prop, value, None))), prop
