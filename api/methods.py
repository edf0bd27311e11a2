"""HTTP methods as HTTP/1.1 defines them for every route: HEAD wherever GET is served (the
same headers, no body), and a 405 whose `Allow` lists every method the path accepts.

FastAPI routes name their methods one by one (so HEAD would be 405), and Starlette's 405
names only the methods of the first route matching the path (`/sparql` is a GET route and a
POST route). Plain ASGI, outside the routers, so no route needs to know.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import MutableHeaders
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def allowed(routes: Sequence[BaseRoute], scope: Scope) -> list[str]:
    """The methods some route serves at this request's path (HEAD with GET)."""
    methods: set[str] = set()
    for route in routes:
        match, _ = route.matches({**scope, "method": "GET"})
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    if "GET" in methods:
        methods.add("HEAD")
    order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    return sorted(methods, key=lambda m: order.index(m) if m in order else len(order))


class Methods:
    """HEAD answered as GET without the body; 405 with the full `Allow` header, from
    `routes` (the routers' own routes: FastAPI wraps included routers in private types)."""

    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        async def send_adjusted(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                methods = allowed(self.routes, scope)
                if methods:
                    MutableHeaders(scope=message)["Allow"] = ", ".join(methods)
            if head and message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # the GET body's parts: none are sent
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(scope, receive, send_adjusted)
