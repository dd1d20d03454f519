"""Diagram cells, as Quarto renders them (https://quarto.org/docs/authoring/diagrams.html).

```` ```{mermaid} ```` and ```` ```{dot} ```` cells are drawn, not run: options come from ``%%|``
(mermaid) and ``//|`` (dot) lines; ``label: fig-...`` and ``fig-cap`` make them numbered, captioned
figures like any other; ``file:`` takes the diagram's code from a file; the code is shown only with
``echo: true`` or ``echo: fenced``. HTML pages and slides: Graphviz's SVG inline, and mermaid drawn in the page
by mermaid.js (from the npm registry, inlined, as Quarto does). PDF and Beamer: a vector PDF image,
from Graphviz, and for mermaid from headless Chromium (mermaid.js draws the SVG, Chromium prints it
to a PDF page of the diagram's size), as Quarto uses a browser for it. Word, PowerPoint and Markdown: a PNG,
except a mermaid cell in Markdown, which stays a ``mermaid`` code block that GitHub draws. A missing tool or a diagram
that does not parse is a warning, and the cell's code is shown instead.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import nbformat

from qmdrender.formats import Format
from qmdrender.images import browser, print_svg, snapshot_svg, svg_size
from qmdrender.qmd import code_without_options
from qmdrender.types import REPOSITORY, RenderError, warn


def mermaid_script() -> Path:
    """mermaid.js from the npm registry, installed by the Makefile into ``.cache/mermaid`` (never a CDN);
    ``LLM_REPORTS_MERMAID`` names another copy (a folder holding ``dist/mermaid.min.js``)."""
    configured = os.environ.get("LLM_REPORTS_MERMAID")
    folder = Path(configured) if configured else REPOSITORY / ".cache" / "mermaid" / "node_modules" / "mermaid"
    script = folder / "dist" / "mermaid.min.js"
    if not script.is_file():
        raise RenderError(f"mermaid diagrams need mermaid.js, which is not installed at {folder}. Run `make setup` "
                          "(npm install mermaid into .cache/mermaid), or set LLM_REPORTS_MERMAID to a copy.")
    return script


def with_code_from_file(cell: nbformat.NotebookNode, settings: Mapping[str, Any]) -> nbformat.NotebookNode | None:
    """The cell, its code read from ``file:`` (a path from the document's folder) after its option lines when
    it names one; None, with a warning, when that file cannot be read."""
    if not settings.get("file"):
        return cell
    language = cell.metadata["language"]
    try:
        code = Path(str(settings["file"])).read_text(encoding="utf-8").strip("\n")
    except (OSError, UnicodeDecodeError) as error:
        warn(f"the {language} cell's file {settings['file']} cannot be read ({error}); the diagram is left out.")
        return None
    options = cell.source[:len(cell.source) - len(code_without_options(cell.source, language))].rstrip("\n")
    return nbformat.from_dict({**cell, "source": f"{options}\n{code}" if options else code})


def diagram_cell(cell: nbformat.NotebookNode, settings: Mapping[str, Any], output_format: Format, stem: Path,
                 needs: set[str]) -> list[str]:
    """The Markdown of a diagram cell for ``output_format`` (see the module docstring)."""
    language = cell.metadata["language"]
    code = code_without_options(cell.source, language).strip("\n")
    label = str(settings.get("label") or "")
    caption = str(settings.get("fig-cap") or "")
    try:
        # a diagram keeps its natural size unless its cell sets fig-width (Quarto's "Sizing"): the
        # format's default figure width is for plots, not diagrams
        own_width = cell.metadata.get("quarto", {}).get("fig-width")
        body = _drawn(language, code, output_format, stem, {**settings, "fig-width": own_width}, needs)
    except RenderError as error:
        warn(f"{error} The {language} cell is shown as code.")
        body = f"```{language}\n{code}\n```"
    if label.startswith("fig-"):
        return [f"::: {{#{label}}}", body, caption, ":::"]
    if caption:  # a caption without a fig- label: shown, not numbered
        return ["::: {.quarto-figure}", body, caption, ":::"]
    return [body]


def _drawn(language: str, code: str, output_format: Format, stem: Path, settings: Mapping[str, Any],
           needs: set[str]) -> str:
    width = settings.get("fig-width")
    align = str(settings.get("fig-align") or "")
    aligned = align in ("left", "center", "right")  # fig-align, as for any figure (figures.lua in PDF)
    attributes = [*([f"width={width}in"] if isinstance(width, int | float) else []),
                  *([f"fig-align={align}"] if aligned else [])]
    size = f"{{{' '.join(attributes)}}}" if attributes else ""
    if output_format.target == "html":
        if language == "mermaid":
            mermaid_script()  # installed? (the writer inlines it once per page)
            needs.add("mermaid")
            drawn = f'<pre class="mermaid">{html.escape(code)}</pre>'
        else:
            svg = _graphviz(code, "svg").decode("utf-8")
            if "<svg" not in svg:  # an empty cell: dot draws nothing and says nothing
                raise RenderError("Graphviz drew nothing for the dot cell (is it empty?).")
            drawn = f'<div class="graphviz">{svg[svg.index("<svg"):]}</div>'  # no XML prolog or doctype
        if aligned:  # the drawing is an inline SVG: the line it sits on places it
            drawn = f'<div class="quarto-figure-{align}" data-layout-align="{align}" style="text-align: {align};">' \
                    f"{drawn}</div>"
        return f"```{{=html}}\n{drawn}\n```"
    if output_format.target == "markdown" and language == "mermaid":  # GitHub draws a mermaid code block
        return f"```mermaid\n{code}\n```"
    stem.mkdir(parents=True, exist_ok=True)
    if output_format.target in ("office", "markdown"):  # Word, PowerPoint and Markdown show bitmaps, not PDF
        target = stem.with_name(f"{stem.name}-{language}.png")
        if language == "mermaid":
            svg = _mermaid_svg(code)
            target.write_bytes(snapshot_svg(svg, *svg_size(svg)))
        else:
            target.write_bytes(_graphviz(code, "png", "-Gdpi=150"))
        return f"![]({target.as_posix()}){size}"
    target = stem.with_name(f"{stem.name}-{language}.pdf")
    if language == "mermaid":
        target.write_bytes(_mermaid_pdf(code))
    else:
        target.write_bytes(_graphviz(code, "pdf"))
    return f"![]({target.as_posix()}){size}"


def _graphviz(code: str, kind: str, *options: str) -> bytes:
    dot = shutil.which("dot")
    if dot is None:
        raise RenderError("a dot cell needs Graphviz's dot, which is not installed (Debian: apt-get install graphviz).")
    done = subprocess.run([dot, f"-T{kind}", *options], input=code.encode("utf-8"), capture_output=True,
                          timeout=120)
    if done.returncode != 0:
        raise RenderError(f"Graphviz could not draw the dot cell: {done.stderr.decode('utf-8', 'replace').strip()}.")
    return done.stdout


_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><script src="{script}"></script></head><body>
<pre class="mermaid">{code}</pre>
<script>
mermaid.initialize({{startOnLoad: false, htmlLabels: false, flowchart: {{htmlLabels: false}}}});
mermaid.run().then(() => document.body.setAttribute("data-drawn", "yes"),
                   (error) => document.body.setAttribute("data-error", String(error && error.message || error)));
</script></body></html>"""


def _mermaid_pdf(code: str) -> bytes:
    """The diagram printed by Chromium on one page of its size (vector text, see :func:`_mermaid_svg`)."""
    svg = _mermaid_svg(code)
    width, height = svg_size(svg)
    return print_svg(svg, width, height)


def _mermaid_svg(code: str) -> str:
    """mermaid.js draws the SVG in headless Chromium (SVG text, no HTML labels, so that it prints as
    vector text and stands alone as a file)."""
    script = mermaid_script()
    with tempfile.TemporaryDirectory(prefix="qmdrender-mermaid-") as work:
        page = Path(work) / "draw.html"
        page.write_text(_PAGE.format(script=script.as_uri(), code=html.escape(code)), encoding="utf-8")
        command = [browser(), "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={work}/profile",
                   "--allow-file-access-from-files", "--virtual-time-budget=20000", "--dump-dom", page.as_uri()]
        dom = subprocess.run(command, capture_output=True, text=True, timeout=120).stdout
    error = re.search(r'data-error="([^"]*)"', dom)
    svg = re.search(r"<svg.*?</svg>", dom, re.S)
    if error or svg is None:
        reason = html.unescape(error[1]) if error else "it drew nothing"
        raise RenderError(f"mermaid could not draw the diagram: {reason}.")
    drawing = svg[0]
    if "xmlns=" not in drawing[:300]:  # a file of its own needs the namespace the page supplied
        drawing = drawing.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
    return drawing
