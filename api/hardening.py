"""HTTP-level protections that hold for every route, as one plain ASGI middleware.

- A request with both Content-Length and Transfer-Encoding is refused (400) and its connection
  closed: RFC 9112 §6.3 says such a message may be an attempt at request smuggling, and the
  HTTP library below would read the body one way while a proxy in front may read it another.
- HEAD is answered as GET without the body (FastAPI routes declare GET only, so HEAD was 405).
- Every HTML answer carries the pages' Content-Security-Policy (frame-ancestors included),
  nosniff and Referrer-Policy, whichever router made it (but FastAPI's /docs and /redoc,
  whose inline scripts that policy would block); every answer carries nosniff.
- Source maps of the built scripts are not served unless RCKG_SOURCE_MAPS=1 (they show the
  unminified sources to anyone; useful while developing only).
"""

from __future__ import annotations

import json
from http import HTTPStatus

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.routers.pages import HEADERS

API_DOCS = ("/docs", "/redoc")  # FastAPI's pages, with inline scripts: kept as they are
SMUGGLING = ("a request may not have both Content-Length and Transfer-Encoding "
             "(RFC 9112 section 6.3); the connection is closed")


class Hardening:
    def __init__(self, app: ASGIApp, source_maps: bool = False) -> None:
        self.app = app
        self.source_maps = source_maps

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        names = {name.lower() for name, _ in scope.get("headers", [])}
        if b"content-length" in names and b"transfer-encoding" in names:
            await refuse(send, 400, SMUGGLING, close=True)
            return
        if not self.source_maps and scope["path"].startswith("/static/") \
                and scope["path"].endswith(".map"):
            await refuse(send, 404, "source maps are not served (RCKG_SOURCE_MAPS=0)")
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        async def guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                if headers.get("content-type", "").startswith("text/html") \
                        and not scope["path"].startswith(API_DOCS):
                    for name, value in HEADERS.items():
                        headers.setdefault(name, value)
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, guarded)


async def refuse(send: Send, status: int, detail: str, close: bool = False) -> None:
    """Answer with an RFC 9457 problem before the app (as every 4xx of rckg is);
    `close` ends the connection after it."""
    body = json.dumps({"type": "about:blank", "title": HTTPStatus(status).phrase,
                       "status": status, "detail": detail}).encode()
    headers = [(b"content-type", b"application/problem+json"),
               (b"content-length", str(len(body)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
