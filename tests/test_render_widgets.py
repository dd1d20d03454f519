"""Jupyter widgets (a tqdm bar, a slider) are drawn in HTML pages from the state the kernel left, as Quarto
draws them: by the widgets' HTML manager, inlined from npm (no CDN), in a real Chromium. The state comes
from the live kernel, from this renderer's own freeze after a prose edit, and from a project's Quarto
``_freeze``, where Quarto keeps it beside the page's Markdown.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .browser import Browser
from .conftest import render_cli

CELL = "import ipywidgets\nipywidgets.IntSlider(value=7, description='Seven')"
DOCUMENT = f"---\ntitle: Widgets\nexecute:\n  freeze: auto\n---\n\nA slider:\n\n```{{python}}\n{CELL}\n```\n"


def _drawn(page: Path) -> list[str]:
    """The text of each widget the page drew once it loaded."""
    with Browser(900, 600) as browser:
        browser.open(page.as_uri(), wait_for="document.readyState === 'complete'")
        browser.wait("document.querySelectorAll('.widget-subarea .widget-slider').length > 0", timeout=30)
        return browser.evaluate("Array.from(document.querySelectorAll('.widget-subarea')).map(e => e.innerText)")


def test_a_widget_the_cells_make_is_drawn_from_the_kernels_state_and_kept_by_the_freeze(tmp_path):
    document = tmp_path / "widgets.qmd"
    document.write_text(DOCUMENT, encoding="utf-8")
    code, stderr = render_cli(str(document), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    page = tmp_path / "out" / "widgets.html"
    assert "IntSlider(value=7" not in page.read_text(encoding="utf-8").split("<body")[1].split("<script")[0]
    drawn = _drawn(page)
    assert len(drawn) == 1 and "Seven" in drawn[0] and "7" in drawn[0]
    document.write_text(DOCUMENT + "\nA sentence added.\n", encoding="utf-8")  # the stored execution is reused
    code, stderr = render_cli(str(document), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "A sentence added." in page.read_text(encoding="utf-8")
    assert _drawn(page) == drawn


def test_widgets_in_a_projects_quarto_freeze_are_drawn_from_the_state_quarto_stored(tmp_path):
    from ipywidgets.embed import embed_data
    from ipywidgets.widgets import IntSlider

    data = embed_data(views=[IntSlider(value=7, description="Seven")])  # what the kernel's comms would have left
    view = json.dumps(data["view_specs"][0])
    document = DOCUMENT.replace("freeze: auto", "freeze: auto\n  echo: false")
    frozen = ("A slider:\n\n::: {#w1 .cell execution_count=1}\n::: {.cell-output .cell-output-display}\n```{=html}\n"
              f'<script type="application/vnd.jupyter.widget-view+json">\n{view}\n</script>\n```\n:::\n:::\n')
    root = tmp_path / "project"
    (root / "_freeze" / "widgets" / "execute-results").mkdir(parents=True)
    (root / "_quarto.yml").write_text("project:\n  type: default\n", encoding="utf-8")
    (root / "widgets.qmd").write_text(document, encoding="utf-8")
    state = json.dumps(data["manager_state"])
    result = {"engine": "jupyter", "markdown": frozen, "supporting": [], "filters": [],
              "includes": {"include-in-header": ['<script src="https://unpkg.com/@jupyter-widgets/html-manager@*/dist/'
                                                 'embed-amd.js" crossorigin="anonymous"></script>\n'],
                           "include-after-body": [f"<script type=application/vnd.jupyter.widget-state+json>\n{state}\n"
                                                  "</script>\n"]}}
    stored = {"hash": hashlib.md5(document.encode()).hexdigest(), "result": result}
    (root / "_freeze" / "widgets" / "execute-results" / "html.json").write_text(json.dumps(stored), encoding="utf-8")
    code, stderr = render_cli(str(root / "widgets.qmd"), "--to", "html", "--output-dir", str(root / "out"))
    assert code == 0 and "outputs from the project's _freeze" in stderr, stderr
    page = root / "out" / "widgets.html"
    assert "unpkg.com" not in page.read_text(encoding="utf-8")  # never the CDN Quarto's page loads it from
    drawn = _drawn(page)
    assert len(drawn) == 1 and "Seven" in drawn[0] and "7" in drawn[0]


def test_a_widget_whose_state_the_notebook_did_not_keep_shows_nothing_as_on_quartos_page(tmp_path):
    # a deep-learning lab's notebook (Quarto 1.9), saved without widget state: its tqdm bar is Quarto's inert
    # widget script, not the bar's text stand-in "  0%|          | 0/10"
    import nbformat

    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("for batch in tqdm(range(10)): pass")
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        "application/vnd.jupyter.widget-view+json": {"model_id": "debbfb67", "version_major": 2, "version_minor": 0},
        "text/plain": "  0%|          | 0/10 [00:00<?, ?it/s]"})]
    notebook.cells = [nbformat.v4.new_markdown_cell("# Training"), cell]
    nbformat.write(notebook, tmp_path / "lab.ipynb")
    code, stderr = render_cli(str(tmp_path / "lab.ipynb"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    page = (tmp_path / "out" / "lab.html").read_text(encoding="utf-8")
    assert "0/10 [00:00" not in page and '"model_id": "debbfb67"' in page
