"""Real SPARQL servers (Oxigraph server, Virtuoso) started and stopped by the tests, on loopback.

Why: issue 10 runs the same API suite against remote stores, and kills a store mid-run to
see 503s and recovery. Each server gets a fresh data directory, free 127.0.0.1 ports, a
query timeout, and is always stopped (and killed if it will not stop), even if a test fails.

    with oxigraph_server(tmp_path) as store:    # or virtuoso_server(tmp_path)
        httpx.post(store.update, data={"update": "..."}, auth=store.auth)
        store.kill()      # like a crash: SIGKILL, the data stays in the workdir
        store.restart()   # same ports, same data; waits until it answers again

Facts these launchers rely on are in the docstrings of the two classes below.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

LOOPBACK = "127.0.0.1"
#: Server-side query limit: Oxigraph ``--timeout-s``, Virtuoso ``MaxQueryExecutionTime``.
QUERY_TIMEOUT_S = 10
#: How long a (re)start may take before the launcher gives up (Virtuoso needs ~4-5 s).
STARTUP_S = 60.0
#: How long a graceful stop (SIGTERM) may take before SIGKILL (Virtuoso needs ~1.5 s).
STOP_S = 15.0
#: Virtuoso's ResultSetMaxRows: it cuts results there SILENTLY (default 10000, too few for a
#: dump of the graph); 10M let one runaway SELECT outlive MaxQueryExecutionTime for minutes.
VIRTUOSO_MAX_ROWS = 1_000_000
#: The Virtuoso account rckg uses; it has only the SPARQL_UPDATE role.
VIRTUOSO_USER = "rckg"


@dataclass(eq=False)
class RemoteStore:
    """Where a running server answers, as rckg's RCKG_STORE* settings want it.

    ``pid`` is updated on ``restart()``; the object stays the same, so a test may hold it.
    """

    query: str
    update: str
    gsp: str | None
    user: str | None
    password: str | None = field(repr=False)
    kind: str
    pid: int
    server: StoreServer | None = field(default=None, repr=False)

    @property
    def auth(self) -> httpx.Auth | None:
        """Digest auth for Virtuoso's /sparql-auth and /sparql-graph-crud-auth; else none."""
        if self.user is None or self.password is None:
            return None
        return httpx.DigestAuth(self.user, self.password)

    @property
    def env(self) -> dict[str, str]:
        """The RCKG_STORE* variables that point rckg at this server."""
        env = {"RCKG_STORE": "sparql+" + self.query, "RCKG_STORE_UPDATE": self.update}
        if self.gsp:
            env["RCKG_STORE_GSP"] = self.gsp
        if self.user:
            env["RCKG_STORE_USER"] = self.user
        if self.password:
            env["RCKG_STORE_PASSWORD"] = self.password
        return env

    def _server(self) -> StoreServer:
        if self.server is None:
            raise RuntimeError("this RemoteStore has no server attached")
        return self.server

    def kill(self) -> None:
        """SIGKILL the server, as a crash would; its data stays for restart()."""
        self._server().kill()

    def stop(self) -> None:
        """Stop the server gracefully (SIGTERM, then SIGKILL after STOP_S)."""
        self._server().stop()

    def restart(self) -> None:
        """Start the same server again (same ports, same data) and wait until it answers."""
        self._server().restart()

    def pause(self) -> None:
        """SIGSTOP: the port still accepts connections but nothing answers (a 'slow' store)."""
        self._server().pause()

    def resume(self) -> None:
        """SIGCONT after pause()."""
        self._server().resume()


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (the OS picks it; a race is retried by start)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` CLI from the PyPI package ``oxigraph``: beside this Python, else PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("oxigraph")


def virtuoso_binary() -> str | None:
    """``virtuoso-t`` from Debian's virtuoso-opensource (installed in /usr/bin)."""
    return shutil.which("virtuoso-t") or _executable("/usr/bin/virtuoso-t")


def isql_binary() -> str | None:
    """Virtuoso's SQL client; Debian renames it ``isql-vt`` (``isql`` is unixODBC's)."""
    return shutil.which("isql-vt") or _executable("/usr/bin/isql-vt")


def _executable(path: str) -> str | None:
    return path if os.access(path, os.X_OK) else None


BINARIES = {"oxigraph": oxigraph_binary, "virtuoso": virtuoso_binary}
INSTALL_HINT = {
    "oxigraph": "pip install oxigraph (the test extra)",
    "virtuoso": "make system-deps (Debian package virtuoso-opensource)",
}


def require_binary(kind: str) -> str:
    """The server's binary, or skip the test, or fail it under CI=true.

    Why fail in CI: a CI run that silently skips the remote stores would claim a pass it
    never earned; outside CI a developer without the binary still gets the rest of the suite.
    """
    import pytest

    binary = BINARIES[kind]()
    if binary is not None:
        return binary
    reason = f"{kind} server binary not found; install it with: {INSTALL_HINT[kind]}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason + " (CI=true: a missing store server is a failure)")
    pytest.skip(reason)


_RUNNING: set[StoreServer] = set()


@atexit.register
def _kill_leftovers() -> None:
    """Why: a test process that dies outside a with-block must not leave servers behind."""
    for server in list(_RUNNING):
        with contextlib.suppress(Exception):
            server.kill()


class StoreServer:
    """One server process with its data in ``workdir``: start, stop, kill, restart, pause."""

    kind = ""

    def __init__(self, workdir: Path, *, timeout_s: int = QUERY_TIMEOUT_S) -> None:
        self.workdir = Path(workdir).resolve()
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.timeout_s = timeout_s
        self.log_path = self.workdir / f"{self.kind}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.store: RemoteStore | None = None
        self.started_in_s = 0.0
        self._log_offset = 0

    def _binary(self) -> str:
        binary = BINARIES[self.kind]()
        if binary is None:
            raise FileNotFoundError(f"the {self.kind} server binary is not installed: "
                                    + INSTALL_HINT[self.kind])
        return binary

    # Subclasses fill these in.

    def _pick_ports(self) -> None:
        raise NotImplementedError

    def _command(self, binary: str) -> list[str]:
        raise NotImplementedError

    def _endpoints(self) -> RemoteStore:
        raise NotImplementedError

    def _after_start(self, fresh: bool) -> None:
        """Hook for first-start setup (accounts); ``fresh`` is True on a new database."""

    def _is_fresh(self) -> bool:
        return True

    # The life cycle.
    def start(self) -> RemoteStore:
        """Start on new free ports, wait until the query endpoint answers ASK {}."""
        binary = self._binary()
        fresh = self._is_fresh()
        for attempt in range(3):
            self._pick_ports()
            try:
                self._spawn(binary)
                break
            except _PortTaken:
                if attempt == 2:
                    raise
        self._after_start(fresh)
        store = self._endpoints()
        store.pid = self.pid
        store.server = self
        self.store = store
        return store

    def restart(self) -> RemoteStore:
        """Start again on the same ports with the same data (after kill() or stop())."""
        if self.store is None:
            return self.start()
        if self.running:
            self.stop()
        self._spawn(self._binary(), retries_on_port=True)
        self.store.pid = self.pid
        return self.store

    def stop(self) -> None:
        """SIGTERM the process group, wait up to STOP_S, then SIGKILL."""
        proc = self.process
        if proc is None:
            return
        if proc.poll() is None:
            self._signal(signal.SIGCONT)  # a paused process cannot handle SIGTERM
            self._signal(signal.SIGTERM)
            try:
                proc.wait(STOP_S)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                proc.wait(STOP_S)
        self._reap()

    def kill(self) -> None:
        """SIGKILL the process group now, as a crash would; the data directory is kept."""
        proc = self.process
        if proc is None:
            return
        if proc.poll() is None:
            self._signal(signal.SIGKILL)
            proc.wait(STOP_S)
        self._reap()

    def pause(self) -> None:
        """SIGSTOP: connections are still accepted by the kernel, but no answer comes."""
        self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        self._signal(signal.SIGCONT)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self) -> int:
        if self.process is None:
            raise RuntimeError(f"{self.kind} server is not running")
        return self.process.pid

    def log_tail(self, lines: int = 30) -> str:
        """The end of what the server logged since its last (re)start, for failure messages."""
        try:
            with self.log_path.open("rb") as f:
                f.seek(self._log_offset)
                text = f.read().decode(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    # Internals.
    def _spawn(self, binary: str, *, retries_on_port: bool = False) -> None:
        begun = time.monotonic()
        deadline = begun + STARTUP_S
        while True:
            log = self.log_path.open("ab")
            self._log_offset = log.tell()
            try:
                self.process = subprocess.Popen(
                    self._command(binary), cwd=self.workdir, stdin=subprocess.DEVNULL,
                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            finally:
                log.close()
            _RUNNING.add(self)
            try:
                self._wait_ready(deadline)
            except _PortTaken:
                # After a kill the old socket may linger a moment; on restart keep the port.
                if retries_on_port and time.monotonic() < deadline:
                    time.sleep(0.5)
                    continue
                raise
            self.started_in_s = time.monotonic() - begun
            return

    def _wait_ready(self, deadline: float) -> None:
        url = self._ready_url()
        with httpx.Client(timeout=2.0, trust_env=False) as client:
            while time.monotonic() < deadline:
                assert self.process is not None
                if self.process.poll() is not None:
                    self._reap()
                    tail = self.log_tail()
                    if any(sign in tail.lower() for sign in BIND_FAILURES):
                        raise _PortTaken(tail)
                    raise RuntimeError(f"{self.kind} server exited at startup:\n{tail}")
                try:
                    if client.get(url, params={"query": "ASK {}"}).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"{self.kind} server did not answer within {STARTUP_S} s:\n"
                           + self.log_tail())

    def _ready_url(self) -> str:
        return self._endpoints().query

    def _signal(self, sig: signal.Signals) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)

    def _reap(self) -> None:
        _RUNNING.discard(self)


#: What each server logs when its port is taken (Oxigraph; Virtuoso SQL and HTTP ports).
BIND_FAILURES = ("address already in use", "failed to start listening", "failed http listen")


class _PortTaken(RuntimeError):
    """The server could not bind its port (another process took it between pick and bind)."""


class OxigraphServer(StoreServer):
    """``oxigraph serve`` from the PyPI package ``oxigraph`` (0.5.x).

    Facts (oxigraph 0.5.13, measured; see the issue-10 notes for the figures):
    - endpoints: /query (GET, POST form or application/sparql-query), /update, /store (Graph
      Store Protocol, ?graph=IRI or ?default); no authentication at all.
    - ``--timeout-s N`` limits queries only (not updates). Quirk: the 200 header and the start
      of the body are sent before the limit hits, so the body ends with the plain text
      "The SPARQL operation has been cancelled" (invalid JSON/CSV, clean chunked end). The
      query keeps running after the client disconnects, until this limit.
    - the default graph is its own graph; ``--union-default-graph`` (or the query parameter
      ``union-default-graph``) makes it the union of all graphs, as the embedded store does.
    - one update request is one transaction: a failing operation rolls back the earlier ones,
      and readers see the old or the new state, never a mix. MOVE is slow (~32 s per 100k).
    - starts in ~0.25 s; SIGTERM stops it at once; SIGKILL loses no committed update.
    """

    kind = "oxigraph"

    def __init__(self, workdir: Path, *, timeout_s: int = QUERY_TIMEOUT_S,
                 union_default_graph: bool = False) -> None:
        super().__init__(workdir, timeout_s=timeout_s)
        self.union_default_graph = union_default_graph
        self.port = 0

    def _pick_ports(self) -> None:
        self.port = free_port()

    def _command(self, binary: str) -> list[str]:
        cmd = [binary, "serve", "--location", str(self.workdir / "db"),
               "--bind", f"{LOOPBACK}:{self.port}", "--timeout-s", str(self.timeout_s)]
        if self.union_default_graph:
            cmd.append("--union-default-graph")
        return cmd

    def _endpoints(self) -> RemoteStore:
        base = f"http://{LOOPBACK}:{self.port}"
        return RemoteStore(query=f"{base}/query", update=f"{base}/update", gsp=f"{base}/store",
                           user=None, password=None, kind=self.kind, pid=0)


class VirtuosoServer(StoreServer):
    """``virtuoso-t`` (Debian virtuoso-opensource 7.2.5) with a generated virtuoso.ini.

    Facts (measured; see the issue-10 notes for the figures):
    - endpoints: /sparql (anonymous, read-only: an update there is a 500 "SR186 No
      permission"), /sparql-auth (digest auth, realm "SPARQL"), /sparql-graph-crud-auth
      (Graph Store Protocol, digest; ?graph= or ?graph-uri=), /sparql-graph-crud (anonymous).
      Send queries as a form (query=) or GET: a POST of application/sparql-query hangs.
    - accounts: a new database has dba/dba; the launcher sets a random dba password and
      creates VIRTUOSO_USER (random password, role SPARQL_UPDATE: enough for INSERT, DELETE,
      DROP, MOVE, COPY and GSP writes), via isql-vt on the loopback SQL port.
    - the default graph of /sparql is the union of ALL graphs, Virtuoso's own included
      (virtrdf#, ~2.5k triples); default-graph-uri/named-graph-uri restrict it.
    - one update request is not all-or-nothing: an operation failing at run time leaves the
      earlier ones committed (a parse error or a timeout applies nothing).
    - MaxQueryExecutionTime also limits updates; over it: 500 "SR171 Transaction timed out".
      The ``timeout`` request parameter instead returns 200 with INCOMPLETE results, marked
      only by the header X-SQL-State: S1TAT. ResultSetMaxRows cuts results silently.
    - INSERT DATA: no blank nodes; at most ~4990 triples per GRAPH block; < 10 MB a request.
    - ~4-5 s to start on a new database, ~3.5-4.5 s to restart; SIGTERM: quick shutdown;
      after SIGKILL the stale lock file does not block restart and the log is replayed.
    """

    kind = "virtuoso"

    def __init__(self, workdir: Path, *, timeout_s: int = QUERY_TIMEOUT_S,
                 buffers: int = 10000, max_rows: int = VIRTUOSO_MAX_ROWS) -> None:
        super().__init__(workdir, timeout_s=timeout_s)
        self.buffers = buffers
        self.max_rows = max_rows
        self.sql_port = 0
        self.http_port = 0
        self.ini_path = self.workdir / "virtuoso.ini"
        self.password = secrets.token_hex(12)
        self.dba_password = secrets.token_hex(12)

    def _is_fresh(self) -> bool:
        return not (self.workdir / "virtuoso.db").exists()

    def _pick_ports(self) -> None:
        self.sql_port = free_port()
        self.http_port = free_port()
        while self.http_port == self.sql_port:
            self.http_port = free_port()

    def _command(self, binary: str) -> list[str]:
        self.ini_path.write_text(self.ini())
        return [binary, "+foreground", "+configfile", str(self.ini_path)]

    def ini(self) -> str:
        """The configuration: every file in workdir, loopback ports, small buffers."""
        d = self.workdir
        (d / "vsp").mkdir(exist_ok=True)
        return f"""\
[Database]
DatabaseFile       = {d}/virtuoso.db
ErrorLogFile       = {d}/virtuoso-errors.log
LockFile           = {d}/virtuoso.lck
TransactionFile    = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {d}/virtuoso-temp.db
TransactionFile    = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = {LOOPBACK}:{self.sql_port}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 20
CheckpointInterval   = 60
O_DIRECT             = 0
CaseMode             = 2
DirsAllowed          = ., {d}
NumberOfBuffers      = {self.buffers}
MaxDirtyBuffers      = {self.buffers * 3 // 4}
MaxQueryMem          = 256M
ThreadsPerQuery      = 2
AsyncQueueMaxThreads = 4
AllowOSCalls         = 0

[HTTPServer]
ServerPort           = {LOOPBACK}:{self.http_port}
ServerRoot           = {d}/vsp
MaxClientConnections = 20
ServerThreads        = 20
MaxKeepAlives        = 10
KeepAliveTimeout     = 10
Charset              = UTF-8
EnabledGzipContent   = 0

[SPARQL]
ResultSetMaxRows           = {self.max_rows}
MaxSortedTopRows           = {self.max_rows}
MaxConstructTriples        = {self.max_rows}
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = {self.timeout_s}
"""

    def _after_start(self, fresh: bool) -> None:
        """On a new database: a random dba password and an update-only SPARQL account."""
        if not fresh:
            return
        deadline = time.monotonic() + 10  # HTTP can come up a moment before the SQL port
        while True:
            try:
                self.isql("select 1;", password="dba")
                break
            except RuntimeError as error:
                if "Connect failed" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        self.isql(
            f"DB.DBA.USER_CREATE('{VIRTUOSO_USER}', '{self.password}'); "
            f'GRANT SPARQL_UPDATE TO "{VIRTUOSO_USER}"; '
            f"USER_CHANGE_PASSWORD('dba', 'dba', '{self.dba_password}'); checkpoint;",
            password="dba")

    def isql(self, sql: str, *, password: str | None = None) -> str:
        """Run SQL as dba through isql-vt; raise on a login or SQL error."""
        binary = isql_binary()
        if binary is None:
            raise FileNotFoundError("isql-vt not found: " + INSTALL_HINT["virtuoso"])
        out = subprocess.run(
            [binary, f"{LOOPBACK}:{self.sql_port}", "dba", password or self.dba_password,
             "BANNER=OFF", "VERBOSE=OFF", "ERRORS=STDOUT", f"EXEC={sql}"],
            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL, check=False)
        text = out.stdout + out.stderr
        if out.returncode != 0 or "*** Error" in text:
            raise RuntimeError(f"isql-vt failed ({out.returncode}): {text.strip()}")
        return text

    def _endpoints(self) -> RemoteStore:
        base = f"http://{LOOPBACK}:{self.http_port}"
        return RemoteStore(query=f"{base}/sparql", update=f"{base}/sparql-auth",
                           gsp=f"{base}/sparql-graph-crud-auth", user=VIRTUOSO_USER,
                           password=self.password, kind=self.kind, pid=0)


SERVERS: dict[str, type[StoreServer]] = {"oxigraph": OxigraphServer, "virtuoso": VirtuosoServer}


@contextlib.contextmanager
def running(server: StoreServer) -> Iterator[RemoteStore]:
    """Start ``server``, yield its endpoints, and always stop it (kill if it won't stop)."""
    try:
        yield server.start()
    finally:
        try:
            server.stop()
        finally:
            server.kill()


@contextlib.contextmanager
def oxigraph_server(workdir: Path, *, timeout_s: int = QUERY_TIMEOUT_S,
                    union_default_graph: bool = False) -> Iterator[RemoteStore]:
    """A fresh Oxigraph server with its data in ``workdir``."""
    with running(OxigraphServer(workdir, timeout_s=timeout_s,
                                union_default_graph=union_default_graph)) as store:
        yield store


@contextlib.contextmanager
def virtuoso_server(workdir: Path, *, timeout_s: int = QUERY_TIMEOUT_S, buffers: int = 10000,
                    max_rows: int = VIRTUOSO_MAX_ROWS) -> Iterator[RemoteStore]:
    """A fresh Virtuoso with its database in ``workdir`` and an update-only account."""
    with running(VirtuosoServer(workdir, timeout_s=timeout_s, buffers=buffers,
                                max_rows=max_rows)) as store:
        yield store


@contextlib.contextmanager
def store_server(kind: str, workdir: Path) -> Iterator[RemoteStore]:
    """By name, for parametrised fixtures: ``store_server("virtuoso", tmp_path)``."""
    with running(SERVERS[kind](workdir)) as store:
        yield store
