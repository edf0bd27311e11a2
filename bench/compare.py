"""`rckg bench`: rckg side by side with its peers, at each corpus size, in one run.

For each size the synthetic corpus (bench.corpus) is loaded into each peer in turn, which is
then started on loopback and measured alone on the machine: ingest time, cold start to the
first answer (store already on disk), the ties question for random actors one request at a
time (p50, p95) and with 8 clients at once for a fixed time (answers per second), and the
server's peak memory (its whole process tree). rckg is asked twice, over REST and over
/sparql, and also times the Gephi export of the whole graph. Every server is stopped at the
end of its turn, and every phase is bounded in time, so the run stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench import client, corpus, peers
from bench.load import free_port
from bench.questions import SPARQL_JSON, Asker, draw
from graph.config import PROJECT_ROOT

QUICK_SIZES = (10_000, 100_000)
FULL_SIZES = (10_000, 100_000, 1_000_000)
LARGE_SIZES = (*FULL_SIZES, 10_000_000)  # `--large`: the scale curve, not for CI
QUICK_SECONDS = 3.0
FULL_SECONDS = 10.0
CLIENTS = 8
DRAWS = 5000  # random actors asked in turn (with repeats), the same list for every peer
WARMUP = 20  # requests sent before measuring (after the cold-start answer)
START_WAIT = 180.0  # seconds a server (rdflib-endpoint: per 100k triples) may take to answer
RDFLIB_MAX_LOAD = 1200.0  # seconds: rdflib-endpoint is skipped where its load would take longer
REQUEST_TIMEOUT = 120.0
# Every figure the issue (#20) names, under a stable key, at every size (in --quick too).
RATIOS = ("ties_p50_over_floor", "rdflib_endpoint_p50_over_ties_p50",
          "sparql_throughput_over_oxigraph", "sparql_p50_over_oxigraph", "rss_over_oxigraph",
          "ingest_over_oxigraph", "gexf_export_s", "cold_start_s")
PEERS = ("rckg", "oxigraph", "rdflib_endpoint", "floor")


@dataclass(frozen=True)
class Options:
    sizes: tuple[int, ...]
    seconds: float
    seed: int = corpus.DEFAULT_SEED
    workdir: Path = PROJECT_ROOT / "var" / "bench"
    venv: Path = peers.DEFAULT_VENV
    clients: int = CLIENTS


Say = Callable[[str], None]


def _say(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


# --- one peer --------------------------------------------------------------------------------

def first_answer(server: peers.Server, req: client.Request, wait: float) -> float:
    """Seconds from the server's spawn to its first 2xx answer to `req` (polling)."""
    deadline = time.perf_counter() + wait
    problem = "no answer"
    while time.perf_counter() < deadline:
        if not server.alive():
            raise peers.PeerError(f"{server.name} exited:\n{server.tail()}")
        try:
            status, body = client.fetch(server.url, req, REQUEST_TIMEOUT)
            if 200 <= status < 300:
                return round(time.perf_counter() - server.spawned, 3)
            problem = f"HTTP {status}: {body[:200]!r}"
            if status < 500:  # not a server still starting (503), an answer: give up
                break
        except (OSError, client.HttpError, TimeoutError) as exc:
            problem = f"{type(exc).__name__}: {exc}"
        time.sleep(0.02)
    raise peers.PeerError(f"{server.name} gave no answer in {wait:.0f} s ({problem})\n"
                          f"{server.tail()}")


