"""Error responses: one shape, RFC 9457 problem details (`application/problem+json`, with a
`detail` in words), documented per route in OpenAPI, and
a last-resort handler so an unforeseen failure answers 500 with a generic message. Starlette
re-raises the exception after the handler has answered, so the server (uvicorn) logs it with
its traceback: the detail stays in the log, never in a response."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

INTERNAL = "internal error: the server could not answer this request; it has been logged"

DESCRIPTIONS = {
    400: "the request is malformed: a SPARQL syntax error, a bad parameter or encoding",
    403: "refused: SPARQL Update, SERVICE (this endpoint is read-only and offline)",
    404: "nothing with this id or name",
    406: "nothing acceptable to the Accept header or `format` can be produced",
    413: "the request body is larger than RCKG_MAX_BODY",
    415: "unsupported request media type or charset",
    422: "a parameter's value is not one the graph has (the allowed ones are listed) or not "
         "of the documented form",
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
    """500 with a generic message (the server logs the exception)."""
    return problem(500, INTERNAL)


PROBLEM = "application/problem+json"  # RFC 9457


class Problem(BaseModel):
    """An error as RFC 9457 problem details; extension members say what to do next."""

    type: str = Field("about:blank", description="'about:blank': the status says the kind")
    title: str = Field(description="the status code's phrase, e.g. 'Not Found'")
    status: int
    detail: str = Field(description="what went wrong and how to put it right, for a person")
    suggestions: list[dict[str, str]] | None = Field(
        None, description="entities the name may have meant (404 for an id or name)")
    parameter: str | None = Field(None, description="the parameter whose value is unknown")
    allowed: list[str] | None = Field(None, description="the values that parameter takes")
    errors: list[dict[str, Any]] | None = Field(
        None, description="each invalid parameter: where (`loc`) and what is wrong (`msg`)")


def problem(status: int, detail: str, headers: Mapping[str, str] | None = None,
            **extensions: Any) -> JSONResponse:
    """A problem+json response; extensions that are None are left out."""
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status,
            "detail": detail, **{k: v for k, v in extensions.items() if v is not None}}
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM)


async def http_error(request: Request, exc: Exception) -> Response:
    """Every HTTPException (the routes' own, 404 for an unknown path, 405) as a problem."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code < 400:
        return Response(status_code=exc.status_code, headers=exc.headers)
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail else ""
    if exc.status_code == 404 and detail in ("", "Not Found"):
        detail = "nothing here: the API's operations are listed at /docs"
    elif exc.status_code == 405:
        detail = f"{request.method} is not allowed here (allowed: {exc.headers.get('Allow', '')})" \
            if exc.headers else f"{request.method} is not allowed here"
    detail = detail or HTTPStatus(exc.status_code).description
    return problem(exc.status_code, detail, headers=exc.headers)


def _where(loc: Sequence[Any]) -> str:
    """'query parameter limit' for FastAPI's ('query', 'limit')."""
    kind, *rest = [str(part) for part in loc] or ["request"]
    name = ".".join(rest)
    return f"{kind} parameter {name!r}" if kind in ("query", "path", "header", "cookie") \
        and name else (f"{kind} {name}" if name else kind)


async def invalid_request(request: Request, exc: Exception) -> Response:
    """FastAPI's validation errors as one 422 problem: each parameter and what it takes
    (a fixed list names its allowed values); what was sent is not echoed back."""
    assert isinstance(exc, RequestValidationError)
    errors = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")),
               "type": str(e.get("type", ""))} for e in exc.errors()]
    detail = "; ".join(f"{_where(e['loc'])}: {e['msg']}" for e in errors) or "invalid request"
    return problem(422, detail, errors=errors)


def problem_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document with every error response as problem+json, which is what the
    handlers above answer (FastAPI documents them as application/json by default)."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = \
        Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    ref = {"$ref": "#/components/schemas/Problem"}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for code, response in operation.get("responses", {}).items():
                if code[:1] in ("4", "5"):
                    response["content"] = {PROBLEM: {"schema": ref}}
    return schema
