"""Competency questions: what an analyst asks of the graph of the article "Auf gute Nachbarschaft".

Each test is one question (or one family of questions) about the junge Welt article by Jörg
Kronauer on Putin's visit to Beijing (seeds/000_fdbe017421ca9382.txt). Its expected answer is
written out from the article itself, not read back from the graph. Fact ids are those of the
article's fact sheet; entities are named by their slugs (the local part of `id:` IRIs).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.store.embedded import OxigraphStore
from tests.conftest import run, values

ARTICLE = Path(__file__).resolve().parents[1] / "seeds" / "000_fdbe017421ca9382.txt"
SOURCE = "junge-welt-522920"
FACT = f"http://127.0.0.1:8000/fact/{SOURCE}/"
URL = "https://www.jungewelt.de/artikel/522920.russland-china-auf-gute-nachbarschaft.html"
WD = "http://www.wikidata.org/entity/"
JOINT = {"china", "russia"}  # the two states as joint actors

# A SPARQL expression that turns an entity IRI into its slug.
SLUG = "STRAFTER(STR({}), STR(id:))"


def fact_iri(fact_id: str) -> str:
    return f"<{FACT}{fact_id}>"


def column(store: OxigraphStore, sparql: str) -> set[str]:
    """The values of the first (only) variable of a SELECT, as a set."""
    return {row[0] for row in values(store, sparql)}


def fact_ids(store: OxigraphStore, pattern: str) -> set[str]:
    """The ids of the statements ?f that match `pattern`."""
    return column(store, f"""
        SELECT ?id WHERE {{ ?f a rckg:Statement ; rckg:factId ?id . {pattern} }}
    """)


def links(store: OxigraphStore, fact_id: str, prop: str) -> set[str]:
    """Slugs of the entities a statement links to by `prop` (subject, object, about, ...)."""
    return column(store, f"""
        SELECT ?slug WHERE {{ {fact_iri(fact_id)} {prop} ?e . BIND({SLUG.format('?e')} AS ?slug) }}
    """)


def concept(store: OxigraphStore, fact_id: str, prop: str) -> set[str]:
    """The skos:notation of the concepts a statement has by `prop` (attribution, certainty, ...)."""
    return column(store, f"""
        SELECT ?code WHERE {{ {fact_iri(fact_id)} {prop} ?c . ?c skos:notation ?code }}
    """)


def relation(store: OxigraphStore, fact_id: str) -> set[str]:
    return column(store, f"""
        SELECT ?name WHERE {{ {fact_iri(fact_id)} rckg:relation ?r .
                             BIND(STRAFTER(STR(?r), STR(rckg:)) AS ?name) }}
    """)


def time_of(store: OxigraphStore, fact_id: str) -> list[tuple[str, ...]]:
    """(time text, precision, start, end) of a statement's time; '' where a date is absent."""
    return values(store, f"""
        SELECT ?text ?precision ?start ?end WHERE {{
            {fact_iri(fact_id)} rckg:time ?t .
            ?t rckg:timeText ?text ; rckg:precision ?p . ?p skos:notation ?precision .
            OPTIONAL {{ ?t rckg:start ?start }} OPTIONAL {{ ?t rckg:end ?end }}
        }}
    """)


def quantities(store: OxigraphStore, pattern: str,
               role: str) -> list[tuple[str, float, float, str]]:
    """(stated text, stated value, normalised value, unit) of the `role` quantities of the
    statements matching `pattern` (about ?f)."""
    rows = values(store, f"""
        SELECT ?text ?stated ?value ?unit WHERE {{
            ?f {pattern} ; rckg:{role} ?q .
            ?q rckg:statedText ?text ; rckg:statedValue ?stated ; qudt:numericValue ?value ;
               qudt:unit ?unit . }}
    """)
    return [(t, float(st), float(v), u) for t, st, v, u in rows]


def article_text() -> str:
    return ARTICLE.read_text(encoding="utf-8")


# --- title and subtitle ---------------------------------------------------------------------


def test_article_metadata(store: OxigraphStore) -> None:
    """Which article is this: title, subtitle, author, publisher, language and address?"""
    rows = values(store, f"""
        SELECT ?title ?subtitle ?author ?publisher ?lang ?url WHERE {{
            <http://127.0.0.1:8000/source/{SOURCE}> dcterms:title ?title ;
                schema:alternativeHeadline ?subtitle ; dcterms:creator ?author ;
                dcterms:publisher ?publisher ; dcterms:language ?lang ; schema:url ?url .
        }}
    """)
    assert rows == [(
        "Auf gute Nachbarschaft",
        "Putin zu Gast in Beijing: Zahlreiche Abkommen zur wirtschaftlichen und "
        "gesellschaftspolitischen Kooperation getroffen. Kritik Richtung USA",
        "Jörg Kronauer", "junge Welt", "de", URL,
    )]


def test_visit_and_no_invented_host(store: OxigraphStore) -> None:
    """Subtitle: who is a guest where ("Putin zu Gast in Beijing")? The text names no host:
    the meeting sentence it was once read from only says that the two met."""
    rows = values(store, """
        SELECT ?id ?s ?rel ?o ?place WHERE {
            ?f rckg:factId ?id ; rckg:relation ?r ; rckg:subject ?sub ; rckg:object ?obj ;
               rckg:place ?pl .
            VALUES ?r { rckg:visits rckg:hosts }
            BIND(STRAFTER(STR(?r), STR(rckg:)) AS ?rel)
            BIND(STRAFTER(STR(?sub), STR(id:)) AS ?s) BIND(STRAFTER(STR(?obj), STR(id:)) AS ?o)
            BIND(STRAFTER(STR(?pl), STR(id:)) AS ?place)
        }
    """)
    assert rows == [("visit", "vladimir-putin", "visits", "china", "beijing")]
    assert concept(store, "visit", "rckg:ploverType") == {"CONSULT"}


def quotes_of(store: OxigraphStore, fact_id: str) -> set[str]:
    """Every quote a fact rests on: the exact text of each of its evidence annotations."""
    return column(store, f"""SELECT ?exact WHERE {{ {fact_iri(fact_id)} rckg:evidence ?e .
                             ?e oa:hasTarget/oa:hasSelector/oa:exact ?exact }}""")


def test_subtitle_criticism_of_usa_is_the_declaration_fact(store: OxigraphStore) -> None:
    """Subtitle "Kritik Richtung USA": one claim with the declaration sentence, so one fact
    with both quotes, the author's reading of what the declaration targets."""
    assert fact_ids(store, "?f rckg:relation rckg:criticises") == set()
    assert "Kritik Richtung USA" in quotes_of(store, "declaration-against-us")
    assert len(quotes_of(store, "declaration-against-us")) == 2
    assert concept(store, "declaration-against-us", "rckg:ploverType") == {"ACCUSE"}


def test_numerous_agreements_concluded_is_the_documents_fact(store: OxigraphStore) -> None:
    """Subtitle "Zahlreiche Abkommen ... getroffen" says what "rund 20 Dokumente" says."""
    assert quotes_of(store, "documents-signed") == {
        "Zahlreiche Abkommen zur wirtschaftlichen und gesellschaftspolitischen Kooperation "
        "getroffen", "unterzeichneten Repräsentanten beider Staaten rund 20 Dokumente"}
    assert fact_ids(store, "?f rckg:relation rckg:signs") == {"documents-signed"}


# --- paragraph 1: the meeting, the declaration, about 20 documents -------------------------


