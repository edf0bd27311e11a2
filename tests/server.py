"""Start `rckg serve` on a free loopback port for a test, and stop it afterwards."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from graph.config import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(env: dict[str, str], *args: str, wait: float = 60.0) -> Iterator[str]:
    """Yield the base URL of a server started with `rckg serve ARGS` under `env`."""
    port = free_port()
    log = Path(env.get("RCKG_TEST_LOG", os.devnull))
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, str(PROJECT_ROOT / "rckg.py"), "serve", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning", *args],
            env={**os.environ, **env}, cwd=PROJECT_ROOT, stdout=out, stderr=out,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"rckg serve exited with {process.returncode}")
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("rckg serve did not become ready")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def children(pid: int) -> set[int]:
    """Process ids whose parent is `pid` (read from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found
