"""Every .qmd parses as Quarto would read it, so the Quarto path stays valid without Quarto here."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from qmdrender.document import QmdError, read_qmd
from qmdrender.qmd import cell_options

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.qmd"))


def test_the_three_reports_exist():
    assert {p.stem for p in NOTEBOOKS} >= {"llm_api_overview", "sampling_explorer", "compare_prompts"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_qmd_front_matter_cells_and_parameters_are_valid(path):
    document = read_qmd(path)
    front = document.front_matter
    assert front["title"] and front["author"] and front["date"]
    assert front["jupyter"] == "python3"
    assert set(front["format"]) in ({"html", "pdf"}, {"revealjs", "beamer"})  # a report, or slides
    if "pdf" in front["format"]:
        assert front["format"]["pdf"]["pdf-engine"] == "xelatex"
        header = path.parent / front["format"]["pdf"]["include-in-header"]
        assert header.is_file()
    code_cells = [c for c in document.notebook.cells if c.cell_type == "code"]
    assert code_cells
    for cell in code_cells:
        options = cell_options(cell.source)
        assert isinstance(options, dict)
        assert set(options) <= {"tags", "label", "echo", "include", "output", "warning", "fig-cap", "tbl-cap"}
    tagged = [c for c in code_cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    defaults = document.parameter_defaults()
    assert defaults and all(name.isidentifier() for name in defaults)


def test_quarto_project_renders_notebooks_into_output():
    project = yaml.safe_load((ROOT / "_quarto.yml").read_text())
    assert project["project"]["output-dir"] == "_output"
    assert "html" in project["format"] and "pdf" in project["format"]


def test_invalid_cell_options_and_two_parameters_cells_are_reported(tmp_path):
    broken = tmp_path / "broken.qmd"
    broken.write_text("---\ntitle: x\n---\n\n```{python}\n#| echo: [unclosed\nx = 1\n```\n")
    with pytest.raises(QmdError, match="not valid YAML"):
        read_qmd(broken)
    two = tmp_path / "two.qmd"
    cell = "```{python}\n#| tags: [parameters]\nx = 1\n```\n\n"
    two.write_text("---\ntitle: x\n---\n\n" + cell + cell)
    with pytest.raises(QmdError, match="2 cells are tagged 'parameters'; keep one"):
        read_qmd(two).parameter_defaults()