def test_meeting_who_where_when(store: OxigraphStore) -> None:
    """Who met whom, where and when ("bei ihrem Treffen in Beijing am Mittwoch")?"""
    rows = values(store, """
        SELECT ?s ?o ?place WHERE {
            ?f rckg:relation rckg:meetsWith ; rckg:subject ?sub ; rckg:object ?obj ;
               rckg:place ?pl .
            BIND(STRAFTER(STR(?sub), STR(id:)) AS ?s) BIND(STRAFTER(STR(?obj), STR(id:)) AS ?o)
            BIND(STRAFTER(STR(?pl), STR(id:)) AS ?place)
        }
    """)
    assert {frozenset(row[:2]) for row in rows} == {frozenset({"vladimir-putin", "xi-jinping"})}
    assert {row[2] for row in rows} == {"beijing"}
    # The article names the weekday only, so the meeting has no date.
    assert time_of(store, "meeting") == [("am Mittwoch", "weekday", "", "")]


def test_how_putin_rates_the_cooperation(store: OxigraphStore) -> None:
    """How, in Putin's own words, has the cooperation developed ("beispiellooses Niveau")?"""
    rows = values(store, """
        SELECT ?what ?phrase ?speaker ?attribution WHERE {
            ?f rckg:relation rckg:characterises ; rckg:subject id:vladimir-putin ;
               rckg:object ?o ; rckg:characterisation ?phrase ; rckg:speaker ?sp ;
               rckg:attribution ?a . ?a skos:notation ?attribution .
            BIND(STRAFTER(STR(?o), STR(id:)) AS ?what)
            BIND(STRAFTER(STR(?sp), STR(id:)) AS ?speaker)
        }
    """)
    assert rows == [
        ("energy-cooperation", "Lokomotive in der russisch-chinesischen Zusammenarbeit",
         "vladimir-putin", "quoted-speaker"),
        ("russia-china-cooperation", "beispiellooses Niveau", "vladimir-putin",
         "quoted-speaker"),
    ]


def test_intention_to_intensify(store: OxigraphStore) -> None:
    """Do China and Russia want to intensify their cooperation, and is that a plan or a fact?"""
    assert relation(store, "intensify-cooperation") == {"aimsToIntensify"}
    assert links(store, "intensify-cooperation", "rckg:subject") == JOINT
    assert links(store, "intensify-cooperation", "rckg:object") == {"russia-china-cooperation"}
    assert concept(store, "intensify-cooperation", "rckg:certainty") == {"planned"}
    assert concept(store, "intensify-cooperation", "rckg:ploverType") == {"AGREE"}
    # "Dies haben Putin und ... Xi Jinping ... bestätigt": the confirmation is its evidence.
    assert fact_ids(store, f"?f rckg:evidenceFor {fact_iri('intensify-cooperation')}") == {
        "intent-confirmed"}
    assert links(store, "intent-confirmed", "rckg:subject") == {"vladimir-putin", "xi-jinping"}


def test_what_the_two_states_signed(store: OxigraphStore) -> None:
    """What did representatives of both states sign? About 20 documents; the political
    declaration stands "neben" them, and is issued, not said to be signed."""
    rows = values(store, """
        SELECT DISTINCT ?doc WHERE {
            ?f rckg:relation rckg:signs ; rckg:subject id:russia, id:china ; rckg:object ?o .
            BIND(STRAFTER(STR(?o), STR(id:)) AS ?doc)
        }
    """)
    assert rows == [("cooperation-documents",)]
    assert relation(store, "declaration-issued") == {"issues"}
    assert links(store, "declaration-issued", "rckg:object") == {"joint-political-declaration"}


def test_number_of_documents(store: OxigraphStore) -> None:
    """How many documents were signed ("rund 20 Dokumente"), and how exact is that number?"""
    rows = values(store, f"""
        SELECT ?text ?stated ?value ?unit WHERE {{
            {fact_iri('documents-signed')} rckg:count ?q .
            ?q rckg:statedText ?text ; rckg:statedValue ?stated ; qudt:numericValue ?value ;
               qudt:unit ?unit .
        }}
    """)
    assert len(rows) == 1
    text, stated, value, unit = rows[0]
    assert (text, float(stated), float(value), unit) == (
        "20 Dokumente", 20.0, 20.0, "http://qudt.org/vocab/unit/NUM")
    assert concept(store, "documents-signed", "rckg:certainty") == {"approximate"}


def test_what_the_documents_provide_for(store: OxigraphStore) -> None:
    """What do the signed documents provide for (economic and social fields; social ties)?"""
    assert column(store, """
        SELECT ?what WHERE { ?f rckg:relation rckg:providesFor ;
                                rckg:subject id:cooperation-documents ; rckg:object ?o .
                             BIND(STRAFTER(STR(?o), STR(id:)) AS ?what) }
    """) == {"economic-and-social-fields", "social-relations"}
    # Planned, so no plain edge: the direct layer carries only what is stated as so.
    assert column(store, "SELECT ?o WHERE { id:cooperation-documents rckg:providesFor ?o }") \
        == set()


# --- paragraph 2: fields of cooperation, Rosatom, cars, SCO, the treaty --------------------


def test_planned_fields_of_cooperation(store: OxigraphStore) -> None:
    """In which fields is closer cooperation planned (infrastructure, spaceflight, biotech)?"""
    assert links(store, "planned-fields", "rckg:object") == {
        "infrastructure-construction", "civil-spaceflight", "biotechnology"}
    assert links(store, "planned-fields", "rckg:subject") == JOINT
    assert concept(store, "planned-fields", "rckg:certainty") == {"planned"}
    assert concept(store, "planned-fields", "rckg:ploverType") == {"AGREE"}
    # "Geplant ist demnach": reported from the documents just named.
    assert links(store, "planned-fields", "rckg:statedIn") == {"cooperation-documents"}


def test_who_expands_activity_where(store: OxigraphStore) -> None:
    """Who expands activity in the other country: Rosatom (nuclear plants), Chinese car makers?"""
    rows = values(store, """
        SELECT ?who ?country ?field ?certainty WHERE {
            ?f rckg:relation rckg:expandsActivityIn ; rckg:subject ?s ; rckg:object ?o ;
               rckg:about ?a ; rckg:certainty ?c . ?c skos:notation ?certainty .
            BIND(STRAFTER(STR(?s), STR(id:)) AS ?who) BIND(STRAFTER(STR(?o), STR(id:)) AS ?country)
            BIND(STRAFTER(STR(?a), STR(id:)) AS ?field)
        }
    """)
    assert rows == [
        ("chinese-automotive-industry", "russia", "automotive-production", "planned"),
        ("rosatom", "china", "nuclear-power", "planned"),
    ]


def test_joint_projects_in_sco_countries(store: OxigraphStore) -> None:
    """Where are joint projects planned (third countries of the SCO)?"""
    assert links(store, "sco-projects", "rckg:subject") == JOINT
    assert links(store, "sco-projects", "rckg:object") == {"sco"}
    assert column(store, "SELECT ?t WHERE { id:sco a ?c . BIND(STRAFTER(STR(?c), STR(rckg:)) "
                         "AS ?t) }") == {"Organisation"}


def test_treaty_extended_and_why(store: OxigraphStore) -> None:
    """What happened to the "Vertrag über gute Nachbarschaft", and why (it would soon expire)?"""
    rows = values(store, """
        SELECT ?status ?plover WHERE {
            ?f rckg:relation rckg:extends ; rckg:subject id:russia, id:china ;
               rckg:object id:treaty-of-good-neighbourliness ;
               rckg:status ?s ; rckg:ploverType ?p . ?s skos:notation ?status .
            ?p skos:notation ?plover }
    """)
    assert rows == [("extended", "SUPPORT")]  # PLOVER: CAMEO 057, sign formal agreement
    assert links(store, "treaty-due-to-expire", "rckg:subject") == {
        "treaty-of-good-neighbourliness"}
    assert time_of(store, "treaty-due-to-expire") == [("in Kürze", "relative", "", "")]
    assert column(store, "SELECT ?de WHERE { id:treaty-of-good-neighbourliness skos:prefLabel ?de"
                         " FILTER(LANG(?de) = 'de') }") == {"Vertrag über gute Nachbarschaft"}


