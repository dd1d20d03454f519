"""Render many: parameter grids with an index, parallel jobs, a Dask cluster, and freeze.

``documents/grid.qmd`` publishes values and can be asked to fail; it writes a line to a log file
each time its cell runs, and ``documents/frozen.qmd`` does the same, so the tests can tell an
execution from a re-render of stored outputs by that side effect.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from qmdrender.grid import make_sets, read_grid, slugify

from .conftest import local_dask_cluster, render_cli

DOCUMENTS = Path(__file__).resolve().parent / "documents"



def _grid_file(folder: Path, content: object) -> Path:
    path = folder / "grid.yml"
    path.write_text(yaml.safe_dump(content, allow_unicode=True))
    return path


@pytest.fixture
def grid_doc(tmp_path) -> Path:
    shutil.copy(DOCUMENTS / "grid.qmd", tmp_path / "grid.qmd")
    return tmp_path / "grid.qmd"


def test_grid_files_in_list_product_and_shared_forms(tmp_path):
    listed = read_grid(_grid_file(tmp_path, [{"name": "a"}, {"name": "b", "fail": True}]))
    assert listed == [{"name": "a"}, {"name": "b", "fail": True}]
    product = read_grid(_grid_file(tmp_path, {"name": ["a", "b"], "prompt": ["x", "y", "z"]}))
    assert len(product) == 6 and {"name": "b", "prompt": "z"} in product
    shared = read_grid(_grid_file(tmp_path, {"product": {"name": ["a", "b"]}, "shared": {"prompt": "same"}}))
    assert shared == [{"prompt": "same", "name": "a"}, {"prompt": "same", "name": "b"}]
    with pytest.raises(ValueError, match="every value is a non-empty list"):
        read_grid(_grid_file(tmp_path, {"name": ["a"], "prompt": "not a list"}))


def test_slugs_are_readable_unique_stable_and_safe_for_hostile_values():
    hostile = [{"prompt": "../../etc/passwd"}, {"prompt": "a/b\\c"}, {"prompt": "\"quoted\" 'too'"},
               {"prompt": "x" * 300}, {"prompt": "x" * 300 + "y"}, {"prompt": "😀 emoji only 😀"}, {"prompt": "😀"},
               {"prompt": "Finn writes code"}, {"prompt": "Finn writes code"}, {"prompt": ""}]
    sets = make_sets(hostile)
    slugs = [s.slug for s in sets]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) and len(slug) <= 64 for slug in slugs)
    assert slugs == [s.slug for s in make_sets(hostile)]  # stable
    assert "prompt-finn-writes-code" in slugs[7]
    assert slugify("Ünïcödé Straße!") == "unicode-strae"
    templated = make_sets([{"name": "One", "n": 1}, {"name": "Two", "n": 2}], "{name}-{n}")
    assert [s.slug for s in templated] == ["one-1", "two-2"]


def test_a_grid_renders_every_set_with_an_index_and_one_failure_does_not_stop_the_others(grid_doc, tmp_path):
    grid = _grid_file(tmp_path, [{"name": "alpha", "prompt": "Finn"}, {"name": "beta", "prompt": "Finn writes"},
                                 {"name": "gamma", "fail": True}])
    output = tmp_path / "out"
    code, stderr = render_cli(str(grid_doc), "--grid", str(grid), "--jobs", "2", "--name-template", "{name}",
                           "--output-dir", str(output))
    assert code == 1 and "1 of 3 sets failed: gamma" in stderr
    folder = output / "grid"
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
        "alpha.html", "alpha.published.json", "beta.html", "beta.published.json", "index.csv", "index.html",
        "index.md"]
    rows = list(csv.DictReader((folder / "index.csv").open()))
    assert [(r["slug"], r["status"], r["length"], r["shout"]) for r in rows] == [
        ("alpha", "ok", "4", "FINN"), ("beta", "ok", "11", "FINN WRITES"), ("gamma", "failed", "", "")]
    assert "this set was asked to fail" in rows[2]["error"]
    index = BeautifulSoup((folder / "index.html").read_text(), "html.parser")
    links = [a["href"] for a in index.select("table.grid a")]
    assert links == ["alpha.html", "beta.html"] and all((folder / link).is_file() for link in links)
    assert [th.get_text() for th in index.select("th")] == ["set", "name", "prompt", "fail", "status", "seconds",
                                                           "length", "shout", "files"]
    assert "| alpha |" in (folder / "index.md").read_text()
    beta = BeautifulSoup((folder / "beta.html").read_text(), "html.parser")
    assert "The prompt was Finn writes." in " ".join(beta.get_text().split())


def test_a_failing_set_keeps_its_previous_outputs(grid_doc, tmp_path):
    output = tmp_path / "out"
    assert render_cli(str(grid_doc), "--grid", str(_grid_file(tmp_path, [{"name": "beta"}])), "--name-template",
                   "{name}", "--output-dir", str(output))[0] == 0
    before = (output / "grid" / "beta.html").read_bytes()
    code, _ = render_cli(str(grid_doc), "--grid", str(_grid_file(tmp_path, [{"name": "beta", "fail": True}])),
                      "--name-template", "{name}", "--output-dir", str(output))
    assert code == 1 and (output / "grid" / "beta.html").read_bytes() == before


def test_two_grid_runs_at_once_into_different_folders(grid_doc, tmp_path):
    grid = _grid_file(tmp_path, {"name": ["one", "two"]})
    runs = [subprocess.Popen([sys.executable, "-m", "qmdrender", str(grid_doc), "--grid", str(grid),
                              "--output-dir", str(tmp_path / f"out{i}")], stderr=subprocess.PIPE) for i in (1, 2)]
    for run in runs:
        assert run.wait(timeout=300) == 0, run.stderr.read().decode()[-2000:]
    for i in (1, 2):
        rows = list(csv.DictReader((tmp_path / f"out{i}" / "grid" / "index.csv").open()))
        assert [r["status"] for r in rows] == ["ok", "ok"]


def test_a_dask_cluster_gives_the_same_outputs_as_local_jobs(grid_doc, tmp_path):
    grid = _grid_file(tmp_path, {"name": ["one", "two"], "prompt": ["Finn", "Finn writes code"]})
    assert render_cli(str(grid_doc), "--grid", str(grid), "--output-dir", str(tmp_path / "local"))[0] == 0
    with local_dask_cluster(2) as cluster:
        code, stderr = render_cli(str(grid_doc), "--grid", str(grid), "--output-dir", str(tmp_path / "dask"),
                               "--scheduler", cluster.scheduler_address)
    assert code == 0, stderr

    def table(folder: str) -> list[tuple]:
        rows = csv.DictReader((tmp_path / folder / "grid" / "index.csv").open())
        return [(r["slug"], r["status"], r["length"], r["shout"], r["files"]) for r in rows]

    assert table("dask") == table("local") and len(table("local")) == 4


# Freeze ------------------------------------------------------------------------------------------------


@pytest.fixture
def frozen(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("LLM_REPORTS_FREEZE_DIR", str(tmp_path / "_freeze"))
    shutil.copy(DOCUMENTS / "frozen.qmd", tmp_path / "frozen.qmd")
    return tmp_path / "frozen.qmd"


def _runs(document: Path) -> int:
    log = document.parent / "frozen-runs.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def _frozenrender_cli(document: Path, *extra: str) -> str:
    code, stderr = render_cli(str(document), "--output-dir", str(document.parent / "out"), *extra)
    assert code == 0, stderr
    return stderr


def test_freeze_auto_skips_current_outputs_and_prose_edits_do_not_execute(frozen):
    _frozenrender_cli(frozen)
    assert _runs(frozen) == 1
    first_html = " ".join((frozen.parent / "out" / "frozen.html").read_text().split())
    assert "up to date" in _frozenrender_cli(frozen)  # nothing changed: nothing rendered
    assert _runs(frozen) == 1
    frozen.write_text(frozen.read_text().replace("Some prose before the cell.", "Edited prose, new words."))
    _frozenrender_cli(frozen)
    assert _runs(frozen) == 1  # prose only: re-rendered from the stored outputs
    html = " ".join(BeautifulSoup((frozen.parent / "out" / "frozen.html").read_text(), "html.parser").get_text()
                    .split())
    assert "Edited prose, new words." in html and "value is 42" in html and "The value is 42." in html
    # the provenance panel (written by hand here) says the execution was reused, and from when it is
    first_run = re.search(r"the cells ran during this render, at ([0-9: -]+ UTC)", first_html)[1]
    assert f"reused a stored (frozen) execution from {first_run}; no cell ran in this render" in html
    panel = BeautifulSoup((frozen.parent / "out" / "frozen.html").read_text(), "html.parser").select_one(
        "details.provenance")
    assert panel.summary.get_text() == "How this page was made"
    assert [td.get_text(strip=True) for td in panel.select("tr td:first-child")] == ["Written by", "Rendered",
                                                                                      "Execution"]
    assert "A last paragraph" in panel.find_previous("p").get_text()  # moved to the end of the page


def test_freeze_re_executes_after_a_code_change(frozen):
    """(An edited helper re-executes the documents that import it: tests/test_freeze_key.py.)"""
    _frozenrender_cli(frozen)
    frozen.write_text(frozen.read_text().replace("value = 6 * 7", "value = 6 * 8"))
    _frozenrender_cli(frozen)
    assert _runs(frozen) == 2
    assert "value is 48" in (frozen.parent / "out" / "frozen.html").read_text()


def test_a_corrupted_freeze_entry_is_ignored_with_a_warning_and_rebuilt(frozen):
    _frozenrender_cli(frozen)
    for entry in (frozen.parent / "_freeze").glob("*/*.ipynb"):
        entry.write_text("{ not json")
    (frozen.parent / "out" / "frozen.html").unlink()
    stderr = _frozenrender_cli(frozen)
    assert "is damaged" in stderr and _runs(frozen) == 2
    assert "value is 42" in (frozen.parent / "out" / "frozen.html").read_text()


def test_no_freeze_executes_regardless(frozen):
    _frozenrender_cli(frozen)
    _frozenrender_cli(frozen, "--no-freeze")
    assert _runs(frozen) == 2
