"""Notebook scripts in the percent format (``# %%``), rendered as Quarto renders them: the first Markdown cell's
front matter, ``#|`` options and header attributes, Markdown as comments or between triple quotes, raw cells of a
format; in a project such a script is an input and a plain script is not; a script with no Markdown cell is one
clear error."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from qmdrender.percent import qmd_text
from qmdrender.projects import load_project

from .conftest import render_cli

SCRIPT = '''# %% [markdown]
# ---
# title: Roots
# date: 3/12/23
# ---

# %%
#| echo: false
import math
hidden_setup = [math.sqrt(n) for n in range(5)]

# %% [markdown]
"""
## The data

See @fig-roots; the third root is `{python} round(hidden_setup[2], 3)`.
"""

# %% A title Jupytext keeps label="fig-roots" fig-cap="Square roots" tags=["keep"]
import matplotlib.pyplot as plt
plt.plot(hidden_setup)
plt.show()

# %% [raw] format="html"
# <p class="from-raw">kept as HTML</p>

# %% [markdown]
# Closing words.
'''


def test_a_percent_script_renders_as_the_notebook_it_stands_for(tmp_path):
    (tmp_path / "roots.py").write_text(SCRIPT)
    code, stderr = render_cli(str(tmp_path / "roots.py"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    page = BeautifulSoup((tmp_path / "out" / "roots.html").read_text(), "html.parser")
    assert page.select_one("h1.title").get_text(strip=True) == "Roots"
    assert "March 12, 2023" in page.select_one(".quarto-title-meta").get_text(" ", strip=True)
    text = page.get_text(" ", strip=True)
    assert "hidden_setup = [" not in text  # echo: false from its #| line
    assert "See Figure 1 ; the third root is 1.414." in text.replace("\xa0", " ")
    assert page.select_one("figure figcaption").get_text(" ", strip=True).replace("\xa0", " ") == \
        "Figure 1: Square roots"  # label and caption from the cell marker's attributes
    assert page.select_one('a.quarto-xref[href="#fig-roots"]') is not None
    assert page.select_one("p.from-raw").get_text() == "kept as HTML"
    assert page.select_one("h2").get_text(strip=True) == "The data" and "Closing words." in text


def test_cells_are_read_as_quarto_reads_them():
    text = qmd_text('# %% [markdown]\n# ---\n# title: T\n# ---\n\n# %%\nx = 1\n\n\n# %% [markdown]\n#Tight\n'
                    '# # Heading\n\n# %%  [raw]\n"""\nraw as it is\n"""\n', ".py")
    assert text == "---\ntitle: T\n---\n\n```{python}\nx = 1\n```\n\nTight\n# Heading\n\nraw as it is\n"


def test_in_a_project_a_percent_script_is_a_document_and_a_plain_script_is_not(tmp_path):
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\n")
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n")
    (tmp_path / "analysis.py").write_text(SCRIPT)
    (tmp_path / "helpers.py").write_text("def helper():\n    return 1\n")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "model.jl").write_text("# %% [markdown]\n# ---\n# title: J\n# ---\n")
    inputs = [p.relative_to(tmp_path).as_posix() for p in load_project(tmp_path).inputs]
    assert inputs == ["index.qmd", "analysis.py", "notes/model.jl"]


def test_a_script_without_a_markdown_cell_is_one_clear_error(tmp_path):
    (tmp_path / "plain.py").write_text("x = 1\nprint(x)\n")
    code, stderr = render_cli(str(tmp_path / "plain.py"), "--output-dir", str(tmp_path / "out"))
    assert code == 1 and "percent format" in stderr and "# %% [markdown]" in stderr
    assert not (tmp_path / "out" / "plain.html").exists()
    assert Path(tmp_path / "plain.py").read_text() == "x = 1\nprint(x)\n"