# --- paragraph 3: energy, oil, gas -------------------------------------------------------------


def test_energy_is_the_locomotive(store: OxigraphStore) -> None:
    """Which topic had high priority in the talks, and what did Putin call it?"""
    assert links(store, "energy-prominent-in-talks", "rckg:subject") == {"energy-cooperation"}
    assert links(store, "energy-prominent-in-talks", "rckg:object") == {"putin-xi-meeting"}
    assert column(store, f"""SELECT ?c WHERE {{ {fact_iri('energy-locomotive')}
                             rckg:characterisation ?c }}""") == {
        "Lokomotive in der russisch-chinesischen Zusammenarbeit"}
    assert links(store, "energy-locomotive", "rckg:speaker") == {"vladimir-putin"}
    assert links(store, "energy-locomotive", "rckg:perspective") == {"russia"}  # aus russ. Sicht


def test_top_buyer_of_russian_oil(store: OxigraphStore) -> None:
    """Who is the most important buyer of Russian oil?"""
    rows = values(store, """
        SELECT ?buyer ?flow ?phrase WHERE {
            ?f rckg:relation rckg:buysFrom ; rckg:subject ?b ; rckg:object id:russia ;
               rckg:about ?fl ; rckg:characterisation ?phrase .
            BIND(STRAFTER(STR(?b), STR(id:)) AS ?buyer) BIND(STRAFTER(STR(?fl), STR(id:)) AS ?flow)
        }
    """)
    assert rows == [("china", "oil-russia-china", "der wichtigste Käufer russischen Öls")]
    assert column(store, "SELECT ?c WHERE { id:oil-russia-china rckg:commodity ?c }") == {"oil"}


def test_western_sanctions(store: OxigraphStore) -> None:
    """Who sanctions Russia, and of what PLOVER type is that?"""
    rows = values(store, """
        SELECT ?who ?plover WHERE {
            ?f rckg:relation rckg:sanctions ; rckg:subject ?s ; rckg:object id:russia ;
               rckg:ploverType ?p . ?p skos:notation ?plover .
            BIND(STRAFTER(STR(?s), STR(id:)) AS ?who) }
    """)
    assert rows == [("the-west", "SANCTION")]


def test_who_profits_from_the_oil_trade(store: OxigraphStore) -> None:
    """Whom does the oil trade benefit, in the author's view (Moscow helped, Beijing profits)?"""
    rows = values(store, """
        SELECT ?beneficiary ?attribution WHERE {
            ?f rckg:relation rckg:benefits ; rckg:subject id:oil-russia-china ; rckg:object ?o ;
               rckg:attribution ?a . ?a skos:notation ?attribution .
            BIND(STRAFTER(STR(?o), STR(id:)) AS ?beneficiary) }
    """)
    assert rows == [("china", "author-assessment"), ("russia", "author-assessment")]


def test_oil_import_growth_q1_2026(store: OxigraphStore) -> None:
    """By how much did China's imports from Russia grow in the first quarter of 2026?"""
    found = quantities(store, "rckg:relation rckg:importsFrom ; rckg:subject id:china ; "
                              "rckg:object id:russia", "change")
    assert found == [
        ("35 Prozent", 35.0, 35.0, "http://qudt.org/vocab/unit/PERCENT")]
    assert time_of(store, "oil-imports-up") == [
        ("im ersten Quartal 2026", "quarter", "2026-01-01", "2026-03-31")]


def test_losses_made_up_by_russian_oil(store: OxigraphStore) -> None:
    """Which countries' oil did the extra Russian oil replace in Q1 2026 (Venezuela, Iran)?"""
    rows = values(store, """
        SELECT ?flow ?exporter ?importer WHERE {
            ?f rckg:relation rckg:compensatesFor ; rckg:subject id:oil-russia-china ;
               rckg:object ?fl . ?fl rckg:from ?x ; rckg:to ?y .
            BIND(STRAFTER(STR(?fl), STR(id:)) AS ?flow)
            BIND(STRAFTER(STR(?x), STR(id:)) AS ?exporter)
            BIND(STRAFTER(STR(?y), STR(id:)) AS ?importer) }
    """)
    assert rows == [("oil-iran-china", "iran", "china"),
                    ("oil-venezuela-china", "venezuela", "china")]
    assert fact_ids(store, """?f rckg:time ?t . ?t rckg:start "2026-01-01"^^xsd:date ;
                                                 rckg:end "2026-03-31"^^xsd:date""") == {
        "oil-imports-up", "oil-compensates-losses"}
    # the losses themselves are undated, and recorded as losses, not as imports
    assert relation(store, "oil-imports-lost") == {"losesImportsFrom"}
    # (rckg:relatedTo is its super-property, entailed into the graph of entailments)
    assert column(store, "SELECT ?p WHERE { id:china ?p id:iran }") == {
        "http://127.0.0.1:8000/ontology#losesImportsFrom",
        "http://127.0.0.1:8000/ontology#relatedTo"}


def test_gas_2025_volume_and_pipeline(store: OxigraphStore) -> None:
    """How much gas did Russia deliver to China in 2025, mainly through which pipeline?"""
    rows = values(store, """
        SELECT ?text ?stated ?value ?unit ?pipeline WHERE {
            ?f rckg:relation rckg:suppliesTo ; rckg:subject id:russia ; rckg:object id:china ;
               rckg:about id:gas-russia-china ; rckg:via ?p ; rckg:volume ?q .
            ?q rckg:statedText ?text ; rckg:statedValue ?stated ; qudt:numericValue ?value ;
               qudt:unit ?unit .
            BIND(STRAFTER(STR(?p), STR(id:)) AS ?pipeline) }
    """)
    assert [(t, float(s), float(v), u, p) for t, s, v, u, p in rows] == [
        ("49 Milliarden Kubikmeter", 49.0, 4.9e10, "http://qudt.org/vocab/unit/M3-PER-YR",
         "power-of-siberia-1")]  # a volume over the year 2025: per year, like the others
    assert time_of(store, "gas-2025") == [("2025", "year", "2025-01-01", "2025-12-31")]
    assert concept(store, "gas-2025", "rckg:certainty") == {"approximate"}  # "rund"
    assert column(store, f"""SELECT ?c WHERE {{ {fact_iri('power-of-siberia-1-carries-gas')}
                             rckg:characterisation ?c }}""") == {"vor allem"}
    # the via link keeps its "vor allem" (mainly) on the fact that carries it
    assert column(store, f"""SELECT ?c WHERE {{ {fact_iri('gas-2025')}
                             rckg:characterisation ?c }}""") == {
        "vor allem über die Pipeline Power of Siberia 1"}


def test_why_moscow_wants_more_gas_to_china(store: OxigraphStore) -> None:
    """Why does Moscow want to expand gas deliveries to China (to make up for Europe)?"""
    assert concept(store, "gas-expansion-intended", "rckg:certainty") == {"planned"}
    rows = values(store, """
        SELECT ?flow ?lost WHERE {
            ?f rckg:relation rckg:compensatesFor ; rckg:subject ?s ; rckg:object ?o .
            ?s rckg:commodity "natural gas" .
            BIND(STRAFTER(STR(?s), STR(id:)) AS ?flow) BIND(STRAFTER(STR(?o), STR(id:)) AS ?lost) }
    """)
    assert rows == [("gas-russia-china", "gas-russia-europe")]
    assert column(store, """SELECT ?where WHERE { id:russia rckg:losesBusinessIn ?r .
                            BIND(STRAFTER(STR(?r), STR(id:)) AS ?where) }""") == {"europe"}


