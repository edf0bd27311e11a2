"""Which store rckg runs on, chosen by RCKG_STORE: the embedded Oxigraph (a folder) or a remote
SPARQL store (sparql+URL). Everything above this module asks it for the store, never for a
kind of store.
"""

from __future__ import annotations

import threading
from typing import Protocol

from graph.config import Settings
from graph.store.embedded import OxigraphStore, StoreDirectory
from graph.store.query_pool import QueryPool
from graph.store.query_worker import DumpRequest, QueryRequest, QueryResponse
from graph.store.remote import RemoteStore
from graph.store.remote_pool import RemotePool


class Executor(Protocol):
    """What the server runs queries through: the embedded query pool or a remote store."""

    live: int  # workers (or store connections) able to answer now
    isolated: bool  # whether queries run cut off the network
    starting: int  # workers (connections) being brought back after a failure

    @property
    def version(self) -> str | None: ...

    @property
    def isolation(self) -> str: ...  # how queries are cut off the network, in words

    def start(self) -> None: ...

    def execute(self, request: QueryRequest | DumpRequest, timeout: float,
                wait: float | None = None,
                cancel: threading.Event | None = None, keep: int = 0) -> QueryResponse: ...

    def close(self) -> None: ...


def open_store(settings: Settings) -> OxigraphStore | RemoteStore:
    """The served version of the graph, for reading in this process; StoreError if none."""
    if settings.remote is not None:
        return RemoteStore.open(settings.remote, timeout=max(settings.query_timeout, 60.0))
    return StoreDirectory(settings.store).open_current()


def executor(settings: Settings) -> Executor:
    """The server's way to the store: query worker processes, or a remote store's endpoint."""
    if settings.remote is not None:
        return RemotePool(settings.remote, max(settings.workers, 1) * 4)
    directory = StoreDirectory(settings.store)
    return QueryPool(directory.current_path, settings.workers, settings.isolate_workers,
                     settings.worker_memory)


def describe(settings: Settings) -> str:
    """Where the store is, for messages (never with credentials)."""
    if settings.remote is not None:
        return f"the remote store at {settings.remote.query}"
    return str(settings.store)
