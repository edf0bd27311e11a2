"""A cap on request bodies, enforced while they stream in (Content-Length can lie or be absent)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.hardening import refuse


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware answering 413 to a request whose body exceeds `limit` bytes."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise BodyTooLarge
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        # Middleware below may wrap the exception in an exception group (BaseHTTPMiddleware
        # reads the body in a task group), hence except*.
        try:
            await self.app(scope, counted, tracked)
        except* BodyTooLarge:
            if started:
                raise
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        await refuse(send, 413, f"request body larger than {self.limit} bytes")
