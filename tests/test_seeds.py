"""The seeds as the build reads them: the article unchanged, every sentence covered,
every quote verbatim, every figure as the article states it."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from graph.builder import checks
from graph.builder.pipeline import BuildReport
from graph.config import PROJECT_ROOT
from graph.sources.numbers import first_number, parse_number, years_in
from graph.sources.seeds import load_corpus
from graph.sources.sentences import split
from tests.conftest import shared_path

SEEDS = PROJECT_ROOT / "seeds"
ARTICLE = SEEDS / "000_fdbe017421ca9382.txt"


def test_article_is_byte_for_byte_the_shared_seed():
    assert ARTICLE.read_bytes() == shared_path("seeds", "000_fdbe017421ca9382.txt").read_bytes()


def test_article_keeps_its_typos_and_markup():
    text = ARTICLE.read_text(encoding="utf-8")
    assert "beispiellooses" in text and "Eröffnungszereemonie" in text and "](#)" in text


def test_every_sentence_is_covered(built: BuildReport):
    assert built.uncovered == []
    assert built.sentences == built.covered == 28


def test_sentences_include_title_and_subtitle_but_not_byline_or_url():
    text = ARTICLE.read_text(encoding="utf-8")
    url = "<https://www.jungewelt.de/artikel/522920.russland-china-auf-gute-nachbarschaft.html>"
    sentences = [s.text for s in split(text, ["Von Jörg Kronauer", url])]
    assert sentences[0] == "Auf gute Nachbarschaft"
    assert sentences[2] == "Kritik Richtung USA"
    assert not any("Kronauer" in s or "jungewelt" in s for s in sentences)
    broken = next(s for s in sentences if s.startswith("Mehrere Vereinbarungen"))
    assert broken.endswith("beide Staaten den visafreien Verkehr bis Ende 2027 ausgedehnt.")


def test_every_quote_is_verbatim_and_every_figure_is_in_its_quote():
    corpus = load_corpus(SEEDS)
    text = ARTICLE.read_text(encoding="utf-8")
    source = corpus.sources[0]
    assert len(source.facts) >= 60
    for fact in source.facts:
        assert fact.quote in text, fact.id
        for quantity in fact.quantities:
            assert quantity.text in fact.quote, fact.id
            stated = first_number(quantity.text, "de")
            assert stated is not None and stated.value == Decimal(str(quantity.value)), fact.id
        if fact.time:
            assert fact.time.text in fact.quote, fact.id


def test_every_fact_records_attribution_and_certainty():
    facts = load_corpus(SEEDS).sources[0].facts
    attributions = {f.get("attribution") for f in facts}
    assert attributions == {"reported", "quoted-speaker", "joint-declaration", "author-assessment"}
    assert {f.get("certainty") for f in facts} == {
        "plain", "approximate", "planned", "unresolved", "hedged"}


def test_visit_date_is_not_invented():
    facts = load_corpus(SEEDS).sources[0].facts
    for fact in facts:
        if fact.time and "Mittwoch" in fact.time.text:
            assert fact.time.start is None and fact.time.end is None, fact.id


@pytest.mark.parametrize(
    ("token", "language", "value"),
    [("56.000", "de", "56000"), ("1,5", "de", "1.5"), ("100.000", "de", "100000"),
     ("56,000", "en", "56000"), ("2.5", "en", "2.5"), ("49", "de", "49")],
)
def test_numbers_read_in_the_texts_notation(token, language, value):
    assert parse_number(token, language) == Decimal(value)


def test_scale_words_and_years():
    stated = first_number("rund 49 Milliarden Kubikmeter", "de")
    assert stated is not None and stated.scaled == Decimal("49e9")
    assert years_in("im Studienjahr 2024/25") == {2024, 2025}
    assert years_in("im ersten Quartal 2026") == {2026}


def test_ambiguous_quote_needs_an_occurrence():
    assert isinstance(checks.locate("Putin", "Putin und Putin", None), str)
    assert checks.locate("Putin", "Putin und Putin", 2) == (10, 15)


def test_divergence_message_points_at_the_difference():
    text = "China ist der wichtigste Käufer"
    message = checks.locate("China ist der wichtigste Verkäufer", text, None)
    assert isinstance(message, str)
    assert re.search(r"matches for 25 characters", message)
