"""``python -m qmdrender`` on a project: pre-render, every page into staging, the site (or book), post-render.

Pages render in child processes, several at once (``--jobs``; one kernel per page at most), each as
a document on its own would (freeze included), into ``.quarto/pages``; nothing is published until
its render succeeded. Then :mod:`qmdrender.site` writes the site from the staged pages (for a plain
project, the staged files are copied), and :mod:`qmdrender.book_pdf` builds a book's one PDF.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

from qmdrender.document import read_document
from qmdrender.environment import rendering_project
from qmdrender.formats import base_format, output_name
from qmdrender.parallel import render_in_parallel
from qmdrender.projects import Project, copy_if_changed, copy_resources, declared_formats, load_project, run_scripts
from qmdrender.qmd import QmdError
from qmdrender.types import RenderError, RenderRequest


def render_project(project: Project, child_options: Sequence[str], *, to: Sequence[str] | None, jobs: int,
                   check_current: bool = True, only: Sequence[Path] | None = None) -> int:
    """Render every input of ``project``; 0 when all succeeded (the pages that did are published either way).
    With ``check_current`` the pages whose outputs are up to date (freeze) are found here, in one process,
    and only the others start a child. ``only``: these inputs alone, in the project's context, as ``quarto
    render PAGE`` does in a website or book (the site's chrome around them; a book's PDF is left as it is).
    Every input takes this project's configuration, one in a folder with a ``_quarto.yml`` of its own too."""
    with rendering_project(project.root):
        return _render(project, child_options, to=to, jobs=jobs, check_current=check_current, only=only)


def _render(project: Project, child_options: Sequence[str], *, to: Sequence[str] | None, jobs: int,
            check_current: bool, only: Sequence[Path] | None) -> int:
    started = time.perf_counter()
    chosen = [document for document in project.inputs if only is None or document in only]
    count = f"{len(chosen)} of {len(project.inputs)}" if only is not None else str(len(project.inputs))
    print(f"project {project.root} ({project.kind}, {count} documents) -> {project.output_dir}", file=sys.stderr,
          flush=True)
    run_scripts(project, "pre-render", [], render_all=only is None)
    # as Quarto (1.5 on) the inputs are found again after pre-render scripts: one may have written some
    if only is None and project.settings.get("pre-render"):
        project = load_project(project.root, project.output_dir)
        chosen = list(project.inputs)
    kind = project.kind
    if kind in ("website", "book"):
        from qmdrender.site import site_navigation

        site_navigation(project)  # a broken navbar or sidebar fails here, before any page renders
    for document in chosen:  # a document that cannot be read fails here, before anything renders
        read_document(document)
    declared = [base_format(name) for name in declared_formats(project)]  # a custom format's base (live-html)
    book_pdf = kind == "book" and only is None and (("pdf" in to) if to else "pdf" in declared)
    page_formats = _page_formats(project, to)
    if kind == "book" and page_formats == [] and not book_pdf and only is None:
        others = ", ".join(to) if to else ", ".join(declared_formats(project))
        print(f"error: {project.root}: a book in {others} is not supported by the embedded renderer yet (it makes a "
              "book's HTML pages or its one PDF); render it --to html or --to pdf.", file=sys.stderr, flush=True)
        return 1

    def arguments(document: Path) -> list[str]:
        folder = project.staging / project.relative(document).parent
        formats = ["--to", ",".join(page_formats)] if page_formats else []
        return ["--output-dir", str(folder), *formats, *child_options]

    status = 0
    stale = [document for document in chosen if not (check_current and _current(project, document, page_formats))]
    if page_formats != [] and stale:
        status = render_in_parallel(stale, arguments, max(1, min(jobs, len(stale))))
    written: list[Path] = []
    downloads: list[tuple[str, str]] = []
    if book_pdf:
        from qmdrender.book_pdf import write_book_pdf

        try:
            pdf = write_book_pdf(project, child_options)
            written.append(pdf)
            downloads.append(("Download PDF", pdf.relative_to(project.output_dir).as_posix()))
        except RenderError as error:
            print(f"error: the book's PDF: {error}", file=sys.stderr)
            status = 1
    elif kind == "book" and only is not None:  # the book's PDF of the last whole render stays linked
        from qmdrender.book_pdf import pdf_name

        if (project.output_dir / pdf_name(project)).is_file():
            downloads.append(("Download PDF", pdf_name(project)))
    # a book's pages are HTML only (its PDF is the one book); a site or a plain project publishes every format
    written += (_copy_staged(project, page_formats) if kind != "book" else []) + copy_resources(project)
    if kind == "website" or (kind == "book" and page_formats):
        from qmdrender.site import assemble_site

        written += assemble_site(project, downloads)
    run_scripts(project, "post-render", written, render_all=only is None)
    print(f"      project written to {project.output_dir} ({time.perf_counter() - started:.1f} s)", file=sys.stderr,
          flush=True)
    return status


def _current(project: Project, document: Path, formats: list[str] | None) -> bool:
    """Whether the page's staged outputs are up to date (so no child needs to start for it)."""
    from qmdrender.pipeline import current_outputs

    request = RenderRequest(document, output_name(document.stem), tuple(formats) if formats else None, {},
                            project.staging / project.relative(document).parent)
    try:
        current = current_outputs(request)
    except (RenderError, QmdError, OSError):
        return False  # the child renders it, and says what is wrong
    if current:
        print(f"      up to date: {project.relative(document)} (execute: freeze; nothing changed)", file=sys.stderr,
              flush=True)
    return bool(current)


def _page_formats(project: Project, to: Sequence[str] | None) -> list[str] | None:
    """The formats each page renders to: ``--to``, else what each declares (``None``); a book's pages are
    HTML only (its PDF is the one book), and none when it makes only the PDF."""
    if project.kind != "book":
        return list(to) if to else None
    # a custom format counts as its base (a book of live-html pages is HTML pages, with live-html's options)
    chosen = [base_format(name) for name in (list(to) if to else declared_formats(project))]
    return ["html"] if "html" in chosen else []


def _staged_stems(project: Project, document: Path, formats: list[str] | None) -> set[str]:
    """The names (without extension) a document's staged outputs have: its own, and each ``output-file``'s."""
    from qmdrender.pipeline import output_names

    request = RenderRequest(document, output_name(document.stem), tuple(formats) if formats else None, {},
                            project.staging / project.relative(document).parent)
    try:
        return {document.stem, *(Path(name).stem for name in output_names(request))}
    except (RenderError, QmdError, OSError):
        return {document.stem}  # the render said what is wrong with it


def _copy_staged(project: Project, formats: list[str] | None) -> list[Path]:
    """The staged outputs other than site pages (PDFs, notebooks, a plain project's pages, a deck written to
    its own ``output-file``), into place."""
    written = []
    decorated = project.kind in ("website", "book")
    for document in project.inputs:
        relative = project.relative(document)
        folder = project.staging / relative.parent
        staged_files = {staged for stem in _staged_stems(project, document, formats) if folder.is_dir()
                        for staged in folder.glob(f"{stem}.*")}
        for staged in sorted(staged_files):
            # a site's page is written by the site (qmdrender.site); another HTML file of the document (a deck
            # beside it: output-ext) is copied as it is
            if staged.name.startswith(".") or (decorated and staged.name == f"{relative.stem}.html"):
                continue
            if staged.name.endswith(".published.json"):
                continue
            target = project.output_dir / relative.parent / staged.name
            copy_if_changed(staged, target)
            written.append(target)
    return written
