"""The exports are written as they are made (graph/export/xmlstream.py, `Network`): the same
bytes as the tree-built documents they replace, in chunks, with lxml's escaping rules."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from graph.export import FORMATS, xmlstream
from graph.export.network import ExportFilter, Network, export_graph
from graph.export.xmlstream import Writer
from graph.store.embedded import OxigraphStore
from graph.views import projection
from graph.views.projection import Projection
from tests.conftest import BASE

TRICKY = 'A & B <c> "d" \'e\' \n\t\r Ж 中国 ≥ é'


@pytest.fixture(scope="module")
def proj(store: OxigraphStore) -> Projection:
    return projection.load(store.query, BASE, store.version)


class Chunks:
    """A write-only sink that keeps each write apart."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.writes.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def test_the_writer_lays_out_and_escapes_as_lxml_pretty_print():
    root = etree.Element("root", nsmap={None: "urn:x", "v": "urn:v"}, version="1")
    meta = etree.SubElement(root, "{urn:x}meta", note=TRICKY)
    etree.SubElement(meta, "{urn:x}text").text = TRICKY
    etree.SubElement(meta, "{urn:x}empty")
    etree.SubElement(root, "{urn:v}color", r="1")
    expected = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    out = io.BytesIO()
    w = Writer(out)
    w.start("root", {"xmlns": "urn:x", "xmlns:v": "urn:v", "version": "1"})
    w.start("meta", {"note": TRICKY})
    w.leaf("text", text=TRICKY)
    w.leaf("empty")
    w.end("meta")
    w.leaf("v:color", {"r": "1"})
    w.end("root")
    w.close()
    assert out.getvalue() == expected
    assert etree.fromstring(out.getvalue()).find("{urn:x}meta").get("note") == TRICKY


@pytest.mark.parametrize("bad", ["\x00", "\x1b[31m", "\ufffe"])
def test_the_writer_refuses_what_xml_cannot_carry(bad: str):
    w = Writer(io.BytesIO())
    with pytest.raises(ValueError, match="XML compatible"):
        w.leaf("x", {"a": f"ok{bad}"})
    with pytest.raises(ValueError, match="XML compatible"):
        w.leaf("x", text=bad)


def test_the_writer_will_not_end_a_document_with_open_elements():
    w = Writer(io.BytesIO())
    w.start("a")
    with pytest.raises(ValueError, match="still open"):
        w.close()


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "csv"])
@pytest.mark.parametrize("flt", [None, ExportFilter(actor="rosatom")], ids=["all", "rosatom"])
def test_streamed_exports_come_in_chunks_and_equal_the_whole_file(
        proj: Projection, fmt: str, flt: ExportFilter | None,
        monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(xmlstream, "CHUNK", 512)
    stream = FORMATS[fmt].stream
    assert stream is not None
    sink = Chunks()
    stream(proj, flt, sink)
    streamed, whole = b"".join(sink.writes), FORMATS[fmt].writer(proj, flt)
    if fmt == "csv":  # into a pipe, zip puts sizes after the data: compare what it holds
        assert _members(streamed) == _members(whole)
    else:
        assert streamed == whole
    if fmt != "csv" and flt is None:  # the whole graph is many chunks, none far over CHUNK
        assert len(sink.writes) > 10
        assert max(len(w) for w in sink.writes) < 512 * 8


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_lazy_network_matches_the_networkx_graph(proj: Projection):
    for flt in (None, ExportFilter(actor="rosatom", depth=2), ExportFilter(actor="china", depth=0)):
        net, g = Network(proj, flt), export_graph(proj, flt)
        assert list(net.nodes) == list(g.nodes)
        assert [(u, v, k) for u, v, k, _ in net.edges()] == list(g.edges(keys=True))
        assert {s: d["degree"] for s, d in net.nodes.items()} == dict(g.degree())
        assert len(net) == g.number_of_edges()
