"""Faults lose nothing: a killed build, a damaged store, a full disk or a read-only store
folder each give a clear error, and the graph served before stays as it was."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.config import PROJECT_ROOT
from graph.errors import StoreError
from graph.store.embedded import READY, StoreDirectory
from tests.conftest import BASE, IN_CI

QUERY = ("SELECT ?l WHERE { <http://127.0.0.1:8000/id/china> "
         "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l } ORDER BY ?l")
EXPECTED = ["l", "China", "China", "Китай", "中国"]


def rckg(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(PROJECT_ROOT / "rckg.py"), *args],
                          capture_output=True, text=True, env=env, cwd=PROJECT_ROOT,
                          timeout=timeout)


def environment(store: Path) -> dict[str, str]:
    return {**os.environ, "RCKG_STORE": str(store), "RCKG_BASE_IRI": BASE}


@pytest.fixture()
def served(tmp_path: Path) -> dict[str, str]:
    """A store with one good build, as an environment for the CLI."""
    env = environment(tmp_path / "store")
    assert rckg("build", env=env).returncode == 0
    assert rckg("query", QUERY, "--format", "csv", env=env).stdout.splitlines() == EXPECTED
    return env


def current(env: dict[str, str]) -> str:
    return StoreDirectory(Path(env["RCKG_STORE"])).current_path().name


@pytest.mark.parametrize("when", ["writing", 0.3, 0.8, 1.5])
def test_kill_9_during_build_keeps_the_previous_graph(served, when):
    before = current(served)
    process = subprocess.Popen([sys.executable, str(PROJECT_ROOT / "rckg.py"), "build", "--full"],
                               env=served, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    if when == "writing":  # the moment the new store version is being filled
        for line in process.stderr:
            if "writing" in line:
                break
    else:
        time.sleep(float(when))
    process.send_signal(signal.SIGKILL)
    process.wait()
    # Either the kill came before the switch (the old graph) or after it (the complete new
    # one): never a half-written graph.
    assert rckg("query", QUERY, "--format", "csv", env=served).stdout.splitlines() == EXPECTED
    assert (Path(served["RCKG_STORE"]) / "versions" / current(served) / READY).exists()
    if when == "writing":
        assert current(served) == before  # killed while filling the new version
    again = rckg("build", env=served)  # the next build clears what the killed one left
    assert again.returncode == 0
    versions = Path(served["RCKG_STORE"]) / "versions"
    assert all((v / READY).exists() for v in versions.iterdir())


def test_damaged_store_gives_a_clear_error_and_build_recovers(served):
    version = Path(served["RCKG_STORE"]) / "versions" / current(served)
    for table in version.glob("*.sst"):
        with table.open("r+b") as handle:
            handle.truncate(100)
    query = rckg("query", "ASK {}", env=served)
    assert query.returncode == 1
    assert "cannot be opened" in query.stderr and "run 'rckg build'" in query.stderr
    assert "Traceback" not in query.stderr
    serve = rckg("serve", "--port", "0", env=served, timeout=60)
    assert serve.returncode == 1 and "cannot be opened" in serve.stderr
    assert rckg("build", env=served).returncode == 0
    assert rckg("query", QUERY, "--format", "csv", env=served).stdout.splitlines() == EXPECTED


def test_missing_version_folder_gives_a_clear_error(served):
    shutil.rmtree(Path(served["RCKG_STORE"]) / "versions" / current(served))
    query = rckg("query", "ASK {}", env=served)
    assert query.returncode == 1 and "run 'rckg build'" in query.stderr
    assert rckg("build", env=served).returncode == 0
    assert rckg("query", QUERY, "--format", "csv", env=served).stdout.splitlines() == EXPECTED


def test_a_failing_load_leaves_nothing_half_written(served):
    """Injected: the store raises as RocksDB does on a full disk, halfway through loading."""
    directory = StoreDirectory(Path(served["RCKG_STORE"]))
    before = current(served)

    def load(store) -> None:  # type: ignore[no-untyped-def]
        raise RuntimeError("IO error: No space left on device: While appending to file")

    with pytest.raises(StoreError, match="No space left on device") as caught:
        directory.write_version(load, {})
    assert "unchanged" in str(caught.value)
    assert current(served) == before
    assert [v.name for v in directory.versions.iterdir()] == [before]


@contextlib.contextmanager
def mounted(*commands: list[str], target: Path) -> Iterator[None]:
    """Run mount commands on `target` (root only), and unmount afterwards."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        message = "mounting a tmpfs or a read-only bind needs root and mount"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    for command in commands:
        subprocess.run(command, check=True)
    try:
        yield
    finally:
        subprocess.run(["umount", str(target)], check=False)


