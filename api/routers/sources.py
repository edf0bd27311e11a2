"""Sources: `/api/sources` (metadata, fact count, sentence coverage) and `/source/{id}`, the
page a second reader checks a source on (the text with every quote marked and linked, the
facts in text order beside it), or the source's RDF for a Linked Data client."""

from __future__ import annotations

import difflib
from html import escape
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import get_pool, get_settings
from api.errors import documented
from api.models import NotFound, SourceDetail, SourceList
from api.routers.entities import RESPONSES, _construct, choose_type, rdf_answer
from api.routers.pages import HEADERS
from api.views import get_projection
from graph.config import Settings
from graph.sources import quotes
from graph.store.backend import Executor
from graph.views import source_view
from graph.views.lookups import UnknownId, fact_evidence
from graph.views.projection import Projection, Source

router = APIRouter(tags=["sources"], responses=documented(503))
View = Annotated[Projection, Depends(get_projection)]
SourceId = Annotated[str, Path(description="the source's id", examples=["junge-welt-522920"])]


def _source(view: Projection, slug: str) -> Source:
    found = view.sources.get(slug)
    if found is None:
        close = difflib.get_close_matches(slug, list(view.sources), n=5, cutoff=0.5)
        raise UnknownId("source", slug, [{"id": c, "label": view.sources[c].title,
                                          "type": "Source"} for c in close])
    return found


@router.get("/api/sources", response_model=SourceList, summary="List sources")
def list_sources(view: View) -> dict[str, object]:
    """Every source with its metadata, how many facts were taken from it and how many of
    its sentences they cover."""
    found = [source_view.summary(view, s) for s in view.sources.values()]
    return {"total": len(found), "sources": found}


@router.get("/api/sources/{source}", response_model=SourceDetail, summary="One source",
            responses={404: {"model": NotFound}})
def get_source(view: View, source: SourceId) -> dict[str, object]:
    """One source: metadata, fact count, sentence coverage and the sentences no fact
    covers (verbatim, with offsets, and as read)."""
    found = _source(view, source)
    facts = [f for f in view.facts.values() if f.source == found.slug]
    _, missing = source_view.coverage(found, facts)
    return {**source_view.summary(view, found),
            "uncovered": [{"start": s.start, "end": s.end, "text": s.text,
                           "display": quotes.display(s.text)} for s in missing]}


@router.get("/source/{source}", summary="A source as Linked Data, or its review page",
            response_class=Response, tags=["linked data"], responses=RESPONSES)
async def source_page(
    request: Request, source: SourceId, view: View,
    pool: Annotated[Executor, Depends(get_pool)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    """The source's triples (metadata, text, and the statements and selectors pointing at
    it), or for a browser its text with every fact's quote marked."""
    found = _source(view, source)
    media_type = choose_type(request)
    if media_type == "text/html":
        html = await run_in_threadpool(page, view, found)  # a long text takes a while
        return HTMLResponse(html, headers={**HEADERS, "Vary": "Accept"})
    return await rdf_answer(pool, settings, _construct([found.iri]), media_type)


STYLE = """<style>
body{font-family:system-ui,sans-serif;margin:0;display:flex;gap:1.5rem;padding:1rem}
main{flex:3;max-width:48rem} aside{flex:2;font-size:.9rem}
.text{white-space:pre-wrap;line-height:1.6}
mark{background:#fde68a} mark a{color:inherit;text-decoration:none}
sup a{font-size:.7rem;text-decoration:none} .nofact{background:#fecaca}
ol.facts li{margin-bottom:.6rem} .meta{color:#555}
</style>"""


def _sup(numbers: dict[str, int], ids: tuple[str, ...]) -> str:
    """The numbers of the facts whose quotes end here, each linking to its fact page."""
    links = ",".join(f"<a href='/fact/{escape(i)}' title='fact {numbers[i]}: {escape(i)}'>"
                     f"{numbers[i]}</a>" for i in sorted(ids, key=numbers.__getitem__))
    return f"<sup>{links}</sup>" if links else ""


def _text(text: str, segments: list[source_view.Segment], numbers: dict[str, int]) -> str:
    """The text in its display form, each quote marked and linked (the innermost fact), each
    quote's end numbered like the margin, sentences without a fact marked."""
    parts = []
    for seg in segments:
        words = escape(quotes.display(text[seg.start:seg.end]))
        if seg.facts:
            first = seg.facts[0]
            words = (f"<mark data-facts='{escape(' '.join(seg.facts))}'><a href='/fact/"
                     f"{escape(first)}' title='{escape(first)}'>{words}</a></mark>")
        elif seg.nofact:
            words = f"<span class='nofact' title='no fact'>{words}</span>"
        parts.append(words + _sup(numbers, seg.ends))
    return "".join(parts)


def _margin(view: Projection, entries: list[dict[str, Any]]) -> str:
    items = []
    for entry in entries:
        fact = entry["fact"]
        ev = fact_evidence(view, fact)
        time = ev["time"]["text"] if ev["time"] else "no time"
        items.append(
            f"<li id='{escape(fact.id.split('/', 1)[1])}' value='{entry['number']}'>"
            f"<a href='/fact/{escape(fact.id)}'>{escape(entry['words'])}</a><br>"
            f"<span class='meta'>{escape(ev['attribution'])} · {escape(ev['certainty'])} · "
            f"{escape(time)} · {escape(fact.id.split('/', 1)[1])}</span><br>"
            f"<q lang='{escape(view.sources[fact.source].language or '')}'>"
            f"{escape(ev['quote_display'])}</q></li>")
    return "".join(items)


def page(view: Projection, source: Source) -> str:
    """The review page of `source`."""
    read = source_view.reading(view, source)
    numbers = {entry["fact"].id: entry["number"] for entry in read["margin"]}
    cov = read["coverage"]
    meta = "".join(f"<dt>{name}</dt><dd>{escape(str(value))}</dd>" for name, value in (
        ("author", source.author), ("publisher", source.publisher), ("date", source.date),
        ("language", source.language)) if value)
    url = f"<dt>URL</dt><dd><a href='{escape(source.url)}'>{escape(source.url)}</a></dd>" \
        if source.url else ""
    subtitle = f"<p>{escape(source.subtitle)}</p>" if source.subtitle else ""
    date = "" if source.date else "<dt>date</dt><dd>not given by the source</dd>"
    body = (
        f"<main><h1>{escape(source.title)}</h1>{subtitle}<dl>{meta}{date}{url}</dl>"
        f"<p>{read['facts']} facts · {cov['with_facts']} of {cov['sentences']} sentences carry a "
        f"fact; <span class='nofact'>marked sentences</span> carry none · "
        f"<a href='/source/{escape(source.slug)}?format=ttl'>Turtle</a> · "
        f"<a href='/api/sources/{escape(source.slug)}'>JSON</a></p>"
        f"<div class='text' lang='{escape(source.language or '')}'>"
        f"{_text(source.text, read['segments'], numbers)}</div></main>"
        f"<aside><h2>Facts in text order</h2>"
        f"<p class='meta'>Reviewed facts only: drafts wait in the fact sheet and do not enter "
        f"the graph (<code>rckg review STEM --list</code> shows them apart).</p>"
        f"<ol class='facts'>{_margin(view, read['margin'])}</ol></aside>")
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(source.title)} · rckg</title>{STYLE}</head><body>{body}</body>"
            f"</html>")
