"""HTTP to a remote SPARQL 1.1 store: the query, update and Graph Store Protocol requests rckg
sends, with their time limits, authentication and errors.

Every request has a deadline: rckg cannot stop work inside a remote store, so it gives up its
own request at the limit (and tells the store the limit where the store takes one as a
parameter). Connection trouble and 5xx answers are StoreUnavailable (the API's 503); the
store's 4xx answers are RemoteRefused with the store's own message, shortened.
"""

from __future__ import annotations

import time
from collections.abc import Generator, Iterable
from urllib.parse import urlencode

import httpx

from graph.config import RemoteSettings
from graph.errors import StoreError

CONNECT_TIMEOUT = 3.0  # seconds to open a connection: a store that is down fails fast
MESSAGE_LIMIT = 400  # characters of a store's error message passed on
FORM = "application/x-www-form-urlencoded"


class StoreUnavailable(StoreError):
    """The remote store cannot be reached, failed, or did not answer in time."""


class StoreTimeout(StoreUnavailable):
    """The remote store did not answer within the time limit."""


class RemoteRefused(StoreError):
    """The remote store refused a request (4xx), e.g. a query it cannot parse."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class ChallengeAuth(httpx.Auth):
    """Basic or digest authentication, whichever the store's 401 challenge asks for (Virtuoso
    wants digest, Fuseki and GraphDB usually basic); remembered after the first challenge."""

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        if self._scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        challenge = response.headers.get("www-authenticate", "").split(" ", 1)[0].lower()
        if challenge not in ("digest", "basic"):
            return
        self._scheme = challenge
        yield from (self._digest if challenge == "digest" else self._basic).auth_flow(request)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT] + "…"


class SparqlHttp:
    """One remote store's endpoints, shared by all threads of a process (httpx pools
    connections and is thread-safe)."""

    def __init__(self, remote: RemoteSettings, max_connections: int = 16) -> None:
        self.remote = remote
        auth = (ChallengeAuth(remote.user, remote.password or "")
                if remote.user is not None else None)
        limits = httpx.Limits(max_connections=max_connections,
                              max_keepalive_connections=max_connections)
        # Reads go to the query endpoint without credentials: a store's anonymous user is the
        # least privileged one (Virtuoso's SPARQL user cannot write or call its SQL functions).
        self._reader = httpx.Client(limits=limits, trust_env=False)
        self._writer = httpx.Client(auth=auth, limits=limits, trust_env=False)

    def close(self) -> None:
        self._reader.close()
        self._writer.close()

    def query(self, sparql: str, accept: str, timeout: float,
              default_graphs: Iterable[str] | None = None,
              named_graphs: Iterable[str] | None = None) -> tuple[str, bytes]:
        """POST a query (form-encoded); returns the answer's media type and body."""
        form: list[tuple[str, str]] = [("query", sparql)]
        form += [("default-graph-uri", g) for g in default_graphs or ()]
        form += [("named-graph-uri", g) for g in named_graphs or ()]
        response, body = self._send(self._reader, "POST", self.remote.query, timeout,
                                    content=urlencode(form).encode("ascii"),
                                    headers={"Accept": accept, "Content-Type": FORM})
        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        return media_type, body

    def update(self, sparql: str, timeout: float) -> None:
        """Send one SPARQL Update request, which the store applies as one unit."""
        if not self.remote.update:
            raise StoreError("the remote store has no update endpoint: set RCKG_STORE_UPDATE")
        self._send(self._writer, "POST", self.remote.update, timeout,
                   content=sparql.encode("utf-8"),
                   headers={"Content-Type": "application/sparql-update; charset=utf-8"})

    def post_graph(self, graph: str, ntriples: bytes, timeout: float) -> None:
        """Add N-Triples to `graph` through the Graph Store Protocol (POST merges)."""
        if not self.remote.gsp:
            raise StoreError("the remote store has no Graph Store Protocol endpoint: "
                             "set RCKG_STORE_GSP")
        self._send(self._writer, "POST", self.remote.gsp, timeout, params={"graph": graph},
                   content=ntriples, headers={"Content-Type": "application/n-triples"})

    def _send(self, client: httpx.Client, method: str, url: str, timeout: float,
              **kwargs: object) -> tuple[httpx.Response, bytes]:
        """The store's answer and its body, read within `timeout` seconds in all (httpx's own
        limits are per read: a store streaming a huge answer slowly would hold on forever)."""
        deadline = time.monotonic() + timeout
        limit = httpx.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT))
        chunks: list[bytes] = []
        try:
            with client.stream(method, url, timeout=limit, **kwargs) as response:  # type: ignore[arg-type]
                for chunk in response.iter_bytes():
                    chunks.append(chunk)
                    if time.monotonic() > deadline:
                        raise StoreTimeout(f"the remote store did not answer within {timeout:g} s")
        except httpx.TimeoutException as exc:
            raise StoreTimeout(f"the remote store did not answer within {timeout:g} s") from exc
        except httpx.HTTPError as exc:
            raise StoreUnavailable(f"the remote store cannot be reached ({type(exc).__name__})"
                                   ) from exc
        body = b"".join(chunks)
        text = body[:4 * MESSAGE_LIMIT].decode("utf-8", errors="replace")
        if response.status_code >= 500:
            raise StoreUnavailable(f"the remote store failed (HTTP {response.status_code}): "
                                   f"{_short(text)}")
        if response.status_code >= 400:
            raise RemoteRefused(response.status_code, _short(text))
        state = response.headers.get("x-sql-state")
        if state:  # Virtuoso's mark of a partial answer ("anytime query"): never pass it on
            raise StoreUnavailable(f"the remote store returned an incomplete answer ({state})")
        return response, body