def test_full_disk(tmp_path):
    """A real tmpfs with room for one build: the second build fails cleanly."""
    disk = tmp_path / "disk"
    disk.mkdir()
    with mounted(["mount", "-t", "tmpfs", "-o", "size=2600k", "tmpfs", str(disk)], target=disk):
        env = environment(disk / "store")
        assert rckg("build", env=env).returncode == 0
        before = current(env)
        full = rckg("build", "--full", env=env)
        assert full.returncode == 1
        assert "No space left on device" in full.stderr and "unchanged" in full.stderr
        assert "Traceback" not in full.stderr
        assert current(env) == before
        assert rckg("query", QUERY, "--format", "csv", env=env).stdout.splitlines() == EXPECTED
        assert [v.name for v in (disk / "store" / "versions").iterdir()] == [before]


def test_read_only_store_folder(served):
    store = Path(served["RCKG_STORE"])
    with mounted(["mount", "--bind", str(store), str(store)],
                 ["mount", "-o", "remount,ro,bind", str(store)], target=store):
        before = current(served)
        failed = rckg("build", "--full", env=served)
        assert failed.returncode == 1
        assert "Read-only file system" in failed.stderr and "unchanged" in failed.stderr
        assert "Traceback" not in failed.stderr
        assert current(served) == before
        assert rckg("query", QUERY, "--format", "csv", env=served).stdout.splitlines() == EXPECTED


class _FailingStore:
    """A store whose every query fails as RocksDB does on a damaged file."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def query(self, *args: object, **kwargs: object) -> object:
        raise self.error


@pytest.mark.parametrize("error", [
    RuntimeError("Corruption: block checksum mismatch: stored = 1, computed = 2  in "
                 "/srv/rckg/store/versions/v1/000009.sst offset 67 size 1074"),
    RuntimeError("IO error: No such file or directory: While open a file for random read: "
                 "/srv/rckg/store/versions/v1/000012.sst"),
    OSError("/srv/rckg/store/versions/v1/LOCK: permission denied"),
    ValueError("cannot read /srv/rckg/store/versions/v1/x"),
], ids=["corruption", "io-error", "os-error", "other"])
def test_a_damaged_store_never_shows_a_path_to_the_client(error):
    from graph.store.query_worker import QueryRequest, run

    request = QueryRequest("ASK {}", True, None, None, "application/sparql-results+json",
                           None, 10)
    answer = run(_FailingStore(error), request)  # type: ignore[arg-type]
    assert answer.status == "error"
    assert "/srv" not in answer.message and ".sst" not in answer.message


class _Planted:
    """Unpickling this writes a marker file: proof that loading ran code."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.write_text, (Path(self.marker), "ran"))


def test_a_planted_projection_file_cannot_run_code(tmp_path):
    """Whoever can write the store folder must not run code in the server: the saved
    projection is JSON, read field by field, never unpickled."""
    import pickle

    from graph.views import projection

    marker = tmp_path / "marker"
    for name in (projection.SAVED, "projection.pickle"):
        planted = tmp_path / name
        planted.write_bytes(pickle.dumps((1, "http://b/", "v1", _Planted(str(marker)))))
        assert projection.read(planted, "http://b/", "v1") is None
    assert not marker.exists()


def test_overlapping_builds_write_separate_temporary_cache_files(tmp_path, monkeypatch):
    """Two builds caching the same source at once must not share one temporary file."""
    import threading
    from types import SimpleNamespace

    from rdflib import Graph

    from graph.builder.cache import SourceCache

    targets: list[str] = []
    both = threading.Barrier(2)

    def serialize(self, destination, **kwargs):  # both write before either renames
        targets.append(str(destination))
        Path(destination).write_text("", encoding="utf-8")
        both.wait(timeout=10)

    monkeypatch.setattr(Graph, "serialize", serialize)
    cache = SourceCache(tmp_path / "cache", "shared")
    text = tmp_path / "a.txt"
    text.write_text("x", encoding="utf-8")
    source = SimpleNamespace(slug="a", text_file=text, facts_file=tmp_path / "a.facts.yaml",
                             stem="a")
    threads = [threading.Thread(target=cache.save, args=(source, Graph())) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(targets) == 2 and targets[0] != targets[1]


def test_a_build_is_on_disk_before_its_marker_and_swap(test_settings, tmp_path, monkeypatch):
    """Every file of a version is fsynced before READY.json is written, READY.json and the
    folder after, and the store folder after the swap of `current`: a power loss cannot
    leave a marked or served build whose data never reached the disk."""
    import pyoxigraph as ox

    from graph.store import embedded as store_module

    synced: list[Path] = []
    real = store_module.sync
    monkeypatch.setattr(store_module, "sync", lambda path: (synced.append(path), real(path)))
    root = tmp_path / "store"
    directory = StoreDirectory(root)

    def load(store: ox.Store) -> None:
        store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.NamedNode("urn:c")))

    name = directory.write_version(load, {})
    version = root / "versions" / name
    marker = synced.index(version / READY)
    data = [p for p in version.rglob("*") if p.is_file() and p.name != READY]
    assert data and all(p in synced[:marker] for p in data)
    assert synced[-1] == root  # the swap
    assert version in synced[marker:]
