"""A toy output format in one module, as a user would add one: reStructuredText (``--to rst``), which the
renderer does not have.

Nothing else in the renderer changes: the registry gives it its extension, its outputs' MIME order,
its defaults and filters, and the pipeline, the CLI's ``--to`` and freeze pick it up from there.
"""

from __future__ import annotations

from pathlib import Path

from qmdrender.formats import HTML_MIME_ORDER, Format, register
from qmdrender.formats.writing import Job, common_arguments, write_markdown


def write_rst(job: Job, target: Path) -> None:
    options = job.options.for_format(RST.name)
    write_markdown(job, RST, job.assemble(RST), "rst", target, common_arguments(job, options))


RST = register(Format("rst", "rst", "html", write_rst, HTML_MIME_ORDER,
                      defaults={"fig-width": 6, "fig-height": 4, "fig-format": "png", "fig-dpi": 96},
                      filters=("resources", "crossref")))
