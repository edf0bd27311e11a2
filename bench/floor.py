"""The floor of the HTTP stack: a bare FastAPI app answering one constant JSON document.

It runs on the same uvicorn, started the same way as `rckg serve` (``uvicorn.run`` with host,
port and log level), so the time it takes is what any rckg answer costs before rckg does
anything: the benchmark divides rckg's latencies by it.

Run from the repo root: ``python -m bench.floor --port 8001``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from fastapi import FastAPI

BODY = {"actor": {"id": "russia", "label": "Russia", "type": "State"}, "total": 0, "ties": []}


def create_app() -> FastAPI:
    app = FastAPI(title="rckg bench floor")

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/floor")
    async def floor() -> dict[str, object]:
        return BODY

    return app


def main(argv: Sequence[str] | None = None) -> int:
    import uvicorn

    p = argparse.ArgumentParser(prog="python -m bench.floor", description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8001)
    p.add_argument("--log-level", default="warning")
    args = p.parse_args(argv)
    uvicorn.run(create_app(), host=args.host, port=args.port, log_level=args.log_level)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
