"""Beamer slides through xelatex, with the report preamble (fonts, callout boxes, floats)."""

from __future__ import annotations

import shutil
from pathlib import Path

from qmdrender.fonts import latex_font_arguments
from qmdrender.formats import LATEX_MIME_ORDER, SLIDE_EXECUTION, Format, register
from qmdrender.formats.pdf import LATEX_FILTERS
from qmdrender.formats.revealjs import slide_arguments
from qmdrender.formats.writing import Job, common_arguments, latex_theme_arguments, typeset
from qmdrender.pandoc import require_xelatex


def write_beamer(job: Job, target: Path) -> None:
    options = job.options.for_format(BEAMER.name)
    assembled = job.assemble(BEAMER)
    arguments = [*latex_theme_arguments(job), *common_arguments(job, options, latex=True), *slide_arguments(options),
                 *latex_font_arguments(options, str(job.document.path))]
    tex = job.work / f"{target.stem}.tex"
    shutil.move(typeset(job, BEAMER, assembled, "beamer", tex, arguments, passes=2), target)


# Quarto's defaults: 10x7 in figures; no slide-level (pandoc's rule: slide_arguments).
BEAMER = register(Format(
    "beamer", "pdf", "latex", write_beamer, LATEX_MIME_ORDER,
    defaults={**SLIDE_EXECUTION,
              "fig-width": 10, "fig-height": 7, "fig-format": "pdf", "fig-dpi": 300},
    filters=(*LATEX_FILTERS, "beamer_columns"), requires=(require_xelatex,), slides=True,
))
