"""`/api/explore/facts`: facts as the explorer reads them: every fact naming an actor, facts
found by words of their quote or translation, or a batch by id; each with the sentence it
comes from and the other voices inside its quote."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from starlette.concurrency import run_in_threadpool

from api.deps import get_pool
from api.errors import documented
from api.views import _querier, get_projection
from graph.sources import sentences
from graph.store.backend import Executor
from graph.views import fact_search, lookups
from graph.views.projection import Fact, Projection

router = APIRouter(prefix="/api/explore", tags=["explorer"], responses=documented(503))
View = Annotated[Projection, Depends(get_projection)]
MAX_IDS = 500


def _source_text(view: Projection, pool: Executor, slug: str) -> tuple[str, list[Any]] | None:
    """The full text of a source and its sentences, read once per graph version."""
    key = f"source-text:{slug}"
    if key not in view.cache:
        source = view.sources.get(slug)
        text = None
        if source is not None:
            rows = _querier(pool, 2)(
                f"PREFIX rckg: <{view.base}ontology#> SELECT ?text WHERE "
                f"{{ <{source.iri}> rckg:sourceText ?text }} LIMIT 1")
            text = next((row["text"].value for row in rows.rows), None)
        view.cache[key] = (text, sentences.split(text)) if text else None
    found: tuple[str, list[Any]] | None = view.cache[key]
    return found


def _reading(view: Projection, pool: Executor, fact: Fact) -> dict[str, Any]:
    """The fact as /api/facts gives it, with its sentence and the voices inside its quote."""
    source = _source_text(view, pool, fact.source)
    sentence = fact_search.sentence_of(source[0], source[1], fact.start, fact.end) \
        if source else None
    return {**lookups.fact_view(view, fact.id),
            "sentence": sentence, "voices": fact_search.voices(view, fact)}


def _readings(view: Projection, pool: Executor, found: list[Fact]) -> dict[str, Any]:
    return {"total": len(found), "facts": [_reading(view, pool, f) for f in found]}


@router.get("/facts", summary="Facts for the explorer", responses=documented(
    400, 404, said={400: "none or more than one of actor, q, id", 404: "unknown actor or fact"}))
async def explore_facts(
    view: View,
    pool: Annotated[Executor, Depends(get_pool)],
    actor: Annotated[str | None, Query(description="every fact naming this actor in any role",
                                       examples=["power-of-siberia-2"])] = None,
    q: Annotated[str | None, Query(max_length=200, description="words of a quote, translation "
                                   "or stated quantity", examples=["Kubikmeter"])] = None,
    id: Annotated[list[str] | None, Query(description="fact ids, source/fact")] = None,
) -> dict[str, Any]:
    """Exactly one of `actor`, `q` or `id`. Each fact carries `sentence` (the sentence of
    the source it comes from, with the offset of its first character) and `voices` (spans
    of the quote that other facts attribute to someone else, such as the author's gloss)."""
    given = [name for name, value in (("actor", actor), ("q", q), ("id", id)) if value]
    if len(given) != 1:
        raise HTTPException(400, "give exactly one of actor, q or id")
    if id is not None and len(id) > MAX_IDS:
        raise HTTPException(400, f"at most {MAX_IDS} ids at once")

    def found() -> dict[str, Any]:
        if actor:
            facts = fact_search.facts_about(view, lookups.resolve(view, actor))
        elif q:
            facts = fact_search.search_facts(view, q)
        else:
            facts = []
            for wanted in dict.fromkeys(id or []):
                lookups.fact_view(view, wanted)  # 404 with suggestions for an unknown id
                facts.append(view.facts[wanted])
        return _readings(view, pool, facts)

    return await run_in_threadpool(found)
