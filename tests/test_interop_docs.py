"""`/docs` and `/redoc` work offline under the pages' Content-Security-Policy: their scripts
come from packaged files on this server, and headless Chromium renders both with no request
elsewhere, no error and no policy violation."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator

import httpx
import pytest

from graph.config import PROJECT_ROOT
from tests.conftest import BASE, node_script
from tests.server import running_server


@pytest.fixture(scope="module")
def server(test_settings, built) -> Iterator[str]:
    env = {"RCKG_STORE": str(test_settings.store), "RCKG_BASE_IRI": BASE, "RCKG_WORKERS": "1"}
    with running_server(env) as running:
        yield running.url


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_pages_load_only_from_this_server_under_the_policy(server, path):
    page = httpx.get(f"{server}{path}", timeout=30)
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "http" not in page.text.replace('"/', "")  # no absolute URL: no CDN
    assert "<script>" not in page.text  # no inline script
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-init.js",
                  "redoc.standalone.js"):
        assert httpx.get(f"{server}/docs-assets/{asset}", timeout=30).status_code == 200


def test_chromium_renders_both_without_errors(server):
    command = node_script("docs_pages.mjs", ("playwright-core",))
    done = subprocess.run([*command, server], capture_output=True, text=True, timeout=180,
                          cwd=PROJECT_ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["blocked"] == []
    # ReDoc's sidebar always tries its makers' logo from their CDN (and hides it when that
    # fails): the policy blocks it before any request, which the browser reports. Nothing else.
    logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    assert [e for e in result["errors"] if logo not in e] == []
    assert all("/redoc" in e and "Content Security Policy" in e for e in result["errors"])
    assert result["rendered"]["/docs"] >= 10  # an operation per REST route
    assert result["rendered"]["/redoc"] >= 10
