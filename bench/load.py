"""A bounded load test of `rckg serve` on loopback: N clients for a fixed time, a fixed mix.

Run from the repo root::

    python -m bench.load [--clients 32] [--seconds 60] [--url URL] [--json PATH]

Without ``--url`` it starts ``rckg serve`` on a free loopback port over the graph already built
in ``RCKG_STORE`` (it never builds one; run ``rckg build`` first) and stops it at the end. With
``--url`` it loads a server already running, which must be on loopback (127.0.0.0/8, localhost
or ::1): this tool is for measuring one's own server, never someone else's.

Each client is an asyncio task with its own ``httpx.AsyncClient`` (one keep-alive connection),
all on one event loop in one thread, so the client side stays light; client and server still
share the machine's cores, and the client's CPU time is printed to show how much it took.
Each client draws its requests from its own seeded random generator, so the sequence of
requests each client sends is the same on every run (only their interleaving depends on the
server's timing). After ``--seconds`` no new request starts; requests in flight finish or hit
``--timeout``. Any non-2xx answer or transport error (a timeout included) counts as an error,
and the exit code is 1 if there was any.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from graph.config import PROJECT_ROOT, ConfigError, settings
from graph.errors import StoreError
from graph.store.embedded import StoreDirectory

DEFAULT_CLIENTS = 32
DEFAULT_SECONDS = 60.0
DEFAULT_TIMEOUT = 30.0  # seconds a single request may take, including one in flight at the end
DEFAULT_SEED = 20260601
MAX_CLIENTS = 256
MAX_SECONDS = 3600.0
README_BASE = "http://127.0.0.1:8000/"  # the base IRI the README's queries are written with
STARTUP_WAIT = 120.0  # seconds `rckg serve` may take to answer /health
ERROR_SAMPLES = 20  # errors kept with their details for the report

KINDS = ("ties", "paths", "search", "export", "sparql")
# Share of each kind in the mix (out of 100).
WEIGHTS = {"ties": 30, "paths": 15, "search": 25, "export": 10, "sparql": 20}


@dataclass(frozen=True)
class Call:
    """One request of the mix: its kind, a label for the detailed table, and what to send."""

    kind: str
    label: str
    method: str
    path: str
    params: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    form: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None


# --- the mix -----------------------------------------------------------------------------

TIES_ACTORS = ("russia", "china", "rosatom", "vladimir-putin", "power-of-siberia-2",
               "united-states")
PATHS = (("rosatom", "united-states"), ("vladimir-putin", "xi-jinping"),
         ("power-of-siberia-2", "united-states"), ("rosatom", "europe"))
SEARCHES = ("Putin", "Russlands", "Russia's", "Путин", "России", "Китая", "普京", "俄罗斯")

# Queries of the README's "Example queries" (written with its base IRI, replaced by the
# server's own when it is known).
QUERIES = {
    "russia-ties": """PREFIX rckg: <http://127.0.0.1:8000/ontology#>
PREFIX id:   <http://127.0.0.1:8000/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?direction ?relation ?counterpart WHERE {
  { id:russia ?p ?other . BIND("→" AS ?direction) }
  UNION
  { ?other ?p id:russia . BIND("←" AS ?direction) }
  ?p rdfs:subPropertyOf rckg:relatedTo ; rdfs:label ?relation .
  ?other rdfs:label ?counterpart .
  FILTER(lang(?relation) = "en" && lang(?counterpart) = "en")
}
ORDER BY ?counterpart ?relation""",
    "flows": """PREFIX rckg: <http://127.0.0.1:8000/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX qudt: <http://qudt.org/schema/qudt/>
SELECT ?flow ?role ?stated ?value ?unit ?when ?start ?end WHERE {
  ?fact rckg:about ?f ; ?role ?q ; rckg:time ?t .
  ?f a/rdfs:subClassOf rckg:Flow ; rdfs:label ?flow FILTER(lang(?flow) = "en")
  ?role rdfs:subPropertyOf rckg:quantity .
  ?q rckg:statedText ?stated ; qudt:numericValue ?value ; qudt:unit ?unit .
  ?t rckg:timeText ?when .
  OPTIONAL { ?t rckg:start ?start } OPTIONAL { ?t rckg:end ?end }
}
ORDER BY ?flow ?start""",
    "attributions": """PREFIX rckg: <http://127.0.0.1:8000/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?attribution (COUNT(?fact) AS ?facts) WHERE {
  ?fact rckg:attribution/skos:prefLabel ?attribution FILTER(lang(?attribution) = "en")
}
GROUP BY ?attribution ORDER BY DESC(?facts)""",
    "labels": """PREFIX id:   <http://127.0.0.1:8000/id/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl:  <http://www.w3.org/2002/07/owl#>