def test_historic_gas_to_europe(store: OxigraphStore) -> None:
    """How much gas did Russia deliver to Europe per year before the Ukraine escalation?"""
    found = quantities(store, "rckg:relation rckg:suppliesTo ; rckg:subject id:russia ; "
                              "rckg:object id:europe", "volume")
    assert found == [
        ("177 Milliarden Kubikmeter", 177.0, 1.77e11, "http://qudt.org/vocab/unit/M3-PER-YR")]
    assert time_of(store, "europe-gas-before-war") == [
        ("vor der Eskalation des Ukraine-Konflikts", "before-event", "", "")]
    assert concept(store, "europe-gas-before-war", "rckg:certainty") == {"approximate"}


# --- paragraph 4: Power of Siberia 2 -----------------------------------------------------------


def test_power_of_siberia_2_capacity(store: OxigraphStore) -> None:
    """What capacity is Power of Siberia 2 planned to have (50 bcm a year)?"""
    found = quantities(store, "rckg:relation rckg:hasCapacity ; "
                              "rckg:subject id:power-of-siberia-2", "capacity")
    assert found == [
        ("50 Milliarden Kubikmeter im Jahr", 50.0, 5.0e10,
         "http://qudt.org/vocab/unit/M3-PER-YR")]
    rows = values(store, """
        SELECT ?status ?text ?precision WHERE {
            ?f rckg:relation rckg:hasStatus ; rckg:subject id:power-of-siberia-2 ;
               rckg:status ?s ; rckg:time ?t . ?s skos:notation ?status .
            ?t rckg:timeText ?text ; rckg:precision ?p . ?p skos:notation ?precision }
    """)
    assert rows == [("planned", "schon seit Jahren", "duration")]


def test_power_of_siberia_2_negotiation(store: OxigraphStore) -> None:
    """Was Power of Siberia 2 settled on Wednesday? (negotiated again; questions remain open)"""
    rows = values(store, """
        SELECT ?id ?certainty ?plover WHERE {
            ?f rckg:factId ?id ; rckg:relation rckg:negotiatesWith ;
               rckg:about id:power-of-siberia-2 ; rckg:certainty ?c ; rckg:ploverType ?p .
            ?c skos:notation ?certainty . ?p skos:notation ?plover }
    """)
    assert rows == [("power-of-siberia-2-negotiated", "unresolved", "CONSULT")]
    assert links(store, "power-of-siberia-2-negotiated", "rckg:subject") | links(
        store, "power-of-siberia-2-negotiated", "rckg:object") == JOINT
    assert time_of(store, "power-of-siberia-2-negotiated") == [
        ("am Mittwoch", "weekday", "", "")]


def test_why_china_slows_power_of_siberia_2(store: OxigraphStore) -> None:
    """Why is China putting the brakes on Power of Siberia 2 (dependence, doubtful demand)?"""
    rows = values(store, """
        SELECT ?rel ?target WHERE {
            ?f rckg:subject id:china ; rckg:relation ?r ; rckg:object ?o .
            { ?f rckg:object id:power-of-siberia-2 } UNION { ?f rckg:about id:power-of-siberia-2 }
            BIND(STRAFTER(STR(?r), STR(rckg:)) AS ?rel) BIND(STRAFTER(STR(?o), STR(id:)) AS ?target)
        }
    """)
    assert rows == [
        ("avoidsDependenceOn", "russia"),
        ("delays", "power-of-siberia-2"),
        ("doubtsNeedFor", "power-of-siberia-2"),
    ]
    # the two are China's reasons for the braking, as facts linked to that fact
    assert fact_ids(store, f"?f rckg:reasonFor {fact_iri('china-slows-power-of-siberia-2')}") \
        == {"china-avoids-dependence", "china-doubts-demand"}
    # and the inverse, entailed from owl:inverseOf
    assert column(store, f"""SELECT ?id WHERE {{
        {fact_iri('china-slows-power-of-siberia-2')} rckg:hasReason ?r . ?r rckg:factId ?id }}""") \
        == {"china-avoids-dependence", "china-doubts-demand"}


# --- paragraph 5: visas, tourism, students, Years of Education ---------------------------------


def test_visa_free_travel_extended_until(store: OxigraphStore) -> None:
    """Until when have both states extended visa-free travel (end of 2027)?"""
    rows = values(store, """
        SELECT ?status ?text ?precision ?start ?end WHERE {
            ?f rckg:relation rckg:extends ; rckg:object id:visa-free-travel ; rckg:status ?s ;
               rckg:time ?t . ?s skos:notation ?status .
            ?t rckg:timeText ?text ; rckg:precision ?p ; rckg:end ?end . ?p skos:notation ?precision
            OPTIONAL { ?t rckg:start ?start } }
    """)
    assert rows == [("extended", "bis Ende 2027", "year-end", "", "2027-12-31")]
    assert links(store, "visa-free-extended", "rckg:subject") == JOINT


def test_what_visa_freedom_favours(store: OxigraphStore) -> None:
    """What does visa-free travel benefit (Russian tourism to China, student exchange)?"""
    assert column(store, """SELECT ?what WHERE { id:visa-free-travel rckg:benefits ?o .
                            BIND(STRAFTER(STR(?o), STR(id:)) AS ?what) }""") == {
        "tourists-russia-china", "student-exchange"}


def test_russian_tourism_and_why(store: OxigraphStore) -> None:
    """How has Russian tourism to China developed, and why (Europe hardly an option)?"""
    rows = values(store, """
        SELECT ?rel ?where ?phrase WHERE {
            ?f rckg:subject id:russian-tourists ; rckg:relation ?r ; rckg:object ?o ;
               rckg:characterisation ?phrase .
            BIND(STRAFTER(STR(?r), STR(rckg:)) AS ?rel) BIND(STRAFTER(STR(?o), STR(id:)) AS ?where)
        }
    """)
    assert rows == [("travelsTo", "china", "stark zugenommen")]
    assert time_of(store, "tourism-growing") == [("zuletzt", "relative", "", "")]
    # "zumal Europa als Reiseziel sanktionsbedingt kaum noch in Frage kommt": Europe is hardly
    # (not never) a destination; that is a reason for the growth, and sanctions its cause.
    assert relation(store, "europe-no-destination") == {"isHardlyADestinationFor"}
    assert links(store, "europe-no-destination", "rckg:subject") == {"europe"}
    assert fact_ids(store, f"?f rckg:reasonFor {fact_iri('tourism-growing')}") == {
        "europe-no-destination"}
    assert fact_ids(store, f"?f rckg:causeOf {fact_iri('europe-no-destination')}") == {
        "western-sanctions"}


