"""OpenAPI examples that are real responses.

They are recorded from the built graph with `python -m api.record_examples` into
examples.json, and the tests compare each with the live response, so a documented example
never drifts from what the API answers.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

FILE = Path(__file__).with_name("examples.json")
REQUESTS = {
    "actors": "/api/actors?q=Putin",
    "actor": "/api/actors/rosatom",
    "ties": "/api/actors/rosatom/ties",
    "network": "/api/actors/rosatom/network",
    "paths": "/api/paths?from=rosatom&to=united-states",
    "fact": "/api/facts/junge-welt-522920/power-of-siberia-2-capacity",
    "pipelines": "/api/pipelines",
}


@cache
def recorded() -> dict[str, Any]:
    return json.loads(FILE.read_text(encoding="utf-8")) if FILE.exists() else {}


def doc(name: str) -> dict[int | str, dict[str, Any]]:
    """The `responses` entry documenting example `name` for a route."""
    if name not in recorded():
        return {}
    return {200: {"description": f"Example: GET {REQUESTS[name]}",
                  "content": {"application/json": {"example": recorded()[name]}}}}