SELECT ?entity ?de ?en ?ru ?zh ?wikidata WHERE {
  VALUES ?entity { id:vladimir-putin id:xi-jinping id:power-of-siberia-2 }
  ?entity skos:prefLabel ?de, ?en, ?ru, ?zh .
  FILTER(lang(?de) = "de" && lang(?en) = "en" && lang(?ru) = "ru" && lang(?zh) = "zh")
  OPTIONAL { ?entity owl:sameAs ?wikidata }
}""",
}
SPARQL_JSON = (("Accept", "application/sparql-results+json"),)


def _ties_calls() -> list[Call]:
    calls = [Call("ties", "ties", "GET", f"/api/actors/{actor}/ties") for actor in TIES_ACTORS]
    calls.append(Call("ties", "ties", "GET", "/api/actors/russia/ties",
                      (("counterpart_type", "Region"), ("limit", "1"))))
    return calls


def _sparql_calls(base_iri: str) -> list[Call]:
    calls = []
    for text in QUERIES.values():
        query = text.replace(README_BASE, base_iri)
        calls += [
            Call("sparql", "sparql GET", "GET", "/sparql", (("query", query),), SPARQL_JSON),
            Call("sparql", "sparql POST form", "POST", "/sparql", headers=SPARQL_JSON,
                 form=(("query", query),)),
            Call("sparql", "sparql POST query", "POST", "/sparql",
                 headers=(*SPARQL_JSON, ("Content-Type", "application/sparql-query")),
                 body=query.encode()),
        ]
    return calls


def mix(base_iri: str = README_BASE) -> dict[str, list[tuple[Call, int]]]:
    """Per kind, the calls it draws from with their weights within the kind."""
    exports = [(Call("export", "export gexf", "GET", "/api/export/gexf"), 9),
               (Call("export", "export csv", "GET", "/api/export/csv"), 9),
               (Call("export", "export png", "GET", "/api/export/png",
                     (("actor", "rosatom"),)), 2)]
    return {
        "ties": [(c, 1) for c in _ties_calls()],
        "paths": [(Call("paths", "paths", "GET", "/api/paths", (("from", a), ("to", b))), 1)
                  for a, b in PATHS],
        "search": [(Call("search", "search", "GET", "/api/actors", (("q", q),)), 1)
                   for q in SEARCHES],
        "export": exports,
        "sparql": [(c, 1) for c in _sparql_calls(base_iri)],
    }


def choices(rng: random.Random, calls: dict[str, list[tuple[Call, int]]]) -> Iterator[Call]:
    """An endless sequence of calls drawn from `calls` with the weights of WEIGHTS."""
    kinds = list(KINDS)
    kind_weights = [WEIGHTS[k] for k in kinds]
    while True:
        kind = rng.choices(kinds, kind_weights)[0]
        options = calls[kind]
        yield rng.choices([c for c, _ in options], [w for _, w in options])[0]


# --- measuring ---------------------------------------------------------------------------

@dataclass
class Tally:
    """Latencies (seconds) and errors of one kind or label."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    def add(self, latency: float, ok: bool) -> None:
        self.latencies.append(latency)
        if not ok:
            self.errors += 1

    def figures(self, elapsed: float) -> dict[str, float | int | None]:
        ordered = sorted(self.latencies)
        return {
            "requests": len(ordered),
            "errors": self.errors,
            "p50_ms": _ms(percentile(ordered, 50)),
            "p99_ms": _ms(percentile(ordered, 99)),
            "max_ms": _ms(ordered[-1] if ordered else None),
            "rps": round(len(ordered) / elapsed, 2) if elapsed > 0 else 0.0,
        }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def percentile(ordered: Sequence[float], p: float) -> float | None:
    """The nearest-rank `p`th percentile of sorted values (None for none)."""
    if not ordered:
        return None
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Results:
    by_kind: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in KINDS})
    by_label: dict[str, Tally] = field(default_factory=dict)
    total: Tally = field(default_factory=Tally)
    samples: list[dict[str, object]] = field(default_factory=list)

    def add(self, call: Call, latency: float, status: int | None, problem: str | None) -> None:
        ok = problem is None
        self.by_kind[call.kind].add(latency, ok)
        self.by_label.setdefault(call.label, Tally()).add(latency, ok)
        self.total.add(latency, ok)
        if not ok and len(self.samples) < ERROR_SAMPLES:
            self.samples.append({"kind": call.kind, "label": call.label, "path": call.path,
                                 "params": dict(call.params), "status": status,
                                 "problem": problem, "latency_ms": _ms(latency)})


