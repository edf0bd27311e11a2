"""Gephi exports: GEXF 1.3 that validates and that Gephi and Gephi Lite read as meant,
GraphML and CSV that read back, filters, and the picture."""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import json
import re
import subprocess
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from lxml import etree
from PIL import Image

from graph.config import PROJECT_ROOT
from graph.export import FORMATS
from graph.export.csv import EDGE_HEADER, NODE_HEADER, write_csv, write_csv_zip
from graph.export.gexf import GEXF, VIZ, write_gexf
from graph.export.graphml import write_graphml
from graph.export.network import ExportFilter, export_graph
from graph.export.picture import draw
from graph.store.embedded import OxigraphStore
from graph.views import projection
from graph.views.projection import Projection
from tests.conftest import BASE, node_script, shared_path

NS = {"g": GEXF, "viz": VIZ}
GEPHI_TYPES = {"string", "integer", "double", "boolean"}
Q1_2026 = ExportFilter(since=datetime.date(2026, 1, 1), until=datetime.date(2026, 3, 31))
ROSATOM = ExportFilter(actor="rosatom", depth=1)
FILTERS = [ExportFilter(), ROSATOM, Q1_2026,
           ExportFilter(actor="russia", relations=frozenset({"suppliesTo", "cooperatesWith"}))]
FILTER_IDS = ["all", "rosatom", "q1-2026", "russia-two-relations"]
RUSSIA_CHINA = {"avoidsDependenceOn", "buysFrom", "importsFrom", "negotiatesWith", "suppliesTo"}


@pytest.fixture(scope="module")
def proj(store: OxigraphStore) -> Projection:
    return projection.load(store.query, BASE, store.version)


@pytest.fixture(scope="module")
def gexf(proj: Projection) -> etree._Element:
    return etree.fromstring(write_gexf(proj))


def rng() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(shared_path("schemas", "gexf-1.3", "gexf.rng"))))


def edges_of(g: nx.MultiDiGraph, a: str, b: str) -> dict[str, dict[str, Any]]:
    """Relation → edge data of the edges between a and b, either way."""
    return {k: d for u, v, k, d in g.edges(keys=True, data=True) if {u, v} == {a, b}}


# GEXF ------------------------------------------------------------------------------------

@pytest.mark.parametrize("flt", FILTERS, ids=FILTER_IDS)
def test_gexf_validates_against_the_gexf_1_3_schema(proj: Projection, flt: ExportFilter):
    data = write_gexf(proj, flt)
    assert b"schemaLocation" not in data  # nothing to strip: never written
    doc = etree.fromstring(data)
    assert doc.tag == f"{{{GEXF}}}gexf" and doc.get("version") == "1.3"
    schema = rng()
    assert schema.validate(doc.getroottree()), schema.error_log


def test_gexf_ids_are_unique_and_every_edge_end_exists(gexf: etree._Element):
    node_ids = [n.get("id") for n in gexf.iterfind(".//g:node", NS)]
    edge_ids = [e.get("id") for e in gexf.iterfind(".//g:edge", NS)]
    assert len(node_ids) == len(set(node_ids)) and len(edge_ids) == len(set(edge_ids))
    for edge in gexf.iterfind(".//g:edge", NS):
        assert edge.get("source") in set(node_ids) and edge.get("target") in set(node_ids)
    assert gexf.find(".//g:nodes", NS).get("count") == str(len(node_ids))
    assert gexf.find(".//g:edges", NS).get("count") == str(len(edge_ids))