@pytest.mark.parametrize(
    ("fact_id", "students", "host", "text", "count"),
    [
        pytest.param("chinese-students-in-russia", "chinese-students", "russia", "56.000", 56000,
                     id="how-many-chinese-students-in-russia-2024/25"),
        pytest.param("russian-students-in-china", "russian-students", "china", "21.000", 21000,
                     id="how-many-russian-students-in-china-2024/25"),
    ],
)
def test_students_2024_25(store: OxigraphStore, fact_id: str, students: str, host: str,
                          text: str, count: int) -> None:
    """How many students of one country studied in the other in the 2024/25 academic year?"""
    assert links(store, fact_id, "rckg:subject") == {students}
    assert links(store, fact_id, "rckg:object") == {host}
    rows = values(store, f"""
        SELECT ?text ?stated ?value ?unit WHERE {{
            {fact_iri(fact_id)} rckg:count ?q .
            ?q rckg:statedText ?text ; rckg:statedValue ?stated ; qudt:numericValue ?value ;
               qudt:unit ?unit . }}
    """)
    assert [(t, float(s), float(v), u) for t, s, v, u in rows] == [
        (text, float(count), float(count), "http://qudt.org/vocab/unit/NUM")]
    assert time_of(store, fact_id) == [
        ("im Studienjahr 2024/25", "academic-year", "2024-09-01", "2025-08-31")]


def test_student_target_2030(store: OxigraphStore) -> None:
    """To how many students is the exchange to grow, by when (100,000 in 2030)?"""
    rows = values(store, """
        SELECT ?what ?text ?value ?certainty WHERE {
            ?f rckg:relation rckg:aimsToIncrease ; rckg:subject id:russia, id:china ;
               rckg:object ?o ; rckg:target ?q ; rckg:certainty ?c . ?c skos:notation ?certainty .
            ?q rckg:statedText ?text ; qudt:numericValue ?value .
            BIND(STRAFTER(STR(?o), STR(id:)) AS ?what) }
    """)
    assert [(w, t, float(v), c) for w, t, v, c in rows] == [
        ("student-exchange", "100.000", 100000.0, "planned")]
    assert time_of(store, "student-target-2030") == [
        ("im Jahr 2030", "year", "2030-01-01", "2030-12-31")]


def test_years_of_education_ceremony(store: OxigraphStore) -> None:
    """Who opened the "Years of Education 2026/27", when, and what period does it cover?"""
    assert column(store, """SELECT ?who WHERE { ?p rckg:participatesIn id:years-of-education-opening
                            BIND(STRAFTER(STR(?p), STR(id:)) AS ?who) }""") == {
        "xi-jinping", "vladimir-putin"}
    assert links(store, "education-years-opened", "rckg:about") == {"years-of-education"}
    assert time_of(store, "education-years-opened") == [("am Mittwoch", "weekday", "", "")]
    assert time_of(store, "education-years-period") == [
        ("2026/27", "year-range", "2026-01-01", "2027-12-31")]


def test_long_term_effects_of_exchange_and_tourism(store: OxigraphStore) -> None:
    """What long-term effects does the author expect from student exchange and tourism?"""
    assert links(store, "exchange-strengthens-elites", "rckg:subject") == {"student-exchange"}
    # "stärkt ... die Beziehungen zwischen den Eliten": the relations, not the elites
    assert links(store, "exchange-strengthens-elites", "rckg:object") == {
        "relations-between-elites"}
    rows = values(store, """
        SELECT ?group ?from ?to WHERE {
            ?f rckg:relation rckg:reorients ; rckg:subject id:tourists-russia-china ;
               rckg:object ?g ; rckg:from ?a ; rckg:to ?b .
            BIND(STRAFTER(STR(?g), STR(id:)) AS ?group) BIND(STRAFTER(STR(?a), STR(id:)) AS ?from)
            BIND(STRAFTER(STR(?b), STR(id:)) AS ?to) }
    """)
    assert rows == [("russian-population", "europe", "east-asia")]
    # "Beides dürfte vor allem langfristig Folgen haben": both, hedged, with no object.
    assert links(store, "long-term-consequences", "rckg:subject") == {
        "student-exchange", "tourists-russia-china"}
    assert links(store, "long-term-consequences", "rckg:object") == set()
    assert concept(store, "long-term-consequences", "rckg:certainty") == {"hedged"}


# --- paragraph 6: the joint declaration, the invitation ----------------------------------------

DECLARATION_POINTS = [
    pytest.param("declaration-against-us", "condemns", {"united-states"},
                 "condemnation-of-us-breaches",
                 "against the wars and breaches of international law of the United States",
                 "ACCUSE", id="against-US-wars-and-breaches-of-international-law"),
    pytest.param("treacherous-strikes", "condemns", set(), "condemnation-of-treacherous-strikes",
                 "treacherous military strikes against other countries", "ACCUSE",
                 id="treacherous-military-strikes"),
    pytest.param("negotiations-as-cover", "condemns", set(),
                 "condemnation-of-negotiations-as-cover",
                 "hypocritical use of negotiations as a cover", "ACCUSE",
                 id="negotiations-as-cover-for-strikes"),
    pytest.param("killing-heads-of-state", "condemns", set(),
                 "condemnation-of-killing-heads-of-state", "murder of heads of state", "ACCUSE",
                 id="killing-of-heads-of-state"),
    pytest.param("abducting-heads-of-state", "condemns", set(),
                 "condemnation-of-abducting-heads-of-state", "abduction of heads of state",
                 "ACCUSE", id="abduction-of-heads-of-state"),
    pytest.param("breach-of-norms", "condemns", set(), "condemnation-as-breach-of-norms",
                 "gross violation of the purposes and principles of international law", "ACCUSE",
                 id="gross-breach-of-international-norms"),
    pytest.param("damage-to-world-order", "condemns", set(),
                 "condemnation-of-damage-to-world-order",
                 "irreparable damage to the post-war world order", "ACCUSE",
                 id="irreparable-damage-to-post-war-order"),
    pytest.param("ukraine-root-causes", "demands", set(),
                 "demand-to-address-root-causes", "address the root causes of the Ukraine war",
                 "REQUEST", id="address-root-causes-of-ukraine-war"),
    pytest.param("respect-un-norms", "demands", set(), "demand-to-respect-un-norms",
                 "respect the norms of the United Nations", "REQUEST", id="respect-UN-norms"),
]


@pytest.mark.parametrize(("fact_id", "rel", "objects", "position", "label", "plover"),
                         DECLARATION_POINTS)
def test_declaration_point(store: OxigraphStore, fact_id: str, rel: str, objects: set[str],
                           position: str, label: str, plover: str) -> None:
    """What does the joint declaration of China and Russia say on this point?"""
    assert relation(store, fact_id) == {rel}
    assert links(store, fact_id, "rckg:subject") == JOINT
    assert links(store, fact_id, "rckg:object") == objects
    assert position in links(store, fact_id, "rckg:about")
    assert links(store, fact_id, "rckg:statedIn") == {"joint-political-declaration"}
    # the list naming the US is the author's identification of what the declaration
    # targets; the quoted points are the declaration's
    assert concept(store, fact_id, "rckg:attribution") == (
        {"author-assessment"} if fact_id == "declaration-against-us" else {"joint-declaration"})
    assert concept(store, fact_id, "rckg:ploverType") == {plover}
    assert column(store, f"""SELECT ?l WHERE {{ id:{position} skos:prefLabel ?l
                             FILTER(LANG(?l) = "en") }}""") == {label}


def test_everything_stated_in_the_declaration(store: OxigraphStore) -> None:
    """Which statements rest on the joint declaration (and whom does it condemn by name)?"""
    assert fact_ids(store, "?f rckg:statedIn id:joint-political-declaration") == {
        "declaration-against-us", "treacherous-strikes", "negotiations-as-cover",
        "killing-heads-of-state", "abducting-heads-of-state", "breach-of-norms",
        "damage-to-world-order", "ukraine-root-causes", "respect-un-norms"}
    assert column(store, """SELECT ?who WHERE { ?f rckg:relation rckg:condemns ;
                            rckg:statedIn id:joint-political-declaration ; rckg:object ?o .
                            BIND(STRAFTER(STR(?o), STR(id:)) AS ?who) }""") == {"united-states"}


