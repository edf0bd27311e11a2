"""The import contracts in pyproject.toml hold, and they would catch a stage importing upwards
or an import circle (each checked on a copy of the code with one such import added)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph.config import PROJECT_ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=root, capture_output=True,
                          text=True, timeout=120, env={"PATH": "/usr/bin:/bin",
                                                       "PYTHONPATH": str(root)})


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    """The packages and the contracts, copied so an import can be added without harm."""
    for name in ("graph", "api", "bench"):
        shutil.copytree(PROJECT_ROOT / name, tmp_path / name,
                        ignore=shutil.ignore_patterns("__pycache__", "static", "web"))
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path)
    shutil.copy(PROJECT_ROOT / "rckg.py", tmp_path)
    return tmp_path


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")


def test_contracts_are_kept() -> None:
    result = _lint(PROJECT_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("graph/store/embedded.py", "from graph.views import projection",
     "graph's stages import only the stages below them"),
    ("graph/sources/seeds.py", "from graph.builder import rdf",
     "graph's stages import only the stages below them"),
    ("graph/views/lookups.py", "import api.deps", "api and bench use graph; graph imports neither"),
    ("api/deps.py", "import rckg", "No package imports the command line (rckg.py)"),
    ("api/examples.py", "from api.app import create_app",
     "No import circle between sibling modules"),
])
def test_a_back_import_breaks_a_contract(copy: Path, module: str, line: str,
                                         contract: str) -> None:
    _append(copy / module, line)
    result = _lint(copy)
    assert result.returncode != 0
    assert f"{contract} BROKEN" in result.stdout, result.stdout
