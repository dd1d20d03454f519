"""A toy output format in one module, as a user would add one: GitHub-flavoured Markdown (``--to gfm``).

Nothing else in the renderer changes: the registry gives it its extension, its outputs' MIME order,
its defaults and filters, and the pipeline, the CLI's ``--to`` and freeze pick it up from there.
"""

from __future__ import annotations

from pathlib import Path

from qmdrender.formats import HTML_MIME_ORDER, Format, register
from qmdrender.formats.writing import Job, common_arguments, write_markdown


def write_gfm(job: Job, target: Path) -> None:
    options = job.options.for_format(GFM.name)
    write_markdown(job, GFM, job.assemble(GFM), "gfm", target, common_arguments(job, options))


GFM = register(Format("gfm", "md", "html", write_gfm, HTML_MIME_ORDER,
                      defaults={"fig-width": 6, "fig-height": 4, "fig-format": "png", "fig-dpi": 96},
                      filters=("resources", "crossref")))
