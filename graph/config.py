"""The one place where rckg reads its configuration: environment variables with defaults.

Every setting is read when asked for, so tests and the command line can change the
environment without reloading modules.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """rckg's settings, resolved from the environment."""

    base_iri: str
    store: Path
    seeds: Path
    ontology: Path

    @property
    def graph_prefix(self) -> str:
        return f"{self.base_iri}graph/"


def _base_iri() -> str:
    value = os.environ.get("RCKG_BASE_IRI", "http://127.0.0.1:8000/")
    return value if value.endswith(("/", "#")) else value + "/"


def settings() -> Settings:
    """Read the settings now (RCKG_BASE_IRI, RCKG_STORE, RCKG_SEEDS, RCKG_ONTOLOGY)."""
    return Settings(
        base_iri=_base_iri(),
        store=Path(os.environ.get("RCKG_STORE", PROJECT_ROOT / "var" / "store")),
        seeds=Path(os.environ.get("RCKG_SEEDS", PROJECT_ROOT / "seeds")),
        ontology=Path(os.environ.get("RCKG_ONTOLOGY", PROJECT_ROOT / "ontology")),
    )
