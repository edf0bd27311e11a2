"""A pool of query worker processes with real time limits.

`execute` blocks its calling thread (the server calls it from a worker thread, never the event
loop). Waiting for a free worker and running the query are timed apart: a query that waits
too long is turned away without harm, a query that runs too long has its worker killed and
replaced, so a runaway query stops consuming CPU. A watcher follows the store's `current`
link: when a new build appears it starts workers on it and switches over only once they are
ready, so requests never wait on a switch.
"""

from __future__ import annotations

import itertools
import multiprocessing
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from graph.errors import StoreError
from graph.store.query_worker import DumpRequest, QueryRequest, QueryResponse, serve

START_TIMEOUT = 30.0  # seconds a new worker may take to open the store
RETRY_DELAYS = (0.5, 1, 2, 5, 10)  # back-off while a replacement worker fails to start
WATCH_INTERVAL = 1.0  # seconds between looks at the store's current version
KEEP_CHECK = 0.02  # seconds between looks for a worker beyond those kept for others
CANCEL_CHECK = 0.1  # seconds between looks at whether a query's client has left


class QueryTimeout(Exception):
    """The query ran past its limit and its worker was stopped."""


class PoolUnavailable(Exception):
    """No worker could take the query in time, or the worker died."""


class QueryCancelled(Exception):
    """The client went away, so its query was stopped."""


