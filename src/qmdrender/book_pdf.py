"""A book's one PDF: every chapter executed on its own, their Markdown joined, one LaTeX run.

As Quarto builds a PDF book: a title page from ``book:`` (title, subtitle, author, date), the table
of contents, the chapters in order (``\\part`` before each part, ``\\appendix`` before the
appendices), ``scrreprt`` so that figures, tables and equations are numbered per chapter
("Figure 2.1") by LaTeX itself, and one bibliography. Each chapter runs in its own kernel, reusing
its frozen execution where ``freeze`` allows. The PDF is rebuilt only when a chapter's stamp or the
book's options changed (a digest of both is kept in ``.quarto/book-pdf.json``).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qmdrender.books import Chapter, book_chapters
from qmdrender.document import read_document
from qmdrender.formats import FORMATS
from qmdrender.formats.writing import Job
from qmdrender.images import chapter_folder_marker
from qmdrender.keys import digest, render_stamp
from qmdrender.markdown import Assembled, assemble, front_matter_block
from qmdrender.option_names import PROJECT_KEYS
from qmdrender.options import DocumentOptions, merge, normalise_formats, resolve
from qmdrender.pipeline import chosen_formats, executed_notebook
from qmdrender.projects import Project
from qmdrender.qmd import markdown_text
from qmdrender.types import RenderError, new_render

_FRONT = re.compile(r"\A---\n.*?\n---\n?", re.S)
BOOK_META = ("title", "subtitle", "author", "date", "date-format", "abstract", "description")


@dataclass(frozen=True)
class BookJob(Job):
    """A :class:`Job` whose Markdown is the whole book (already assembled)."""

    book: Assembled | None = None

    def assemble(self, output_format: Any) -> Assembled:
        assert self.book is not None
        return self.book


def pdf_name(project: Project) -> str:
    book = project.config.get("book") or {}
    stem = str(book.get("output-file") or project.config.get("output-file") or book.get("title")
               or project.root.name).removesuffix(".pdf")
    # as Quarto names it: each character TeX or a file system trips on becomes a "-", one for one
    # ("Notes (Class notes)" is "Notes--Class-notes-.pdf")
    return re.sub(r"[ <>()|:&;#?*'\\/]", "-", stem) + ".pdf"


def write_book_pdf(project: Project, child_options: Sequence[str] = ()) -> Path:
    """Write ``<output-dir>/<Book-Title>.pdf`` (unless it is current); returns its path."""
    new_render()
    chapters = book_chapters(project.config, project.root, "pdf")
    target = project.output_dir / pdf_name(project)
    print(f"      book PDF: {len(chapters)} chapters -> {target}", file=sys.stderr, flush=True)
    flags = set(child_options)
    loaded = []
    for chapter in chapters:
        document = read_document(chapter.path)
        options = resolve(document)
        loaded.append((chapter, document, options))
    record_path = project.root / ".quarto" / "book-pdf.json"
    stamps = []
    executed_all = []
    for _chapter, document, options in loaded:
        # executed for the formats the page names (as its own render is), so the book reuses the page's
        # frozen execution: one run serves the website and the book
        formats = list(chosen_formats(options.declared_formats, document.path))
        formats += [] if "pdf" in formats else ["pdf"]
        executed = executed_notebook(document, options, formats, no_freeze="--no-freeze" in flags,
                                     execute_notebook="--execute" in flags)
        executed_all.append(executed)
        stamps.append(render_stamp(digest(_outputs(executed)), executed, options, ["pdf"],
                                   document.path.resolve().parent))
    stamp = digest({"chapters": stamps, "book": project.config.get("book"), "format": project.config.get("format"),
                    "order": [str(c.path) for c in chapters]})
    if target.is_file() and record_path.is_file():
        record = json.loads(record_path.read_text(encoding="utf-8"))
        if record.get("stamp") == stamp and record.get("pdf") == hashlib.sha256(target.read_bytes()).hexdigest():
            print(f"      up to date: {target}", file=sys.stderr, flush=True)
            return target
    with tempfile.TemporaryDirectory(prefix="book-") as work:
        parts = []
        current_part = ""
        appendix_started = False
        shortcodes: list[Path] = []  # every chapter's extension shortcodes, for the one LaTeX run
        for number, ((chapter, document, options), executed) in enumerate(zip(loaded, executed_all, strict=True)):
            assembled = assemble(executed, document, options, FORMATS["pdf"], Path(work) / f"figures-{number}")
            shortcodes.extend(assembled.shortcode_files)
            body = _FRONT.sub("", assembled.markdown, count=1)
            if chapter.appendix and not appendix_started:
                parts.append("```{=latex}\n\\appendix\n```")
                appendix_started = True
            if chapter.part and chapter.part != current_part:
                parts.append(f"```{{=latex}}\n\\part{{{_latex_text(chapter.part)}}}\n```")
            current_part = chapter.part
            # its images are named from its own folder, which may not be the book's
            parts.append(chapter_folder_marker(chapter.path.parent) + "\n\n"
                         + _chapter_markdown(chapter, body, bool(document.front_matter.get("title"))))
        index = loaded[0]
        options = _book_options(project, index[2])
        front = front_matter_block(options.for_format("pdf"), index[1].path)
        book = Assembled("\n\n".join([front, *parts]) + "\n", shortcode_files=list(dict.fromkeys(shortcodes)))
        job = BookJob(executed_all[0], index[1], options, Path(work), "--fail-on-missing-glyphs" in flags,
                      book=book)
        built = Path(work) / target.name
        FORMATS["pdf"].write(job, built)
        project.output_dir.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(built.read_bytes())
        temporary.replace(target)
    record_path.parent.mkdir(parents=True, exist_ok=True)
    record_path.write_text(json.dumps({"stamp": stamp, "pdf": hashlib.sha256(target.read_bytes()).hexdigest()}),
                           encoding="utf-8")
    return target


def _outputs(notebook: Any) -> list[Any]:
    return [cell.get("outputs", []) for cell in notebook.cells if cell.cell_type == "code"]


def _latex_text(text: str) -> str:
    return re.sub(r"([#$%&_{}])", r"\\\1", text)


def _chapter_markdown(chapter: Chapter, body: str, titled: bool) -> str:
    """The chapter's Markdown with its title as a level-1 heading (``{.unnumbered}`` where it has none):
    a ``title:`` in the front matter, else its own first heading, which becomes that level-1 heading
    (as Quarto's books promote it: "## Perception" first is the chapter "Perception")."""
    if not titled:
        first = next((line for line in markdown_text(body).splitlines() if re.match(r"#{1,6}\s", line)), None)
        if first is not None and first.startswith("# "):
            return body
        if first is not None:
            body = body.replace(first, "", 1)
    attributes = " {.unnumbered}" if not chapter.number else ""
    return f"# {chapter.title}{attributes}\n\n{body}"


def _book_options(project: Project, index: DocumentOptions) -> DocumentOptions:
    """The project's options (not one chapter's front matter), with the book's title page and LaTeX book
    defaults."""
    book = project.config.get("book") or {}
    metadata = {key: value for key, value in project.config.items() if key not in (*BOOK_META, *PROJECT_KEYS)}
    metadata = merge({"documentclass": "scrreprt", "toc": True,
                      "number-sections": True, "book-combined": True}, metadata)
    metadata.pop("book-chapter", None)
    metadata.update({key: book[key] for key in BOOK_META if key in book})
    formats = {name: options for name, options in normalise_formats(project.config.get("format")).items()
               if name.split("+")[0] == "pdf"}
    if not formats:
        formats = {"pdf": {}}
    if "title" not in metadata:
        raise RenderError("_quarto.yml: a book's PDF needs 'book: title:'.")
    return DocumentOptions(metadata, formats, index.project)
