"""Network exports kept as files per graph version, so each is written once and then served
from disk in constant memory (the graph does not change between builds).

A version's exports live in its folder (`<store>/versions/<version>/exports/`) and go with
it when the version is pruned. Each file is written under a temporary name and renamed when
complete, so a reader never sees half a file; at most `KEPT` are kept per version (the
least recently written go first), so clients varying the filters cannot fill the disk.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path

from graph.export import ExportFormat
from graph.export.network import ExportFilter
from graph.views.projection import Projection

FOLDER = "exports"
KEPT = 64  # export files per version
_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


def stored_export(projection: Projection, spec: ExportFormat, flt: ExportFilter,
                  folder: Path) -> Path:
    """The file of this export in `folder` (a version's folder), written now if absent.
    OSError when the folder cannot be written (the caller then writes to memory)."""
    if spec.stream is None:
        raise ValueError(f"{spec.extension} is not written as a stream")
    digest = hashlib.sha256(f"{spec.extension}\n{flt!r}".encode()).hexdigest()[:20]
    target = folder / FOLDER / f"{digest}.{spec.extension}"
    if target.exists():
        return target
    with _lock(target):
        if target.exists():  # another request wrote it meanwhile
            return target
        target.parent.mkdir(exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".writing-", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                spec.stream(projection, flt, out)
            os.replace(name, target)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
    _prune(target.parent, keep=target)
    return target


def _lock(target: Path) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(target, threading.Lock())


def _prune(folder: Path, keep: Path) -> None:
    files = [p for p in folder.iterdir() if not p.name.startswith(".")]
    if len(files) <= KEPT:
        return
    files.sort(key=_written)
    for old in files[:len(files) - KEPT]:
        if old != keep:
            old.unlink(missing_ok=True)


def _written(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed by another request meanwhile
        return 0.0
