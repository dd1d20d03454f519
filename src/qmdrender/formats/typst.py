"""Typst (``format: typst``): a PDF typeset by Typst, as Quarto makes it
(https://quarto.org/docs/output-formats/typst.html): pandoc's Typst writer over the same Markdown and
filters as Word (numbered captions and references, callouts, theorems, data frames as tables), then the
Typst compiler, which the ``typst`` wheel bundles (Quarto bundles the Typst CLI; nothing to install).

Quarto's page options are pandoc's Typst template variables: ``papersize`` (us-letter), ``margin``
(``x``/``y``/``top`` ..., 1.25in), ``columns``, ``fontsize``, ``mainfont``, ``section-numbering``,
``page-numbering`` and ``toc``. ``keep-typ`` keeps the ``.typ`` file beside the PDF.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qmdrender.formats import Format, register
from qmdrender.formats.docx import OFFICE_FILTERS
from qmdrender.formats.pdf import has_top_level_heading
from qmdrender.formats.writing import Job, common_arguments, write_markdown
from qmdrender.types import RenderError

# Typst shows PNG, JPEG, GIF and SVG images; HTML tables are read into real tables.
TYPST_MIME_ORDER = ("image/svg+xml", "image/png", "image/jpeg", "text/markdown", "text/html", "text/plain")
_VARIABLES = ("papersize", "columns", "fontsize", "mainfont", "section-numbering", "page-numbering")


def require_typst() -> object:
    """The Typst compiler (the ``typst`` wheel), or one :class:`RenderError` saying what to install."""
    try:
        import typst
    except ImportError:
        raise RenderError("format: typst needs the Typst compiler: pip install typst (requirements.txt pins it)."
                          ) from None
    return typst


def typst_arguments(options: Mapping[str, Any]) -> list[str]:
    """Quarto's Typst page options as pandoc template variables (``margin`` as its ``x``/``y``... parts)."""
    arguments = []
    for name in _VARIABLES:
        value = options.get(name)
        if value is False and name == "page-numbering":
            arguments.append("--variable=page-numbering:")  # none: an empty numbering pattern
        elif value not in (None, False):
            arguments.append(f"--variable={name}:{value}")
    margin = options.get("margin")
    if isinstance(margin, Mapping):
        arguments += [f"--variable=margin.{side}:{value}" for side, value in margin.items() if value is not None]
    return arguments


# The filters number figures, tables and listings in their captions ("Figure 1: ..."), as for every other
# format; Typst would number them a second time.
_HEADER = "#set figure(numbering: none)\n"


def write_typst(job: Job, target: Path) -> None:
    typst = require_typst()
    options = job.options.for_format(TYPST.name)
    assembled = job.assemble(TYPST)
    if options.get("number-sections") and not options.get("section-numbering"):
        options = {**options, "section-numbering": "1.1.a"}  # Quarto's numbering for number-sections
    source = job.work / f"{target.stem}.typ"
    arguments = [*common_arguments(job, options), *typst_arguments(options),
                 f"--include-in-header={job.header_file('typst-header.typ', _HEADER)}"]
    if options.get("section-numbering") and "shift-heading-level-by" not in options \
            and not has_top_level_heading(assembled.markdown):
        arguments.append("--shift-heading-level-by=-1")  # "##" headings are the sections, as in the PDF
    write_markdown(job, TYPST, assembled, "typst", source, arguments)
    if options.get("keep-typ"):
        job.keep(source.name, source.read_text(encoding="utf-8"))
    folders = [str(folder) for folder in (job.folder, job.options.project) if folder is not None]
    try:  # root "/": figures live in the render's work folder, images beside the document
        typst.compile(str(source), output=str(target), root="/", font_paths=folders)
    except Exception as error:  # typst.TypstError: its message says where in the .typ it failed
        raise RenderError(f"Typst could not make the PDF: {error}") from None


# Quarto's defaults for Typst: 5.5x3.5 in figures, slide-free; one PDF per document.
TYPST = register(Format(
    "typst", "pdf", "office", write_typst, TYPST_MIME_ORDER,
    defaults={"fig-width": 5.5, "fig-height": 3.5, "fig-format": "svg", "fig-dpi": 96},
    filters=OFFICE_FILTERS, requires=(require_typst,),
))