def test_gexf_has_what_gephi_would_otherwise_drop_or_merge(gexf: etree._Element):
    graph = gexf.find("g:graph", NS)
    edges = list(gexf.iterfind(".//g:edge", NS))
    types = {e.get("type") for e in edges}
    assert types == {"directed", "mutual"}  # mixed: symmetric relations go both ways
    assert graph.get("defaultedgetype") == "directed"
    for edge in edges:
        facts = edge.find("g:attvalues/g:attvalue[@for='fact']", NS).get("value").split(" | ")
        assert float(edge.get("weight")) == len(facts) >= 1
        assert edge.get("kind") == edge.get("label")
    kinds = Counter((e.get("source"), e.get("target"), e.get("type"), e.get("kind"))
                    for e in edges)
    assert max(kinds.values()) == 1  # nothing for Gephi to merge
    declared = {a.get("type") for a in gexf.iterfind(".//g:attribute", NS)}
    assert declared <= GEPHI_TYPES
    reserved = {"node": {"id", "label"}, "edge": {"id", "label", "weight", "kind", "type"}}
    for cls in ("node", "edge"):
        declarations = list(gexf.iterfind(f".//g:attributes[@class='{cls}']/g:attribute", NS))
        ids = {a.get("id") for a in declarations}
        assert ids == {a.get("title") for a in declarations}  # Gephi and graphology agree
        assert not ids & reserved[cls]
        used = {v.get("for") for v in gexf.iterfind(f".//g:{cls}/g:attvalues/g:attvalue", NS)}
        assert used <= ids


def test_gexf_edge_type_agrees_with_a_default_where_one_is_written(proj: Projection):
    doc = etree.fromstring(write_gexf(proj, ROSATOM))
    default = doc.find("g:graph", NS).get("defaultedgetype")
    assert default == "directed"
    assert {e.get("type") for e in doc.iterfind(".//g:edge", NS)} == {default}


def test_gexf_is_dynamic_with_iso_dates_and_no_overlapping_spells(gexf: etree._Element):
    graph = gexf.find("g:graph", NS)
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    spelled = 0
    for element in [*gexf.iterfind(".//g:node", NS), *gexf.iterfind(".//g:edge", NS)]:
        spells = [(s.get("start"), s.get("end")) for s in element.iterfind("g:spells/g:spell",
                                                                           NS)]
        spelled += bool(spells)
        for start, end in spells:
            assert start or end
            for bound in (start, end):
                assert bound is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", bound)
            assert start is None or end is None or start <= end
        for (_, end), (start, _) in itertools.pairwise(spells):
            assert end is not None and start is not None and end < start
    assert spelled >= 10
    supplies = gexf.find(".//g:edge[@id='russia:suppliesTo:power-of-siberia-1']", NS)
    assert [(s.get("start"), s.get("end")) for s in supplies.iterfind(".//g:spell", NS)] == \
        [("2025-01-01", "2025-12-31")]
    visa = gexf.find(".//g:edge[@id='china:extends:visa-free-travel']", NS)
    assert [(s.get("start"), s.get("end")) for s in visa.iterfind(".//g:spell", NS)] == \
        [(None, "2027-12-31")]  # "bis Ende 2027": open start


def test_gexf_nodes_carry_labels_wikidata_degree_and_viz(gexf: etree._Element):
    china = gexf.find(".//g:node[@id='china']", NS)
    values = {v.get("for"): v.get("value") for v in china.iterfind(".//g:attvalue", NS)}
    assert china.get("label") == "China"
    assert values["label_zh"] == "中国" and values["label_ru"] == "Китай"
    assert values["wikidata"] == "Q148" and values["type"] == "State"
    assert int(values["degree"]) == sum(1 for e in gexf.iterfind(".//g:edge", NS)
                                        if "china" in (e.get("source"), e.get("target")))
    assert china.find("viz:color", NS).get("r") == "214"
    assert float(china.find("viz:size", NS).get("value")) > 10
    assert gexf.find(".//g:node[@id='rosatom']/viz:color", NS).get("g") == "127"


def test_gexf_output_is_deterministic(proj: Projection):
    assert write_gexf(proj) == write_gexf(proj)


def graphology() -> list[str]:
    """The command that runs the graphology-gexf reader (what Gephi Lite uses)."""
    return node_script("graphology_gexf.mjs", ("graphology", "graphology-gexf"))


