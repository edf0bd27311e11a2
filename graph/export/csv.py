"""Node and edge tables for Gephi's spreadsheet importer (Data Laboratory, or File > Import
spreadsheet): `nodes.csv` (Id, Label, attributes) and `edges.csv` (Source, Target, Type,
Kind, Id, Label, Weight, attributes), comma-separated, UTF-8 without BOM.

Gephi conventions kept: `Type` is Directed or Undirected per edge (Gephi's default is
directed), `Kind` is the relation so that parallel edges of different relations stay apart,
`Weight` is the number of supporting facts (never 0), attribute columns avoid the special
names (id, label, source, target, type, kind, weight), and `Interval` holds the time spells
in Gephi's interval-set syntax. Gephi's CSV reader treats a backslash as an escape, so a
backslash in a value is doubled (read it back with `escapechar="\\"`).

Example:
    >>> from graph import projection
    >>> from graph.config import settings
    >>> from graph.store.embedded import StoreDirectory
    >>> store = StoreDirectory(settings().store).open_current()  # doctest: +SKIP
    >>> p = projection.load(store.query, settings().base_iri, store.version)  # doctest: +SKIP
    >>> nodes, edges = write_csv(p, ExportFilter(actor="rosatom"))  # doctest: +SKIP
    >>> edges.splitlines()[0][:40]  # doctest: +SKIP
    b'Source,Target,Type,Kind,Id,Label,Weight,'
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from typing import IO, Any, BinaryIO

from graph.export.graphml import interval
from graph.export.network import (
    EDGE_COLUMNS,
    NODE_COLUMNS,
    Column,
    ExportFilter,
    Network,
    cell,
    edge_id,
    paused_gc,
    text,
)
from graph.views.projection import Projection

ZIP_MEDIA_TYPE = "application/zip"
NODE_HEADER = ("Id", "Label", *(c.name for c in NODE_COLUMNS), "Interval")
EDGE_HEADER = ("Source", "Target", "Type", "Kind", "Id", "Label", "Weight",
               *(c.name for c in EDGE_COLUMNS), "Interval")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same graph gives the same bytes


def write_csv(projection: Projection, flt: ExportFilter | None = None) -> tuple[bytes, bytes]:
    """(nodes.csv, edges.csv) of the (filtered) network."""
    nodes, edges = io.BytesIO(), io.BytesIO()
    with paused_gc():
        net = Network(projection, flt)
        _table(nodes, NODE_HEADER, _node_rows(net))
        _table(edges, EDGE_HEADER, _edge_rows(net))
    return nodes.getvalue(), edges.getvalue()


def write_csv_zip(projection: Projection, flt: ExportFilter | None = None) -> bytes:
    """A zip holding nodes.csv and edges.csv (how HTTP serves the pair)."""
    out = io.BytesIO()
    write_csv_zip_to(projection, flt, out)
    return out.getvalue()


def write_csv_zip_to(projection: Projection, flt: ExportFilter | None, out: BinaryIO) -> None:
    """Write the zip into `out`, each table compressed row by row as it is made."""
    with paused_gc():
        net = Network(projection, flt)  # a filter it refuses writes nothing
        _zip_tables(net, out)


def _zip_tables(net: Network, out: BinaryIO) -> None:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, header, rows in (("nodes.csv", NODE_HEADER, _node_rows(net)),
                                   ("edges.csv", EDGE_HEADER, _edge_rows(net))):
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w") as member:
                _table(member, header, rows)


def _node_rows(net: Network) -> Iterable[list[str]]:
    for slug, data in net.nodes.items():
        yield [slug, data["label"], *_cells(NODE_COLUMNS, data),
               _value(interval(data["spells"]))]


def _edge_rows(net: Network) -> Iterable[list[str]]:
    for u, v, relation, data in net.edges():
        kind = "Directed" if data["directed"] else "Undirected"
        yield [u, v, kind, relation, edge_id(u, v, relation), relation, str(data["weight"]),
               *_cells(EDGE_COLUMNS, data), _value(interval(data["spells"]))]


def _cells(columns: Iterable[Column], data: dict[str, Any]) -> list[str]:
    return [_value(data.get(column.name)) for column in columns]


def _value(value: Any) -> str:
    scalar = cell(value)
    return "" if scalar is None else text(scalar).replace("\\", "\\\\")


def _table(out: IO[bytes], header: tuple[str, ...], rows: Iterable[list[str]]) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    text.flush()
    text.detach()  # leave `out` open for the caller
