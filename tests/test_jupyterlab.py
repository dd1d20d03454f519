"""The .qmd notebooks in JupyterLab: exact round trips, and a real JupyterLab driven in Chromium.

The browser test starts JupyterLab (``python -m qmdrender.lab``, what ``make lab`` runs) on 127.0.0.1
with a token, opens a report in headless Chromium, runs every cell, waits for the kernel to go
idle, checks that the token table, the heat map and a plot are on the page, edits the parameters
cell, saves, and renders the saved file. The server is stopped at the end.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from qmdrender import main
from qmdrender.lab import notebook_to_qmd, qmd_to_notebook

from .browser import Browser
from .conftest import stop, wait_until_serving

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = sorted((ROOT / "notebooks").glob("*.qmd")) + sorted((ROOT / "tests" / "documents").rglob("*.qmd"))


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_every_notebook_survives_a_jupyterlab_round_trip_byte_for_byte(path):
    text = path.read_text(encoding="utf-8")
    notebook = qmd_to_notebook(text)
    through_json = nbformat.from_dict(json.loads(json.dumps(notebook)))  # what the browser sends back
    assert notebook_to_qmd(through_json) == text
    assert all(cell.get("outputs", []) == [] for cell in notebook.cells if cell.cell_type == "code")


TRICKY = """---
title: "Tricky"<SPACES>
format: html
---
Text right after the front matter, with trailing spaces<SPACES>


```{python}
#| tags: [parameters]
#| echo: false
x = 1
```
```{python}
#| label: fig-a
#| fig-cap: "A caption"
y = x + 1
```

::: {.callout-note}
A callout with `code` and ```` ```{python} ```` inside.
:::

````markdown
```{python}
not_a_cell = True
```
````

```{=latex}
\\newpage
```

```{{python}}
escaped = True
```
No newline at the end""".replace("<SPACES>", "   ")


def test_tricky_content_round_trips_and_edits_land_in_the_right_place():
    notebook = qmd_to_notebook(TRICKY)
    kinds = [c.cell_type for c in notebook.cells]
    assert kinds == ["raw", "markdown", "code", "code", "markdown"]
    assert notebook.cells[2].metadata["tags"] == ["parameters"]  # shown in JupyterLab's tag editor
    assert notebook_to_qmd(notebook) == TRICKY
    notebook.cells[2].source = notebook.cells[2].source.replace("x = 1", "x = 2")
    notebook.cells.append(nbformat.v4.new_code_cell("z = 3"))
    notebook.cells[3].metadata["tags"] = ["extra"]
    saved = notebook_to_qmd(notebook)
    assert "#| echo: false\nx = 2\n```\n```{python}\n#| tags: [extra]\n#| label: fig-a" in saved
    assert saved.endswith("No newline at the end\n```{python}\nz = 3\n```\n")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    shutil.copy(ROOT / "notebooks" / "compare_prompts.qmd", folder / "compare_prompts.qmd")
    port, token = _free_port(), secrets.token_hex(12)
    log = (tmp_path / "lab.log").open("w")
    # JupyterLab remembers settings (the theme) and workspaces per user: keep the test's apart.
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "lab-settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "lab-workspaces")}
    server = subprocess.Popen([sys.executable, "-m", "qmdrender.lab", "--no-browser", "--ip=127.0.0.1",
                               f"--port={port}", f"--ServerApp.token={token}", f"--ServerApp.root_dir={folder}",
                               "--LabApp.expose_app_in_browser=True"], stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/api/status?token={token}", server, 120,
                           lambda: (tmp_path / "lab.log").read_text())
        yield {"url": f"http://127.0.0.1:{port}", "token": token, "folder": folder}
    finally:
        stop(server, timeout=20)
        log.close()


def test_jupyterlab_opens_runs_and_saves_a_qmd_notebook(lab, tmp_path):
    document = lab["folder"] / "compare_prompts.qmd"
    original = document.read_text()
    notebook = "jupyterapp.shell.currentWidget"
    with Browser(1400, 1000) as browser:
        browser.open(f"{lab['url']}/lab/tree/compare_prompts.qmd?token={lab['token']}",
                     wait_for="window.jupyterapp && document.querySelectorAll('.jp-Notebook .jp-CodeCell').length > 3",
                     timeout=180)
        browser.wait(f"{notebook}.sessionContext.session && {notebook}.sessionContext.session.kernel && "
                     f"{notebook}.sessionContext.session.kernel.status === 'idle'", timeout=120)
        browser.evaluate("jupyterapp.commands.execute('notebook:run-all-cells')")
        done = ("Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt'))"
                ".every(p => /\\[\\d+\\]/.test(p.textContent))")
        browser.wait(f"{done} && {notebook}.sessionContext.session.kernel.status === 'idle'", timeout=300)
        assert browser.evaluate("document.querySelectorAll('.jp-OutputArea-output table.token-table').length") >= 3
        assert browser.evaluate("document.querySelectorAll('.jp-OutputArea-output img').length") >= 3
        assert browser.evaluate("document.querySelectorAll('.jp-OutputArea-output .jp-RenderedLatex').length") == 0
        assert not browser.evaluate("document.body.innerText.includes('\\\\begin{tabular}')")
        assert browser.evaluate("document.body.dataset.jpThemeLight") == "true"
        browser.screenshot(tmp_path / "jupyterlab-light.png")
        browser.evaluate("jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})")
        browser.wait("document.body.dataset.jpThemeLight === 'false' && !document.querySelector('#jupyterlab-splash')")
        browser.evaluate("new Promise(done => setTimeout(done, 1500))")  # the theme's styles settle
        browser.screenshot(tmp_path / "jupyterlab-dark.png")
        # save unchanged: the file is byte for byte what it was
        browser.evaluate("jupyterapp.commands.execute('docmanager:save')")
        browser.wait(f"!{notebook}.context.model.dirty")
        assert document.read_text() == original
        # edit the parameters cell, save, and the saved file still renders
        browser.evaluate(f"(() => {{ const cell = {notebook}.content.widgets.find(w => "
                         "w.model.sharedModel.getSource().includes('tags: [parameters]')); "
                         "const source = cell.model.sharedModel.getSource(); "
                         "cell.model.sharedModel.setSource(source.replace('max_new_tokens = 6', "
                         "'max_new_tokens = 3')); })()")
        browser.evaluate("jupyterapp.commands.execute('docmanager:save')")
        browser.wait(f"!{notebook}.context.model.dirty")
    saved = document.read_text()
    assert saved == original.replace("max_new_tokens = 6", "max_new_tokens = 3")
    assert "outputs" not in saved and "execution_count" not in saved
    assert main([str(document), "--to", "html", "--engine", "embedded", "--output-dir", str(tmp_path / "out")]) == 0
    assert "3 new tokens" in (tmp_path / "out" / "compare_prompts.html").read_text()
