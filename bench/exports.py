"""`python -m bench.exports`: seconds and peak memory of the whole-graph network exports at
each corpus size, for this checkout and, side by side in the same run, another one's graph/
(`--before DIR`, e.g. a `git archive` of main), so before/after share the machine's load.
With `--http`, each checkout also serves the store and /api/export/gexf is timed twice over
HTTP (the first answer draws it, the second may be served from what the first stored),
with the server's peak memory (its whole process tree).

Each export runs in a child process that first reads the projection the build saved (as the
server does), then writes the file to a byte counter: `extra_mib` is the peak resident memory
the export added on top of the projection (Linux's VmHWM, reset once the projection is read,
minus VmRSS then), which is what "memory flat in the graph's size" is about.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import client, corpus, peers
from bench.compare import first_answer
from bench.load import free_port
from graph.config import PROJECT_ROOT
from graph.errors import StoreError
from graph.store.embedded import StoreDirectory
from graph.views import projection

FORMATS = ("gexf", "graphml", "csv")
# Run in the child with PYTHONPATH set to the checkout measured. The old writers return bytes;
# the new ones also stream into a file (FORMATS[fmt].stream), which is what is timed when present.
_CHILD = r"""
import gc, json, sys, time
from pathlib import Path
from graph.views import projection
from graph import export
saved, base, version, fmt = sys.argv[1:5]
view = projection.read(Path(saved), base, version)
assert view is not None, "no saved projection"
gc.collect()

def status(field):  # kB, from /proc/self/status
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])

with open("/proc/self/clear_refs", "w") as clear:
    clear.write("5")  # reset the peak (VmHWM) to the present: the export's own peak follows
before = status("VmRSS")

class Counter:
    size = 0
    def write(self, data):
        self.size += len(data)
        return len(data)
    def flush(self):
        pass

out = Counter()
started = time.perf_counter()
streaming = getattr(export.FORMATS[fmt], "stream", None)
if streaming is not None:
    streaming(view, None, out)
else:
    out.write(export.FORMATS[fmt].writer(view, None))
seconds = time.perf_counter() - started
after = status("VmHWM")
print(json.dumps({"seconds": round(seconds, 3), "mib": round(out.size / 2**20, 2),
                  "projection_rss_mib": round(before / 1024, 1),
                  "extra_mib": round((after - before) / 1024, 1),
                  "streamed": streaming is not None}))
"""


def prepare(workdir: Path, size: int, seed: int) -> tuple[Path, str, str]:
    """A store of the bench corpus at `size` with its saved projection (built once, kept in
    `workdir`): (the projection's file, base IRI, version)."""
    data = corpus.ensure(workdir / "corpus", size, seed)
    directory = StoreDirectory(workdir / f"exports-{size}-{seed}")
    try:
        path = directory.current_path()
    except StoreError:
        path = None
    if path is None or not (path / projection.SAVED).exists():  # none, or saved otherwise
        peers.rckg_load(directory.root, data.path, data.base)
        path = directory.current_path()
    return path / projection.SAVED, data.base, path.name


def measure(tree: Path, saved: tuple[Path, str, str], fmt: str) -> dict[str, Any]:
    """One export of the whole graph, by the graph/ package under `tree`, in a child."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", _CHILD, *map(str, saved), fmt], env=env,
                          cwd=tree, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        return {"error": done.stderr[-1500:]}
    figures: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return figures


def over_http(tree: Path, saved: tuple[Path, str, str]) -> dict[str, Any]:
    """GEXF of the whole graph over HTTP from `tree`'s server, asked twice."""
    folder, base = saved[0].parent, saved[1]
    shutil.rmtree(folder / "exports", ignore_errors=True)  # the first ask draws it
    port = free_port()
    argv = [sys.executable, str(tree / "rckg.py"), "serve", "--host", "127.0.0.1", "--port",
            str(port), "--log-level", "warning"]
    env = {"RCKG_STORE": str(folder.parent.parent), "RCKG_BASE_IRI": base,
           "PYTHONPATH": str(tree)}
    with peers.serving("rckg", argv, port, env, cwd=tree) as server:
        first_answer(server, client.request(server.url, "/api/actors/russia/ties",
                                            [("limit", "1")]), 300)  # projection loaded
        gexf = client.request(server.url, "/api/export/gexf", accept="application/gexf+xml")
        seconds, size = [], 0
        for _ in range(2):
            started = time.perf_counter()
            status, body = client.fetch(server.url, gexf, 600)
            seconds.append(round(time.perf_counter() - started, 3))
            size = len(body) if status == 200 else -status
        rss = server.memory.stop()
    return {"first_s": seconds[0], "again_s": seconds[1], "mib": round(size / 2**20, 2),
            "server_peak_rss_mib": rss}


def run(sizes: Sequence[int], formats: Sequence[str], before: Path | None, workdir: Path,
        seed: int, http: bool = False) -> dict[str, Any]:
    report: dict[str, Any] = {"load_average": os.getloadavg()[0], "cores": os.cpu_count(),
                              "sizes": {}}
    for size in sizes:
        saved = prepare(workdir, size, seed)
        row: dict[str, Any] = {}
        for fmt in formats:
            row[fmt] = {"after": measure(PROJECT_ROOT, saved, fmt)}
            if before is not None:
                row[fmt]["before"] = measure(before, saved, fmt)
            print(f"{size:>10,} {fmt:8} " + "  ".join(
                f"{k}: {v.get('seconds', '-')} s, +{v.get('extra_mib', '-')} MiB, "
                f"{v.get('mib', '-')} MiB out" for k, v in row[fmt].items()), flush=True)
        if http:
            row["http_gexf"] = {"after": over_http(PROJECT_ROOT, saved)}
            if before is not None:
                row["http_gexf"]["before"] = over_http(before, saved)
            print(f"{size:>10,} GEXF over HTTP: {json.dumps(row['http_gexf'])}", flush=True)
        report["sizes"][str(size)] = row
    report["load_average_after"] = os.getloadavg()[0]
    return report


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.exports", description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default="100000,1000000", help="comma-separated triple counts")
    p.add_argument("--formats", default=",".join(FORMATS))
    p.add_argument("--before", type=Path, help="a checkout (e.g. a git archive of main) to "
                   "measure side by side, as the 'before'")
    p.add_argument("--http", action="store_true", help="also time GEXF over HTTP")
    p.add_argument("--workdir", type=Path, default=PROJECT_ROOT / "var" / "bench")
    p.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    p.add_argument("--json", type=Path, help="also write the figures here")
    args = p.parse_args(argv)
    report = run([int(s) for s in args.sizes.split(",")], args.formats.split(","), args.before,
                 args.workdir, args.seed, args.http)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
