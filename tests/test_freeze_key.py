"""Freeze is keyed by what determines a cell's outputs: the renderer's filters, CSS and templates are not part
of it (editing them re-renders from the stored execution, running no cell), the helpers a notebook imports
are (editing one re-executes the notebooks that import it, and only those).

Each test works on copies of ``src/helpers`` and ``src/qmdrender`` put first on ``PYTHONPATH``, so the
renderer and the Jupyter kernel both use the edited copies, and the real sources are never touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

IMPORTS_HELPERS = """---
title: "Imports a helper"
format: html
execute:
  freeze: auto
---

A paragraph of prose.

```{python}
from pathlib import Path
from helpers.metrics import percent
with Path("runs-helper.txt").open("a") as log:
    log.write("run\\n")
print("shown:", percent(0.25))
```
"""

NO_HELPERS = """---
title: "Imports nothing of ours"
format: html
execute:
  freeze: auto
---

```{python}
from pathlib import Path
with Path("runs-plain.txt").open("a") as log:
    log.write("run\\n")
print("plain", 6 * 7)
```
"""


@pytest.fixture
def project(tmp_path: Path) -> dict:
    source = tmp_path / "src"
    for package in ("helpers", "qmdrender"):
        shutil.copytree(SRC / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    documents = tmp_path / "docs"
    documents.mkdir()
    (documents / "helper.qmd").write_text(IMPORTS_HELPERS, encoding="utf-8")
    (documents / "plain.qmd").write_text(NO_HELPERS, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(source), "LLM_REPORTS_FREEZE_DIR": str(tmp_path / "freeze")}
    return {"src": source, "docs": documents, "env": env, "out": tmp_path / "out"}


def _render(project: dict, name: str) -> str:
    done = subprocess.run([sys.executable, "-m", "qmdrender", str(project["docs"] / name), "--output-dir",
                           str(project["out"]), "--engine", "embedded"], capture_output=True, text=True,
                          env=project["env"], timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stderr


def _runs(project: dict, which: str) -> int:
    log = project["docs"] / f"runs-{which}.txt"
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_the_copies_are_what_runs(project):
    code = "import helpers, qmdrender; print(helpers.__file__); print(qmdrender.__file__)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=project["env"])
    assert all(line.startswith(str(project["src"])) for line in done.stdout.split()), done.stdout


def test_editing_the_css_or_a_filter_re_renders_without_running_a_cell(project):
    _render(project, "helper.qmd")
    assert _runs(project, "helper") == 1
    assert "up to date" in _render(project, "helper.qmd")  # nothing changed: nothing done
    stylesheet = project["src"] / "qmdrender" / "assets" / "report.css"
    stylesheet.write_text(stylesheet.read_text() + "\n.probe-from-the-test { color: #123456; }\n")
    said = _render(project, "helper.qmd")
    html = (project["out"] / "helper.html").read_text(encoding="utf-8")
    assert "up to date" not in said and ".probe-from-the-test" in html and "shown: 25.00 %" in html
    assert _runs(project, "helper") == 1  # the stored execution was used
    section_numbers = project["src"] / "qmdrender" / "filters" / "section_numbers.lua"
    section_numbers.write_text(section_numbers.read_text() + "\nfunction Para(p) return p end\n")
    assert "up to date" not in _render(project, "helper.qmd")
    assert _runs(project, "helper") == 1


def test_editing_a_helper_re_executes_the_notebooks_that_import_it_and_only_those(project):
    _render(project, "helper.qmd")
    _render(project, "plain.qmd")
    assert (_runs(project, "helper"), _runs(project, "plain")) == (1, 1)
    metrics = project["src"] / "helpers" / "metrics.py"
    metrics.write_text(metrics.read_text().replace('return f"{value:.2f} %"', 'return f"{value:.1f} %"'))
    _render(project, "helper.qmd")
    assert "up to date" in _render(project, "plain.qmd")
    assert (_runs(project, "helper"), _runs(project, "plain")) == (2, 1)
    assert "shown: 25.0 %" in (project["out"] / "helper.html").read_text(encoding="utf-8")  # the edited helper ran


TRANSITIVE = """---
title: "Imports a local module that imports another"
format: html
execute:
  freeze: auto
---

```{python}
from mylib import value
print("value is", value())
```
"""


def test_editing_a_module_that_a_local_module_imports_re_executes(tmp_path, monkeypatch):
    monkeypatch.delenv("LLM_REPORTS_FREEZE_DIR", raising=False)
    (tmp_path / "mylib.py").write_text("from mylib_inner import value\n")
    (tmp_path / "mylib_inner.py").write_text("def value():\n    return 1\n")
    document = tmp_path / "doc.qmd"
    document.write_text(TRANSITIVE, encoding="utf-8")
    command = [sys.executable, "-m", "qmdrender", str(document), "--output-dir", str(tmp_path / "out"),
               "--engine", "embedded"]
    for expected in (1, 2):
        (tmp_path / "mylib_inner.py").write_text(f"def value():\n    return {expected}\n")
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        assert f"value is {expected}" in (tmp_path / "out" / "doc.html").read_text(encoding="utf-8")
