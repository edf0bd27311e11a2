"""The web pages: `/`, the explorer, and the SPARQL editor that `/sparql` shows a browser.

Their HTML, scripts and styles are built from `api/web/` into `api/static/` (`make web`, which
`make run` and `make test` run: `npm ci`, then esbuild); the server serves that folder at
`/static`. Nothing comes from elsewhere, and a Content-Security-Policy keeps the pages to this
server. Without a build, both pages answer 503 with the command that makes one (and `/sparql`
still offers a plain query form).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, PlainTextResponse
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from api.views import get_projection
from graph.config import PROJECT_ROOT, Settings
from graph.export.network import FAMILIES, FAMILY_OF_CLASS
from graph.views.projection import Projection

router = APIRouter(include_in_schema=False)

STATIC = Path(__file__).resolve().parent.parent / "static"
README = PROJECT_ROOT / "README.md"
DEFAULT_BASE = "http://127.0.0.1:8000/"
BUILD_COMMAND = "make web"
# Only this server: scripts, styles, images, fonts and every fetch. Inline styles are allowed
# (Cytoscape and YASGUI set element styles), inline scripts are not.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache"}

PLAIN_FORM = """<form class="plain-form" method="get" action="/sparql">
<label for="plain-query">Query</label><br>
<textarea id="plain-query" name="query" rows="12" cols="80">\
SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10
</textarea><br>
<label for="plain-format">Format</label>
<select id="plain-format" name="format"><option>json</option><option>xml</option>
<option>csv</option><option>tsv</option></select>
<button type="submit">Run</button></form>"""


def _json_for_script(value: object) -> str:
    """JSON that is safe inside a <script> element (no closing tag, no HTML comment)."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def not_built(title: str, extra: str = "") -> HTMLResponse:
    """The 503 page shown while api/static/ has not been built."""
    body = (f"<h1>{escape(title)}: the web page has not been built</h1>"
            f"<p>Its scripts are built from <code>api/web/</code> into <code>api/static/</code> "
            f"by <code>{BUILD_COMMAND}</code> (<code>npm ci</code>, then "
            f"<code>node api/web/build.mjs</code>); <code>make run</code> and "
            f"<code>make test</code> do it too.</p>"
            f"<p>Meanwhile the <a href=\"/docs\">REST API</a> and the SPARQL endpoint work.</p>"
            f"{extra}")
    page = (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)} · rckg</title></head><body>{body}</body></html>")
    return HTMLResponse(page, status_code=503, headers={**HEADERS, "Retry-After": "60"})


class BuiltFiles(StaticFiles):
    """The built bundle at /static; 503 with the build command while there is none (plain
    StaticFiles would fail with 500 on a missing folder)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.directory is not None \
                and not Path(self.directory).is_dir():
            response = PlainTextResponse(
                f"the web page has not been built: run '{BUILD_COMMAND}'", status_code=503)
            await response(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def render(static: Path, name: str, values: dict[str, str]) -> str | None:
    """The built page `name` with its placeholders filled in; None when it is not built."""
    path = static / name
    if not path.is_file():
        return None
    page = path.read_text(encoding="utf-8")
    for key, value in values.items():
        page = page.replace(key, value)
    return page


def examples(readme: str, base_iri: str = DEFAULT_BASE) -> list[dict[str, str]]:
    """The README's example queries ("## Example queries"), each named by the bold title
    before it, with the default base IRI replaced by the server's."""
    section = readme.partition("\n## Example queries\n")[2].split("\n## ", 1)[0]
    found: list[dict[str, str]] = []
    last_end = 0
    for match in re.finditer(r"```sparql\n(.*?)```", section, re.S):
        titles = re.findall(r"\*\*(.+?)\*\*", section[last_end:match.start()], re.S)
        name = titles[-1].strip().rstrip(":").strip() if titles else f"Example {len(found) + 1}"
        found.append({"name": " ".join(name.split()),
                      "query": match.group(1).replace(DEFAULT_BASE, base_iri)})
        last_end = match.end()
    return found


@lru_cache(maxsize=4)
def _readme_examples(mtime: float, base_iri: str) -> list[dict[str, str]]:
    return examples(README.read_text(encoding="utf-8"), base_iri)


def readme_examples(base_iri: str) -> list[dict[str, str]]:
    """The examples of the project's README (none when it is absent, as in an installed wheel)."""
    try:
        mtime = README.stat().st_mtime
    except OSError:
        return []
    return _readme_examples(mtime, base_iri)


def sparql_page(settings: Settings, static: Path = STATIC) -> HTMLResponse:
    """YASGUI for `GET /sparql` from a browser, or 503 with a plain form when not built."""
    page = render(static, "sparql.html", {
        "__RCKG_EXAMPLES__": _json_for_script({"base": settings.base_iri,
                                               "examples": readme_examples(settings.base_iri)}),
        "__RCKG_FORM__": PLAIN_FORM,
    })
    if page is None:
        return not_built("SPARQL", PLAIN_FORM)
    return HTMLResponse(page, headers={**HEADERS, "Vary": "Accept"})


def explorer_config(view: Projection) -> dict[str, Any]:
    """What the explorer needs besides the REST API: colours by class (the exports' own),
    relation labels, the span of the dated facts, and where to start."""
    degree = {slug: view.graph.degree(slug) if slug in view.graph else 0 for slug in view.entities}
    start = max(sorted(degree), key=lambda slug: degree[slug]) if degree else None
    dates = sorted(d for f in view.facts.values() if f.time for d in (f.time.start, f.time.end)
                   if d)
    return {
        "version": view.version,
        "start": start,
        "families": [{"key": key, "color": fam.color, "label": fam.label}
                     for key, fam in FAMILIES.items()],
        "classes": FAMILY_OF_CLASS,
        "relations": view.relations,
        "time": {"min": dates[0][:10], "max": dates[-1][:10]} if dates else None,
    }


@router.get("/", response_class=HTMLResponse)
def explorer(view: Annotated[Projection, Depends(get_projection)]) -> HTMLResponse:
    """The explorer page, with its configuration embedded."""
    page = render(STATIC, "index.html", {"__RCKG_CONFIG__": _json_for_script(
        explorer_config(view))})
    if page is None:
        return not_built("Explorer")
    return HTMLResponse(page, headers=HEADERS)
