"""PDF: pandoc's LaTeX through xelatex, with the report preamble (CJK/emoji fonts, figures in place,
wrapped code, callout boxes)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qmdrender.fonts import latex_font_arguments
from qmdrender.formats import LATEX_MIME_ORDER, Format, register
from qmdrender.formats.writing import Job, as_list, common_arguments, latex_theme_arguments, typeset
from qmdrender.pandoc import require_xelatex
from qmdrender.qmd import markdown_text
from qmdrender.types import warn

LATEX_FILTERS = ("braced_fences",
                 "code_annotations", "code_filename", "conditional", "list_tables", "table_captions", "provenance",
                 "resources", "linked_figures", "html_tables", "callouts", "tabsets", "table_widths", "theorems",
                 "crossref", "margins", "layout", "figures", "html_only")


def write_pdf(job: Job, target: Path) -> None:
    options = job.options.for_format(PDF.name)
    engine = str(options.get("pdf-engine", "xelatex"))
    if engine != "xelatex":
        warn(f"{job.document.path}: pdf-engine {engine} is not supported by the embedded renderer; using xelatex.")
    assembled = job.assemble(PDF)
    # coloured links, as Quarto's PDFs have them, unless the document says colorlinks: false
    colour = [] if "colorlinks" in options else ["--variable=colorlinks:true"]
    # Quarto's PDF default: level-4 and -5 headings (\paragraph) on lines of their own, not run into the text
    blocks = [] if "block-headings" in options else ["--variable=block-headings:true"]
    arguments = [*latex_theme_arguments(job), *common_arguments(job, options, latex=True), *colour, *blocks,
                 *koma_arguments(options), *latex_font_arguments(options, str(job.document.path))]
    if options.get("number-sections"):
        arguments.append("--number-sections")
        if "shift-heading-level-by" not in options and not has_top_level_heading(assembled.markdown):
            # "##" headings are the sections, as in Quarto
            arguments.append("--shift-heading-level-by=-1")
        depth = options.get("number-depth")
        if isinstance(depth, int) and not isinstance(depth, bool):  # sections numbered down to that level
            chapters = str(options.get("documentclass", "")) in ("book", "report", "scrbook", "scrreprt")
            arguments.append(f"--variable=secnumdepth:{depth - 1 if chapters else depth}")
    # no geometry of its own: KOMA's type area (DIV=11) sets the text block, as in Quarto's PDFs
    geometry = []
    if has_margin_content(assembled.markdown, options):  # a right margin wide enough for \marginpar notes
        own = any(key in options for key in ("geometry", "margin-left", "margin"))
        geometry = [*as_list(options.get("geometry")), *([] if own else ["margin=2.2cm"]), "right=0.3\\paperwidth",
                    "marginparwidth=0.22\\paperwidth", "marginparsep=5mm"]
    arguments += [f"--variable=geometry:{value}" for value in geometry]
    tex = job.work / f"{target.stem}.tex"
    shutil.move(typeset(job, PDF, assembled, "latex", tex, arguments), target)


def koma_arguments(options: Mapping[str, Any]) -> list[str]:
    """Quarto's KOMA-Script defaults: ``scrartcl`` (sans-serif headings and title) unless the document names a
    class, and, for a KOMA class (a book's ``scrreprt`` too), US letter paper unless ``papersize`` says and the
    class options ``DIV=11`` and ``numbers=noendperiod`` (not in German), each unless the document sets that
    option itself. Another class gets none of them, as in Quarto (whose list of KOMA classes lacks ``scrbook``)."""
    documentclass = options.get("documentclass")
    if documentclass and str(documentclass) not in _KOMA_CLASSES:
        return []
    arguments = [] if documentclass else ["--variable=documentclass:scrartcl"]
    if not options.get("papersize"):  # KOMA's own default is A4
        arguments.append("--variable=papersize:letter")
    own = [str(option) for option in as_list(options.get("classoption"))]
    defaults = ["DIV=11"] + ([] if options.get("lang") == "de" else ["numbers=noendperiod"])
    added = [option for option in defaults if not any(mine.startswith(option.split("=")[0] + "=") for mine in own)]
    if added:  # a variable replaces the metadata's list: the document's own options are given again
        arguments += [f"--variable=classoption:{option}" for option in [*own, *added]]
    return arguments


_KOMA_CLASSES = ("srcbook", "scrreprt", "scrreport", "scrartcl", "scrarticle")


_MARGIN_CONTENT = re.compile(r"\{[^}\n]*\.(?:column-margin|aside)\b")


def has_margin_content(markdown: str, options: Mapping[str, Any]) -> bool:
    """Whether the page puts anything in the margin (filters/margins.lua): margin divs or spans, or notes
    with ``reference-location: margin``."""
    return options.get("reference-location") == "margin" or bool(_MARGIN_CONTENT.search(markdown_text(markdown)))


def has_top_level_heading(markdown: str) -> bool:
    """Whether the Markdown (outside front matter and code blocks) has a level-1 heading."""
    return any(line.startswith("# ") and line[2:].strip() for line in markdown_text(markdown).splitlines())


# Quarto's defaults: 5.5x3.5 in figures, as PDF.
PDF = register(Format(
    "pdf", "pdf", "latex", write_pdf, LATEX_MIME_ORDER,
    defaults={"fig-width": 5.5, "fig-height": 3.5, "fig-format": "pdf", "fig-dpi": 300},
    filters=LATEX_FILTERS, requires=(require_xelatex,),
))