class QueryTooLarge(Exception):
    """The query's worker died while running it, past its memory limit."""


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    path: Path

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    """`size` workers serving the store folder that `locate()` names."""

    def __init__(self, locate: Callable[[], Path], size: int, isolate: bool,
                 memory: int = 0) -> None:
        self._locate = locate
        self._size = size
        self._isolate = isolate
        self._memory = memory  # bytes of address space per worker (0: uncapped)
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._switch = threading.Lock()
        self._keeping = threading.Lock()
        self._path: Path | None = None
        self._closed = threading.Event()
        self._count = threading.Lock()
        self.isolated = True  # whether every worker started so far is cut off the network
        self.namespaced = isolate  # every worker so far in an empty network namespace
        self.sealed = True  # every worker so far unable to open network sockets (sandbox)
        self.live = 0  # workers started and not killed
        self.starting = 0  # replacement workers being started in the background

    @property
    def size(self) -> int:
        """Workers the pool keeps running when all is well."""
        return self._size

    @property
    def isolation(self) -> str:
        """How the workers are cut off the network, in words, as true of all started so far."""
        ways = [w for w, on in (("network namespace", self.namespaced),
                                ("socket filter", self.sealed)) if on]
        return " and ".join(ways) or "none"

    @property
    def path(self) -> Path | None:
        """The store version being served."""
        return self._path

    @property
    def version(self) -> str | None:
        """The name of the store version being served."""
        return self._path.name if self._path else None

    def start(self) -> None:
        path = self._locate()
        for worker in self._start_workers(path, self._size):
            self._idle.put(worker)
        self._path = path
        threading.Thread(target=self._watch, daemon=True, name="rckg-watch").start()

    def _start_workers(self, path: Path, count: int) -> list[_Worker]:
        spawned = [self._spawn(path) for _ in range(count)]
        ready = []
        try:
            for worker in spawned:
                self._await_ready(worker)
                ready.append(worker)
        except StoreError:
            for worker in spawned:
                worker.kill()
            raise
        with self._count:
            self.live += len(ready)
        return ready

    def _spawn(self, path: Path) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=serve, args=(child, str(path), self._isolate, self._memory), daemon=True,
            name="rckg-query"
        )
        process.start()
        child.close()
        return _Worker(process, parent, path)

    def _await_ready(self, worker: _Worker) -> None:
        try:
            if not worker.conn.poll(START_TIMEOUT):
                raise StoreError("a query worker did not start in time")
            status, detail = worker.conn.recv()
        except (EOFError, OSError) as exc:
            raise StoreError("a query worker exited while opening the store") from exc
        if status != "ready":
            raise StoreError(f"a query worker cannot open the store: {detail}")
        namespace, sealed = detail
        if not sealed:
            self.sealed = False
        if not namespace:
            self.namespaced = False
        if not (namespace or sealed):
            self.isolated = False

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        with self._count:
            self.live -= 1

    def _replace(self, path: Path) -> None:
        """Start one worker in the background, retrying with back-off until it is ready."""
        def run() -> None:
            try:
                attempt()
            finally:
                with self._count:
                    self.starting -= 1

        def attempt() -> None:
            for delay in itertools.chain(RETRY_DELAYS, itertools.repeat(RETRY_DELAYS[-1])):
                if self._closed.is_set() or path != self._path:
                    return
                try:
                    (worker,) = self._start_workers(path, 1)
                except StoreError:
                    time.sleep(delay)
                    continue
                if self._closed.is_set() or path != self._path:
                    self._retire(worker)
                else:
                    self._idle.put(worker)
                return

        with self._count:
            self.starting += 1
        threading.Thread(target=run, daemon=True, name="rckg-respawn").start()

    def _watch(self) -> None:
        while not self._closed.wait(WATCH_INTERVAL):
            try:
                path = self._locate()
            except StoreError:
                continue
            if path != self._path:
                self.switch(path)

    def switch(self, path: Path) -> None:
        """Serve `path` from now on: start its workers first, then retire the old ones."""
        with self._switch:
            if path == self._path:
                return
            try:
                fresh = self._start_workers(path, self._size)
            except StoreError:
                return  # keep serving the old version; the watcher tries again
            self._path = path
            for worker in fresh:
                self._idle.put(worker)
            self._retire_stale()

    def _retire_stale(self) -> None:
        """End the idle workers of versions no longer served (busy ones end on return)."""
        for _ in range(self._idle.qsize()):
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return
            if worker.path == self._path:
                self._idle.put(worker)
            else:
                self._retire(worker)

    def _release(self, worker: _Worker) -> None:
        """Give a worker back after a request, or end it if its version is no longer served."""
        if worker.path == self._path and not self._closed.is_set():
            self._idle.put(worker)
            if worker.path != self._path:  # a switch swept the idle workers in between
                self._retire_stale()
        else:
            self._retire(worker)

    def _get(self, keep: int, deadline: float) -> _Worker:
        """The next idle worker once more than `keep` are idle; queue.Empty at `deadline`."""
        if not keep:
            return self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        while True:
            with self._keeping:  # the count and the taking as one step among keepers
                if self._idle.qsize() > keep:
                    return self._idle.get_nowait()
            if time.monotonic() >= deadline:
                raise queue.Empty
            time.sleep(KEEP_CHECK)

    def _take(self, wait: float, keep: int = 0) -> _Worker:
        """An idle worker of the served version, leaving at least `keep` others idle."""
        deadline = time.monotonic() + wait
        while True:
            try:
                worker = self._get(keep, deadline)
            except queue.Empty:
                raise PoolUnavailable("all query workers are busy; try again shortly") from None
            if worker.path == self._path and worker.process.is_alive():
                return worker
            alive_here = worker.path == self._path
            self._retire(worker)  # from an older build, or dead
            if alive_here:
                self._replace(worker.path)

    def execute(self, request: QueryRequest | DumpRequest, timeout: float,
                wait: float | None = None,
                cancel: threading.Event | None = None, keep: int = 0) -> QueryResponse:
        """Run `request` for at most `timeout` seconds once a worker is free (waiting at most
        `wait`, default `timeout`) and `keep` others stay idle for other callers; raise
        QueryTimeout or PoolUnavailable. Setting `cancel` (the client left) stops the query at
        once: its worker is killed and replaced."""
        worker = self._take(timeout if wait is None else wait, keep)
        deadline = time.monotonic() + timeout
        try:
            worker.conn.send(request)
            while (left := deadline - time.monotonic()) > 0:
                if worker.conn.poll(min(left, CANCEL_CHECK) if cancel else left):
                    response: QueryResponse = worker.conn.recv()
                    self._release(worker)
                    return response
                if cancel is not None and cancel.is_set():
                    self._retire(worker)
                    self._replace(worker.path)
                    raise QueryCancelled("the client left; its query was stopped")
        except (EOFError, OSError):
            worker.process.join(timeout=1)
            crashed = worker.process.exitcode is not None and worker.process.exitcode < 0
            self._retire(worker)
            self._replace(worker.path)
            if crashed and self._memory:  # the engine aborts when an allocation fails
                raise QueryTooLarge(f"the query stopped its worker, most likely by needing more "
                                    f"than the {self._memory} bytes of memory a worker may "
                                    f"use (RCKG_WORKER_MEMORY); ask for less") from None
            raise PoolUnavailable("the query worker failed; try again") from None
        self._retire(worker)
        self._replace(worker.path)
        raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")

    def close(self) -> None:
        self._closed.set()
        while True:
            try:
                self._retire(self._idle.get_nowait())
            except queue.Empty:
                return
