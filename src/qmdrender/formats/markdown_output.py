"""Markdown as the output (``format: gfm``, ``commonmark``, ``markdown``, ``md``), as Quarto writes it
(https://quarto.org/docs/output-formats/gfm.html): a ``README.qmd`` becomes a ``README.md`` that GitHub shows
with its code, outputs and plots.

Quarto's choices, followed here: GFM is pandoc's CommonMark writer with GitHub's extensions (bare links,
emoji, footnotes, GitHub's heading identifiers, pipe tables, strikeout, task lists, ``$`` maths); a title,
its authors and date open the file as a ``#`` heading and lines under it; cells are not wrapped in divs
(``filters/markdown_output.lua``), a callout is a GitHub alert (``> [!NOTE]``), a numbered figure or table a
``<div id="fig-x">`` with its "Figure 1: ..." caption, a mermaid cell a ``mermaid`` code block (GitHub draws
it). Plots are files beside the Markdown, in ``STEM_files/figure-commonmark/`` as Quarto names that folder,
and a local image the text shows is published with it, so the links hold in the output folder.
``markdown`` is pandoc's own Markdown with the YAML front matter kept, as Quarto writes it.
"""

from __future__ import annotations

import re
from pathlib import Path

from qmdrender.formats import HTML_MIME_ORDER, MARKDOWN_FIGURE_FOLDER, Format, register
from qmdrender.formats.docx import OFFICE_FILTERS
from qmdrender.formats.writing import Job, common_arguments, write_markdown

ASSETS = Path(__file__).resolve().parent.parent / "assets"

# Quarto's GitHub extensions over CommonMark
GFM_EXTENSIONS = ("+autolink_bare_uris+emoji+footnotes+gfm_auto_identifiers+pipe_tables+strikeout+task_lists"
                  "+tex_math_dollars")
# Quarto's ``md``: strict Markdown with what every Markdown reader takes
MD_EXTENSIONS = ("+raw_html+all_symbols_escapable+backtick_code_blocks+fenced_code_blocks+space_in_atx_header"
                 "+intraword_underscores+lists_without_preceding_blankline+shortcut_reference_links")
WRITERS = {"gfm": f"commonmark{GFM_EXTENSIONS}", "commonmark": "commonmark", "md": f"markdown_strict{MD_EXTENSIONS}",
           "markdown": "markdown"}
MARKDOWN_FILTERS = (*OFFICE_FILTERS, "markdown_output")


def write_markdown_output(output_format: Format, job: Job, target: Path) -> None:
    options = job.options.for_format(output_format.name)
    assembled = job.assemble(output_format)
    arguments = common_arguments(job, options)
    if output_format.name != "markdown" and not options.get("template"):  # pandoc's would leave the title out
        arguments.append(f"--template={ASSETS / 'markdown_title.md'}")
    written = job.work / f"{target.stem}.pandoc.md"
    write_markdown(job, output_format, assembled, WRITERS[output_format.name], written, arguments)
    text = written.read_text(encoding="utf-8")
    target.write_text(_with_published_images(job, text, target.stem), encoding="utf-8")


def _with_published_images(job: Job, text: str, stem: str) -> str:
    """``text`` with its plots' links pointing at ``STEM_files/figure-commonmark/``, where they are published,
    and the shortcodes a document writes about (``{{</* */>}}``-escaped) as it wrote them; the local images it
    shows are published under the names it gives them."""
    for figures in sorted(job.work.glob("figures-*")):
        for path in sorted(figures.rglob("*")):
            if path.is_file() and path.as_posix() in text:
                name = f"{stem}_files/{MARKDOWN_FIGURE_FOLDER}/{path.relative_to(figures).as_posix().replace('/', '-')}"
                job.keep_file(name, path)
                text = text.replace(path.as_posix(), name)
    for link in _LOCAL_IMAGE.findall(text):
        source = (job.folder / link).resolve()
        if source.is_file() and source.is_relative_to(job.folder) and not link.startswith(f"{stem}_files/"):
            job.keep_file(link, source)
    return text.replace("{{\\<", "{{<").replace("\\>}}", ">}}")


# an image's link in Markdown or in HTML, relative and without a scheme
_LOCAL_IMAGE = re.compile(r"""(?:!\[[^\]]*\]\(<?|<img[^>]*?\bsrc=["'])(?![a-z][a-z0-9+.-]*:|/|#)([^)\s>"']+)""")


def _registered(name: str) -> Format:
    def write(job: Job, target: Path) -> None:
        write_markdown_output(FORMATS_BY_NAME[name], job, target)

    # Quarto's defaults for Markdown: 7x5 in PNG plots
    return register(Format(name, "md", "markdown", write, HTML_MIME_ORDER,
                           defaults={"fig-width": 7, "fig-height": 5, "fig-format": "png", "fig-dpi": 96},
                           filters=MARKDOWN_FILTERS))


FORMATS_BY_NAME = {name: _registered(name) for name in WRITERS}
