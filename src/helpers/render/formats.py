"""The output formats: a registry from format name to the function that writes it.

Each writer takes the one executed notebook of the render, assembles Markdown for its format and
calls pandoc with the options Quarto documents for it (``toc``, ``toc-depth``, ``number-sections``,
``css``, ``include-in-header``, ``bibliography`` ...). Adding a format (reveal.js, Beamer) is one
more entry in :data:`WRITERS` and, where its outputs differ, one in ``types.FORMAT_SPECS``.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import nbformat
import yaml

from helpers.render.document import QmdDocument
from helpers.render.markdown import Assembled, assemble
from helpers.render.options import DocumentOptions
from helpers.render.pandoc import run_pandoc, xelatex
from helpers.render.types import REPOSITORY, RenderError, warn

# One Lua filter per feature, in the order they must run: resources first (paths), HTML tables before
# crossref (a DataFrame becomes a table it can caption), crossref before layout (which arranges a
# float's body), citeproc last (pandoc runs it after the Lua filters).
# The report preamble (fonts, floats, callout boxes), as a resolved path so that a document which
# includes it itself (our notebooks do, for Quarto) gets it once.
LATEX_PREAMBLE = Path(str(files("helpers").joinpath("latex_preamble.tex"))).resolve()

HTML_FILTERS = ("resources", "callouts", "tabsets", "crossref", "section_numbers", "layout", "figures")
LATEX_FILTERS = ("resources", "html_tables", "callouts", "tabsets", "crossref", "layout", "figures")


@dataclass(frozen=True)
class Job:
    """What every writer gets: the executed notebook, the document, its options and a private work folder."""

    notebook: nbformat.NotebookNode
    document: QmdDocument
    options: DocumentOptions
    work: Path
    fail_on_missing_glyphs: bool = False

    @property
    def folder(self) -> Path:
        return self.document.path.resolve().parent


def _as_list(value: Any) -> list[str]:
    if value in (None, False, ""):
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _local_file(job: Job, name: str, option: str) -> Path:
    path = Path(name).expanduser()
    if name.startswith("/") and not path.exists() and job.options.project is not None:
        path = job.options.project / name.lstrip("/")
    path = (path if path.is_absolute() else job.folder / path).resolve()
    if not path.is_file():
        raise RenderError(f"{job.document.path}: {option}: {name} does not exist (paths are relative to the "
                          "document's folder).")
    return path


def common_arguments(job: Job, options: Mapping[str, Any]) -> list[str]:
    """Pandoc arguments every document format shares."""
    folders = [job.folder, *([job.options.project] if job.options.project else []), job.work]
    arguments = ["--standalone", f"--resource-path={':'.join(map(str, folders))}"]
    if options.get("toc") or options.get("table-of-contents"):
        arguments.append("--toc")
        arguments.append(f"--toc-depth={int(options.get('toc-depth', 3))}")
    for key in ("include-in-header", "include-before-body", "include-after-body"):
        for name in _as_list(options.get(key)):
            arguments.append(f"--{key}={_local_file(job, name, key)}")
    bibliographies = _as_list(options.get("bibliography"))
    for name in bibliographies:
        _local_file(job, name, "bibliography")
    if bibliographies or options.get("references"):
        arguments.append("--citeproc")
    if options.get("csl"):
        _local_file(job, str(options["csl"]), "csl")
    return arguments


def _with_renderer_metadata(job: Job, assembled: Assembled) -> str:
    """The Markdown with a metadata block the filters read (where the document and project are)."""
    meta = {"embedded-renderer": {"document-dir": str(job.folder),
                                  "project-root": str(job.options.project) if job.options.project else ""}}
    if not meta["embedded-renderer"]["project-root"]:
        del meta["embedded-renderer"]["project-root"]
    return f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n\n{assembled.markdown}"


def write_html(job: Job, target: Path) -> None:
    """Self-contained HTML: figures, styles and scripts embedded, math as MathML (no network needed)."""
    options = job.options.for_format("html")
    assembled = assemble(job.notebook, job.document, job.options, "html", job.work / "figures-html")
    css = files("helpers").joinpath("report.css")
    arguments = [*common_arguments(job, options), "--embed-resources", "--mathml", f"--css={css}"]
    if options.get("toc") and "toc-title" not in options:
        arguments.append("--metadata=toc-title:Table of contents")
    for name in _as_list(options.get("css")):
        arguments.append(f"--css={_local_file(job, name, 'css')}")
    if "plotly" in assembled.needs:
        arguments.append(f"--include-in-header={_plotly_header(job)}")
    run_pandoc(_with_renderer_metadata(job, assembled), "html5", target, arguments, cwd=job.folder,
               filters=HTML_FILTERS)


def _plotly_header(job: Job) -> Path:
    """plotly.js from the installed ``plotly`` package (a registry package, never a CDN), inlined once."""
    import importlib.util

    spec = importlib.util.find_spec("plotly")
    script = Path(spec.origin).parent / "package_data" / "plotly.min.js" if spec and spec.origin else None
    if script is None or not script.is_file():
        raise RenderError("this document shows a plotly figure, and HTML output needs plotly.js from the "
                          "'plotly' package: pip install plotly (it is in requirements.txt).")
    header = job.work / "plotly-header.html"
    header.write_text(f"<script>{script.read_text(encoding='utf-8')}</script>\n", encoding="utf-8")
    return header


def write_pdf(job: Job, target: Path) -> None:
    """A xelatex PDF with the report preamble (CJK/emoji fonts, figures in place, wrapped code)."""
    options = job.options.for_format("pdf")
    engine = str(options.get("pdf-engine", "xelatex"))
    if engine != "xelatex":
        warn(f"{job.document.path}: pdf-engine {engine} is not supported by the embedded renderer; using xelatex.")
    assembled = assemble(job.notebook, job.document, job.options, "pdf", job.work / "figures-pdf")
    preamble = LATEX_PREAMBLE
    arguments = [f"--include-in-header={preamble}", *common_arguments(job, options), "--variable=colorlinks:true"]
    arguments = list(dict.fromkeys(arguments))  # a document that includes our preamble itself: once
    if options.get("number-sections"):
        arguments.append("--number-sections")
        if not _has_top_level_heading(assembled.markdown):  # "##" headings are the sections, as in Quarto
            arguments.append("--shift-heading-level-by=-1")
    if not any(key in options for key in ("geometry", "margin-left", "margin")):
        arguments.append("--variable=geometry:margin=2.2cm")
    tex = job.work / f"{target.stem}.tex"
    run_pandoc(_with_renderer_metadata(job, assembled), "latex", tex, arguments, cwd=job.folder,
               filters=LATEX_FILTERS)
    text = tex.read_text(encoding="utf-8")
    passes = 2 if any(mark in text for mark in ("\\tableofcontents", "\\ref{", "\\cite")) else 1
    shutil.move(xelatex(tex, passes=passes, fail_on_missing_glyphs=job.fail_on_missing_glyphs), target)


def _has_top_level_heading(markdown: str) -> bool:
    body = re.sub(r"^(`{3,}|~{3,}).*?^\1", "", markdown, flags=re.M | re.S)  # not inside code blocks
    return re.search(r"^# \S", body, flags=re.M) is not None


def revealjs_path() -> Path:
    """reveal.js from the npm registry, installed by the Makefile into ``.cache/revealjs`` (never a CDN).

    ``LLM_REPORTS_REVEALJS`` names another copy (a folder holding ``dist/reveal.js``)."""
    configured = os.environ.get("LLM_REPORTS_REVEALJS")
    folder = Path(configured) if configured else REPOSITORY / ".cache" / "revealjs" / "node_modules" / "reveal.js"
    if not (folder / "dist" / "reveal.js").is_file():
        raise RenderError(f"reveal.js slides need reveal.js, which is not installed at {folder}. Run `make setup` "
                          "(npm install reveal.js into .cache/revealjs), or set LLM_REPORTS_REVEALJS to a copy.")
    return folder


def _slide_arguments(options: Mapping[str, Any]) -> list[str]:
    arguments = [f"--slide-level={int(options.get('slide-level', 2))}"]
    if options.get("incremental"):
        arguments.append("--incremental")
    return arguments


def write_revealjs(job: Job, target: Path) -> None:
    """reveal.js slides in one self-contained HTML file: reveal.js, its notes plugin (speaker view),
    figures and styles all embedded; works offline, and ``?print-pdf`` prints it."""
    options = job.options.for_format("revealjs")
    assembled = assemble(job.notebook, job.document, job.options, "revealjs", job.work / "figures-revealjs")
    css = files("helpers").joinpath("slides.css")
    arguments = [*common_arguments(job, options), *_slide_arguments(options), "--embed-resources", "--mathml",
                 f"--variable=revealjs-url:{revealjs_path()}", f"--css={css}"]
    if "theme" not in options:
        arguments.append("--variable=theme:white")
    if "plotly" in assembled.needs:
        arguments.append(f"--include-in-header={_plotly_header(job)}")
    run_pandoc(_with_renderer_metadata(job, assembled), "revealjs", target, arguments, cwd=job.folder,
               filters=HTML_FILTERS)


def write_beamer(job: Job, target: Path) -> None:
    """Beamer slides through xelatex, with the report preamble (fonts, callout boxes, floats)."""
    options = job.options.for_format("beamer")
    assembled = assemble(job.notebook, job.document, job.options, "beamer", job.work / "figures-beamer")
    preamble = LATEX_PREAMBLE
    arguments = list(dict.fromkeys([f"--include-in-header={preamble}", *common_arguments(job, options),
                                    *_slide_arguments(options)]))
    tex = job.work / f"{target.stem}.tex"
    run_pandoc(_with_renderer_metadata(job, assembled), "beamer", tex, arguments, cwd=job.folder,
               filters=LATEX_FILTERS)
    shutil.move(xelatex(tex, passes=2, fail_on_missing_glyphs=job.fail_on_missing_glyphs), target)


def write_ipynb(job: Job, target: Path) -> None:
    """The executed notebook, injected parameters included, as papermill writes it."""
    nbformat.write(job.notebook, str(target))


WRITERS: dict[str, Callable[[Job, Path], None]] = {
    "html": write_html,
    "pdf": write_pdf,
    "ipynb": write_ipynb,
    "revealjs": write_revealjs,
    "beamer": write_beamer,
}
