"""The servers the benchmark compares, each started on a free loopback port and stopped after.

- **rckg**: `rckg serve` over a store written from the corpus by `graph.store.load_file`;
- **oxigraph**: Oxigraph's own server (`oxigraph serve-read-only --union-default-graph`) over
  a store written by `oxigraph load`: the same engine as rckg's, with no Python in front;
- **rdflib-endpoint**: rdflib-endpoint over rdflib's Memory store, which parses the file at
  every start (the naive stack);
- **floor**: `bench.floor`, a constant JSON answer on the same uvicorn as rckg.

The peers' packages live in a virtual environment of their own (var/bench-venv), so their
pins (rdflib-endpoint brings its own FastAPI and uvicorn) never touch rckg's environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from graph.config import PROJECT_ROOT

# Versions of the peers, pinned so runs compare like with like; oxigraph matches pyoxigraph.
PEER_PACKAGES = ("rdflib-endpoint[cli]==0.6.3", "oxigraph==0.5.13")
DEFAULT_VENV = PROJECT_ROOT / "var" / "bench-venv"
RSS_INTERVAL = 0.25  # seconds between samples of a server's memory


class PeerError(RuntimeError):
    """A peer could not be installed, started or loaded."""


def ensure_venv(path: Path = DEFAULT_VENV, progress: Callable[[str], None] = print) -> Path:
    """The peers' virtual environment, created and filled with PEER_PACKAGES if need be."""
    stamp = path / "rckg-bench.json"
    wanted = {"packages": list(PEER_PACKAGES)}
    if stamp.exists() and json.loads(stamp.read_text(encoding="utf-8")) == wanted:
        return path
    progress(f"installing {', '.join(PEER_PACKAGES)} into {path}")
    python = getattr(sys, "_base_executable", sys.executable)  # not this venv's: a plain one
    steps = [[python, "-m", "venv", "--clear", str(path)],
             [str(path / "bin" / "python"), "-m", "pip", "install", "--quiet",
              "--disable-pip-version-check", *PEER_PACKAGES]]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            raise PeerError(f"{' '.join(step[:3])} failed:\n{done.stderr[-2000:]}")
    stamp.write_text(json.dumps(wanted), encoding="utf-8")
    return path


# --- memory --------------------------------------------------------------------------------

def tree(pid: int) -> list[int]:
    """`pid` and its living descendants (read from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(parent, []).append(int(entry.name))
    found, frontier = [pid], [pid]
    while frontier:
        for child in parents.get(frontier.pop(), []):
            found.append(child)
            frontier.append(child)
    return found


def memory_kib(pids: list[int]) -> int:
    """Proportional set size of the processes, added up (KiB): each shared page counts once
    over the tree, so a server of many processes is not charged for its shared libraries
    several times over (the plain sum of RSS would)."""
    total = 0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1])
                break
    return total


class MemoryWatch:
    """Samples a process tree's memory in a thread and keeps the peak."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kib = 0
        self.seen: set[int] = set()  # every process of the tree sampled so far
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="bench-rss")
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(RSS_INTERVAL)

    def sample(self) -> int:
        pids = tree(self.pid)
        self.seen.update(pids)
        now = memory_kib(pids)
        self.peak_kib = max(self.peak_kib, now)
        return now

    def stop(self) -> float:
        """Stop sampling; the peak in MiB."""
        self._stop.set()
        self._thread.join()
        return round(self.peak_kib / 1024, 1)


# --- servers -------------------------------------------------------------------------------

@dataclass
class Server:
    """A running peer: where it answers, its process and its memory watch."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    spawned: float  # time.perf_counter() at spawn
    memory: MemoryWatch
    log: Path
    notes: dict[str, object] = field(default_factory=dict)

    def alive(self) -> bool:
        return self.process.poll() is None

    def tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-1500:]
        except OSError:
            return ""


@contextmanager
def serving(name: str, argv: list[str], port: int, env: dict[str, str] | None = None,
            cwd: Path = PROJECT_ROOT) -> Iterator[Server]:
    """Start `argv` (which must listen on 127.0.0.1:`port`), yield it, and always stop it."""
    with tempfile.NamedTemporaryFile(prefix=f"bench-{name}-", suffix=".log",
                                     delete=False) as log:
        spawned = time.perf_counter()
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, cwd=cwd,
                                   env={**os.environ, **(env or {})}, start_new_session=True)
    server = Server(name, f"http://127.0.0.1:{port}", process, spawned,
                    MemoryWatch(process.pid), Path(log.name))
    try:
        yield server
    finally:
        server.memory.stop()
        _stop(process)
        Path(log.name).unlink(missing_ok=True)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate the process (the server stops its own children), then kill its group."""
    if process.poll() is None:
        process.terminate()
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=20)
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, 9)  # whatever of its group is left (workers, reloaders)
    if process.poll() is None:
        process.wait(timeout=10)


def rckg_argv(port: int) -> list[str]:
    return [sys.executable, str(PROJECT_ROOT / "rckg.py"), "serve", "--host", "127.0.0.1",
            "--port", str(port), "--log-level", "warning"]


def floor_argv(port: int) -> list[str]:
    return [sys.executable, "-m", "bench.floor", "--host", "127.0.0.1", "--port", str(port)]


def oxigraph_argv(venv: Path, location: Path, port: int) -> list[str]:
    return [str(venv / "bin" / "oxigraph"), "serve-read-only", "--location", str(location),
            "--bind", f"127.0.0.1:{port}", "--union-default-graph"]


def rdflib_endpoint_argv(venv: Path, data: Path, port: int) -> list[str]:
    return [str(venv / "bin" / "rdflib-endpoint"), "serve", "--host", "127.0.0.1",
            "--port", str(port), str(data)]


def oxigraph_load(venv: Path, location: Path, data: Path) -> float:
    """Write `data` into a new Oxigraph store at `location` with `oxigraph load`; seconds."""
    started = time.perf_counter()
    done = subprocess.run([str(venv / "bin" / "oxigraph"), "load", "--location", str(location),
                           "--file", str(data)], capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise PeerError(f"oxigraph load failed: {done.stderr[-2000:]}")
    return time.perf_counter() - started


def rckg_load(store: Path, data: Path, base: str) -> float:
    """Write `data` into a new rckg store at `store` with its projection saved beside it
    (what `rckg build` and `rckg serve --data` do); seconds. It runs in a child process, so
    the loader's memory is not the benchmark's."""
    code = ("import sys; from pathlib import Path; from graph.store.embedded import StoreDirectory, "
            "load_file; from graph.views.projection import saver; "
            "load_file(StoreDirectory(Path(sys.argv[1])), Path(sys.argv[2]), sys.argv[3], "
            "saver(sys.argv[3]))")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, str(store), str(data), base],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=3600)
    if done.returncode != 0:
        raise PeerError(f"rckg load failed: {done.stderr[-2000:]}")
    return time.perf_counter() - started


def store_size_mib(path: Path) -> float:
    """Bytes on disk under `path`, in MiB."""
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return round(size / 2**20, 1)