def measure(server: peers.Server, asker: Asker, actors: list[str],
            options: Options) -> dict[str, Any]:
    """Sequential latencies and the throughput of `options.clients` clients."""
    warm = asker.sequence(actors[-WARMUP:])
    client.sequential(server.url, warm, seconds=60, most=WARMUP, timeout=REQUEST_TIMEOUT)
    one = client.sequential(server.url, asker.sequence(actors), options.seconds,
                            timeout=REQUEST_TIMEOUT)
    step = max(1, len(actors) // options.clients)
    many = client.concurrent(server.url, [asker.sequence(actors, i * step)
                                          for i in range(options.clients)],
                             options.seconds, timeout=REQUEST_TIMEOUT)
    return {"sequential": one.figures(), "concurrent": many.figures()}


def count_rows(url: str, req: client.Request) -> int | None:
    """Rows of a SPARQL JSON answer (to check the peers agree), None if it failed."""
    try:
        status, body = client.fetch(url, req, REQUEST_TIMEOUT)
        return len(json.loads(body)["results"]["bindings"]) if status == 200 else None
    except (OSError, client.HttpError, TimeoutError, ValueError, KeyError):
        return None


def run_rckg(data: corpus.Corpus, folder: Path, actors: list[str], options: Options,
             say: Say) -> dict[str, Any]:
    store = folder / "rckg-store"
    shutil.rmtree(store, ignore_errors=True)
    say("rckg: loading the corpus into its store")
    ingest = peers.rckg_load(store, data.path, data.base)
    port = free_port()
    env = {"RCKG_STORE": str(store), "RCKG_BASE_IRI": data.base}
    with peers.serving("rckg", peers.rckg_argv(port), port, env) as server:
        rest = Asker(server.url, "rest", data.base)
        sparql = Asker(server.url, "sparql", data.base)
        cold = first_answer(server, sparql.ask(actors[0]), START_WAIT)
        cold_ties = first_answer(server, rest.ask(actors[0]), START_WAIT)
        say("rckg: REST ties")
        ties = measure(server, rest, actors, options)
        say("rckg: /sparql")
        over_sparql = measure(server, sparql, actors, options)
        rows = [count_rows(server.url, sparql.ask(a)) for a in actors[:5]]
        say("rckg: Gephi export of the whole graph")
        gexf, body = _timed_export(server)
        gexf_again, _ = _timed_export(server)  # served from the file the first one stored
    return {"ingest_s": round(ingest, 3), "store_mib": peers.store_size_mib(store),
            "cold_start_s": cold, "cold_start_ties_s": cold_ties,
            "peak_rss_mib": server.memory.stop(), "ties": ties, "sparql": over_sparql,
            "gexf_export_s": gexf, "gexf_export_again_s": gexf_again,
            "gexf_mib": round(len(body) / 2**20, 2), "rows": rows,
            "pid": server.process.pid,
            "children": sorted(server.memory.seen - {server.process.pid})}


def _timed_export(server: peers.Server) -> tuple[float | None, bytes]:
    """Seconds to fetch the GEXF of the whole graph (None if it failed), and the file."""
    started = time.perf_counter()
    status, body = client.fetch(server.url, client.request(
        server.url, "/api/export/gexf", accept="application/gexf+xml"), 600)
    return (round(time.perf_counter() - started, 3) if status == 200 else None), body


def run_oxigraph(data: corpus.Corpus, folder: Path, actors: list[str], options: Options,
                 say: Say) -> dict[str, Any]:
    store = folder / "oxigraph-store"
    shutil.rmtree(store, ignore_errors=True)
    say("oxigraph: oxigraph load")
    ingest = peers.oxigraph_load(options.venv, store, data.path)
    port = free_port()
    with peers.serving("oxigraph", peers.oxigraph_argv(options.venv, store, port),
                       port) as server:
        sparql = Asker(server.url, "oxigraph", data.base)
        cold = first_answer(server, sparql.ask(actors[0]), START_WAIT)
        say("oxigraph: /query")
        figures = measure(server, sparql, actors, options)
        rows = [count_rows(server.url, sparql.ask(a)) for a in actors[:5]]
    return {"ingest_s": round(ingest, 3), "store_mib": peers.store_size_mib(store),
            "cold_start_s": cold, "peak_rss_mib": server.memory.stop(), "sparql": figures,
            "rows": rows, "pid": server.process.pid}


def run_rdflib(data: corpus.Corpus, actors: list[str], options: Options, say: Say,
               skip: str | None) -> dict[str, Any]:
    if skip:
        say(f"rdflib-endpoint: skipped ({skip})")
        return {"skipped": skip}
    port = free_port()
    wait = START_WAIT * max(1.0, data.triples / 100_000)
    say("rdflib-endpoint: parsing the corpus into rdflib's Memory store")
    with peers.serving("rdflib-endpoint", peers.rdflib_endpoint_argv(options.venv, data.path,
                                                                     port), port) as server:
        sparql = Asker(server.url, "rdflib", data.base)
        probe = client.request(server.url, "/", [("query", "ASK { ?s ?p ?o }")],
                               accept=SPARQL_JSON, label="ASK")
        loaded = first_answer(server, probe, wait)  # it parses the file at every start
        cold = first_answer(server, sparql.ask(actors[0]), wait)
        say("rdflib-endpoint: /sparql")
        figures = measure(server, sparql, actors, options)
        rows = [count_rows(server.url, sparql.ask(a)) for a in actors[:5]]
    return {"ingest_s": loaded, "cold_start_s": cold, "peak_rss_mib": server.memory.stop(),
            "sparql": figures, "rows": rows, "pid": server.process.pid}


def run_floor(actors: list[str], options: Options, say: Say) -> dict[str, Any]:
    port = free_port()
    with peers.serving("floor", peers.floor_argv(port), port) as server:
        asker = Asker(server.url, "floor", "")
        cold = first_answer(server, asker.ask(""), START_WAIT)
        say("floor: constant JSON")
        figures = measure(server, asker, actors, options)
    return {"cold_start_s": cold, "peak_rss_mib": server.memory.stop(), "floor": figures,
            "pid": server.process.pid}


# --- one size ------------------------------------------------------------------------------

def _figure(figures: dict[str, Any], *path: str) -> float | None:
    """p50 (ms) of a sequential phase, answers per second of a concurrent one."""
    for key in path:
        figures = figures.get(key) or {}
    value = figures.get("p50_ms") if path[-1] == "sequential" else figures.get("rps")
    return value if isinstance(value, int | float) and value > 0 else None


def ratios(results: dict[str, Any]) -> dict[str, float | None]:
    """The figures #20 sets targets for (RATIOS): ratios to the peers, and rckg's Gephi
    export and cold start in seconds."""
    def over(a: float | None, b: float | None) -> float | None:
        return round(a / b, 2) if a is not None and b is not None else None

    r, ox, rdf, floor = (results[p] for p in PEERS)
    ties_p50 = _figure(r, "ties", "sequential")
    return {
        "ties_p50_over_floor": over(ties_p50, _figure(floor, "floor", "sequential")),
        "rdflib_endpoint_p50_over_ties_p50": over(_figure(rdf, "sparql", "sequential"), ties_p50),
        "sparql_throughput_over_oxigraph": over(_figure(r, "sparql", "concurrent"),
                                                _figure(ox, "sparql", "concurrent")),
        "sparql_p50_over_oxigraph": over(_figure(r, "sparql", "sequential"),
                                         _figure(ox, "sparql", "sequential")),
        "rss_over_oxigraph": over(r.get("peak_rss_mib"), ox.get("peak_rss_mib")),
        "ingest_over_oxigraph": over(r.get("ingest_s"), ox.get("ingest_s")),
        "gexf_export_s": r.get("gexf_export_s"),
        "cold_start_s": r.get("cold_start_s"),
    }


def rdflib_skip(size: int, earlier: dict[int, Any]) -> str | None:
    """Why rdflib-endpoint is left out at `size`: only when its load, extrapolated from the
    largest size it loaded, would take longer than RDFLIB_MAX_LOAD."""
    for smaller, results in sorted(earlier.items(), reverse=True):
        load = results["peers"]["rdflib_endpoint"].get("ingest_s")
        if load:
            guess = load * size / smaller
            if guess > RDFLIB_MAX_LOAD:
                return (f"its load would take about {guess:.0f} s (it took {load:.0f} s at "
                        f"{smaller:,} triples), over the limit of {RDFLIB_MAX_LOAD:.0f} s")
            return None
    return None


def run_size(size: int, options: Options, earlier: dict[int, Any], say: Say) -> dict[str, Any]:
    folder = options.workdir / f"size-{size}"
    folder.mkdir(parents=True, exist_ok=True)
    say(f"corpus of {size:,} triples (seed {options.seed})")
    data = corpus.ensure(options.workdir / "corpus", size, options.seed)
    actors = draw(data.actors, options.seed + size, DRAWS)
    load_before = os.getloadavg()[0]
    results = {
        "rckg": run_rckg(data, folder, actors, options, say),
        "oxigraph": run_oxigraph(data, folder, actors, options, say),
        "rdflib_endpoint": run_rdflib(data, actors, options, say, rdflib_skip(size, earlier)),
        "floor": run_floor(actors, options, say),
    }
    shutil.rmtree(folder, ignore_errors=True)
    answers = [results[p].get("rows") for p in ("rckg", "oxigraph", "rdflib_endpoint")]
    return {"corpus": data.summary(), "actors_drawn": len(set(actors)),
            "load_average_before": round(load_before, 2),
            "load_average_after": round(os.getloadavg()[0], 2),
            "sparql_answers_agree": all(a == answers[0] for a in answers if a is not None),
            "peers": results, "ratios": ratios(results)}


# --- the report ----------------------------------------------------------------------------

TARGETS = {  # #20's targets at the largest size: (figure, limit, whether lower is better)
    "ties p50 / floor p50": ("ties_p50_over_floor", 1.5, True),
    "rdflib-endpoint p50 / ties p50": ("rdflib_endpoint_p50_over_ties_p50", 20.0, False),
    "/sparql 8-client throughput / Oxigraph's": ("sparql_throughput_over_oxigraph", 0.9, False),
    "/sparql p50 / Oxigraph's": ("sparql_p50_over_oxigraph", 1.3, True),
    "peak RSS / Oxigraph server's": ("rss_over_oxigraph", 2.5, True),
    "ingest / oxigraph load": ("ingest_over_oxigraph", 1.2, True),
    "Gephi export of the whole graph (s)": ("gexf_export_s", 4.0, True),
    "cold start to first answer (s)": ("cold_start_s", 1.0, True),
}


def targets(size: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = size["ratios"]
    out = {}
    for name, (key, limit, lower) in TARGETS.items():
        value = found.get(key)
        met = None if value is None else (value <= limit if lower else value >= limit)
        out[name] = {"value": value, "target": f"{'≤' if lower else '≥'} {limit:g}", "met": met}
    return out


def _num(value: Any, digits: int = 1) -> str:
    return "-" if not isinstance(value, int | float) else f"{value:,.{digits}f}"


def table(report: dict[str, Any]) -> str:
    heads = ("size", "server · question", "ingest s", "cold s", "p50 ms", "p95 ms",
             f"{report['settings']['clients']} clients req/s", "peak RSS MiB")
    rows: list[list[str]] = []
    for size, result in report["sizes"].items():
        p = result["peers"]
        lines = [("rckg · REST ties", p["rckg"], "ties", p["rckg"].get("cold_start_ties_s")),
                 ("rckg · /sparql", p["rckg"], "sparql", None),
                 ("Oxigraph server · SPARQL", p["oxigraph"], "sparql", None),
                 ("rdflib-endpoint · SPARQL", p["rdflib_endpoint"], "sparql", None),
                 ("FastAPI constant JSON (floor)", p["floor"], "floor", None)]
        for name, peer, key, cold in lines:
            if "skipped" in peer:
                rows.append([f"{int(size):,}", name, "skipped: " + peer["skipped"]])
                continue
            one, many = peer[key]["sequential"], peer[key]["concurrent"]
            rows.append([f"{int(size):,}", name, _num(peer.get("ingest_s"), 2),
                         _num(cold if cold is not None else peer.get("cold_start_s"), 2),
                         _num(one["p50_ms"], 2), _num(one["p95_ms"], 2), _num(many["rps"], 0),
                         _num(peer.get("peak_rss_mib"), 0)])
    widths = [max(len(h), *(len(r[i]) for r in rows if len(r) > i)) for i, h in enumerate(heads)]

    def line(cells: Sequence[str]) -> str:
        if len(cells) < len(heads):
            return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=False))
        return "  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    out = [line(heads), line(["-" * w for w in widths]), *(line(r) for r in rows), ""]
    out.append("ratios: " + "; ".join(
        f"{int(size):,}: " + ", ".join(f"{k} {_num(v, 2)}" for k, v in r["ratios"].items())
        for size, r in report["sizes"].items()))
    out.append("targets at the largest size: " + "; ".join(
        f"{name} {_num(t['value'], 2)} ({t['target']}: "
        f"{'met' if t['met'] else 'missed' if t['met'] is False else 'n/a'})"
        for name, t in report["targets"].items()))
    return "\n".join(out)


