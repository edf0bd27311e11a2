"""The one place where rckg reads its configuration: environment variables with defaults.

Every setting is read when asked for, so tests and the command line can change the
environment without reloading modules.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(ValueError):
    """An RCKG_* variable holds a value rckg cannot use."""


REMOTE_PREFIX = "sparql+"  # RCKG_STORE=sparql+URL names a remote SPARQL query endpoint


@dataclass(frozen=True)
class RemoteSettings:
    """A remote SPARQL 1.1 store: its query, update and Graph Store Protocol endpoints."""

    query: str
    update: str | None
    gsp: str | None
    user: str | None
    password: str | None = field(default=None, repr=False)  # never printed in logs


@dataclass(frozen=True)
class Settings:
    """rckg's settings, resolved from the environment."""

    base_iri: str
    store: Path  # the embedded store's folder; with a remote store, where the build cache lives
    seeds: Path
    ontology: Path
    query_timeout: float  # seconds a query may run at most
    max_rows: int  # rows (or triples) a query result may carry at most
    workers: int  # query worker processes
    max_body: int  # bytes a request body may have at most
    cors_origins: tuple[str, ...]  # origins allowed to read responses from a browser
    isolate_workers: bool  # cut query workers off the network (Linux namespaces)
    remote: RemoteSettings | None = None  # a remote SPARQL store instead of the embedded one
    max_response: int = 16 * 1024 * 1024  # bytes a SPARQL answer may have at most
    worker_memory: int = 2 * 1024 ** 3  # bytes of address space a query worker may use
    source_maps: bool = False  # serve the web bundle's source maps (development only)


def _base_iri() -> str:
    value = os.environ.get("RCKG_BASE_IRI", "http://127.0.0.1:8000/")
    return value if value.endswith(("/", "#")) else value + "/"


def _number(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = float(value)
    except ValueError as exc:
        raise ConfigError(f"{name}={value!r} is not a number") from exc
    if number <= 0:
        raise ConfigError(f"{name}={value!r} must be positive")
    return number


def _integer(name: str, default: int) -> int:
    number = _number(name, default)
    if number != int(number):
        raise ConfigError(f"{name}={os.environ[name]!r} must be a whole number")
    return int(number)


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}={os.environ[name]!r} must be 1/true/yes/on or 0/false/no/off")


def _url(name: str, value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ConfigError(f"{name}={value!r} must be an http:// or https:// URL")
    return value


def _optional_url(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return _url(name, value) if value else None


def _store() -> tuple[Path, RemoteSettings | None]:
    """RCKG_STORE: a folder for the embedded store, or sparql+URL for a remote one."""
    value = os.environ.get("RCKG_STORE", "").strip()
    if not value.startswith(REMOTE_PREFIX):
        return Path(value) if value else PROJECT_ROOT / "var" / "store", None
    remote = RemoteSettings(
        query=_url("RCKG_STORE", value.removeprefix(REMOTE_PREFIX)),
        update=_optional_url("RCKG_STORE_UPDATE"),
        gsp=_optional_url("RCKG_STORE_GSP"),
        user=os.environ.get("RCKG_STORE_USER") or None,
        password=os.environ.get("RCKG_STORE_PASSWORD") or None,
    )
    local = os.environ.get("RCKG_STATE", "").strip()
    return (Path(local) if local else PROJECT_ROOT / "var" / "store"), remote


def settings() -> Settings:
    """Read the settings now from the RCKG_* environment variables (see the README)."""
    origins = os.environ.get("RCKG_CORS_ORIGINS", "*")
    store, remote = _store()
    return Settings(
        base_iri=_base_iri(),
        store=store,
        seeds=Path(os.environ.get("RCKG_SEEDS", PROJECT_ROOT / "seeds")),
        ontology=Path(os.environ.get("RCKG_ONTOLOGY", PROJECT_ROOT / "ontology")),
        query_timeout=_number("RCKG_QUERY_TIMEOUT", 10.0),
        max_rows=_integer("RCKG_MAX_ROWS", 10_000),
        workers=_integer("RCKG_WORKERS", 4),
        max_body=_integer("RCKG_MAX_BODY", 1_048_576),
        cors_origins=tuple(o.strip() for o in origins.split(",") if o.strip()),
        isolate_workers=_flag("RCKG_ISOLATE_WORKERS", True),
        remote=remote,
        max_response=_integer("RCKG_MAX_RESPONSE", 16 * 1024 * 1024),
        worker_memory=_integer("RCKG_WORKER_MEMORY", 2 * 1024 ** 3),
        source_maps=_flag("RCKG_SOURCE_MAPS", False),
    )
