"""The filter parameters facts, ties and networks share, under the same names everywhere.

Async, though they only read the query string: FastAPI runs a sync dependency in the thread
pool, a hop that costs more than the filtering itself."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from api.models import IsoDate
from graph.views.lookups import Attribution, Certainty, FactFilter, Plover

WINDOW = ("keep facts whose time overlaps [since, until] (open-ended when one is missing); "
          "undated facts are left out of any window")


async def fact_filter(
    relation: Annotated[str | None, Query(description="relation, e.g. suppliesTo; an unknown "
                                                      "one answers 422 with the allowed list",
                                          examples=["suppliesTo"])] = None,
    plover: Annotated[Plover | None, Query(description="PLOVER event type")] = None,
    attribution: Annotated[Attribution | None, Query(description="whose claim it is")] = None,
    certainty: Annotated[Certainty | None, Query(description="how firmly the source states "
                                                             "it")] = None,
    since: Annotated[IsoDate | None, Query(description=WINDOW)] = None,
    until: Annotated[IsoDate | None, Query(description=WINDOW)] = None,
    source: Annotated[str | None, Query(description="the source's id",
                                        examples=["junge-welt-522920"])] = None,
) -> FactFilter:
    """The shared filters, unchecked against the graph (lookups.check does that)."""
    return FactFilter(relation=relation, plover=plover, attribution=attribution,
                      certainty=certainty, since=since, until=until, source=source)
