"""A synthetic corpus in rckg's own shape, so benchmarks measure the graph rckg really serves.

`rckg build` makes one named graph per source (its statements, their quotes anchored by Web
Annotation selectors, times, quantities and direct edges), `…/graph/reference` (entities with
labels in four languages and their structure), `…/graph/ontology` (OWL, SKOS, SHACL),
`…/graph/agreement` (corroborations across sources) and `…/graph/meta` (VoID counts). This
module writes the same layout as N-Quads at any size, from a seed, byte for byte the same on
every run: many articles whose statements share a pool of actors, a few of them famous (fame
follows a Zipf-like law, as in news), so ties lookups meet both hubs and leaves.

Run from the repo root: ``python -m bench.corpus --triples 100000 -o corpus.nq``.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph

from graph.builder import ontology
from graph.config import PROJECT_ROOT
from graph.vocabulary import Terms

DEFAULT_SEED = 20260601
DEFAULT_BASE = "http://127.0.0.1:8000/"
FORMAT_VERSION = 1  # bump when the output changes, so cached corpora are written again

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
QUDT = "http://qudt.org/schema/qudt/"
UNIT = "http://qudt.org/vocab/unit/"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SD = "http://www.w3.org/ns/sparql-service-description#"
TYPE = f"<{RDF}type>"

LANGUAGES = ("de", "en", "ru", "zh")
# Syllables in Latin, Cyrillic and Chinese script: entity i is named by the base-16 digits of
# i, so every name is unique and reads alike in all four languages.
SYLLABLES = (("ka", "ка", "卡"), ("lo", "ло", "洛"), ("mi", "ми", "米"), ("ren", "рен", "伦"),
             ("to", "то", "托"), ("sa", "са", "萨"), ("vi", "ви", "维"), ("dor", "дор", "多"),
             ("el", "эль", "埃"), ("un", "ун", "温"), ("bar", "бар", "巴"), ("nik", "ник", "尼"),
             ("sha", "ша", "沙"), ("gu", "гу", "古"), ("tai", "тай", "泰"), ("mo", "мо", "莫"))
# Each class with its weight among entities and its label in de, en, ru, zh ({} = the name).
CLASSES: dict[str, tuple[int, tuple[str, str, str, str]]] = {
    "State": (12, ("Republik {}", "Republic of {}", "Республика {}", "{}共和国")),
    "Person": (18, ("{}", "{}", "{}", "{}")),
    "Organisation": (6, ("{}-Union", "{} Union", "Союз {}", "{}联盟")),
    "Company": (16, ("{} Energie", "{} Energy", "{} Энерджи", "{}能源")),
    "Industry": (3, ("{}-Industrie", "{} industry", "промышленность {}", "{}工业")),
    "GroupOfPeople": (3, ("Studierende aus {}", "students from {}", "студенты {}", "{}学生")),
    "City": (6, ("Stadt {}", "City of {}", "город {}", "{}市")),
    "Region": (3, ("Region {}", "{} region", "регион {}", "{}地区")),
    "OilFlow": (2, ("Öl aus {}", "oil from {}", "нефть из {}", "{}石油")),
    "GasFlow": (2, ("Gas aus {}", "gas from {}", "газ из {}", "{}天然气")),
    "StudentFlow": (1, ("Studienaufenthalte in {}", "study stays in {}", "учёба в {}", "{}留学")),
    "TouristFlow": (1, ("Reisen nach {}", "travel to {}", "поездки в {}", "{}旅游")),
    "Pipeline": (2, ("Pipeline {}", "{} pipeline", "трубопровод {}", "{}管道")),
    "Treaty": (2, ("{}-Vertrag", "{} Treaty", "Договор {}", "{}条约")),
    "Declaration": (2, ("Erklärung von {}", "{} Declaration", "Декларация {}", "{}宣言")),
    "Programme": (2, ("Programm {}", "{} Programme", "Программа {}", "{}计划")),
    "Visit": (3, ("Besuch in {}", "visit to {}", "визит в {}", "{}访问")),
    "Meeting": (3, ("Gipfel von {}", "{} summit", "саммит {}", "{}峰会")),
    "Condemnation": (1, ("Verurteilung von {}", "condemnation of {}", "осуждение {}", "谴责{}")),
    "CooperationField": (3, ("{}-Technik", "{} technology", "технология {}", "{}技术")),
}
ACTORS = ("State", "Person", "Organisation", "Company", "Industry", "GroupOfPeople")
FLOWS = {"OilFlow": "oil", "GasFlow": "natural gas", "StudentFlow": "students",
         "TouristFlow": "tourists"}
AGREEMENTS = ("Treaty", "Declaration", "Programme")
EVENTS = ("Visit", "Meeting")
PLACES = ("City", "Region")
# Relations by what their object is (a class group), with weights.
RELATIONS: tuple[tuple[str, str, int], ...] = (
    ("cooperatesWith", "actor", 10), ("meetsWith", "actor", 4), ("negotiatesWith", "actor", 4),
    ("suppliesTo", "actor", 8), ("buysFrom", "actor", 5), ("importsFrom", "actor", 5),
    ("sanctions", "actor", 3), ("criticises", "actor", 4), ("condemns", "actor", 2),
    ("blames", "actor", 2), ("avoidsDependenceOn", "actor", 2), ("benefits", "actor", 2),
    ("invites", "actor", 2), ("hosts", "actor", 2), ("visits", "place", 4),
    ("travelsTo", "place", 2), ("expandsActivityIn", "place", 3),
    ("losesBusinessIn", "place", 1), ("plansJointProjectsIn", "place", 2),
    ("signs", "agreement", 4), ("extends", "agreement", 1), ("participatesIn", "event", 3),
    ("plansCooperationIn", "field", 3),
)
FLOW_RELATIONS = {"suppliesTo", "buysFrom", "importsFrom"}
ATTRIBUTIONS = (("reported", 70), ("joint-declaration", 12), ("author-assessment", 10),
                ("quoted-speaker", 8))
CERTAINTIES = (("plain", 60), ("approximate", 15), ("planned", 15), ("hedged", 5),
               ("unresolved", 5))
PLOVER = ("AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "ACCUSE", "REJECT", "SANCTION")
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember")
QUARTERS = ("ersten", "zweiten", "dritten", "vierten")
CONTEXT_CHARS = 32  # as graph/rdf.py keeps around each quote
CORROBORATION_SHARE = 0.02  # statements that repeat an earlier one of another source
# Stand-ins for a quote's context, filled in once the article's whole text is known.
PREFIX_SLOT, SUFFIX_SLOT = "{prefix}", "{suffix}"


@dataclass
class Corpus:
    """What was written: the file, its counts, and the actors benchmarks may look up."""

    path: Path
    seed: int
    base: str
    triples: int
    articles: int
    statements: int
    entities: int
    graphs: dict[str, int] = field(default_factory=dict)
    actors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> dict[str, object]:
        data = asdict(self)
        data["path"] = str(self.path)
        del data["actors"], data["graphs"]
        data["named_graphs"] = len(self.graphs)
        return data


def _lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r"))
    if lang:
        return f'"{escaped}"@{lang}'
    return f'"{escaped}"^^<{datatype}>' if datatype else f'"{escaped}"'


@dataclass
class _Entity:
    slug: str
    kind: str
    labels: dict[str, str]


def _name(index: int) -> tuple[str, str, str]:
    digits: list[int] = []
    while index or len(digits) < 3:
        digits.append(index % 16)
        index //= 16
    parts = [SYLLABLES[d] for d in reversed(digits)]
    return ("".join(p[0] for p in parts).capitalize(), "".join(p[1] for p in parts).capitalize(),
            "".join(p[2] for p in parts))


class _Generator:
    """Writes one corpus; every random choice comes from one seeded generator, in order."""

    def __init__(self, terms: Terms, seed: int, target: int) -> None:
        self.terms = terms
        self.base = terms.base
        self.rng = random.Random(seed)
        self.target = target
        self.counts: dict[str, int] = {}
        self.onto = ontology.load(PROJECT_ROOT / "ontology", terms)
        self.entities: list[_Entity] = []
        self.by_kind: dict[str, list[int]] = {}
        self.pools: dict[tuple[str, ...], list[int]] = {}
        self.recent: deque[tuple[str, int, int]] = deque(maxlen=200)
        self.claims: dict[tuple[str, int, int], tuple[str, int]] = {}  # → latest fact, article
        self.agreement: list[str] = []
        self.statements = 0

    # --- IRIs and lines ------------------------------------------------------------------

    def graph(self, name: str) -> str:
        return f"<{self.base}graph/{name}>"

    def rckg(self, local: str) -> str:
        return f"<{self.base}ontology#{local}>"

    def entity(self, index: int) -> str:
        return f"<{self.base}id/{self.entities[index].slug}>"

    def concept(self, scheme: str, code: str) -> str:
        return f"<{self.base}vocab/{scheme}/{code}>"

    def emit(self, lines: list[str], graph: str) -> list[str]:
        self.counts[graph] = self.counts.get(graph, 0) + len(lines)
        return [f"{line} {graph} .\n" for line in lines]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    # --- the ontology graph --------------------------------------------------------------

    def ontology_lines(self) -> list[str]:
        """The OWL, SKOS and SHACL files, with blank nodes named canonically (rdflib's own
        labels are random, which would make the file differ between runs)."""
        merged = Graph()
        merged += self.onto.graph
        merged += self.onto.shapes
        canonical = to_canonical_graph(merged)
        lines = sorted(f"{_n3(s)} {_n3(p)} {_n3(o)}" for s, p, o in canonical)
        return self.emit(lines, self.graph("ontology"))

    # --- entities ------------------------------------------------------------------------

    def make_entities(self, count: int) -> None:
        known = {"russia": ("Russland", "Russia", "Россия", "俄罗斯"),
                 "china": ("China", "China", "Китай", "中国")}
        for slug, names in known.items():
            self._add_entity(_Entity(slug, "State", dict(zip(LANGUAGES, names, strict=True))))
        kinds = list(CLASSES)
        weights = [CLASSES[k][0] for k in kinds]
        for index in range(len(known), count):
            kind = self.rng.choices(kinds, weights)[0]
            latin, cyrillic, chinese = _name(index)
            names = (latin, latin, cyrillic, chinese)
            labels = {lang: template.format(name) for lang, template, name
                      in zip(LANGUAGES, CLASSES[kind][1], names, strict=True)}
            self._add_entity(_Entity(f"{latin.lower()}-{kind.lower()}", kind, labels))

    def _add_entity(self, entity: _Entity) -> None:
        self.by_kind.setdefault(entity.kind, []).append(len(self.entities))
        self.entities.append(entity)

    def pick(self, kinds: Sequence[str], famous: bool = True) -> int:
        """An entity of one of `kinds`; the first of each kind are the famous ones."""
        pool = self.pools.get(tuple(kinds))
        if pool is None:
            pool = sorted(i for k in kinds for i in self.by_kind.get(k, [])) \
                or self.by_kind["State"]
            self.pools[tuple(kinds)] = pool
        if not famous:
            return self.rng.choice(pool)
        rank = int(len(pool) * self.rng.random() ** 2.5)  # skewed towards the first
        return pool[min(rank, len(pool) - 1)]

    def reference_lines(self) -> list[str]:
        lines = []
        for index, entity in enumerate(self.entities):
            node = self.entity(index)
            lines.append(f"{node} {TYPE} {self.rckg(entity.kind)}")
            lines.append(f"{node} {self.rckg('slug')} {_lit(entity.slug)}")
            for lang in LANGUAGES:
                label = _lit(entity.labels[lang], lang)
                lines.append(f"{node} <{SKOS}prefLabel> {label}")
                lines.append(f"{node} <{RDFS}label> {label}")
            if entity.slug in ("russia", "china"):
                qid = "Q159" if entity.slug == "russia" else "Q148"
                lines.append(f"{node} <{OWL}sameAs> <http://www.wikidata.org/entity/{qid}>")
            if index % 7 == 3:
                alias = _lit(entity.labels["en"].upper(), "en")
                lines.append(f"{node} <{SKOS}altLabel> {alias}")
            lines += self._structure(index, entity)
        return self.emit(lines, self.graph("reference"))

    def _structure(self, index: int, entity: _Entity) -> list[str]:
        node, rckg = self.entity(index), self.rckg
        if entity.kind in FLOWS or entity.kind == "Pipeline":
            source, target = self.pick(("State",)), self.pick(("State",))
            out = [f"{node} {rckg('from')} {self.entity(source)}",
                   f"{node} {rckg('to')} {self.entity(target)}"]
            if entity.kind in FLOWS:
                out.append(f"{node} {rckg('commodity')} {_lit(FLOWS[entity.kind])}")
            return out
        if entity.kind in AGREEMENTS:
            return [f"{node} {rckg('party')} {self.entity(self.pick(ACTORS))}" for _ in range(2)]
        if entity.kind in EVENTS:
            return [f"{node} {rckg('participant')} {self.entity(self.pick(ACTORS))}",
                    f"{node} {rckg('place')} {self.entity(self.pick(PLACES))}"]
        return []

    # --- articles ------------------------------------------------------------------------

    def article_lines(self, number: int) -> list[str]:
        slug = f"synthetic-{number:06d}"
        source = f"<{self.base}source/{slug}>"
        sentences: list[tuple[str, list[str], int]] = []
        offset = 0
        for count in range(self.rng.randint(10, 30)):
            fact_lines, sentence = self.statement(slug, f"fact-{count:02d}", number, offset)
            sentences.append((sentence, fact_lines, offset))
            offset += len(sentence) + 2  # ". " between sentences
        text = ". ".join(s for s, _, _ in sentences) + "."
        lines = [
            f"{source} {TYPE} {self.rckg('Source')}",
            f"{source} {TYPE} <{SCHEMA}NewsArticle>",
            f"{source} <{DCT}title> {_lit(f'Synthetischer Bericht {number}', 'de')}",
            f"{source} <{DCT}creator> {_lit('rckg bench')}",
            f"{source} <{DCT}publisher> {_lit('Synthetische Zeitung', 'de')}",
            f"{source} <{DCT}language> {_lit('de')}",
            f"{source} <{DCT}date> {_lit(self._date(number), datatype=XSD + 'date')}",
            f"{source} <{SCHEMA}url> <https://example.org/synthetic/{number}>",
            f"{source} {self.rckg('sourceText')} {_lit(text, 'de')}",
        ]
        for sentence, fact_lines, start in sentences:
            prefix = _lit(text[max(0, start - CONTEXT_CHARS):start])
            suffix = _lit(text[start + len(sentence):][:CONTEXT_CHARS])
            lines += [line.replace(PREFIX_SLOT, prefix).replace(SUFFIX_SLOT, suffix)
                      if line.endswith("}") else line for line in fact_lines]
        return self.emit(lines, self.graph(slug))

    def _date(self, number: int) -> str:
        day = number % 28 + 1
        return f"{2020 + number % 7}-{number % 12 + 1:02d}-{day:02d}"

    def statement(self, source: str, fact_id: str, article: int,
                  offset: int) -> tuple[list[str], str]:
        """The lines of one statement and the sentence its quote is (placeholders for the
        quote's context, which is known once the whole text is)."""
        rng, rckg = self.rng, self.rckg
        relation, subject, obj = self._claim(article)
        node = f"<{self.base}fact/{source}/{fact_id}>"
        iri = node[1:-1]
        attribution = _weighted(rng, ATTRIBUTIONS)
        persons = self.by_kind.get("Person", [])
        if attribution == "quoted-speaker" and not persons:
            attribution = "reported"
        time_text, time_lines = self._time(iri)
        quantity_text, quantity_lines = self._quantity(iri, relation)
        de = {i: self.entities[i].labels["de"] for i in (subject, obj)}
        verb = self._label(relation, "de")
        sentence = " ".join(p for p in (de[subject], verb, de[obj], time_text, quantity_text)
                            if p)
        en = f"{self.entities[subject].labels['en']} {self._label(relation, 'en')} " \
             f"{self.entities[obj].labels['en']}"
        lines = [
            f"{node} {TYPE} {rckg('Statement')}",
            f"{node} {rckg('factId')} {_lit(fact_id)}",
            f"{node} {rckg('relation')} {rckg(relation)}",
            f"{node} <{RDFS}label> {_lit(en, 'en')}",
            f"{node} {rckg('subject')} {self.entity(subject)}",
            f"{node} {rckg('object')} {self.entity(obj)}",
            f"{node} {rckg('attribution')} {self.concept('attribution', attribution)}",
            f"{node} {rckg('certainty')} "
            f"{self.concept('certainty', _weighted(rng, CERTAINTIES))}",
            f"{node} {rckg('quote')} {_lit(sentence, 'de')}",
            f"{node} {rckg('translation')} {_lit(en, 'en')}",
            f"{node} <{PROV}wasDerivedFrom> <{self.base}source/{source}>",
        ]
        if rng.random() < 0.6:
            lines.append(f"{node} {rckg('ploverType')} "
                         f"{self.concept('plover', rng.choice(PLOVER))}")
        if attribution == "quoted-speaker":
            lines.append(f"{node} {rckg('speaker')} {self.entity(rng.choice(persons))}")
        if relation in FLOW_RELATIONS and self.by_kind.get("GasFlow"):
            lines.append(f"{node} {rckg('about')} "
                         f"{self.entity(self.pick(tuple(FLOWS), famous=False))}")
            if self.by_kind.get("Pipeline") and rng.random() < 0.5:
                lines.append(f"{node} {rckg('via')} "
                             f"{self.entity(self.pick(('Pipeline',), famous=False))}")
        if rng.random() < 0.05:
            lines.append(f"{node} {rckg('note')} {_lit('Synthetic: for benchmarks.', 'en')}")
        lines += time_lines + quantity_lines + self._evidence(node, source, sentence, offset)
        if attribution != "author-assessment":
            lines.append(f"{self.entity(subject)} {rckg(relation)} {self.entity(obj)}")
            if self.onto.relations.get(relation):
                lines.append(f"{self.entity(obj)} {rckg(relation)} {self.entity(subject)}")
        self._corroborate(iri, relation, subject, obj, article)
        self.statements += 1
        return lines, sentence

    def _claim(self, article: int) -> tuple[str, int, int]:
        """Relation, subject and object: now and then an earlier claim of another source."""
        if self.recent and self.rng.random() < CORROBORATION_SHARE:
            claim = self.recent[self.rng.randrange(len(self.recent))]
            if self.claims[claim][1] != article:
                return claim
        names, groups, weights = zip(*RELATIONS, strict=True)
        index = self.rng.choices(range(len(names)), weights)[0]
        subject = self.pick(ACTORS)
        group = groups[index]
        kinds = {"actor": ACTORS, "place": (*PLACES, "State"), "agreement": AGREEMENTS,
                 "event": EVENTS, "field": ("CooperationField",)}[group]
        obj = self.pick(kinds)
        if obj == subject:
            obj = self.pick(kinds, famous=False)
        return names[index], subject, obj

    def _corroborate(self, iri: str, relation: str, subject: int, obj: int,
                     article: int) -> None:
        claim = (relation, subject, obj)
        earlier = self.claims.get(claim)
        if earlier is not None and earlier[1] != article:
            link = self.rckg("corroborates")
            self.agreement += [f"<{iri}> {link} <{earlier[0]}>", f"<{earlier[0]}> {link} <{iri}>"]
        self.claims[claim] = (iri, article)
        self.recent.append(claim)

    def _label(self, relation: str, lang: str) -> str:
        return _relation_labels(self.onto.graph, self.terms)[relation][lang]

    def _time(self, iri: str) -> tuple[str, list[str]]:
        rng = self.rng
        if rng.random() < 0.4:
            return "", []
        year = rng.randint(2018, 2027)
        kind = rng.choice(("year", "quarter", "month", "day", "academic-year", "relative"))
        if kind == "year":
            text, start, end = f"{year}", f"{year}-01-01", f"{year}-12-31"
        elif kind == "quarter":
            q = rng.randrange(4)
            last = ("03-31", "06-30", "09-30", "12-31")[q]
            text, start, end = f"im {QUARTERS[q]} Quartal {year}", \
                f"{year}-{3 * q + 1:02d}-01", f"{year}-{last}"
        elif kind == "month":
            m = rng.randrange(12)
            text, start, end = f"im {MONTHS[m]} {year}", f"{year}-{m + 1:02d}-01", \
                f"{year}-{m + 1:02d}-28"
        elif kind == "day":
            m, d = rng.randrange(12), rng.randint(1, 28)
            date = f"{year}-{m + 1:02d}-{d:02d}"
            text, start, end = f"am {d}. {MONTHS[m]} {year}", date, date
        elif kind == "academic-year":
            text, start, end = f"im Studienjahr {year}/{(year + 1) % 100:02d}", \
                f"{year}-09-01", f"{year + 1}-08-31"
        else:
            text, start, end = "im kommenden Jahr", "", ""
        spec = f"<{iri}#time>"
        lines = [f"<{iri}> {self.rckg('time')} {spec}", f"{spec} {TYPE} {self.rckg('TimeSpec')}",
                 f"{spec} {self.rckg('timeText')} {_lit(text, 'de')}",
                 f"{spec} {self.rckg('precision')} {self.concept('precision', kind)}"]
        if start:
            lines += [f"{spec} {self.rckg('start')} {_lit(start, datatype=XSD + 'date')}",
                      f"{spec} {self.rckg('end')} {_lit(end, datatype=XSD + 'date')}"]
        return text, lines

    def _quantity(self, iri: str, relation: str) -> tuple[str, list[str]]:
        rng = self.rng
        if relation not in FLOW_RELATIONS and rng.random() > 0.15:
            return "", []
        number = rng.randint(2, 99)
        role, text, value, unit = rng.choice((
            ("volume", f"{number} Milliarden Kubikmeter", number * 1e9, "M3"),
            ("count", f"{number}.000", number * 1000.0, "NUM"),
            ("change", f"{number} Prozent", float(number), "PERCENT"),
            ("capacity", f"{number} Millionen Tonnen im Jahr", number * 1e6, "TONNE-PER-YR"),
        ))
        stated = number * 1000 if unit == "NUM" else number
        q = f"<{iri}#q1>"
        return text, [
            f"<{iri}> {self.rckg(role)} {q}", f"{q} {TYPE} <{QUDT}QuantityValue>",
            f"{q} {self.rckg('statedText')} {_lit(text, 'de')}",
            f"{q} {self.rckg('statedValue')} {_lit(f'{stated}.0', datatype=XSD + 'decimal')}",
            f"{q} <{QUDT}numericValue> {_lit(repr(value), datatype=XSD + 'double')}",
            f"{q} <{QUDT}unit> <{UNIT}{unit}>",
        ]

    def _evidence(self, node: str, source: str, sentence: str, offset: int) -> list[str]:
        iri = node[1:-1]
        evidence, target = f"<{iri}#evidence>", f"<{iri}#target>"
        quote, position = f"<{iri}#quote>", f"<{iri}#position>"
        integer = XSD + "nonNegativeInteger"
        return [
            f"{node} {self.rckg('evidence')} {evidence}",
            f"{evidence} {TYPE} <{OA}Annotation>",
            f"{evidence} <{OA}motivatedBy> <{OA}describing>",
            f"{evidence} <{OA}hasBody> {node}",
            f"{evidence} <{OA}hasTarget> {target}",
            f"{target} {TYPE} <{OA}SpecificResource>",
            f"{target} <{OA}hasSource> <{self.base}source/{source}>",
            f"{target} <{OA}hasSelector> {quote}",
            f"{target} <{OA}hasSelector> {position}",
            f"{quote} {TYPE} <{OA}TextQuoteSelector>",
            f"{quote} <{OA}exact> {_lit(sentence)}",
            f"{quote} <{OA}prefix> {PREFIX_SLOT}",
            f"{quote} <{OA}suffix> {SUFFIX_SLOT}",
            f"{position} {TYPE} <{OA}TextPositionSelector>",
            f"{position} <{OA}start> {_lit(str(offset), datatype=integer)}",
            f"{position} <{OA}end> {_lit(str(offset + len(sentence)), datatype=integer)}",
        ]

    # --- the description -----------------------------------------------------------------

    def meta_lines(self, articles: int) -> list[str]:
        node = f"<{self.base}dataset>"
        lines = [f"{node} {TYPE} <{VOID}Dataset>", f"{node} {TYPE} <{DCAT}Dataset>",
                 f"{node} <{DCT}title> {_lit('rckg synthetic benchmark corpus', 'en')}",
                 f"{node} <{VOID}sparqlEndpoint> <{self.base}sparql>"]
        for index, (name, count) in enumerate(sorted(self.counts.items())):
            subset = f"_:subset{index}"
            lines += [f"{node} <{VOID}subset> {subset}", f"{subset} {TYPE} <{VOID}Dataset>",
                      f"{subset} <{SD}name> {name}",
                      f"{subset} <{VOID}triples> {_lit(str(count), datatype=XSD + 'integer')}"]
        total = sum(self.counts.values())
        lines += [f"{node} <{VOID}triples> {_lit(str(total), datatype=XSD + 'integer')}",
                  f"{node} {self.rckg('statementCount')} "
                  f"{_lit(str(self.statements), datatype=XSD + 'integer')}"]
        lines += [f"{node} <{DCT}source> <{self.base}source/synthetic-{n:06d}>"
                  for n in range(articles)]
        return self.emit(lines, self.graph("meta"))


def _weighted(rng: random.Random, options: Sequence[tuple[str, int]]) -> str:
    return rng.choices([o for o, _ in options], [w for _, w in options])[0]


_LABELS: dict[str, dict[str, dict[str, str]]] = {}


def _relation_labels(graph: Graph, terms: Terms) -> dict[str, dict[str, str]]:
    """Relation → language → rdfs:label, read once from the ontology."""
    cached = _LABELS.get(terms.base)
    if cached is None:
        rckg = str(terms.rckg)
        cached = {}
        label = URIRef(RDFS + "label")
        for name, *_ in RELATIONS:
            for obj in graph.objects(URIRef(rckg + name), label):
                if isinstance(obj, Literal) and obj.language:
                    cached.setdefault(name, {})[obj.language] = str(obj)
        _LABELS[terms.base] = cached
    return cached


def _n3(term: object) -> str:
    if isinstance(term, BNode):
        return f"_:o{term}"
    if isinstance(term, Literal):
        return _lit(str(term), term.language, str(term.datatype) if term.datatype else None)
    return f"<{term}>"


def entity_count(triples: int) -> int:
    """Entities for a corpus of about `triples`: a pool that grows with the corpus."""
    return max(40, triples // 150)


def generate(path: Path, triples: int, seed: int = DEFAULT_SEED,
             base: str = DEFAULT_BASE) -> Corpus:
    """Write a corpus of about `triples` quads to `path` (N-Quads)."""
    started = time.perf_counter()
    gen = _Generator(Terms(base), seed, triples)
    gen.make_entities(entity_count(triples))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    articles = 0
    with tmp.open("w", encoding="utf-8") as out:
        out.writelines(gen.ontology_lines())
        out.writelines(gen.reference_lines())
        # The description adds about 4 lines per article; stop when the total is reached.
        while gen.total + 4 * articles < triples or articles == 0:
            out.writelines(gen.article_lines(articles))
            articles += 1
        if gen.agreement:
            out.writelines(gen.emit(gen.agreement, gen.graph("agreement")))
        out.writelines(gen.meta_lines(articles))
    tmp.replace(path)
    actors = sorted(gen.entities[i].slug for k in ACTORS for i in gen.by_kind.get(k, []))
    return Corpus(path, seed, base, gen.total, articles, gen.statements, len(gen.entities),
                  {k[1:-1]: v for k, v in sorted(gen.counts.items())}, actors,
                  round(time.perf_counter() - started, 2))


def ensure(folder: Path, triples: int, seed: int = DEFAULT_SEED,
           base: str = DEFAULT_BASE) -> Corpus:
    """The corpus of this size and seed in `folder`, written only if not there yet."""
    path = folder / f"corpus-{triples}-{seed}.nq"
    sidecar = path.with_suffix(".json")
    if path.exists() and sidecar.exists():
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        if data.get("format") == FORMAT_VERSION and data.get("base") == base:
            del data["format"]
            return Corpus(**{**data, "path": path})
    corpus = generate(path, triples, seed, base)
    record = {**asdict(corpus), "path": str(path), "format": FORMAT_VERSION}
    sidecar.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return corpus


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.split("\n")[0])
    p.add_argument("--triples", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--base", default=DEFAULT_BASE)
    p.add_argument("-o", "--output", type=Path, required=True)
    args = p.parse_args(argv)
    corpus = generate(args.output, args.triples, args.seed, args.base)
    print(json.dumps(corpus.summary(), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
