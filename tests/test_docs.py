"""The documentation: the site builds with no broken link, the README stays a short start, and
its shell lines work as written against a running server."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from graph.config import PROJECT_ROOT
from tests.conftest import BASE
from tests.server import running_server

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
MKDOCS = Path(sys.executable).with_name("mkdocs")


def _mkdocs(root: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(MKDOCS), "build", "--strict", "--site-dir", str(site)], cwd=root,
                          capture_output=True, text=True, timeout=120)


def test_site_builds_with_no_broken_link(tmp_path: Path) -> None:
    result = _mkdocs(PROJECT_ROOT, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "architecture" / "index.html").is_file()


@pytest.mark.parametrize("link", ["[gone](nowhere.md)", "[gone](sparql.md#no-such-heading)"])
def test_a_broken_link_fails_the_build(tmp_path: Path, link: str) -> None:
    shutil.copytree(PROJECT_ROOT / "docs", tmp_path / "docs")
    shutil.copy(PROJECT_ROOT / "mkdocs.yml", tmp_path)
    index = tmp_path / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + f"\n{link}\n", encoding="utf-8")
    result = _mkdocs(tmp_path, tmp_path / "site")
    assert result.returncode != 0
    assert link.split("(")[1].split("#")[0].rstrip(")") in result.stderr


def test_readme_is_a_short_start() -> None:
    assert len(README.encode("utf-8")) < 12 * 1024
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", README):
        if not target.startswith(("http://", "https://")):
            assert (PROJECT_ROOT / target).exists(), target


SHELL = [block for block in re.findall(r"```sh\n(.*?)```", README, re.S)
         if "make " not in block]  # the two make commands are what CI itself runs


@pytest.fixture(scope="module")
def server(test_settings, built) -> Iterator[str]:
    env = {"RCKG_STORE": str(test_settings.store), "RCKG_BASE_IRI": BASE, "RCKG_WORKERS": "2"}
    with running_server(env) as running:
        yield running.url


@pytest.fixture(scope="module")
def shell(server: str, test_settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder like a fresh checkout's, whose .venv is the one running the tests."""
    folder = tmp_path_factory.mktemp("readme")
    (folder / ".venv").symlink_to(Path(sys.executable).parent.parent)
    return folder


def test_readme_has_shell_examples() -> None:
    assert len(SHELL) >= 4
    assert any(block.lstrip().startswith("rckg export") for block in SHELL)


@pytest.mark.parametrize("block", SHELL, ids=[f"sh-{i + 1}" for i in range(len(SHELL))])
def test_readme_shell_lines_work_as_written(block: str, shell: Path, server: str,
                                            test_settings) -> None:
    script = re.sub(r"(?<!<)http://127\.0\.0\.1:8000", server, block)  # the IRIs in <…> stay
    env = {**os.environ, "RCKG_STORE": str(test_settings.store), "RCKG_BASE_IRI": BASE,
           "PATH": f"{shell / '.venv' / 'bin'}:{os.environ['PATH']}"}
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=shell, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    if "/sparql" in block:
        header, *rows = result.stdout.splitlines()
        assert header.strip() == "fact,certainty,quote" and rows
    if "/ties" in block:
        assert '"ties"' in result.stdout
    if "rckg export" in block:
        written = etree.parse(str(shell / "russia.gexf"))
        namespace = {"g": "http://gexf.net/1.3"}
        assert len(written.findall(".//g:node", namespace)) > 10
        assert len(written.findall(".//g:edge", namespace)) > 10


PYTHON = re.findall(r"```python\n(.*?)```", README, re.S)


@pytest.mark.parametrize("block", PYTHON, ids=[f"py-{i + 1}" for i in range(len(PYTHON))])
def test_readme_python_lines_work_as_written(block: str, test_settings, built) -> None:
    env = {**os.environ, "RCKG_STORE": str(test_settings.store), "RCKG_BASE_IRI": BASE,
           "PYTHONPATH": str(PROJECT_ROOT)}
    *lines, last = block.strip().splitlines()  # the last line's value is what the reader sees
    script = "\n".join([*lines, f"answer = {last}",
                        "print(sorted({tie['relation'] for tie in answer}), len(answer))"])
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("['suppliesTo'] ") and not result.stdout.endswith(" 0\n")