def test_nato_expansion_is_the_authors_reading(store: OxigraphStore) -> None:
    """Does the declaration blame NATO? ("sprich: die NATO-Ostexpansion" is the author's gloss)"""
    rows = values(store, """
        SELECT ?id ?attribution ?about WHERE {
            ?f rckg:factId ?id ; rckg:relation rckg:blames ; rckg:object id:nato ;
               rckg:attribution ?a ; rckg:about ?ab . ?a skos:notation ?attribution .
            BIND(STRAFTER(STR(?ab), STR(id:)) AS ?about)
            FILTER NOT EXISTS { ?f rckg:statedIn ?doc } }
    """)
    assert rows == [("root-causes-mean-nato-expansion", "author-assessment", "ukraine-war")]


def test_china_aversion_to_the_ukraine_war(store: OxigraphStore) -> None:
    """What does the demand to respect UN norms express (Beijing's aversion to the war)?"""
    rows = values(store, """
        SELECT ?who ?attribution WHERE {
            ?f rckg:relation rckg:opposes ; rckg:subject ?s ; rckg:object id:ukraine-war ;
               rckg:attribution ?a . ?a skos:notation ?attribution .
            BIND(STRAFTER(STR(?s), STR(id:)) AS ?who) }
    """)
    assert rows == []  # "Abneigung" is an aversion, weaker than opposing
    rows = values(store, """
        SELECT ?who ?attribution WHERE {
            ?f rckg:relation rckg:isAverseTo ; rckg:subject ?s ; rckg:object id:ukraine-war ;
               rckg:attribution ?a . ?a skos:notation ?attribution .
            BIND(STRAFTER(STR(?s), STR(id:)) AS ?who) }
    """)
    assert rows == [("china", "author-assessment")]
    # "worin sich ... ausdrückt": the author reads it from the UN-norms passage
    assert fact_ids(store, f"?f rckg:evidenceFor {fact_iri('china-averse-to-ukraine-war')}") \
        == {"respect-un-norms"}
    assert column(store, "SELECT ?l WHERE { id:ukraine-war skos:prefLabel ?l }") == {
        "Ukraine-Krieg", "Ukraine war", "война на Украине", "乌克兰战争"}


def test_invitation_to_moscow(store: OxigraphStore) -> None:
    """Whom did Putin invite, where to, and when (next year: no date can be given)?"""
    rows = values(store, """
        SELECT ?guest ?place ?certainty ?plover WHERE {
            ?f rckg:relation rckg:invites ; rckg:subject id:vladimir-putin ; rckg:object ?g ;
               rckg:place ?p ; rckg:certainty ?c ; rckg:ploverType ?pl .
            ?c skos:notation ?certainty . ?pl skos:notation ?plover .
            BIND(STRAFTER(STR(?g), STR(id:)) AS ?guest) BIND(STRAFTER(STR(?p), STR(id:)) AS ?place)
        }
    """)
    # issued; the visit it asks for is next year. An invitation is an intent to meet: AGREE
    assert rows == [("xi-jinping", "moscow", "plain", "AGREE")]
    assert time_of(store, "invitation-to-moscow") == [
        ("für das kommende Jahr", "relative", "", "")]


# --- actors' ties ------------------------------------------------------------------------------


def test_all_direct_ties_between_russia_and_china(store: OxigraphStore) -> None:
    """Which relations link Russia and China directly (either direction; symmetric unordered)?"""
    rows = values(store, """
        SELECT ?s ?rel ?o WHERE {
            VALUES (?x ?y) { (id:russia id:china) (id:china id:russia) }
            ?x ?r ?y . ?r rdfs:subPropertyOf rckg:relatedTo .
            BIND(STRAFTER(STR(?r), STR(rckg:)) AS ?rel)
            BIND(STRAFTER(STR(?x), STR(id:)) AS ?a) BIND(STRAFTER(STR(?y), STR(id:)) AS ?b)
            BIND(EXISTS { ?r a owl:SymmetricProperty } && ?a > ?b AS ?swap)
            BIND(IF(?swap, ?b, ?a) AS ?s) BIND(IF(?swap, ?a, ?b) AS ?o) }
    """)
    # The direct layer holds plain facts only (Wikidata's truthy rank): the intention to
    # intensify (planned), the ~49 bcm of gas (approximate) and the negotiation with open
    # questions (unresolved) stay statements, found with their certainty below.
    assert set(rows) == {
        ("china", "buysFrom", "russia"),            # most important buyer of Russian oil
        ("china", "importsFrom", "russia"),         # imports +35 % in Q1 2026
        ("china", "avoidsDependenceOn", "russia"),  # no further dependence on Russia
    }
    qualified = values(store, """
        SELECT ?id ?certainty WHERE {
            ?f rckg:factId ?id ; rckg:subject ?x ; rckg:certainty ?c . ?c skos:notation ?certainty
            { ?f rckg:object ?y } UNION { ?f rckg:about ?y }
            VALUES (?x ?y) { (id:russia id:china) (id:china id:russia) }
            FILTER(?certainty != "plain") }""")
    assert set(qualified) == {("gas-2025", "approximate"),
                              ("power-of-siberia-2-negotiated", "unresolved")}


def test_xi_jinpings_ties(store: OxigraphStore) -> None:
    """Which direct relations does Xi Jinping have in the article?"""
    rows = values(store, """
        SELECT ?s ?rel ?o WHERE {
            { id:xi-jinping ?r ?y BIND(id:xi-jinping AS ?x) }
            UNION { ?x ?r id:xi-jinping BIND(id:xi-jinping AS ?y) }
            ?r rdfs:subPropertyOf rckg:relatedTo .
            BIND(STRAFTER(STR(?r), STR(rckg:)) AS ?rel)
            BIND(STRAFTER(STR(?x), STR(id:)) AS ?s) BIND(STRAFTER(STR(?y), STR(id:)) AS ?o) }
    """)
    assert {(s, rel, o) if rel != "meetsWith" else (min(s, o), rel, max(s, o))
            for s, rel, o in rows} == {
        ("xi-jinping", "heads", "china"),
        ("vladimir-putin", "meetsWith", "xi-jinping"),
        ("vladimir-putin", "invites", "xi-jinping"),
        ("xi-jinping", "participatesIn", "years-of-education-opening"),
    }


# --- attribution, certainty, PLOVER ------------------------------------------------------------


def test_fact_counts_per_attribution(store: OxigraphStore) -> None:
    """How many statements does the article make under each attribution?"""
    rows = values(store, f"""
        SELECT ?attribution (COUNT(?f) AS ?n) WHERE {{
            ?f a rckg:Statement ; prov:wasDerivedFrom <http://127.0.0.1:8000/source/{SOURCE}> ;
               rckg:attribution ?a . ?a skos:notation ?attribution }}
        GROUP BY ?attribution
    """)
    assert {a: int(n) for a, n in rows} == {
        "reported": 45, "quoted-speaker": 2, "joint-declaration": 8, "author-assessment": 9}


