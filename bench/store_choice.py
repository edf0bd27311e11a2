"""Compare embedded RDF stores for rckg on one synthetic news-shaped graph.

Run from the repo root: ``python -m bench.store_choice [--sizes 10000,100000]``.
Each (store, size) case runs in its own spawned process so that peak RSS
(``ru_maxrss``) belongs to that store alone.
"""

import argparse
import importlib
import multiprocessing
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypedDict, TypeVar

try:
    import resource
except ImportError:  # not on Unix: RSS is not measurable
    resource = None  # type: ignore[assignment]

EX = "http://example.org/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
N_ACTORS = 200
STATEMENTS_PER_ARTICLE = 100
TRIPLES_PER_STATEMENT = 7
RELATIONS = ("criticizes", "supports", "meets", "accuses", "praises", "sues", "funds", "hires")
WORDS = ("the", "minister", "said", "budget", "deal", "vote", "never", "agreed", "plan",
         "talks", "crisis", "we", "will", "reform", "tax", "court", "deny", "report")
SEED = 20240601
WARMUPS = 2
DEFAULT_RUNS = 20

Q1 = """PREFIX ex: <http://example.org/>
SELECT ?st ?rel ?other ?quote WHERE {
  { ?st ex:subject <%(a)s> ; ex:object ?other ; ex:relation ?rel ; ex:quote ?quote . }
  UNION
  { ?st ex:object <%(a)s> ; ex:subject ?other ; ex:relation ?rel ; ex:quote ?quote . }
}"""

Q2 = """PREFIX ex: <http://example.org/>
SELECT DISTINCT ?b WHERE { <%(a)s> ex:rel ?x . ?x ex:rel ?b . }"""

QueryFn = Callable[[str], int]
T = TypeVar("T")


class CaseResult(TypedDict):
    """Measurements of one store at one size (plain dict, so it pickles)."""

    load_s: float | None
    cold_s: float | None
    q1_ms: float
    q2_ms: float
    q1_rows: int
    q2_rows: int
    rss_mib: float | None
    rss_delta_mib: float | None


# ---------------------------------------------------------------- data


def actor_iri(i: int) -> str:
    """IRI of actor number i."""
    return f"{EX}actor/{i}"


def actor_quads() -> list[str]:
    """Type and label quads for every actor, in one named graph."""
    g = f"<{EX}graph/actors>"
    rng = random.Random(SEED)
    syll = ("ka", "lo", "mi", "ren", "to", "sa", "vi", "dor", "el", "un")
    lines = []
    for i in range(N_ACTORS):
        name = "".join(rng.choice(syll) for _ in range(3)).title()
        lines.append(f"<{actor_iri(i)}> <{RDF_TYPE}> <{EX}Actor> {g} .")
        lines.append(f'<{actor_iri(i)}> <{RDFS_LABEL}> "{name} {i}"@en {g} .')
    return lines


def statement_quads(i: int, rng: random.Random, weights: list[float]) -> list[str]:
    """Seven quads for statement i: the reified claim plus its direct edge."""
    g = f"<{EX}article/{i // STATEMENTS_PER_ARTICLE}>"
    s, o = rng.choices(range(N_ACTORS), weights=weights, k=2)
    if o == s:
        o = (s + 1) % N_ACTORS
    st = f"<{EX}statement/{i}>"
    quote = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14)))
    date = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return [
        f"{st} <{RDF_TYPE}> <{EX}Statement> {g} .",
        f"{st} <{EX}subject> <{actor_iri(s)}> {g} .",
        f"{st} <{EX}object> <{actor_iri(o)}> {g} .",
        f"{st} <{EX}relation> <{EX}relation/{rng.choice(RELATIONS)}> {g} .",
        f'{st} <{EX}quote> "{quote}" {g} .',
        f'{st} <{EX}date> "{date}"^^<{XSD_DATE}> {g} .',
        f"<{actor_iri(s)}> <{EX}rel> <{actor_iri(o)}> {g} .",
    ]


