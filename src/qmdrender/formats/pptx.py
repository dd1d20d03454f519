"""PowerPoint (``format: pptx``): pandoc's PowerPoint writer over the same Markdown and filters as Word,
as Quarto makes it (https://quarto.org/docs/presentations/powerpoint.html): headings of ``slide-level``
(without one, pandoc's rule, as under Quarto) start slides, ``::: notes`` become speaker notes, columns
become two-content slides, ``incremental`` lists, ``reference-doc`` (the slide masters of a PowerPoint file
of the author's), ``toc`` and ``number-sections``. Figures are bitmaps, and diagrams are drawn as PNG, as
for Word."""

from __future__ import annotations

from pathlib import Path

from qmdrender.formats import SLIDE_EXECUTION, Format, register
from qmdrender.formats.docx import OFFICE_FILTERS, OFFICE_MIME_ORDER, office_arguments
from qmdrender.formats.revealjs import slide_arguments
from qmdrender.formats.writing import Job, write_markdown


def write_pptx(job: Job, target: Path) -> None:
    options = job.options.for_format(PPTX.name)
    arguments = [*office_arguments(job, options), *slide_arguments(options)]
    write_markdown(job, PPTX, job.assemble(PPTX), "pptx", target, arguments)


# Quarto's defaults for PowerPoint: 7.5x5.5 in figures, as PNG; no slide-level (pandoc's rule: slide_arguments).
PPTX = register(Format(
    "pptx", "pptx", "office", write_pptx, OFFICE_MIME_ORDER,
    defaults={**SLIDE_EXECUTION,
              "fig-width": 7.5, "fig-height": 5.5, "fig-format": "png", "fig-dpi": 96},
    filters=(*OFFICE_FILTERS, "pptx_layout"), slides=True,
))