async def _client(index: int, url: str, seed: int, deadline: float, timeout: float,
                  calls: dict[str, list[tuple[Call, int]]], results: Results) -> None:
    rng = random.Random(seed * 1000 + index)
    sequence = choices(rng, calls)
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits,
                                 trust_env=False) as client:
        while time.monotonic() < deadline:
            call = next(sequence)
            status: int | None = None
            problem: str | None = None
            started = time.perf_counter()
            try:
                response = await client.request(
                    call.method, call.path, params=list(call.params) or None,
                    headers=dict(call.headers), data=dict(call.form) or None,
                    content=call.body)
                status = response.status_code
                if not 200 <= status < 300:
                    problem = f"HTTP {status}: {response.text[:200]}"
            except httpx.HTTPError as exc:
                problem = f"{type(exc).__name__}: {exc}"[:300]
            results.add(call, time.perf_counter() - started, status, problem)


async def _run(url: str, clients: int, seconds: float, timeout: float, seed: int,
               base_iri: str) -> tuple[Results, float]:
    calls = mix(base_iri)
    results = Results()
    started = time.monotonic()
    deadline = started + seconds
    tasks = [_client(i, url, seed, deadline, timeout, calls, results) for i in range(clients)]
    # Each request is bounded by `timeout`; the extra margin only guards against a hang of
    # the client library itself.
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), seconds + timeout + 30)
    except TimeoutError:
        raise RuntimeError(f"clients still busy {timeout + 30:g} s after the deadline") from None
    return results, time.monotonic() - started


def run(url: str, clients: int, seconds: float, timeout: float = DEFAULT_TIMEOUT,
        seed: int = DEFAULT_SEED, base_iri: str = README_BASE) -> dict[str, Any]:
    """Load `url` with `clients` clients for `seconds`; the figures as a JSON-ready dict."""
    check_loopback(url)
    cpu, busy = time.process_time(), machine_cpu()
    results, elapsed = asyncio.run(_run(url, clients, seconds, timeout, seed, base_iri))
    cpu, busy_after = time.process_time() - cpu, machine_cpu()
    return {
        "url": url,
        "clients": clients,
        "seconds": seconds,
        "timeout": timeout,
        "seed": seed,
        "elapsed_s": round(elapsed, 2),
        "client_cpu_s": round(cpu, 2),
        "machine_cpu_s": (round(busy_after - busy, 2)
                          if busy is not None and busy_after is not None else None),
        "mix": dict(WEIGHTS),
        "kinds": {k: results.by_kind[k].figures(elapsed) for k in KINDS},
        "total": results.total.figures(elapsed),
        "detail": {label: tally.figures(elapsed)
                   for label, tally in sorted(results.by_label.items())},
        "error_samples": results.samples,
    }


# --- loopback only -----------------------------------------------------------------------

class NotLoopback(ValueError):
    """A URL whose host is not a loopback address."""


