"""The exports are written as they are made (graph/export/xmlstream.py, `Network`): the same
bytes as the tree-built documents they replace, in chunks, with lxml's escaping rules."""

from __future__ import annotations

import io
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO, cast

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from api.app import create_app
from graph.config import Settings
from graph.export import FORMATS, stored, xmlstream
from graph.export.gexf import write_gexf
from graph.export.graphml import write_graphml
from graph.export.network import ExportFilter, Network, export_graph
from graph.export.xmlstream import Writer
from graph.store.embedded import OxigraphStore, StoreDirectory
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
    stream(proj, flt, cast(BinaryIO, sink))
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


# Exports stored per version (graph/export/stored.py) and served from disk over HTTP ---------

def test_a_stored_export_is_written_once_completely_and_pruned(
        proj: Projection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    gexf = FORMATS["gexf"]
    path = stored.stored_export(proj, gexf, ExportFilter(), tmp_path)
    assert path.parent == tmp_path / stored.FOLDER and path.read_bytes() == write_gexf(proj)
    written = path.stat().st_mtime_ns
    assert stored.stored_export(proj, gexf, ExportFilter(), tmp_path) == path
    assert path.stat().st_mtime_ns == written  # served again, not rewritten
    monkeypatch.setattr(stored, "KEPT", 2)
    for actor in ("rosatom", "china", "russia"):
        stored.stored_export(proj, gexf, ExportFilter(actor=actor), tmp_path)
    assert len(list(path.parent.iterdir())) == 2


def test_a_failed_export_leaves_no_file(proj: Projection, tmp_path: Path):
    def broken(projection: Projection, flt: ExportFilter | None, out: BinaryIO) -> None:
        out.write(b"<gexf")
        raise RuntimeError("disk on fire")

    spec = FORMATS["gexf"]._replace(stream=broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        stored.stored_export(proj, spec, ExportFilter(), tmp_path)
    assert list((tmp_path / stored.FOLDER).iterdir()) == []
    for fmt in ("gexf", "graphml", "csv"):  # a filter the network refuses: no file at all
        with pytest.raises(ValueError, match="depth"):
            stored.stored_export(proj, FORMATS[fmt], ExportFilter(depth=-1), tmp_path)
        sink = io.BytesIO()
        with pytest.raises(ValueError, match="depth"):
            FORMATS[fmt].stream(proj, ExportFilter(depth=-1), sink)  # type: ignore[misc]
        assert sink.getvalue() == b""
    assert list((tmp_path / stored.FOLDER).iterdir()) == []
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    with pytest.raises(OSError):
        stored.stored_export(proj, FORMATS["gexf"], ExportFilter(), blocked)
    with pytest.raises(ValueError, match="not written as a stream"):
        stored.stored_export(proj, FORMATS["png"], ExportFilter(), tmp_path)


def test_http_serves_exports_from_files_of_the_version(test_settings: Settings, built: object,
                                                       proj: Projection):
    folder = StoreDirectory(test_settings.store).current_path() / stored.FOLDER
    shutil.rmtree(folder, ignore_errors=True)
    with TestClient(create_app(replace(test_settings, workers=1))) as client:
        first = client.get("/api/export/gexf")
        assert first.status_code == 200 and first.content == write_gexf(proj)
        assert first.headers["content-type"].startswith("application/gexf+xml")
        assert 'filename="rckg.gexf"' in first.headers["content-disposition"]
        [file] = folder.iterdir()
        assert file.read_bytes() == first.content
        written = file.stat().st_mtime_ns
        again = client.get("/api/export/gexf")
        assert again.content == first.content and file.stat().st_mtime_ns == written
        assert again.headers.get_list("etag") == [first.headers["etag"]]  # the app's, once
        assert int(again.headers["content-length"]) == len(first.content)
        unchanged = client.get("/api/export/gexf", headers={"If-None-Match": first.headers["etag"]})
        assert unchanged.status_code == 304 and not unchanged.content
        ego = client.get("/api/export/graphml", params={"actor": "rosatom"})
        assert ego.content == write_graphml(proj, ExportFilter(actor="rosatom"))
        assert len(list(folder.iterdir())) == 2
        png = client.get("/api/export/png", params={"actor": "rosatom"})
        assert png.content[:8] == b"\x89PNG\r\n\x1a\n" and len(list(folder.iterdir())) == 2
