"""The executed notebook, injected parameters included, as papermill writes it."""

from __future__ import annotations

from pathlib import Path

import nbformat

from qmdrender.formats import Format, register
from qmdrender.formats.writing import Job


def write_ipynb(job: Job, target: Path) -> None:
    nbformat.write(job.notebook, str(target))


IPYNB = register(Format(
    "ipynb", "ipynb", "ipynb", write_ipynb,
    defaults={"fig-width": 7, "fig-height": 5, "fig-format": "png", "fig-dpi": 96},
))
