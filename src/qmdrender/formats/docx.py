"""MS Word (``format: docx``): pandoc's Word writer over the same Markdown and filters as the other
formats, with Quarto's figure defaults and its options for Word: ``reference-doc`` (the styles of a Word
file of the author's), ``toc`` and ``number-sections``. HTML tables in cell outputs become Word tables;
raw HTML that Word cannot show is left out with a warning naming it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qmdrender.formats import Format, register
from qmdrender.formats.writing import Job, common_arguments, local_file, write_markdown

# Word and PowerPoint take bitmaps and read HTML tables through pandoc (filters/html_tables.lua)
OFFICE_MIME_ORDER = ("image/png", "image/jpeg", "text/markdown", "text/html", "text/plain")
OFFICE_FILTERS = ("braced_fences",
                  "code_annotations", "code_filename", "conditional", "list_tables", "table_captions", "resources",
                  "linked_figures", "html_tables", "callouts", "tabsets", "theorems", "crossref", "figures",
                  "html_only")


def office_arguments(job: Job, options: Mapping[str, Any]) -> list[str]:
    """What Word and PowerPoint share: pandoc's common arguments, ``number-sections`` and ``reference-doc``
    (the styles, or the slide masters, of an Office file of the author's)."""
    arguments = common_arguments(job, options)
    if options.get("number-sections"):
        arguments.append("--number-sections")
    if options.get("reference-doc"):
        arguments.append(f"--reference-doc={local_file(job, str(options['reference-doc']), 'reference-doc')}")
    return arguments


def write_docx(job: Job, target: Path) -> None:
    options = job.options.for_format(DOCX.name)
    write_markdown(job, DOCX, job.assemble(DOCX), "docx", target, office_arguments(job, options))


# Quarto's defaults for Word: 5x4 in figures, as PNG.
DOCX = register(Format(
    "docx", "docx", "office", write_docx, OFFICE_MIME_ORDER,
    defaults={"fig-width": 5, "fig-height": 4, "fig-format": "png", "fig-dpi": 96},
    filters=OFFICE_FILTERS,
))
