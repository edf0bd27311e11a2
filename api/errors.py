"""Error responses: one JSON shape (`{"detail": "..."}`), documented per route in OpenAPI, and
a last-resort handler so an unforeseen failure answers 500 with a generic message. Starlette
re-raises the exception after the handler has answered, so the server (uvicorn) logs it with
its traceback: the detail stays in the log, never in a response."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

INTERNAL = "internal error: the server could not answer this request; it has been logged"

DESCRIPTIONS = {
    400: "the request is malformed: a SPARQL syntax error, a bad parameter or encoding",
    403: "refused: SPARQL Update, SERVICE (this endpoint is read-only and offline)",
    404: "nothing with this id or name",
    406: "nothing acceptable to the Accept header or `format` can be produced",
    413: "the request body is larger than RCKG_MAX_BODY",
    415: "unsupported request media type or charset",
    503: "the store is not open yet, every query worker is busy, or the query ran past its "
         "time limit and was stopped; retry later",
}


class Message(BaseModel):
    """An error, said in words."""

    detail: str = Field(description="what went wrong, for a person to read")


Responses = dict[int | str, dict[str, Any]]


def documented(*codes: int, said: dict[int, str] | None = None) -> Responses:
    """OpenAPI `responses` for these error status codes, each a JSON Message; `said` gives a
    route's own description of a code."""
    said = said or {}
    return {code: {"model": Message, "description": said.get(code, DESCRIPTIONS[code])}
            for code in codes}


async def internal_error(request: Request, exc: Exception) -> Response:
    """500 with a generic JSON message (the server logs the exception)."""
    return JSONResponse({"detail": INTERNAL}, status_code=500)