def test_author_assessments(store: OxigraphStore) -> None:
    """Which claims are the author's own reading rather than reported fact?"""
    assert fact_ids(store, '?f rckg:attribution ?a . ?a skos:notation "author-assessment"') == {
        "oil-helps-russia",                  # "was für Moskau ... hilfreich ist"
        "oil-helps-china",                   # "Natürlich profitiert auch Beijing"
        "exchange-strengthens-elites",       # "stärkt langfristig die Beziehungen"
        "tourism-reorients-russians",        # "fördert eine Umorientierung"
        "long-term-consequences",            # "Beides dürfte ... Folgen haben"
        "root-causes-mean-nato-expansion",   # "sprich: die NATO-Ostexpansion"
        "china-averse-to-ukraine-war",       # "worin sich Beijings Abneigung ... ausdrückt"
        "declaration-against-us",            # the list naming the US is the author's
        "usa-commits-breaches",              # "Völkerrechtsbrüche der Vereinigten Staaten"
    }


def test_attribution_list(store: OxigraphStore) -> None:
    """Which attribution values does the controlled list offer, and is every fact's among them?"""
    assert column(store, """
        SELECT ?code WHERE { ?c skos:inScheme ?s ; skos:notation ?code .
                             FILTER(STRENDS(STR(?s), "/vocab/attribution")) }
    """) == {"reported", "quoted-speaker", "joint-declaration", "author-assessment"}
    assert fact_ids(store, """FILTER NOT EXISTS { ?f rckg:attribution ?a .
                                                ?a skos:inScheme ?s .
                                                FILTER(STRENDS(STR(?s), "/vocab/attribution")) }
                           """) == set()


def test_quoted_speaker(store: OxigraphStore) -> None:
    """Which statements are a named speaker's words, and whose?"""
    rows = values(store, """
        SELECT ?id ?speaker WHERE {
            ?f rckg:factId ?id ; rckg:attribution ?a ; rckg:speaker ?s .
            ?a skos:notation "quoted-speaker" . BIND(STRAFTER(STR(?s), STR(id:)) AS ?speaker) }
    """)
    assert rows == [("energy-locomotive", "vladimir-putin"),
                    ("unprecedented-level", "vladimir-putin")]


@pytest.mark.parametrize(
    ("certainty", "expected"),
    [
        pytest.param("approximate", {"documents-signed", "gas-2025", "europe-gas-before-war"},
                     id="which-facts-are-approximate-rund-zeitweise"),
        pytest.param("hedged", {"long-term-consequences"}, id="which-facts-are-hedged-duerfte"),
        pytest.param("unresolved", {"power-of-siberia-2-negotiated"},
                     id="which-facts-are-unresolved-fragen-offen"),
    ],
)
def test_facts_by_certainty(store: OxigraphStore, certainty: str, expected: set[str]) -> None:
    """Which statements does the article qualify as approximate, hedged or unresolved?"""
    assert fact_ids(store, f'?f rckg:certainty ?c . ?c skos:notation "{certainty}"') == expected


def test_rund_facts_are_approximate(store: OxigraphStore) -> None:
    """Which statements say "rund" (about), and are they all approximate?"""
    rows = values(store, """
        SELECT ?id ?certainty WHERE {
            ?f rckg:factId ?id ; rckg:quote ?q ; rckg:certainty ?c . ?c skos:notation ?certainty
            FILTER(REGEX(?q, "(^|[^A-Za-zÄÖÜäöüß])rund[^A-Za-zÄÖÜäöüß]")) }
    """)
    assert rows == [("documents-signed", "approximate"), ("gas-2025", "approximate")]


def test_plover_of_signing_and_condemning(store: OxigraphStore) -> None:
    """Of which PLOVER type are the signings (SUPPORT) and the condemnations (ACCUSE)?"""
    rows = values(store, """
        SELECT DISTINCT ?rel ?plover WHERE {
            ?f rckg:relation ?r ; rckg:ploverType ?p . ?p skos:notation ?plover .
            VALUES ?r { rckg:signs rckg:condemns }
            BIND(STRAFTER(STR(?r), STR(rckg:)) AS ?rel) }
    """)
    assert rows == [("condemns", "ACCUSE"), ("signs", "SUPPORT")]
    assert fact_ids(store, "?f rckg:relation rckg:signs") == {"documents-signed"}


# --- evidence: quotes, source, offsets ---------------------------------------------------------

EVIDENCE = [
    pytest.param("visit", "Putin zu Gast in Beijing", id="visit-subtitle"),
    pytest.param("gas-2025", "Russlands Gaslieferungen - vor allem über die Pipeline Power of "
                 "Siberia 1 - erreichten 2025 rund 49 Milliarden Kubikmeter", id="gas-2025"),
    pytest.param("visa-free-extended",
                 "So haben\n\nbeide Staaten den visafreien Verkehr bis Ende 2027 ausgedehnt",
                 id="visa-free-across-a-blank-line"),
    pytest.param("killing-heads-of-state",
                 "die [»Ermordung«](#) und [»Entführung von Staatschefs«](#)",
                 id="killing-heads-of-state-with-links"),
    pytest.param("invitation-to-moscow",
                 "Putin lud Xi für das kommende Jahr zum Gegenbesuch nach Moskau ein",
                 id="invitation"),
]


@pytest.mark.parametrize(("fact_id", "quote"), EVIDENCE)
def test_quote_source_and_offsets(store: OxigraphStore, fact_id: str, quote: str) -> None:
    """On what words of which article does this fact rest, and where exactly in the text?"""
    rows = values(store, f"""
        SELECT ?quote ?exact ?url ?start ?end WHERE {{
            {fact_iri(fact_id)} rckg:quote ?quote ; prov:wasDerivedFrom ?src ;
                rckg:evidence ?e .
            ?src schema:url ?url .
            ?e oa:hasBody {fact_iri(fact_id)} ; oa:hasTarget ?t .
            ?t oa:hasSource ?src ; oa:hasSelector ?qs, ?ps .
            ?qs a oa:TextQuoteSelector ; oa:exact ?exact .
            ?ps a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end }}
    """)
    assert len(rows) == 1
    got_quote, exact, url, start, end = rows[0]
    assert got_quote == quote
    assert exact == quote
    assert url == URL
    assert article_text()[int(start):int(end)] == quote


def test_every_quote_is_anchored_in_the_article(store: OxigraphStore) -> None:
    """Does every statement's position selector slice the article to exactly its quote?"""
    rows = values(store, """
        SELECT ?id ?quote ?start ?end WHERE {
            ?f rckg:factId ?id ; rckg:evidence ?e .
            ?e oa:hasTarget ?t . ?t oa:hasSelector ?ps, ?qs .
            ?qs a oa:TextQuoteSelector ; oa:exact ?quote .
            ?ps a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end }
    """)
    text = article_text()
    wrong = [fid for fid, quote, start, end in rows if text[int(start):int(end)] != quote]
    assert wrong == []
    primary = values(store, "SELECT ?id ?quote WHERE { ?f rckg:factId ?id ; rckg:quote ?quote }")
    assert set(primary) <= {(fid, quote) for fid, quote, _, _ in rows}
    # 64 facts; two of them rest on a second quote too (the subtitle's)
    assert len(rows) == 66 and len({fid for fid, *_ in rows}) == 64


# --- entities: labels, Wikidata, structure -----------------------------------------------------


def test_xi_jinping_labels_in_four_languages(store: OxigraphStore) -> None:
    """What is Xi Jinping called in German, English, Russian and Chinese?"""
    rows = values(store, """
        SELECT ?lang ?label WHERE { id:xi-jinping skos:prefLabel ?l .
                                    BIND(LANG(?l) AS ?lang) BIND(STR(?l) AS ?label) }
    """)
    assert rows == [("de", "Xi Jinping"), ("en", "Xi Jinping"), ("ru", "Си Цзиньпин"),
                    ("zh", "习近平")]