def lxml_view(doc: etree._Element) -> tuple[dict[str, Any], dict[str, Any]]:
    """Nodes and edges with the attributes graphology should find, read with lxml."""
    types = {(a.getparent().get("class"), a.get("id")): a.get("type")
             for a in doc.iterfind(".//g:attribute", NS)}

    def values(element: etree._Element, cls: str) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for v in element.iterfind("g:attvalues/g:attvalue", NS):
            kind, raw = types[(cls, v.get("for"))], v.get("value")
            found[v.get("for")] = {"integer": int, "double": float}.get(kind, str)(raw) \
                if kind != "boolean" else raw == "true"
        return found

    nodes = {}
    for n in doc.iterfind(".//g:node", NS):
        color = n.find("viz:color", NS)
        nodes[n.get("id")] = {**values(n, "node"), "label": n.get("label"),
                              "color": f"rgb({color.get('r')},{color.get('g')},{color.get('b')})",
                              "size": float(n.find("viz:size", NS).get("value"))}
    edges = {e.get("id"): {"source": e.get("source"), "target": e.get("target"),
                           "undirected": e.get("type") in ("undirected", "mutual"),
                           "attributes": {**values(e, "edge"), "label": e.get("label"),
                                          "kind": e.get("kind"),
                                          "weight": float(e.get("weight"))}}
             for e in doc.iterfind(".//g:edge", NS)}
    return nodes, edges


@pytest.mark.parametrize("flt", [ExportFilter(), Q1_2026], ids=["all", "q1-2026"])
def test_graphology_gexf_reads_the_same_graph_as_lxml(proj: Projection, flt: ExportFilter,
                                                      tmp_path: Path):
    command = graphology()
    data = write_gexf(proj, flt)
    path = tmp_path / "rckg.gexf"
    path.write_bytes(data)
    done = subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=120,
                          cwd=PROJECT_ROOT)
    assert done.returncode == 0, done.stderr
    read = json.loads(done.stdout)
    nodes, edges = lxml_view(etree.fromstring(data))
    assert (read["order"], read["size"]) == (len(nodes), len(edges))
    whole = flt == ExportFilter()  # parallel edges and both edge types; the window has neither
    assert (read["multi"], read["type"]) == ((True, "mixed") if whole else (False, "directed"))
    assert {n["key"]: n["attributes"] for n in read["nodes"]} == nodes
    assert {e["key"]: {k: e[k] for k in ("source", "target", "undirected", "attributes")}
            for e in read["edges"]} == edges


# The network -----------------------------------------------------------------------------

def test_russia_and_china_are_linked_by_several_relations_kept_apart(proj: Projection,
                                                                   gexf: etree._Element):
    between = edges_of(export_graph(proj), "russia", "china")
    assert set(between) == RUSSIA_CHINA
    assert {k for k, d in between.items() if not d["directed"]} == {"negotiatesWith"}
    # every edge says whether the plain RDF layer holds it: "rund 49 Milliarden" and the
    # negotiation with open questions do not, China buying Russian oil does
    assert {k for k, d in between.items() if d["direct"]} == {"buysFrom", "importsFrom",
                                                               "avoidsDependenceOn"}
    assert between["suppliesTo"]["weight"] == 1
    assert between["suppliesTo"]["fact"] == ("junge-welt-522920/gas-2025",)
    assert between["importsFrom"]["fact"] == ("junge-welt-522920/oil-imports-up",)
    in_file = [e for e in gexf.iterfind(".//g:edge", NS)
               if {e.get("source"), e.get("target")} == {"russia", "china"}]
    assert sorted(e.get("kind") for e in in_file) == sorted(RUSSIA_CHINA)


def test_symmetric_relations_give_one_undirected_edge_in_sorted_order(proj: Projection):
    g = export_graph(proj)
    undirected = [(u, v, k) for u, v, k, d in g.edges(keys=True, data=True) if not d["directed"]]
    assert sorted(undirected) == [("china", "russia", "negotiatesWith"),
                                  ("vladimir-putin", "xi-jinping", "meetsWith")]
    assert all(k in proj.symmetric for _, _, k in undirected)
    meeting = g["vladimir-putin"]["xi-jinping"]["meetsWith"]
    assert meeting["spells"] == ()  # "am Mittwoch": the text gives no date
    assert g["russia"]["power-of-siberia-2"]["negotiatesWith"]["directed"]  # about: a topic


