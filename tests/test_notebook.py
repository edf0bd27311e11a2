"""docs/analysis.ipynb runs against the built graph, and its tables say what the graph says."""

from __future__ import annotations

from typing import Any

import nbclient
import nbformat
import pytest

from graph.analyst import Analyst
from graph.config import PROJECT_ROOT, Settings

NOTEBOOK = PROJECT_ROOT / "docs" / "analysis.ipynb"


@pytest.fixture(scope="module")
def executed(test_settings: Settings, built: Any,
             tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The notebook run in a fresh kernel over the test graph: each tagged cell's output."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert not any(c.get("outputs") for c in notebook.cells if c.cell_type == "code"), \
        "docs/analysis.ipynb is stored without outputs: clear them before committing"
    with pytest.MonkeyPatch.context() as patch:  # the kernel inherits the environment
        patch.setenv("RCKG_STORE", str(test_settings.store))
        patch.setenv("RCKG_BASE_IRI", test_settings.base_iri)
        nbclient.NotebookClient(notebook, kernel_name="python3", timeout=120,
                                resources={"metadata": {"path": str(PROJECT_ROOT)}}).execute()
    outputs: dict[str, str] = {}
    for cell in notebook.cells:
        for tag in cell.metadata.get("tags", []):
            outputs[tag] = "".join(o.get("text") or o.get("data", {}).get("text/plain", "")
                                   for o in cell.outputs)
    return outputs


@pytest.fixture(scope="module")
def kg(test_settings: Settings, built: Any) -> Analyst:
    return Analyst.open(test_settings)


def test_who_acts_on_whom(executed, kg):
    assert "SPARQL agrees" in executed["who-sparql"]
    pairs: dict[tuple[str, str], int] = {}
    for fact in kg.facts():
        for s in fact["roles"].get("subject", []):
            for o in fact["roles"].get("object", []):
                pairs[s["label"], o["label"]] = pairs.get((s["label"], o["label"]), 0) + 1
    top = max(pairs.values())
    first = executed["who"].splitlines()[1].split()
    assert first[0] == "0" and int(first[-1]) == top
    assert any(pairs.get((" ".join(first[1:i]), " ".join(first[i:-1]))) == top
               for i in range(2, len(first) - 1))
    assert "china" in executed["central"] and "russia" in executed["central"]


def test_the_flows_with_their_numbers(executed, kg):
    table = executed["flows"]
    quantities = [q for f in kg.flows() for q in f["quantities"] + f["changes"]]
    assert quantities
    for q in quantities:
        assert q["quantity"]["stated"] in table, q["quantity"]
    assert f"{len(quantities)} quantities, 0 without their wording" in executed["backed"]


def test_the_declarations_targets(executed, kg):
    declared = kg.facts(attribution="joint-declaration")
    assert declared
    for fact in declared:
        for about in fact["roles"].get("about", []):
            assert about["label"] in executed["targets"]
    assert {f["relation"] + ":" for f in declared} <= set(executed["targets"].split())


def test_the_path_from_rosatom_to_the_united_states(executed, kg):
    hops = [f'{h["from"]["label"]} → {h["to"]["label"]}' for p in kg.paths("rosatom", "USA")
            for h in p]
    assert hops and all(h in executed["path"] for h in hops)