def generate_nquads(n_triples: int) -> str:
    """Deterministic N-Quads document of about n_triples quads."""
    rng = random.Random(SEED + n_triples)
    weights = [1.0 / (r + 1) ** 0.5 for r in range(N_ACTORS)]  # mildly skewed fame
    lines = actor_quads()
    n_statements = max(1, (n_triples - len(lines)) // TRIPLES_PER_STATEMENT)
    for i in range(n_statements):
        lines.extend(statement_quads(i, rng, weights))
    return "\n".join(lines) + "\n"


def write_nquads(n_triples: int, path: str) -> int:
    """Child process: write the data set to path; return its line count."""
    text = generate_nquads(n_triples)
    Path(path).write_text(text, encoding="utf-8")
    return text.count("\n")


def query_actors(runs: int) -> list[str]:
    """Same actor sequence (warm-ups first) for every store."""
    rng = random.Random(SEED - 1)
    return [actor_iri(rng.randrange(N_ACTORS)) for _ in range(WARMUPS + runs)]


# ---------------------------------------------------------------- stores


def open_rdflib(data: str, store: str, fmt: str) -> QueryFn:
    """Load into an rdflib Dataset (union default graph); return a query fn."""
    import rdflib

    ds = rdflib.Dataset(store=store, default_union=True)
    ds.parse(data=data, format=fmt)
    return lambda q: len(list(ds.query(q)))


def ox_query_fn(store: Any) -> QueryFn:
    """Query fn over a pyoxigraph Store with the union default graph."""
    return lambda q: len(list(store.query(q, use_default_graph_as_union=True)))


def open_ox(data: str, path: str | None) -> QueryFn:
    """Bulk-load into a pyoxigraph Store (memory or disk); return a query fn."""
    import pyoxigraph as ox

    store = ox.Store(path) if path else ox.Store()
    store.bulk_load(input=data, format=ox.RdfFormat.N_QUADS)
    if path:
        store.flush()
    return ox_query_fn(store)


KIND_MODULES: dict[str, tuple[str, ...]] = {
    "rdflib": ("rdflib",),
    "oxrdflib nquads": ("rdflib", "oxrdflib"),
    "oxrdflib ox-nquads": ("rdflib", "oxrdflib"),
    "pyoxigraph mem": ("pyoxigraph",),
    "pyoxigraph disk": ("pyoxigraph",),
}


def loader_for(kind: str, disk_path: str) -> Callable[[str], QueryFn]:
    """Map a store kind to its loading function."""
    loaders: dict[str, Callable[[str], QueryFn]] = {
        "rdflib": lambda d: open_rdflib(d, "default", "nquads"),
        "oxrdflib nquads": lambda d: open_rdflib(d, "Oxigraph", "nquads"),
        "oxrdflib ox-nquads": lambda d: open_rdflib(d, "Oxigraph", "ox-nquads"),
        "pyoxigraph mem": lambda d: open_ox(d, None),
        "pyoxigraph disk": lambda d: open_ox(d, disk_path),
    }
    return loaders[kind]


# ---------------------------------------------------------------- measuring


def rss_mib() -> float | None:
    """Peak RSS of this process in MiB (Linux ru_maxrss is KiB)."""
    if resource is None:
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_query(run: QueryFn, text: str) -> tuple[float, int]:
    """Milliseconds and row count of one fully consumed query."""
    t0 = time.perf_counter()
    rows = run(text)
    return (time.perf_counter() - t0) * 1000, rows


def query_medians(run: QueryFn, actors: list[str]) -> tuple[float, float, int, int]:
    """Median ms of Q1 and Q2 over actors (warm-ups skipped), plus row totals."""
    stats: list[tuple[float, int]] = []
    for template in (Q1, Q2):
        times: list[float] = []
        rows = 0
        for n, actor in enumerate(actors):
            ms, count = time_query(run, template % {"a": actor})
            if n >= WARMUPS:
                times.append(ms)
                rows += count
        stats.append((statistics.median(times), rows))
    return stats[0][0], stats[1][0], stats[0][1], stats[1][1]


def bench_case(kind: str, nq_path: str, disk_path: str, actors: list[str]) -> CaseResult:
    """Child process: load one store, time the queries, report peak RSS."""
    data = Path(nq_path).read_text(encoding="utf-8")
    loader = loader_for(kind, disk_path)
    for module in KIND_MODULES[kind]:
        importlib.import_module(module)
    base = rss_mib()  # after imports and reading the data: dRSS is the store itself
    t0 = time.perf_counter()
    run = loader(data)
    load_s = time.perf_counter() - t0
    q1, q2, r1, r2 = query_medians(run, actors)
    peak = rss_mib()
    delta = peak - base if peak is not None and base is not None else None
    return CaseResult(load_s=load_s, cold_s=None, q1_ms=q1, q2_ms=q2, q1_rows=r1,
                      q2_rows=r2, rss_mib=peak, rss_delta_mib=delta)


def bench_cold(disk_path: str, actors: list[str]) -> CaseResult:
    """Child process: reopen the disk store read-only, first query, then timings."""
    import pyoxigraph as ox

    base = rss_mib()  # after import: dRSS is the opened store plus query working set
    t0 = time.perf_counter()
    store = ox.Store.read_only(disk_path)
    run = ox_query_fn(store)
    run(Q1 % {"a": actors[0]})
    cold_s = time.perf_counter() - t0
    q1, q2, r1, r2 = query_medians(run, actors)
    peak = rss_mib()
    delta = peak - base if peak is not None and base is not None else None
    return CaseResult(load_s=None, cold_s=cold_s, q1_ms=q1, q2_ms=q2, q1_rows=r1,
                      q2_rows=r2, rss_mib=peak, rss_delta_mib=delta)


def in_child(fn: Callable[..., T], *args: Any) -> T:
    """Run fn(*args) in a fresh spawned process and return its result.

    Linux carries the parent's RSS high-water mark into ru_maxrss across
    fork+exec, so the parent stays small: it never holds the data itself.
    """
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        return pool.submit(fn, *args).result()


# ---------------------------------------------------------------- report


def oxrdflib_importable() -> bool:
    """Child process: can oxrdflib be imported here?"""
    try:
        import oxrdflib  # noqa: F401
    except ImportError:
        return False
    return True


def store_kinds(with_oxrdflib: bool) -> list[str]:
    """Store kinds to run; the oxrdflib ones only when it is importable."""
    extra = ["oxrdflib nquads", "oxrdflib ox-nquads"] if with_oxrdflib else []
    return ["rdflib", *extra, "pyoxigraph mem", "pyoxigraph disk"]


def fmt(value: float | None, spec: str) -> str:
    """Format a number, or '-' when it was not measured."""
    return "-" if value is None else format(value, spec)


HEADER = ("store", "size", "load s", "cold s", "Q1 p50 ms", "Q2 p50 ms",
          "peak RSS MiB", "dRSS MiB", "Q1/Q2 rows")


def row(kind: str, size: int, r: CaseResult) -> tuple[str, ...]:
    """One table row as strings."""
    return (kind, str(size), fmt(r["load_s"], ".2f"), fmt(r["cold_s"], ".3f"),
            fmt(r["q1_ms"], ".2f"), fmt(r["q2_ms"], ".2f"), fmt(r["rss_mib"], ".0f"),
            fmt(r["rss_delta_mib"], ".0f"), f"{r['q1_rows']}/{r['q2_rows']}")


def print_table(rows: list[tuple[str, ...]]) -> None:
    """Print rows under HEADER as aligned plain text."""
    widths = [max(len(x[i]) for x in [HEADER, *rows]) for i in range(len(HEADER))]
    for cells in [HEADER, *rows]:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(cells, widths, strict=True))))