def test_edges_aggregate_quotes_and_sources_verbatim(proj: Projection):
    g = export_graph(proj)
    for _, _, data in g.edges(data=True):
        assert data["weight"] == len(data["fact"]) == len(data["quote"]) >= 1
        for fact_id, quote in zip(data["fact"], data["quote"], strict=True):
            assert proj.facts[fact_id].quote == quote
        assert data["source_url"] == ("https://www.jungewelt.de/artikel/"
                                      "522920.russland-china-auf-gute-nachbarschaft.html",)


def test_a_time_window_keeps_only_the_facts_in_it(proj: Projection):
    g = export_graph(proj, Q1_2026)
    assert {k for _, _, k in g.edges(keys=True)} == {"compensatesFor", "extends", "importsFrom"}
    facts = {f for _, _, d in g.edges(data=True) for f in d["fact"]}
    assert facts == {f"junge-welt-522920/{i}" for i in (
        "oil-compensates-losses", "oil-imports-up", "visa-free-extended")}
    assert edges_of(g, "russia", "china").keys() == {"importsFrom"}
    later = export_graph(proj, ExportFilter(since=datetime.date(2028, 1, 1)))
    assert {k for _, _, k in later.edges(keys=True)} == {"aimsToIncrease"}  # 2030 target


def test_an_ego_export_keeps_the_actors_neighbourhood(proj: Projection):
    g = export_graph(proj, ROSATOM)
    assert set(g) == {"rosatom", "china", "nuclear-power"}
    assert set(g.edges(keys=True)) == {("rosatom", "china", "expandsActivityIn"),
                                       ("rosatom", "nuclear-power", "expandsActivityIn")}
    assert g.nodes["rosatom"]["degree"] == 2
    assert set(export_graph(proj, ExportFilter(actor="rosatom", depth=0))) == {"rosatom"}
    assert len(export_graph(proj, ExportFilter(actor="rosatom", depth=2))) > 3


def test_filters_refuse_what_does_not_exist(proj: Projection):
    with pytest.raises(ValueError, match=r"unknown actor 'rosatm'.*rosatom"):
        export_graph(proj, ExportFilter(actor="rosatm"))
    with pytest.raises(ValueError, match="unknown relation"):
        export_graph(proj, ExportFilter(relations=frozenset({"supplies"})))
    with pytest.raises(ValueError, match="after"):
        export_graph(proj, ExportFilter(since=datetime.date(2027, 1, 1),
                                        until=datetime.date(2026, 1, 1)))


# GraphML and CSV -------------------------------------------------------------------------

@pytest.mark.parametrize("flt", FILTERS, ids=FILTER_IDS)
def test_networkx_reads_the_graphml_back(proj: Projection, flt: ExportFilter):
    g = export_graph(proj, flt)
    read = nx.read_graphml(io.BytesIO(write_graphml(proj, flt)), force_multigraph=True)
    assert set(read) == set(g)
    assert Counter((u, v) for u, v in read.edges()) == Counter((u, v) for u, v in g.edges())
    for u, v, data in read.edges(data=True):
        assert data["label"] in g[u][v] and data["weight"] == g[u][v][data["label"]]["weight"]
        assert data["directed"] is g[u][v][data["label"]]["directed"]
    for node, data in read.nodes(data=True):
        assert data["label"] == g.nodes[node]["label"]
        assert data["degree"] == g.nodes[node]["degree"]


def test_graphml_declares_typed_keys_for_nodes_and_edges(proj: Projection):
    doc = etree.fromstring(write_graphml(proj))
    keys = doc.findall("{http://graphml.graphdrawing.org/xmlns}key")
    assert {k.get("for") for k in keys} == {"node", "edge"}
    assert {k.get("attr.type") for k in keys} <= {"string", "int", "double", "boolean"}