def check_loopback(url: str) -> None:
    """Refuse any URL that is not http(s) on 127.0.0.0/8, ::1 or localhost."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower()
    if parts.scheme in ("http", "https"):
        if host == "localhost":
            return
        try:
            if ipaddress.ip_address(host).is_loopback:
                return
        except ValueError:
            pass
    raise NotLoopback(f"{url!r} is not an http(s) URL on a loopback address (127.0.0.0/8, ::1 "
                      f"or localhost); this tool loads only a local server")


# --- the server under test ---------------------------------------------------------------

def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def machine_cpu() -> float | None:
    """CPU seconds all cores have been busy since boot (from /proc/stat), or None."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
    except (OSError, ValueError):
        return None
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of `pid` and its living descendants, read from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        cpu[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, its_parent in parents.items():
            if its_parent == parent and child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(cpu.get(p, 0.0) for p in tree)


@dataclass
class Served:
    url: str
    pid: int

    def cpu(self) -> float | None:
        try:
            return round(_process_tree_cpu(self.pid), 2)
        except (OSError, ValueError):
            return None


@contextmanager
def serving(env: dict[str, str] | None = None) -> Iterator[Served]:
    """Start `rckg serve` on a free loopback port over the built graph; stop it afterwards."""
    environment = {**os.environ, **(env or {})}
    port = free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, str(PROJECT_ROOT / "rckg.py"), "serve", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning"],
            env=environment, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            waited = time.monotonic() + STARTUP_WAIT
            while True:
                if process.poll() is not None:
                    log.seek(0)
                    tail = log.read().decode(errors="replace")[-2000:]
                    raise RuntimeError(f"rckg serve exited with {process.returncode}:\n{tail}")
                try:
                    if httpx.get(f"{url}/health", timeout=2, trust_env=False).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > waited:
                    raise RuntimeError(f"rckg serve did not answer /health in {STARTUP_WAIT:.0f} s")
                time.sleep(0.2)
            yield Served(url, process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# --- the report --------------------------------------------------------------------------

def _cell(value: float | int | None) -> str:
    return "-" if value is None else f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def table(rows: dict[str, dict[str, Any]], total: dict[str, Any] | None, title: str) -> str:
    columns = ("requests", "errors", "p50_ms", "p99_ms", "max_ms", "rps")
    heads = (title, "requests", "errors", "p50 ms", "p99 ms", "max ms", "req/s")
    body = [[name, *(_cell(row[c]) for c in columns)] for name, row in rows.items()]
    last = [["total", *(_cell(total[c]) for c in columns)]] if total is not None else []
    widths = [max(len(h), *(len(r[i]) for r in body + last)) for i, h in enumerate(heads)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    rule = line(["-" * w for w in widths])
    out = [line(heads), rule, *(line(r) for r in body)]
    if last:
        out += [rule, line(last[0])]
    return "\n".join(out)


def report(figures: dict[str, Any], detail: bool = False) -> str:
    server_cpu, machine = figures.get("server_cpu_s"), figures.get("machine_cpu_s")
    cpu = f"client CPU {figures['client_cpu_s']:.1f} s"
    if server_cpu is not None:
        cpu += f", server CPU {server_cpu:.1f} s"
    if machine is not None:
        cpu += f", all processes {machine:.1f} s"
    lines = [
        f"rckg load: {figures['clients']} clients for {figures['seconds']:g} s against "
        f"{figures['url']} (seed {figures['seed']}, request timeout {figures['timeout']:g} s)",
        f"elapsed {figures['elapsed_s']:.1f} s on {os.cpu_count()} cores shared by client and "
        f"server; {cpu}",
        "",
        table(figures["kinds"], figures["total"], "kind"),
    ]
    if detail:
        lines += ["", table(figures["detail"], None, "request")]
    if figures["error_samples"]:
        lines += ["", "first errors:"]
        lines += [f"  {s['label']} {s['path']} {s['params']}: {s['problem']}"
                  for s in figures["error_samples"]]
    return "\n".join(lines)


# --- command line ------------------------------------------------------------------------

def _bounded(kind: type, low: float, high: float) -> Any:
    def parse(text: str) -> Any:
        value = kind(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is outside {low:g}..{high:g}")
        return value
    return parse


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    p.add_argument("--clients", type=_bounded(int, 1, MAX_CLIENTS), default=DEFAULT_CLIENTS,
                   help=f"concurrent clients (default {DEFAULT_CLIENTS})")
    p.add_argument("--seconds", type=_bounded(float, 0.1, MAX_SECONDS), default=DEFAULT_SECONDS,
                   help=f"how long new requests are started (default {DEFAULT_SECONDS:g})")
    p.add_argument("--url", help="a server already running on loopback (default: start "
                   "'rckg serve' on a free loopback port over the built graph)")
    p.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    p.add_argument("--timeout", type=_bounded(float, 0.1, 300), default=DEFAULT_TIMEOUT,
                   help=f"seconds one request may take (default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the request sequence")
    p.add_argument("--detail", action="store_true", help="also print a row per request type")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        config = settings()
        if args.url:
            check_loopback(args.url)
            figures = run(args.url.rstrip("/"), args.clients, args.seconds, args.timeout,
                          args.seed, config.base_iri)
        else:
            StoreDirectory(config.store).current_path()  # no build: a clear message, now
            with serving() as server:
                before = server.cpu()
                figures = run(server.url, args.clients, args.seconds, args.timeout, args.seed,
                              config.base_iri)
                after = server.cpu()
                figures["server_cpu_s"] = (round(after - before, 2)
                                           if before is not None and after is not None else None)
    except (NotLoopback, StoreError, ConfigError, RuntimeError) as exc:
        print(f"bench.load: {exc}", file=sys.stderr)
        return 2
    print(report(figures, args.detail))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
    errors = figures["total"]["errors"]
    if errors:
        print(f"bench.load: {errors} error(s)", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