def machine() -> dict[str, Any]:
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return {"cores": os.cpu_count(), "memory_gib": memory, "python": platform.python_version(),
            "platform": platform.platform(), "processor": platform.processor() or None}


def run(options: Options, say: Say = _say) -> dict[str, Any]:
    """Every size in turn; the report as a JSON-ready dict."""
    options.workdir.mkdir(parents=True, exist_ok=True)
    peers.ensure_venv(options.venv, say)
    started = time.perf_counter()
    sizes: dict[str, Any] = {}
    for size in options.sizes:
        earlier = {int(k): v for k, v in sizes.items()}
        sizes[str(size)] = run_size(size, options, earlier, say)
    last = sizes[str(options.sizes[-1])]
    return {
        "command": "rckg bench",
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "elapsed_s": round(time.perf_counter() - started, 1),
        "machine": machine(),
        "settings": {"sizes": list(options.sizes), "seconds": options.seconds,
                     "clients": options.clients, "seed": options.seed, "draws": DRAWS,
                     "warmup": WARMUP, "peers": list(peers.PEER_PACKAGES)},
        "sizes": sizes,
        "targets": targets(last),
    }


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(s) for s in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of sizes") from None
    if not sizes or any(s < 1000 for s in sizes):
        raise argparse.ArgumentTypeError("sizes are triple counts of at least 1000")
    return sizes


