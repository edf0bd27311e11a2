"""Dereferenceable IRIs: `/id/{slug}` and `/fact/{source}/{fact}` answer an RDF client in
Turtle, JSON-LD, N-Triples or RDF/XML and a browser with a page, as Linked Data expects."""

from __future__ import annotations

from html import escape
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api import negotiation
from api.deps import get_pool, get_settings, read_rdf
from api.errors import documented
from api.models import NotFound
from api.routers.facts import FactId, SourceId
from api.views import get_projection
from graph.config import Settings
from graph.store.backend import Executor
from graph.store.query_worker import QueryRequest
from graph.views import lookups
from graph.views.projection import Projection

router = APIRouter(tags=["linked data"])
LD_TYPES = negotiation.GRAPH_TYPES[:4]  # Turtle, JSON-LD, N-Triples, RDF/XML
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "the RDF description, or a page for a browser",
          "content": {t: {} for t in ["text/html", *LD_TYPES]}},
    404: {"model": NotFound, "description": "unknown id, with the closest matches"},
    **documented(406, 503),
}
FACT_PARTS = ("", "#time", "#evidence", "#target", "#quote", "#position")


def _construct(iris: list[str]) -> str:
    values = " ".join(f"<{i}>" for i in iris)
    return (f"CONSTRUCT {{ ?s ?p ?o . ?x ?q ?s }} WHERE {{ VALUES ?s {{ {values} }} "
            f"{{ ?s ?p ?o }} UNION {{ ?x ?q ?s FILTER(isIRI(?x) && ?q != <{iris[0]}>) }} }}")


async def rdf_answer(pool: Executor, settings: Settings, sparql: str, media_type: str) -> Response:
    request = QueryRequest(sparql, True, None, None, None, media_type, settings.max_rows)
    answer = await read_rdf(pool, request, settings.query_timeout, "description")
    return Response(answer.body, media_type=answer.media_type,
                    headers={"Vary": "Accept"})


def choose_type(request: Request) -> str:
    accept = request.headers.get("accept")
    if negotiation.prefers_html(accept):
        return "text/html"
    chosen = negotiation.choose(LD_TYPES, accept, request.query_params.get("format"),
                                negotiation.GRAPH_FORMATS)
    if chosen is None:
        raise HTTPException(406, "available: text/html, " + ", ".join(LD_TYPES))
    return chosen


@router.get("/id/{slug}", summary="An entity as Linked Data", response_class=Response,
            responses={**RESPONSES, 303: {"description": "a Wikidata Q-id: see the entity's "
                                                         "own IRI"}})
async def entity(
    request: Request,
    slug: Annotated[str, Path(description="the entity's slug, or a Wikidata Q-id",
                              examples=["china", "Q159"])],
    view: Annotated[Projection, Depends(get_projection)],
    pool: Annotated[Executor, Depends(get_pool)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    """The entity's triples (and the direct edges pointing at it), or a page for a browser.
    A Wikidata Q-id redirects to the entity's own IRI."""
    resolved = lookups.resolve(view, slug)
    if resolved != slug:
        return RedirectResponse(f"/id/{resolved}", status_code=303)
    media_type = choose_type(request)
    if media_type == "text/html":
        return HTMLResponse(_entity_page(view, slug), headers={"Vary": "Accept"})
    return await rdf_answer(pool, settings, _construct([view.entities[slug].iri]), media_type)


@router.get("/fact/{source}/{fact}", summary="A fact as Linked Data", response_class=Response,
            responses=RESPONSES)
async def fact(
    request: Request, source: SourceId, fact: FactId,
    view: Annotated[Projection, Depends(get_projection)],
    pool: Annotated[Executor, Depends(get_pool)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    """The statement with its time, quantities and evidence selectors, or a page."""
    found = view.facts.get(f"{source}/{fact}")
    if found is None:
        lookups.fact_view(view, f"{source}/{fact}")  # raises UnknownId with suggestions
        raise HTTPException(404)
    media_type = choose_type(request)
    if media_type == "text/html":
        return HTMLResponse(_fact_page(view, found.id), headers={"Vary": "Accept"})
    parts = [found.iri + p for p in FACT_PARTS]
    parts += [f"{found.iri}#q{i}" for i in range(1, len(found.quantities) + 1)]
    return await rdf_answer(pool, settings, _construct(parts), media_type)


def page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)} · rckg</title></head><body>{body}</body></html>")


def _entity_page(view: Projection, slug: str) -> str:
    detail = lookups.entity_view(view, slug)
    labels = "".join(f"<li lang='{escape(k)}'>{escape(v)} ({escape(k)})</li>"
                     for k, v in detail["labels"].items())
    wikidata = f'<p>Wikidata: <a href="{escape(detail["wikidata"])}">{escape(detail["wikidata"])}'\
               f"</a></p>" if detail["wikidata"] else ""
    rows = "".join(
        f"<tr><td>{escape(t['role'])}</td><td>{escape(t['relation_label'])}</td><td>"
        + ", ".join(f"<a href='/id/{escape(c['id'])}'>{escape(c['label'])}</a> "
                    f"({escape(c['role'])})" for c in t["counterparts"])
        + f"</td><td lang='de'>{escape(t['quote_display'])}</td>"
        f"<td><a href='/fact/{escape(t['fact']['id'])}'>fact</a></td></tr>"
        for t in lookups.ties(view, slug, lookups.TieFilter()))
    body = (f"<h1>{escape(detail['label'])}</h1><p>{escape(detail['type'])} · "
            f"<a href='/?actor={escape(slug)}'>explore</a> · "
            f"<a href='/id/{escape(slug)}?format=ttl'>Turtle</a></p><ul>{labels}</ul>{wikidata}"
            f"<table><tr><th>role</th><th>relation</th><th>with</th><th>quote</th><th></th></tr>"
            f"{rows}</table>")
    return page(detail["label"], body)


def _fact_page(view: Projection, fact_id: str) -> str:
    detail = lookups.fact_view(view, fact_id)
    roles = "".join(f"<li>{escape(role)}: " + ", ".join(
        f"<a href='/id/{escape(e['id'])}'>{escape(e['label'])}</a>" for e in refs) + "</li>"
        for role, refs in detail["roles"].items())
    source = detail["source"]
    link = f"<a href='{escape(source['url'])}'>{escape(source['title'])}</a>" \
        if source["url"] else escape(source["title"])
    body = (f"<h1>{escape(detail['relation_label'])}</h1><ul>{roles}</ul>"
            f"<blockquote lang='de'>{escape(detail['quote_display'])}</blockquote>"
            f"<p>{escape(detail['translation'] or '')}</p>"
            f"<p>attribution: {escape(detail['attribution'])} · certainty: "
            f"{escape(detail['certainty'])} · "
            f"{'a direct edge' if detail['direct'] else 'a statement only, no direct edge'}"
            f"</p><p>Source: {link} · "
            f"<a href='/source/{escape(source['id'])}#{escape(fact_id.split('/', 1)[1])}'>"
            f"the quote in its text</a> "
            f"(characters {detail['evidence']['start']}–{detail['evidence']['end']}; "
            f"verbatim: <code>{escape(detail['quote'])}</code>)</p>")
    return page(fact_id, body)
