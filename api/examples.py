"""OpenAPI examples that are real responses.

They are recorded from the built graph with `python -m api.examples` into examples.json, and
the tests compare each with the live response, so a documented example never drifts from
what the API answers.
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


def record() -> dict[str, Any]:
    """Ask the API (over the built graph) for every example request."""
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app()) as client:
        return {name: client.get(path).raise_for_status().json()
                for name, path in REQUESTS.items()}


if __name__ == "__main__":
    FILE.write_text(json.dumps(record(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {FILE}")
