"""A lean HTTP/1.1 keep-alive client for the side-by-side benchmark.

bench.load drives rckg with httpx, which costs the client ~0.3 ms of CPU per request. Here the
client shares two cores with servers answering in well under a millisecond (Oxigraph, the
floor), so that cost would cap and skew the very figures compared. This client sends bytes
prepared in advance and reads only the status, the headers it needs and the body (by length
or chunks): a few tens of microseconds per request, the same for every server measured.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from bench.load import check_loopback, percentile


@dataclass(frozen=True)
class Request:
    """One request, encoded once; `label` names it in error reports."""

    raw: bytes
    label: str


def request(url: str, path: str, params: Sequence[tuple[str, str]] = (),
            accept: str = "application/json", label: str = "") -> Request:
    """A GET of `path` (with `params`) on the loopback server at `url`."""
    check_loopback(url)
    parts = urlsplit(url)
    target = path + ("?" + urlencode(list(params)) if params else "")
    head = (f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: {accept}\r\n"
            f"User-Agent: rckg-bench\r\n\r\n")
    return Request(head.encode("ascii"), label or path)


class HttpError(Exception):
    """A malformed answer, a closed connection or a status other than 2xx."""


class Connection:
    """One keep-alive connection; reconnects when the server closes it."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(
                self.host, self.port, limit=2**24)
        return self._reader, self._writer

    async def send(self, req: Request) -> tuple[int, bytes]:
        reader, writer = await self._open()
        try:
            writer.write(req.raw)
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip().lower()
            if "content-length" in headers:
                body = await reader.readexactly(int(headers["content-length"]))
            elif headers.get("transfer-encoding") == "chunked":
                body = await _chunks(reader)
            else:
                body = await reader.read()
                headers["connection"] = "close"
        except (OSError, EOFError, ValueError, IndexError, asyncio.IncompleteReadError,
                asyncio.LimitOverrunError) as exc:
            await self.close()
            raise HttpError(f"{type(exc).__name__}: {exc}") from exc
        if headers.get("connection") == "close":
            await self.close()
        return status, body

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
        self._reader = self._writer = None


async def _chunks(reader: asyncio.StreamReader) -> bytes:
    body = bytearray()
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return bytes(body)
        body += await reader.readexactly(size)
        await reader.readexactly(2)


@dataclass
class Sample:
    """Latencies (seconds) of the requests that succeeded, errors, and the time it took."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str | None = None
    elapsed: float = 0.0

    def fail(self, message: str) -> None:
        self.errors += 1
        self.first_error = self.first_error or message[:300]

    def figures(self) -> dict[str, float | int | str | None]:
        ordered = sorted(self.latencies)
        p50, p95 = percentile(ordered, 50), percentile(ordered, 95)
        return {
            "requests": len(ordered),
            "errors": self.errors,
            "p50_ms": None if p50 is None else round(p50 * 1000, 3),
            "p95_ms": None if p95 is None else round(p95 * 1000, 3),
            "rps": round(len(ordered) / self.elapsed, 1) if self.elapsed > 0 else None,
            "first_error": self.first_error,
        }


async def _one(conn: Connection, req: Request, timeout: float, sample: Sample) -> bool:
    started = time.perf_counter()
    try:
        status, body = await asyncio.wait_for(conn.send(req), timeout)
    except (HttpError, TimeoutError) as exc:
        await conn.close()
        sample.fail(f"{req.label}: {type(exc).__name__} {exc}")
        return False
    if not 200 <= status < 300:
        sample.fail(f"{req.label}: HTTP {status} {body[:200]!r}")
        return False
    sample.latencies.append(time.perf_counter() - started)
    return True


async def _sequential(url: str, requests: Iterator[Request], seconds: float, most: int,
                      timeout: float) -> Sample:
    conn, sample = Connection(url), Sample()
    started = time.perf_counter()
    deadline = started + seconds
    try:
        for count, req in enumerate(requests):
            if count >= most or (time.perf_counter() > deadline and sample.latencies):
                break
            await _one(conn, req, timeout, sample)
    finally:
        await conn.close()
    sample.elapsed = time.perf_counter() - started
    return sample


def sequential(url: str, requests: Iterator[Request], seconds: float, most: int = 100_000,
               timeout: float = 120.0) -> Sample:
    """One client, one request at a time, for `seconds` (at least one answer, at most
    `most` requests): the latency a single user sees."""
    return asyncio.run(_sequential(url, requests, seconds, most, timeout))


async def _concurrent(url: str, sequences: list[Iterator[Request]], seconds: float,
                      timeout: float) -> Sample:
    sample = Sample()
    started = time.perf_counter()
    deadline = started + seconds

    async def client(requests: Iterator[Request]) -> None:
        conn = Connection(url)
        try:
            for req in requests:
                if time.perf_counter() > deadline:
                    break
                await _one(conn, req, timeout, sample)
        finally:
            await conn.close()

    await asyncio.gather(*(client(s) for s in sequences))
    sample.elapsed = time.perf_counter() - started
    return sample


def concurrent(url: str, sequences: list[Iterator[Request]], seconds: float,
               timeout: float = 120.0) -> Sample:
    """One client per sequence, all sending at once for `seconds` (requests in flight then
    finish): throughput is answers over the whole time."""
    return asyncio.run(_concurrent(url, sequences, seconds, timeout))


def fetch(url: str, req: Request, timeout: float = 120.0) -> tuple[int, bytes]:
    """One request on a connection of its own: (status, body)."""
    async def run() -> tuple[int, bytes]:
        conn = Connection(url)
        try:
            return await asyncio.wait_for(conn.send(req), timeout)
        finally:
            await conn.close()

    return asyncio.run(run())
