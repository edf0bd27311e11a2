"""rckg over remote stores, side by side with the embedded one: the figures behind the README's
"deploying at scale".

For each store (embedded, Oxigraph server, Virtuoso), on the same synthetic corpus: the time
`rckg build`'s loader takes to put it into the store (staging, batches, counts, the swap),
the time to the first REST ties answer (which builds the projection from the store), REST
ties and `/sparql` ties latency (sequential p50/p95) and 8-client throughput, and the peak
memory of the rckg process tree (the store server's not counted). Servers run on loopback
and are stopped at the end.

Run from the repo root::

    python -m bench.remote [--triples 100000] [--seconds 10] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench import corpus, peers
from bench.compare import CLIENTS, DRAWS, START_WAIT, Options, first_answer, measure
from bench.load import free_port
from bench.questions import Asker, draw
from graph.config import PROJECT_ROOT, settings
from graph.store import remote
from graph.store.embedded import StoreDirectory, load_file
from tests.conftest import remote_settings
from tests.store_servers import SERVERS, running

STORES = ("embedded", "oxigraph", "virtuoso")
SWAP_TIMEOUT_S = 300  # the store's own limit, which Virtuoso applies to updates too


def _say(message: str) -> None:
    print(f"… {message}", flush=True)


def _serve(env: dict[str, str], data: corpus.Corpus, actors: list[str],
           options: Options) -> dict[str, Any]:
    port = free_port()
    with peers.serving("rckg", peers.rckg_argv(port), port, env) as server:
        rest = Asker(server.url, "rest", data.base)
        sparql = Asker(server.url, "sparql", data.base)
        first_sparql = first_answer(server, sparql.ask(actors[0]), START_WAIT)
        first_ties = first_answer(server, rest.ask(actors[0]), START_WAIT)
        ties = measure(server, rest, actors, options)
        over_sparql = measure(server, sparql, actors, options)
        return {"first_sparql_s": first_sparql, "first_ties_s": first_ties, "ties": ties,
                "sparql": over_sparql, "rckg_peak_rss_mib": server.memory.stop()}


def run_store(kind: str, data: corpus.Corpus, folder: Path, actors: list[str],
              options: Options) -> dict[str, Any]:
    """Load the corpus into one kind of store and measure rckg in front of it."""
    env = {"RCKG_BASE_IRI": data.base}
    if kind == "embedded":
        directory = StoreDirectory(folder / "embedded")
        started = time.perf_counter()
        load_file(directory, data.path, data.base)
        load_s = time.perf_counter() - started
        return {"load_s": round(load_s, 2),
                **_serve({**env, "RCKG_STORE": str(directory.root)}, data, actors, options)}
    quads = list(ox.parse(path=str(data.path), format=ox.RdfFormat.N_QUADS))
    with running(SERVERS[kind](folder / kind, timeout_s=SWAP_TIMEOUT_S)) as endpoints:
        config = replace(settings(), remote=remote_settings(endpoints))
        assert config.remote is not None
        started = time.perf_counter()
        remote.write_version(config.remote, quads, {"base_iri": data.base}, lambda _: None)
        load_s = time.perf_counter() - started
        state = {"RCKG_STATE": str(folder / f"{kind}-state")}
        return {"load_s": round(load_s, 2),
                **_serve({**env, **endpoints.env, **state}, data, actors, options)}


def table(report: dict[str, Any]) -> str:
    lines = ["| store | load | first ties answer (projection) | REST ties p50 / p95 | "
             "REST ties, 8 clients | /sparql ties p50 / p95 | /sparql, 8 clients | rckg RSS |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for kind, row in report["stores"].items():
        t, s = row["ties"], row["sparql"]
        lines.append(
            f"| {kind} | {row['load_s']} s | {row['first_ties_s']} s | "
            f"{t['sequential']['p50_ms']} / {t['sequential']['p95_ms']} ms | "
            f"{t['concurrent']['rps']} req/s | "
            f"{s['sequential']['p50_ms']} / {s['sequential']['p95_ms']} ms | "
            f"{s['concurrent']['rps']} req/s | {row['rckg_peak_rss_mib']} MiB |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.remote", description=__doc__)
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--stores", default=",".join(STORES))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    options = Options(sizes=(args.triples,), seconds=args.seconds, clients=CLIENTS)
    data = corpus.ensure(PROJECT_ROOT / "var" / "bench", args.triples)
    actors = draw(data.actors, 1, DRAWS)
    report: dict[str, Any] = {"triples": data.triples, "stores": {}}
    with tempfile.TemporaryDirectory(prefix="rckg-bench-remote-") as scratch:
        for kind in args.stores.split(","):
            _say(f"{kind}: loading {data.triples} triples and measuring")
            report["stores"][kind] = run_store(kind, data, Path(scratch), actors, options)
    print(table(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
