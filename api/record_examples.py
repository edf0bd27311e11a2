"""Record the OpenAPI examples from the built graph: `python -m api.record_examples`.

Kept apart from `api.examples`, which the routers import: recording needs the whole app, and the
app must not be imported by what it is made of.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from api.examples import FILE, REQUESTS


def record() -> dict[str, Any]:
    """Ask the API (over the built graph) for every example request."""
    with TestClient(create_app()) as client:
        return {name: client.get(path).raise_for_status().json()
                for name, path in REQUESTS.items()}


if __name__ == "__main__":
    FILE.write_text(json.dumps(record(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {FILE}")
