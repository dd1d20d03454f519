"""The provenance panel against what ran: weight hashes read from the files, seeds from the run, the
git commit from git itself; and the model fingerprint and commit as columns of a grid's index."""

from __future__ import annotations

import csv
import hashlib
import subprocess
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from helpers import generate
from helpers.backends import backend_available
from helpers.model import bundled_gguf_path
from helpers.provenance import provenance

from .conftest import PROMPT, provenance_rows, render_cli

ROOT = Path(__file__).resolve().parents[1]


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def git_state() -> tuple[str, bool]:
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True,
                            check=True).stdout.strip()
    status = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                            capture_output=True, text=True, check=True).stdout
    return commit, bool(status.strip())


def test_panel_lists_the_weights_hashes_seeds_settings_and_commit_of_the_run(lm):
    sampled = generate(lm, PROMPT, max_new_tokens=3, strategy="sample", seed=123, temperature=0.7)
    greedy = generate(lm, PROMPT, max_new_tokens=2)
    panel = provenance(lm, sampled, greedy)
    items = dict(panel.items)
    gguf = bundled_gguf_path()
    assert items[f"Weights: {gguf.name}"].replace(" ", "") == f"sha256{sha256_of(gguf)}"
    assert len(lm.weight_files) == 2  # the GGUF and the dequantised copy that was loaded
    for path in lm.weight_files:
        assert items[f"Weights: {path.name}"].replace(" ", "") == f"sha256{sha256_of(path)}"
    assert items["Seeds"] == "123, none (greedy)"
    assert items["Generation settings 1"].startswith("strategy sample, max_new_tokens 3, temperature 0.7")
    assert items["Generation settings 2"].startswith("strategy greedy, max_new_tokens 2")
    assert items["Fingerprint"] == lm.fingerprint.short == panel.index_values()["model_fingerprint"]
    commit, dirty = git_state()
    assert items["Helpers"].startswith("llm-report-helpers ") and commit[:12] in items["Helpers"]
    assert ("uncommitted changes" in items["Helpers"]) == dirty
    assert panel.index_values()["commit"] == commit[:12] + ("+dirty" if dirty else "")
    markdown = panel._repr_markdown_()
    assert markdown.startswith("::: {.provenance}\n## How this report was made {.unnumbered .unlisted}")
    assert "| Executed | 20" in markdown


def test_something_that_is_not_a_model_is_refused():
    with pytest.raises(TypeError, match="needs a model from load_model"):
        provenance("smollm2-135m")


@pytest.mark.skipif(not backend_available("llamacpp"), reason="llama-cpp-python is not installed")
def test_grid_index_has_the_model_fingerprint_and_commit_columns(tmp_path):
    from helpers.backends import load_backend

    document = tmp_path / "member.qmd"
    document.write_text('---\ntitle: "Member"\nformat: html\n---\n\n```{python}\n#| tags: [parameters]\n'
                        'prompt = "Finn"\n```\n\n```{python}\nfrom helpers.backends import load_backend\n'
                        "from helpers.provenance import provenance\nfrom qmdrender.published import publish\n\n"
                        'source = load_backend("llamacpp")\ng = source.generate(prompt, max_new_tokens=2)\n'
                        "panel = provenance(source, g)\npublish(**panel.index_values())\npanel\n```\n")
    grid = tmp_path / "grid.yml"
    grid.write_text(yaml.safe_dump([{"prompt": "Finn"}, {"prompt": "Finn writes"}]))
    code, stderr = render_cli(str(document), "--grid", str(grid), "--jobs", "2", "--output-dir", str(tmp_path / "o"))
    assert code == 0, stderr
    folder = tmp_path / "o" / "member"
    rows = list(csv.DictReader((folder / "index.csv").open()))
    commit, dirty = git_state()
    fingerprint = load_backend("llamacpp").fingerprint.short
    assert [(r["model_fingerprint"], r["commit"]) for r in rows] == [
        (fingerprint, commit[:12] + ("+dirty" if dirty else ""))] * 2
    index = BeautifulSoup((folder / "index.html").read_text(), "html.parser")
    assert {"model_fingerprint", "commit"} <= {th.get_text() for th in index.select("th")}
    page = BeautifulSoup((folder / f"{rows[1]['slug']}.html").read_text(), "html.parser")
    panel = page.select_one("details.provenance")
    values = provenance_rows(panel)
    assert values["Backend"] == "llama.cpp, on this machine"
    assert values["Weights: " + bundled_gguf_path().name].replace(" ", "") == f"sha256{sha256_of(bundled_gguf_path())}"
    assert values["Parameters"] == "prompt = 'Finn writes'"
    assert values["Execution"].startswith("the cells ran during this render")
