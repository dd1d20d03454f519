"""The executed notebook, injected parameters included, as papermill writes it."""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat

from qmdrender.document import braced_fences_as_written
from qmdrender.formats import Format, register
from qmdrender.formats.writing import Job


def write_ipynb(job: Job, target: Path) -> None:
    notebook = job.notebook
    if any(cell.cell_type == "markdown" and braced_fences_as_written(cell.source) != cell.source
           for cell in notebook.cells):  # another language's cell, as the document wrote it
        notebook = copy.deepcopy(notebook)
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                cell.source = braced_fences_as_written(cell.source)
    nbformat.write(notebook, str(target))


IPYNB = register(Format(
    "ipynb", "ipynb", "ipynb", write_ipynb,
    defaults={"fig-width": 7, "fig-height": 5, "fig-format": "png", "fig-dpi": 96},
))