def read_table(data: bytes) -> list[dict[str, str]]:
    """A CSV table as Gephi reads it (a backslash escapes)."""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8")), escapechar="\\"))


@pytest.mark.parametrize("flt", FILTERS, ids=FILTER_IDS)
def test_the_csv_pair_reimports_with_the_same_counts(proj: Projection, flt: ExportFilter):
    g = export_graph(proj, flt)
    nodes_csv, edges_csv = write_csv(proj, flt)
    assert not nodes_csv.startswith(b"\xef\xbb\xbf") and not edges_csv.startswith(b"\xef\xbb\xbf")
    nodes, edges = read_table(nodes_csv), read_table(edges_csv)
    assert tuple(nodes[0]) == NODE_HEADER and tuple(edges[0]) == EDGE_HEADER
    assert len(nodes) == g.number_of_nodes() and len(edges) == g.number_of_edges()
    ids = {n["Id"] for n in nodes}
    assert len(ids) == len(nodes) and len({e["Id"] for e in edges}) == len(edges)
    for edge in edges:
        assert edge["Source"] in ids and edge["Target"] in ids
        assert edge["Type"] in {"Directed", "Undirected"} and int(edge["Weight"]) >= 1
        assert edge["Kind"] == edge["Label"]
        quotes = edge["quote"].split(" | ")
        facts = [proj.facts[f] for f in edge["fact"].split(" | ")]
        assert quotes == [f.quote for f in facts]


def test_the_csv_zip_holds_both_tables(proj: Projection):
    with zipfile.ZipFile(io.BytesIO(write_csv_zip(proj, ROSATOM))) as archive:
        assert sorted(archive.namelist()) == ["edges.csv", "nodes.csv"]
        assert (archive.read("nodes.csv"), archive.read("edges.csv")) == write_csv(proj, ROSATOM)
    assert write_csv_zip(proj) == write_csv_zip(proj)


# Picture and registry --------------------------------------------------------------------

def test_the_png_is_a_real_1600_by_1200_image(proj: Projection):
    with Image.open(io.BytesIO(draw(proj, ExportFilter(), "png"))) as image:
        assert image.format == "PNG" and image.size == (1600, 1200)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 50  # not a blank canvas


def test_the_svg_parses_as_xml(proj: Projection):
    doc = etree.fromstring(draw(proj, ROSATOM, "svg"))
    assert doc.tag == "{http://www.w3.org/2000/svg}svg"
    with pytest.raises(ValueError, match="png or svg"):
        draw(proj, ROSATOM, "gif")


def test_the_registry_serves_every_network_format(proj: Projection):
    assert set(FORMATS) == {"gexf", "graphml", "csv", "png", "svg"}
    assert FORMATS["csv"].media_type == "application/zip" and FORMATS["csv"].extension == "zip"
    for fmt in FORMATS.values():
        data = fmt.writer(proj, ROSATOM)
        assert isinstance(data, bytes) and data


def test_drawn_figures_do_not_pile_up(proj: Projection) -> None:
    """Uncached PNG/SVG exports once left their figures to the collector's rare full passes
    (a server grew by ~3 MB per distinct export); none may outlive its drawing."""
    import gc

    from matplotlib.figure import Figure

    from graph.export.network import ExportFilter
    from graph.export.picture import draw

    gc.collect()
    threshold = gc.get_threshold()
    gc.set_threshold(threshold[0], threshold[1], 1_000_000)  # as in a server: no full passes
    try:
        for relation in sorted(proj.relations)[:6]:
            for fmt in ("png", "svg"):
                draw(proj, ExportFilter(relations=frozenset((relation,))), fmt)
        alive = sum(isinstance(o, Figure) for o in gc.get_objects())
    finally:
        gc.set_threshold(*threshold)
    assert alive == 0
