"""Stage 4, export: the graph written to files, one module per format: RDF dumps (`rdf`), and
for network analysts GEXF 1.3 (`gexf`), GraphML (`graphml`), Gephi's CSV pair (`csv`) and
pictures (`picture`), all drawn from the aggregated network of `network`. May import:
`graph.views`, `graph.store`, `graph.config`, `graph.errors`."""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO, NamedTuple

from graph.export.csv import ZIP_MEDIA_TYPE, write_csv_zip, write_csv_zip_to
from graph.export.gexf import MEDIA_TYPE as GEXF_MEDIA_TYPE
from graph.export.gexf import write_gexf, write_gexf_to
from graph.export.graphml import MEDIA_TYPE as GRAPHML_MEDIA_TYPE
from graph.export.graphml import write_graphml, write_graphml_to
from graph.export.network import ExportFilter
from graph.views.projection import Projection

Writer = Callable[[Projection, ExportFilter | None], bytes]
Streamer = Callable[[Projection, ExportFilter | None, BinaryIO], None]


class ExportFormat(NamedTuple):
    """How the CLI and HTTP serve one network format; `stream` writes it into a file as it
    is made (in memory that does not grow with the graph), where the format can."""

    media_type: str
    extension: str
    writer: Writer
    stream: Streamer | None = None


def _picture(fmt: str) -> Writer:
    """A writer that imports matplotlib only when a picture is asked for (it is slow to load)."""
    def write(projection: Projection, flt: ExportFilter | None) -> bytes:
        from graph.export.picture import draw
        return draw(projection, flt, fmt)
    return write


# The network formats (the RDF dumps stay in graph/export/rdf.py, keyed by MEDIA_TYPES).
FORMATS: dict[str, ExportFormat] = {
    "gexf": ExportFormat(GEXF_MEDIA_TYPE, "gexf", write_gexf, write_gexf_to),
    "graphml": ExportFormat(GRAPHML_MEDIA_TYPE, "graphml", write_graphml, write_graphml_to),
    "csv": ExportFormat(ZIP_MEDIA_TYPE, "zip", write_csv_zip, write_csv_zip_to),
    "png": ExportFormat("image/png", "png", _picture("png")),
    "svg": ExportFormat("image/svg+xml", "svg", _picture("svg")),
}