def ratio(a: float | None, b: float | None) -> str:
    """a/b as 'N.Nx', or '-' if either is missing."""
    return "-" if a is None or not b else f"{a / b:.1f}x"


def print_ratios(size: int, res: dict[str, CaseResult]) -> None:
    """rdflib / pyoxigraph ratios for one size."""
    base = res["rdflib"]
    for other in ("pyoxigraph mem", "pyoxigraph disk"):
        o = res[other]
        print(f"  {size}: rdflib/{other}: load {ratio(base['load_s'], o['load_s'])}, "
              f"Q1 {ratio(base['q1_ms'], o['q1_ms'])}, Q2 {ratio(base['q2_ms'], o['q2_ms'])}, "
              f"peak RSS {ratio(base['rss_mib'], o['rss_mib'])}, "
              f"dRSS {ratio(base['rss_delta_mib'], o['rss_delta_mib'])}")


def check_rows(size: int, res: dict[str, CaseResult]) -> None:
    """Warn if stores disagree on result counts (they must not)."""
    counts = {(r["q1_rows"], r["q2_rows"]) for r in res.values()}
    if len(counts) != 1:
        print(f"  WARNING {size}: stores disagree on row counts: {counts}")


# ---------------------------------------------------------------- main


def bench_size(size: int, tmp: Path, actors: list[str],
               kinds: list[str]) -> dict[str, CaseResult]:
    """Generate one data set and run every store on it, each in a child."""
    nq_path = tmp / f"data-{size}.nq"
    quads = in_child(write_nquads, size, str(nq_path))
    print(f"size {size}: {quads} quads, {nq_path.stat().st_size / 2**20:.1f} MiB N-Quads")
    disk_path = str(tmp / f"oxstore-{size}")
    res = {kind: in_child(bench_case, kind, str(nq_path), disk_path, actors)
           for kind in kinds}
    res["pyoxigraph disk RO reopen"] = in_child(bench_cold, disk_path, actors)
    return res


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="10000,100000", help="comma-separated triple counts")
    p.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="timed runs per query")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run all sizes, print the table, the ratios and any row-count mismatch."""
    args = parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    actors = query_actors(args.runs)
    print(f"rdflib {version('rdflib')}, pyoxigraph {version('pyoxigraph')}, "
          f"{args.runs} runs/query after {WARMUPS} warm-ups")
    kinds = store_kinds(in_child(oxrdflib_importable))  # importing it here would lift the floor
    if "oxrdflib nquads" not in kinds:
        print("oxrdflib: not installed, skipped")
    rows: list[tuple[str, ...]] = []
    results: dict[int, dict[str, CaseResult]] = {}
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rckg-bench-") as tmp:
        for size in sizes:
            results[size] = bench_size(size, Path(tmp), actors, kinds)
            rows += [row(kind, size, r) for kind, r in results[size].items()]
    print_table(rows)
    print("legend: cold s = Store.read_only(path) + first Q1, OS page cache warm; "
          "dRSS = peak minus RSS before load;\n        oxrdflib nquads = rdflib's parser "
          "into the Oxigraph store, ox-nquads = oxrdflib's own parser (Store.load)")
    print("ratios (rdflib / pyoxigraph, >1 means pyoxigraph is better):")
    for size, res in results.items():
        print_ratios(size, res)
        check_rows(size, res)
    print(f"total {time.perf_counter() - t0:.0f}s; parent peak RSS "
          f"{fmt(rss_mib(), '.0f')} MiB (floor inherited by each child's ru_maxrss)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
