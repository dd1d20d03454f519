"""``{{< embed notebook.ipynb#id >}}`` shows a notebook cell's stored outputs where it stands, as Quarto
does: found by label, tag or id, a figure keeping its caption and number, code only with ``echo=true``,
a "Source" link in HTML; a missing cell is one clear error."""

from __future__ import annotations

import base64
import io

import nbformat
import pytest
from bs4 import BeautifulSoup

from .conftest import pdf_text, render_cli, require_tool


def _png() -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), "teal").save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def _notebook():
    figure = nbformat.v4.new_code_cell("#| label: fig-scatter\n#| fig-cap: A stored scatter\nplot_it()")
    figure.outputs = [nbformat.v4.new_output("display_data", data={"image/png": _png(), "text/plain": "<Figure>"})]
    summary = nbformat.v4.new_code_cell("print('SUMMARY' + 'TEXT')", metadata={"tags": ["summary"]})
    summary.outputs = [nbformat.v4.new_output("stream", name="stdout", text="SUMMARYTEXT\n")]
    other = nbformat.v4.new_code_cell("print('never shown')")
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Analysis"), figure, summary, other])


DOCUMENT = """\
---
title: Report
format:
  html: default
  pdf: default
---

The data are in @fig-scatter.

{{< embed analysis.ipynb#fig-scatter >}}

{{< embed analysis.ipynb#summary echo=true >}}
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    require_tool("xelatex")
    folder = tmp_path_factory.mktemp("embeds")
    nbformat.write(_notebook(), folder / "analysis.ipynb")
    (folder / "report.qmd").write_text(DOCUMENT, encoding="utf-8")
    code, stderr = render_cli(str(folder / "report.qmd"), "--to", "html,pdf", "--output-dir", str(folder / "out"))
    assert code == 0, stderr
    return folder / "out"


def test_an_embedded_figure_keeps_its_caption_number_and_outputs_only(rendered):
    soup = BeautifulSoup((rendered / "report.html").read_text(encoding="utf-8"), "html.parser")
    text = " ".join(soup.body.get_text(" ").split())
    assert "Figure 1: A stored scatter" in text and "The data are in Figure 1" in text
    assert soup.select_one("#fig-scatter img")["src"].startswith("data:image/png")
    assert "plot_it" not in text  # outputs only, unless echo=true
    assert "'SUMMARY' + 'TEXT'" in text and "SUMMARYTEXT" in text  # echo=true: code and output
    assert "never shown" not in text
    # the link names the notebook by its title, its "# Analysis" heading, as Quarto's does
    assert [a.get_text() for a in soup.select("a.quarto-notebook-link")] == ["Source: Analysis"] * 2
    pdf = " ".join(pdf_text(rendered / "report.pdf").split())
    assert "Figure 1: A stored scatter" in pdf and "SUMMARYTEXT" in pdf and "Source:" not in pdf


def test_an_embed_of_a_cell_that_is_not_there_is_one_clear_error(tmp_path):
    nbformat.write(_notebook(), tmp_path / "analysis.ipynb")
    (tmp_path / "report.qmd").write_text("---\ntitle: R\n---\n\n{{< embed analysis.ipynb#no-such-cell >}}\n",
                                         encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "report.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code != 0
    assert "analysis.ipynb has no cell with the id, label or tag 'no-such-cell'" in stderr
    assert not (tmp_path / "out" / "report.html").exists()


def test_a_changed_notebook_re_renders_a_frozen_document_that_embeds_it(tmp_path):
    notebook = _notebook()
    nbformat.write(notebook, tmp_path / "analysis.ipynb")
    (tmp_path / "report.qmd").write_text("---\ntitle: R\nformat: html\nexecute:\n  freeze: auto\n---\n\n"
                                         "{{< embed analysis.ipynb#summary >}}\n", encoding="utf-8")
    arguments = (str(tmp_path / "report.qmd"), "--output-dir", str(tmp_path / "out"))
    assert render_cli(*arguments)[0] == 0
    code, stderr = render_cli(*arguments)
    assert code == 0 and "up to date" in stderr  # nothing changed: nothing done
    notebook.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="REVISEDTEXT\n")]
    nbformat.write(notebook, tmp_path / "analysis.ipynb")
    code, stderr = render_cli(*arguments)
    assert code == 0 and "up to date" not in stderr  # the embedded notebook is part of what the page uses
    assert "REVISEDTEXT" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")


def test_a_qmd_is_embedded_executed_and_an_embed_shown_in_a_code_block_stays_as_written(tmp_path):
    # Quarto embeds from a .qmd too: it runs it (its own freeze applies) and shows the cell's outputs
    (tmp_path / "helper.qmd").write_text(
        "---\ntitle: Helper\nexecute:\n  freeze: auto\n---\n\n```{python}\n#| label: fig-squares\n"
        "#| fig-cap: Squares from the helper\nimport matplotlib.pyplot as plt\nplt.plot([1, 4, 9, 16])\nplt.show()\n"
        "```\n\n```{python}\n#| label: total\nprint('total is', 1 + 4 + 9 + 16)\n```\n", encoding="utf-8")
    (tmp_path / "main.qmd").write_text(
        "---\ntitle: Main\n---\n\nSee @fig-squares.\n\n{{< embed helper.qmd#fig-squares >}}\n\n"
        "{{< embed helper.qmd#total >}}\n\n```{.markdown shortcodes=false}\n{{< embed nowhere.qmd#x >}}\n```\n",
        encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "main.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    soup = BeautifulSoup((tmp_path / "out" / "main.html").read_text(encoding="utf-8"), "html.parser")
    text = " ".join(soup.body.get_text(" ").split())
    assert "See Figure 1" in text and "Figure 1: Squares from the helper" in text and "total is 30" in text
    assert soup.select_one("#fig-squares img")["src"].startswith("data:image/png")
    assert "plt.plot" not in text and "{{< embed nowhere.qmd#x >}}" in text  # the example is shown as written
    assert [a.get_text() for a in soup.select("a.quarto-notebook-link")] == ["Source: helper.qmd"] * 2


def test_the_source_link_names_a_notebook_by_its_first_heading_never_by_a_code_comment(tmp_path):
    from qmdrender.embeds import source_title

    later = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Some prose first.\n\n# Some Header")])
    commented = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("```python\n# plt.savefig('x.png')\n```"),
        nbformat.v4.new_code_cell("# plt.savefig('x.png')")])
    assert source_title({}, later) == "Some Header"  # a heading after prose still names it
    assert source_title({}, commented) == ""  # a comment in code is no heading: the file's name is shown
    assert source_title({"title": "Given"}, later) == "Given"