def chosen_sizes(args: argparse.Namespace) -> tuple[int, ...]:
    """The sizes a run measures: --sizes, else --quick's, --large's or the full run's."""
    if args.sizes:
        return _sizes(args.sizes)
    if args.quick:
        return QUICK_SIZES
    return LARGE_SIZES if getattr(args, "large", False) else FULL_SIZES


def main_args(args: argparse.Namespace) -> int:
    """Run with the arguments of `rckg bench` (the same as this module's command line)."""
    try:
        sizes = chosen_sizes(args)
    except argparse.ArgumentTypeError as exc:
        print(f"rckg bench: --sizes: {exc}", file=sys.stderr)
        return 2
    seconds = args.seconds or (QUICK_SECONDS if args.quick else FULL_SECONDS)
    options = Options(tuple(sizes), seconds)
    if args.workdir:
        options = replace(options, workdir=args.workdir)
    try:
        report = run(options)
    except peers.PeerError as exc:
        print(f"rckg bench: {exc}", file=sys.stderr)
        return 1
    print(table(report))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n",
                             encoding="utf-8")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="sizes 10k and 100k, 3 s per phase")
    p.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    p.add_argument("--large", action="store_true", help="also 10M triples (not for CI)")
    p.add_argument("--sizes", help="comma-separated triple counts")
    p.add_argument("--seconds", type=float, help="seconds per measuring phase")
    p.add_argument("--workdir", type=Path, help="corpora and stores (default var/bench)")
    return main_args(p.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
