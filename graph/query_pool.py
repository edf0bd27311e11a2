"""A pool of query worker processes with real time limits.

`execute` blocks its calling thread (the server calls it from a worker thread, never the event
loop) until a worker answers or the limit passes; then the worker is killed and replaced, so a
runaway query stops consuming CPU. Other requests are served by the other workers meanwhile.
When a new build becomes current the workers are recycled onto it.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from graph.errors import StoreError
from graph.query_worker import QueryRequest, QueryResponse, serve

START_TIMEOUT = 30.0  # seconds a new worker may take to open the store


class QueryTimeout(Exception):
    """The query ran past its limit and its worker was stopped."""


class PoolUnavailable(Exception):
    """No worker could take the query in time, or the worker died."""


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    path: Path
    isolated: bool = False
    started: float = field(default_factory=time.monotonic)

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    """`size` workers serving the store folder that `locate()` names at the time."""

    def __init__(self, locate: Callable[[], Path], size: int, isolate: bool) -> None:
        self._locate = locate
        self._size = size
        self._isolate = isolate
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._path: Path | None = None
        self._closed = False

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def isolated(self) -> bool:
        """Whether the workers run without network access (known once one has started)."""
        with self._idle.mutex:
            workers = list(self._idle.queue)
        return bool(workers) and all(w.isolated for w in workers)

    def start(self) -> None:
        self._path = self._locate()
        spawned = [self._spawn(self._path) for _ in range(self._size)]
        for worker in spawned:
            self._await_ready(worker)
            self._idle.put(worker)

    def _spawn(self, path: Path) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=serve, args=(child, str(path), self._isolate), daemon=True, name="rckg-query"
        )
        process.start()
        child.close()
        return _Worker(process, parent, path)

    def _await_ready(self, worker: _Worker) -> None:
        try:
            if not worker.conn.poll(START_TIMEOUT):
                raise StoreError("a query worker did not start in time")
            status, detail = worker.conn.recv()
        except (EOFError, OSError, StoreError) as exc:
            worker.kill()
            raise StoreError(f"a query worker failed to start: {exc or 'it exited'}") from exc
        if status != "ready":
            worker.kill()
            raise StoreError(f"a query worker cannot open the store: {detail}")
        worker.isolated = bool(detail)

    def _replace(self, path: Path) -> None:
        """Start a worker in the background and add it to the pool when it is ready."""
        def run() -> None:
            worker = self._spawn(path)
            try:
                self._await_ready(worker)
            except StoreError:
                return
            if self._closed or path != self._path:
                worker.kill()
            else:
                self._idle.put(worker)

        threading.Thread(target=run, daemon=True, name="rckg-respawn").start()

    def _follow_current(self) -> None:
        """Recycle the pool onto a new build if the current version changed."""
        path = self._locate()
        if path == self._path:
            return
        with self._lock:
            if path == self._path:
                return
            self._path = path
            for _ in range(self._size):
                self._replace(path)

    def execute(self, request: QueryRequest, timeout: float) -> QueryResponse:
        """Run `request` on an idle worker; raise QueryTimeout or PoolUnavailable."""
        deadline = time.monotonic() + timeout
        self._follow_current()
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise PoolUnavailable(
                    "all query workers are busy; try again shortly") from None
            if worker.path == self._path and worker.process.is_alive():
                break
            worker.kill()  # from an older build, or dead: drop it
            if worker.path == self._path:
                self._replace(worker.path)
        try:
            worker.conn.send(request)
            if worker.conn.poll(max(0.0, deadline - time.monotonic())):
                response: QueryResponse = worker.conn.recv()
                self._idle.put(worker)
                return response
        except (EOFError, OSError, BrokenPipeError):
            worker.kill()
            self._replace(worker.path)
            raise PoolUnavailable("the query worker failed; try again") from None
        worker.kill()
        self._replace(worker.path)
        raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                return