@pytest.mark.parametrize(
    ("slug", "lang", "label"),
    [
        pytest.param("vladimir-putin", "de", "Wladimir Putin", id="putin-de"),
        pytest.param("vladimir-putin", "ru", "Владимир Путин", id="putin-ru"),
        pytest.param("vladimir-putin", "zh", "弗拉基米尔·普京", id="putin-zh"),
        pytest.param("russia", "ru", "Россия", id="russia-ru"),
        pytest.param("china", "zh", "中国", id="china-zh"),
        pytest.param("beijing", "ru", "Пекин", id="beijing-ru"),
        pytest.param("moscow", "zh", "莫斯科", id="moscow-zh"),
        pytest.param("power-of-siberia-2", "ru", "Сила Сибири 2", id="pos2-ru"),
        pytest.param("sco", "en", "Shanghai Cooperation Organisation", id="sco-en"),
        pytest.param("sco", "de", "Shanghaier Organisation für Zusammenarbeit", id="sco-de"),
    ],
)
def test_label(store: OxigraphStore, slug: str, lang: str, label: str) -> None:
    """What is this entity called in this language?"""
    assert column(store, f"""SELECT ?l WHERE {{ id:{slug} skos:prefLabel ?l
                             FILTER(LANG(?l) = "{lang}") }}""") == {label}


@pytest.mark.parametrize(
    ("slug", "qid"),
    [
        pytest.param("russia", "Q159", id="russia"),
        pytest.param("china", "Q148", id="china"),
        pytest.param("united-states", "Q30", id="united-states"),
        pytest.param("venezuela", "Q717", id="venezuela"),
        pytest.param("iran", "Q794", id="iran"),
        pytest.param("vladimir-putin", "Q7747", id="putin"),
        pytest.param("xi-jinping", "Q15031", id="xi"),
        pytest.param("nato", "Q7184", id="nato"),
        pytest.param("united-nations", "Q1065", id="un"),
        pytest.param("beijing", "Q956", id="beijing"),
        pytest.param("moscow", "Q649", id="moscow"),
        pytest.param("europe", "Q46", id="europe"),
    ],
)
def test_wikidata_link(store: OxigraphStore, slug: str, qid: str) -> None:
    """Which Wikidata item is this entity (owl:sameAs)?"""
    assert column(store, f"SELECT ?wd WHERE {{ id:{slug} owl:sameAs ?wd }}") == {WD + qid}


def test_every_entity_has_one_label_per_language(store: OxigraphStore) -> None:
    """Is every entity named exactly once in each of German, English, Russian and Chinese?"""
    rows = values(store, """
        SELECT ?e ?lang WHERE {
            ?e a ?c . ?c rdfs:subClassOf* rckg:Entity . VALUES ?lang { "de" "en" "ru" "zh" }
            OPTIONAL { ?e skos:prefLabel ?l FILTER(LANG(?l) = ?lang) } }
        GROUP BY ?e ?lang HAVING (COUNT(?l) != 1)
    """)
    assert rows == []


def test_which_entity_is_q159(store: OxigraphStore) -> None:
    """Which entity of the graph is Wikidata's Q159 (Russia)?"""
    assert column(store, f"""SELECT ?slug WHERE {{ ?e owl:sameAs <{WD}Q159> .
                             BIND(STRAFTER(STR(?e), STR(id:)) AS ?slug) }}""") == {"russia"}


@pytest.mark.parametrize(
    ("slug", "kind"),
    [
        pytest.param("rosatom", "Company", id="rosatom-is-a-company"),
        pytest.param("chinese-automotive-industry", "Industry", id="car-branch-is-an-industry"),
        pytest.param("power-of-siberia-1", "Pipeline", id="pos1-is-a-pipeline"),
        pytest.param("power-of-siberia-2", "Pipeline", id="pos2-is-a-pipeline"),
        pytest.param("treaty-of-good-neighbourliness", "Treaty", id="treaty"),
        pytest.param("joint-political-declaration", "Declaration", id="declaration"),
        pytest.param("years-of-education-opening", "Ceremony", id="ceremony"),
        pytest.param("visa-free-travel", "VisaRegime", id="visa-regime"),
    ],
)
def test_entity_type(store: OxigraphStore, slug: str, kind: str) -> None:
    """What kind of thing is this entity?"""
    assert column(store, f"""SELECT ?t WHERE {{ id:{slug} a ?c .
                             BIND(STRAFTER(STR(?c), STR(rckg:)) AS ?t) }}""") == {kind}


def test_pipelines_run_from_russia_to_china(store: OxigraphStore) -> None:
    """From where to where do the Power of Siberia pipelines run?"""
    rows = values(store, """
        SELECT ?pipeline ?from ?to WHERE {
            ?p a rckg:Pipeline ; rckg:from ?a ; rckg:to ?b .
            BIND(STRAFTER(STR(?p), STR(id:)) AS ?pipeline)
            BIND(STRAFTER(STR(?a), STR(id:)) AS ?from) BIND(STRAFTER(STR(?b), STR(id:)) AS ?to) }
    """)
    assert rows == [("power-of-siberia-1", "russia", "china"),
                    ("power-of-siberia-2", "russia", "china")]


# --- time --------------------------------------------------------------------------------------


def test_weekday_facts_carry_no_dates(store: OxigraphStore) -> None:
    """Which facts are dated by "am Mittwoch" only, and do any of them carry a date?"""
    rows = values(store, """
        SELECT ?id ?start ?end WHERE {
            ?f rckg:factId ?id ; rckg:time ?t . ?t rckg:precision ?p .
            ?p skos:notation "weekday" .
            OPTIONAL { ?t rckg:start ?start } OPTIONAL { ?t rckg:end ?end } }
    """)
    assert rows == [("education-years-opened", "", ""), ("intent-confirmed", "", ""),
                    ("meeting", "", ""), ("power-of-siberia-2-negotiated", "", "")]


# --- the dataset description (VoID) ------------------------------------------------------------


def test_void_triples_equal_sum_of_subsets(store: OxigraphStore) -> None:
    """Does the dataset's void:triples equal the sum of its subsets' (one per named graph)?"""
    total = values(store, """
        SELECT ?n WHERE { ?d a void:Dataset ; void:triples ?n ; void:subset ?s }
    """)
    parts = values(store, """
        SELECT ?graph ?n WHERE { ?d void:subset ?s . ?s void:triples ?n ;
            <http://www.w3.org/ns/sparql-service-description#name> ?graph }
    """)
    assert {g for g, _ in parts} == {f"http://127.0.0.1:8000/graph/{name}"
                                     for name in (SOURCE, "reference", "ontology", "entailed")}
    assert {int(n) for (n,) in total} == {sum(int(n) for _, n in parts)}
    for graph, n in parts:
        counted = run(store, f"SELECT (COUNT(*) AS ?c) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        assert int(counted.rows[0]["c"].value) == int(n), graph


def test_author_readings_get_no_direct_edge(store):
    """The author's readings (NATO expansion as the root cause, China's aversion to the war)
    are no edges of China's own; the demand about the war's root causes names no addressee."""
    assert values(store, "SELECT ?p WHERE { id:china ?p id:nato }") == []
    assert values(store, "SELECT ?p WHERE { id:china ?p id:ukraine-war }") == []


def test_symmetric_relations_hold_both_ways(store):
    """Xi meets Putin just as Putin meets Xi."""
    assert run(store, "ASK { id:xi-jinping rckg:meetsWith id:vladimir-putin }").boolean is True
    # the negotiation left questions open: a statement, not a plain edge either way
    assert run(store, "ASK { id:china rckg:negotiatesWith id:russia }").boolean is False
    assert run(store, "ASK { id:russia rckg:negotiatesWith id:china }").boolean is False
