"""HTML: one self-contained page (figures, styles and scripts embedded, maths by MathJax, no network)."""

from __future__ import annotations

from pathlib import Path

from qmdrender.formats import HTML_MIME_ORDER, Format, register
from qmdrender.formats.writing import (
    Job,
    as_list,
    common_arguments,
    html_math_arguments,
    html_theme_arguments,
    local_file,
    plotly_header,
    write_markdown,
)

HTML_FILTERS = ("conditional", "provenance", "resources", "callouts", "tabsets", "theorems", "crossref",
                "margins", "section_numbers", "layout", "figures", "line_highlights")


def write_html(job: Job, target: Path) -> None:
    options = job.options.for_format(HTML.name)
    assembled = job.assemble(HTML)
    arguments = [*common_arguments(job, options), "--embed-resources",
                 *html_math_arguments(job, options, assembled, slides=False), *html_theme_arguments(job, "report.css")]
    if options.get("toc") and "toc-title" not in options:
        arguments.append("--metadata=toc-title:Table of contents")
    for name in as_list(options.get("css")):
        arguments.append(f"--css={local_file(job, name, 'css')}")
    if "plotly" in assembled.needs:
        arguments.append(f"--include-in-header={plotly_header(job)}")
    write_markdown(job, HTML, assembled, "html5", target, arguments)


# Quarto's defaults: 7x5 in figures, retina PNG.
HTML = register(Format(
    "html", "html", "html", write_html, HTML_MIME_ORDER,
    defaults={"fig-width": 7, "fig-height": 5, "fig-format": "retina", "fig-dpi": 96},
    filters=HTML_FILTERS,
))
