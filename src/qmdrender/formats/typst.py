"""Typst (``format: typst``): a PDF typeset by Typst, as Quarto makes it
(https://quarto.org/docs/output-formats/typst.html): pandoc's Typst writer over the same Markdown and
filters as Word (numbered captions and references, callouts, theorems, data frames as tables), then the
Typst compiler, which the ``typst`` wheel bundles (Quarto bundles the Typst CLI; nothing to install).

Quarto's page options reach pandoc's Typst template as the document's metadata, under the same names:
``papersize`` (us-letter), ``margin`` (``x``/``y``/``top`` ..., 1.25in), ``columns``, ``fontsize``,
``mainfont``, ``section-numbering`` (``number-sections`` gives Quarto's 1.1.a), ``page-numbering`` and
``toc``. ``keep-typ`` keeps the ``.typ`` file beside the PDF.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from qmdrender.formats import Format, register
from qmdrender.formats.docx import OFFICE_FILTERS
from qmdrender.formats.pdf import has_top_level_heading
from qmdrender.formats.writing import Job, common_arguments, write_markdown
from qmdrender.types import RenderError

# Typst shows PNG, JPEG, GIF and SVG images; HTML tables are read into real tables.
TYPST_MIME_ORDER = ("image/svg+xml", "image/png", "image/jpeg", "text/markdown", "text/html", "text/plain")


def require_typst() -> object:
    """The Typst compiler (the ``typst`` wheel), or one :class:`RenderError` saying what to install."""
    try:
        import typst
    except ImportError:
        raise RenderError("format: typst needs the Typst compiler: pip install typst (requirements.txt pins it)."
                          ) from None
    return typst


# The filters number figures, tables and listings in their captions ("Figure 1: ..."), as for every other
# format; Typst would number them a second time.
_HEADER = "#set figure(numbering: none)\n"


def write_typst(job: Job, target: Path) -> None:
    typst = require_typst()
    options = job.options.for_format(TYPST.name)
    assembled = job.assemble(TYPST)
    source = job.work / f"{target.stem}.typ"
    arguments = [*common_arguments(job, options), f"--include-in-header={job.header_file('typst-header.typ', _HEADER)}"]
    numbered = options.get("section-numbering")
    if options.get("number-sections") and not numbered:
        numbered = "1.1.a"  # Quarto's numbering for number-sections
        arguments.append(f"--variable=section-numbering:{numbered}")
    if numbered and "shift-heading-level-by" not in options and not has_top_level_heading(assembled.markdown):
        arguments.append("--shift-heading-level-by=-1")  # "##" headings are the sections, as in the PDF
    write_markdown(job, TYPST, assembled, "typst", source, arguments)
    if options.get("keep-typ"):
        job.keep(source.name, source.read_text(encoding="utf-8"))
    folders = [str(folder) for folder in (job.folder, job.options.project) if folder is not None]
    # compiled from beside the document, as Quarto compiles it: a template's own paths ("institution-logo:
    # ./images/logo.png") are the document's; a name of its own, removed after, so no file of the author's is touched
    beside = job.folder / f".{target.stem}.qmdrender-{os.getpid()}-{id(job)}.typ"
    shutil.copyfile(source, beside)
    try:  # root "/": figures live in the render's work folder, images beside the document
        typst.compile(str(beside), output=str(target), root="/", font_paths=folders)
    except Exception as error:  # typst.TypstError: its message says where in the .typ it failed
        raise RenderError(f"Typst could not make the PDF: {error}") from None
    finally:
        beside.unlink(missing_ok=True)


# Quarto's defaults for Typst: 5.5x3.5 in figures, as for a PDF (vector SVG here: Typst reads it).
TYPST = register(Format(
    "typst", "pdf", "office", write_typst, TYPST_MIME_ORDER,
    defaults={"fig-width": 5.5, "fig-height": 3.5, "fig-format": "svg", "fig-dpi": 96},
    filters=OFFICE_FILTERS, requires=(require_typst,),
))
