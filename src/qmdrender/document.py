"""Read a Quarto ``.qmd`` document into front matter and notebook cells, as ``quarto convert`` does.

The text is cut by the one ``.qmd`` reader (:mod:`qmdrender.qmd`). The front matter becomes a raw
cell, text becomes Markdown cells and each executable block (```` ```{python} ````) a code cell
whose ``#|`` option lines stay in its source (so the notebook still renders with Quarto) and are
also parsed into ``cell.metadata["quarto"]``; ``tags`` go to ``cell.metadata["tags"]``, the
papermill convention Quarto follows for ``parameters``. An escaped ```` ```{{python}} ```` cell
becomes a code block that shows the fence (Quarto's way of documenting cells).
``{{< include FILE >}}`` is expanded here, before execution, so included cells run too.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from qmdrender import knitr_images, percent
from qmdrender.ipynb_input import read_notebook_file, title_from_first_heading
from qmdrender.knitr_python import KNITR_KEY
from qmdrender.option_names import tag_options
from qmdrender.qmd import (
    DIAGRAM_LANGUAGES,
    LIVE_LANGUAGES,
    Chunk,
    QmdError,
    as_jupyter_cells,
    cell_options,
    code_block,
    code_without_options,
    comments_closed_once,
    expand_includes,
    front_matter_yaml,
    parse_front_matter,
    read_text,
    scan,
    split_at_commented_cells,
    split_options,
    with_later_metadata,
)
from qmdrender.types import warn

__all__ = ["INPUT_SUFFIXES", "QmdDocument", "QmdError", "clean_label", "read_document", "read_qmd",
           "with_heading_title"]

INPUT_SUFFIXES = (".qmd", ".ipynb", ".md")  # the documents a project renders, as Quarto's

_LABEL = re.compile(r"[^\w:.-]+")
# a knitr chunk's label that no cross-reference reads (knitr names its figure files after it; its cell div has no
# id): any characters, as knitr takes them ("esc_+1_ano")
_KNITR_NAME = re.compile(r"(?!(?:fig|tbl|lst)-)[^\s/\\]+$")


@dataclass(frozen=True)
class QmdDocument:
    path: Path
    front_matter: dict[str, Any]
    notebook: nbformat.NotebookNode
    # "qmd"; "ipynb" (a Jupyter notebook: its stored outputs are shown unless execution is asked for);
    # "md" (plain Markdown: nothing runs)
    kind: str = "qmd"

    @property
    def code_cells(self) -> list[nbformat.NotebookNode]:
        return [cell for cell in self.notebook.cells if cell.cell_type == "code"]

    @property
    def parameters_cell_index(self) -> int | None:
        """Index of the cell tagged ``parameters``; ``None`` when the document has none (most have none)."""
        indices = [i for i, cell in enumerate(self.notebook.cells) if "parameters" in cell.metadata.get("tags", [])]
        if len(indices) > 1:
            raise QmdError(f"{self.path}: {len(indices)} cells are tagged 'parameters'; keep one.")
        return indices[0] if indices else None

    def parameter_defaults(self) -> dict[str, Any]:
        """The names the ``parameters`` cell assigns and their literal default values ({} without one)."""
        index = self.parameters_cell_index
        if index is None:
            return {}
        source = code_without_options(self.notebook.cells[index].source)
        try:
            statements = ast.parse(source).body
        except SyntaxError as error:
            raise QmdError(f"{self.path}: the parameters cell is not valid Python (line {error.lineno}: "
                           f"{error.msg}).") from None
        defaults: dict[str, Any] = {}
        for statement in statements:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and \
                    isinstance(statement.targets[0], ast.Name):
                try:
                    defaults[statement.targets[0].id] = ast.literal_eval(statement.value)
                except ValueError:
                    raise QmdError(f"{self.path}: parameter {statement.targets[0].id!r} must have a literal "
                                   "default (a number, string, boolean, None or list).") from None
        return defaults


def read_document(path: str | Path) -> QmdDocument:
    """A ``.qmd`` or ``.md`` document (:func:`read_qmd`), a Jupyter notebook (:mod:`qmdrender.ipynb_input`),
    or a percent script (:mod:`qmdrender.percent`), read as the ``.qmd`` text it stands for."""
    path = Path(path)
    if path.suffix.lower() in percent.LANGUAGES:
        text = read_text(path, "script")
        if not percent.has_cell_markers(text):
            raise QmdError(f"{path}: a script renders when it is a notebook in the percent format, with a "
                           "'# %% [markdown]' cell holding its front matter (Quarto's rule); this one has none.")
        return read_qmd(path, percent.qmd_text(text, path.suffix))
    if path.suffix.lower() == ".ipynb":
        front_matter, notebook = read_notebook_file(path)
        notebook.cells = [piece for cell in notebook.cells for piece in _notebook_cell_pieces(cell, path)]
        return QmdDocument(path, front_matter, notebook, "ipynb")
    if path.suffix.lower() == ".md":  # plain Markdown: Quarto's markdown engine shows its code, runs none
        document = read_qmd(path)
        return QmdDocument(document.path, document.front_matter, document.notebook, "md")
    return read_qmd(path)


def read_qmd(path: str | Path, text: str | None = None) -> QmdDocument:
    """Parse ``path`` (or ``text``, the document read from it) into front matter and a notebook; raise
    :class:`QmdError` on what Quarto refuses."""
    path = Path(path)
    text = read_text(path) if text is None else text
    chunks = scan(text)
    if _runs_with_jupyter(chunks):  # Quarto's engine reads "---" lines its own way (qmd.as_jupyter_cells)
        cut = as_jupyter_cells(text)
        chunks = scan(cut) if cut != text else chunks  # read again only where the engine's cut differs
    front_matter: dict[str, Any] = {}
    cells = []
    if chunks and chunks[0].kind == "front-matter":
        front = chunks.pop(0)
        front_matter = parse_front_matter(front_matter_yaml(front), path)
        cells.append(nbformat.v4.new_raw_cell(front.text.strip()))
    front_matter = with_later_metadata(front_matter, chunks, path)  # pandoc's metadata blocks further down
    cells.extend(_cells(expand_includes(chunks, path.parent, path), path, front_matter.get("engine") == "knitr"))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return QmdDocument(path, front_matter, notebook)


def _runs_with_jupyter(chunks: list[Chunk]) -> bool:
    """Whether Quarto runs the text with its Jupyter engine: it has Python cells and no R cells (knitr)."""
    languages = {chunk.language for chunk in chunks if chunk.kind == "code"}
    return "python" in languages and "r" not in languages


def with_heading_title(document: QmdDocument) -> QmdDocument:
    """The document as Quarto's Jupyter engine titles a ``.qmd`` without a title: Quarto turns the text into a
    notebook whose front matter cell also holds the text up to the first code cell, and when the first
    Markdown cell after that one starts with a heading (of any level), the heading leaves the text and
    becomes the title (quarto-cli's tests ``jupyter/title``; quarto-cli#12440 shows it for a heading right
    after a code cell). A document without Python cells (Markdown, knitr) is returned as it is, and so is
    one whose front matter has a title; the caller leaves books alone, as Quarto does."""
    cells = list(document.notebook.cells)
    runs_python = any(c.cell_type == "code" and "language" not in c.metadata for c in cells)
    if document.kind != "qmd" or "title" in document.front_matter or not runs_python:
        return document
    start = 0
    if cells and cells[0].cell_type == "raw":  # the front matter, with the text that follows it
        start = 2 if len(cells) > 1 and cells[1].cell_type == "markdown" else 1
    front_matter = dict(document.front_matter)
    rest = cells[start:]
    title_from_first_heading(rest, front_matter)
    if "title" not in front_matter:
        return document
    notebook = nbformat.from_dict({**document.notebook, "cells": cells[:start] + rest})
    return QmdDocument(document.path, front_matter, notebook, document.kind)


def _cells(chunks: list[Chunk], path: Path, knitr_engine: bool = False) -> list[nbformat.NotebookNode]:
    cells: list[nbformat.NotebookNode] = []
    markdown: list[str] = []
    # Quarto runs a document with R cells (or `engine: knitr`) with knitr, which reads every chunk's header
    # options ({css, echo=FALSE})
    knitr = knitr_engine or any(chunk.kind == "code" and chunk.language == "r" for chunk in chunks)
    python = not knitr and any(chunk.kind == "code" and chunk.language == "python" for chunk in chunks)
    for chunk in chunks:
        if python and chunk.kind == "code" and chunk.language not in _QUARTOS_OWN_CELLS:
            # another language's cell in a Python document: Quarto's Jupyter engine leaves it in the text as
            # written, and its reader makes it a code block classed by the braced tag (<pre class="{latex}">),
            # which nothing highlights or runs
            markdown.append(_braced_fence(chunk))
        elif chunk.kind == "code" and chunk.language == "verbatim":
            # knitr's verbatim engine, with which a Quarto document shows a file as it is written: a plain block
            # (class "default", as Quarto's page has it), the escaped cells inside read as written ({{julia}}
            # shows ```{julia})
            markdown.append(code_block(_unescaped_fences(chunk.source), "default") + "\n")
        elif chunk.kind == "code":
            _flush_markdown(cells, markdown)
            cells.append(_code_cell(chunk.language, chunk.header, chunk.source, path, len(cells), knitr))
            if chunk.indent:  # inside a list item: its code and outputs stay there (qmdrender.markdown)
                cells[-1].metadata[INDENT_KEY] = chunk.indent
        elif chunk.kind == "example":  # ```{{python}} shows the cell, fence included, as an unexecuted example
            fence = chunk.fence  # highlighted as Markdown, as Quarto's engine-escape filter marks it
            outer = "`" * max(4, len(fence) + 1)
            markdown.append("\n".join([f"{outer}markdown", f"{fence}{{{chunk.language}{chunk.header}}}",
                                       chunk.source, fence, outer]) + "\n")
        elif chunk.kind == "fence":
            text = _unescaped_fences(chunk.text)
            if text != chunk.text and not chunk.opening.strip().strip("`~").strip():
                # a plain block showing an escaped cell (````` then ```{{python}}) is Markdown, as in Quarto
                text = chunk.opening.rstrip("\r\n").rstrip() + "markdown\n" + text[len(chunk.opening):]
            # a fence whose {...} is neither a cell nor attributes pandoc reads (```{,bash}): Quarto shows a code
            # block, where pandoc would read the fences as inline code running over the lines
            markdown.append(_UNREADABLE_ATTRIBUTES.sub(r"\1", text, count=1))
        else:
            for piece in split_at_commented_cells(chunk.text):
                if isinstance(piece, str):
                    markdown.append(comments_closed_once(_DIV_ATTRIBUTES.sub(_tidy_div_attributes, piece)))
                    continue
                _flush_markdown(cells, markdown)  # a commented-out cell: it runs, and shows nothing
                cells.append(_code_cell(piece.language, piece.header, piece.source, path, len(cells), knitr))
                cells[-1].metadata["quarto"]["include"] = False
                cells[-1].metadata[COMMENTED_KEY] = True
    _flush_markdown(cells, markdown)
    return cells


def _notebook_cell_pieces(cell: nbformat.NotebookNode, path: Path) -> list[nbformat.NotebookNode]:
    """A notebook's Markdown cell as Quarto reads its text: a fence of a cell Quarto handles in any engine
    (a diagram, Observable JS, a quarto-live editor) is that cell, drawn or shown as in a ``.qmd``; another braced
    fence (```{python} in the text) a code block classed by its tag, never run. Other cells stay as they are."""
    if cell.cell_type != "markdown" or ("```" not in cell.source and "~~~" not in cell.source):
        return [cell]
    chunks = scan(cell.source, front_matter=False)
    if not any(chunk.kind == "code" for chunk in chunks):
        return [cell]
    pieces: list[nbformat.NotebookNode] = []
    markdown: list[str] = []
    for chunk in chunks:
        if chunk.kind == "code" and chunk.language in _QUARTOS_OWN_CELLS and chunk.language != "python":
            _flush_markdown(pieces, markdown)
            pieces.append(_code_cell(chunk.language, chunk.header, chunk.source, path, len(pieces)))
        elif chunk.kind == "code":
            markdown.append(_braced_fence(chunk))
        else:
            markdown.append(chunk.text)
    _flush_markdown(pieces, markdown)
    for piece in pieces:
        if piece.cell_type == "markdown" and cell.get("attachments"):  # pasted images, which the text names
            piece["attachments"] = cell["attachments"]
    return pieces


# Cells Quarto handles in any engine: diagrams, Observable JS, quarto-live's editors, knitr's verbatim blocks
_QUARTOS_OWN_CELLS = ("python", *DIAGRAM_LANGUAGES, "ojs", *LIVE_LANGUAGES, "verbatim")


def _braced_fence(chunk: Chunk) -> str:
    """A cell's fence as a code block whose class is its braced tag, as Quarto reads a fence its engine left
    (the class is set by filters/braced_fences.lua: pandoc's attributes cannot hold braces)."""
    opening = chunk.opening.rstrip("\r\n")
    indent = opening[:len(opening) - len(opening.lstrip())]
    tag = opening.strip().lstrip("`~").strip()
    closing = chunk.closing if chunk.closing.endswith("\n") else chunk.closing + "\n"
    attributes = f' {{.qmd-braced data-braced="{tag}"}}' if '"' not in tag and "\\" not in tag else ""
    return f"{indent}{chunk.fence}{attributes}\n{chunk.body}{closing}"


_BRACED_OPENING = re.compile(r'(?m)^([ \t]*(?:`{3,}|~{3,})) \{\.qmd-braced data-braced="([^"\n]*)"\}$')


def braced_fences_as_written(markdown: str) -> str:
    """``markdown`` with each fence :func:`_braced_fence` marked as it was written (```{latex}), for a notebook."""
    return _BRACED_OPENING.sub(r"\1\2", markdown)


# The indentation of a cell written inside a list item (a cell's metadata)
INDENT_KEY = "qmd-indent"
# A cell written inside an HTML comment (it runs and shows nothing; Quarto's _freeze keeps no output for it)
COMMENTED_KEY = "qmd-commented"

# A cell shown inside a longer fence (```` markdown ... ````) escapes its header as ```{{r}}: Quarto shows
# it as ```{r}, as for an escaped cell of its own.
_ESCAPED_FENCE_LINE = re.compile(r"(?m)^([ \t]*`{3,}[ \t]*)\{\{([^{}\n]*)\}\}[ \t]*$")


def _unescaped_fences(text: str) -> str:
    """``text`` with each escaped cell's fence (```{{r}}) read as Quarto shows it (```{r})."""
    return _ESCAPED_FENCE_LINE.sub(r"\1{\2}", text)
_UNREADABLE_ATTRIBUTES = re.compile(r"\A([ \t]*(?:`{3,}|~{3,}))[ \t]*\{[ \t]*[^.#=\sA-Za-z}][^\n]*$", re.M)


# A div's attributes written with spaces around "=" ({#id key = value}): pandoc does not read them as
# attributes (the ::: lines would show as text), so Quarto's reader joins them, as here; quoted values stay.
_DIV_ATTRIBUTES = re.compile(r"(?m)^([ \t]*:{3,}[ \t]*)(\{[^\n]*=[^\n]*\})([ \t]*)$")
_SPACED_EQUALS = re.compile(r"""("[^"]*"|'[^']*')|[ \t]*=[ \t]*""")


def _tidy_div_attributes(line: re.Match[str]) -> str:
    attributes = _SPACED_EQUALS.sub(lambda m: m[1] or "=", line[2])
    return line[1] + attributes + line[3]


def _flush_markdown(cells: list[nbformat.NotebookNode], markdown: list[str]) -> None:
    text = "".join(markdown).strip("\n")
    if text.strip():
        cells.append(nbformat.v4.new_markdown_cell(text))
    markdown.clear()


def _code_cell(language: str, header: str, body: str, path: Path, number: int,
               knitr: bool = False) -> nbformat.NotebookNode:
    where = f"{path}, cell {number}"
    knitr_chunk = language == "r" or knitr
    if knitr_chunk:  # Quarto's knitr engine reads the chunks' header options; '#|' lines win
        options = {**knitr_header_options(header, where), **_knitr_comment_options(body, where, language)}
    else:
        options = cell_options(body, where=where, language=language)
        _warn_header_options(header, where)
    if "label" in options and not (knitr_chunk and _KNITR_NAME.match(str(options["label"]))):
        options["label"] = clean_label(str(options["label"]), where)
    tags = options.get("tags")
    if tags is not None and not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
        raise QmdError(f"{where}: '#| tags:' takes a list, e.g. '#| tags: [parameters]'.")
    if knitr and language == "python":
        body = _knitr_code(body, options, path, where)
    cell = nbformat.v4.new_code_cell(body.rstrip("\n"))
    cell.metadata["quarto"] = {**tag_options(tags), **options}  # '#| tags: [remove-cell]' hides it, as in Quarto
    if language != "python":
        cell.metadata["language"] = language
        if language == "r" and options.get("eval", True) is not False:
            cell.outputs = knitr_images.image_outputs(body, options, path.parent) or []
    elif knitr:  # run and shown as reticulate's engine does (qmdrender.knitr_python)
        cell.metadata[KNITR_KEY] = True
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def _knitr_code(body: str, options: dict[str, Any], path: Path, where: str) -> str:
    """A knitr chunk's code: knitr's ``file`` option (a file, from the document's folder) or ``code`` option
    (the code as a string) gives it to a chunk that has none of its own, after its option lines."""
    if code_without_options(body).strip():
        return body
    if isinstance(options.get("file"), str):
        source = path.parent / options["file"]
        if not source.is_file():
            raise QmdError(f"{where}: 'file: {options['file']}' names a file that does not exist ({source}); "
                           "the chunk's code is read from it.")
        code = read_text(source, "code file")
    elif isinstance(options.get("code"), str):
        code = options["code"]
    else:
        return body
    return body.rstrip("\n") + ("\n" if body.strip() else "") + code


def _warn_header_options(header: str, where: str) -> None:
    """Quarto's Jupyter engine reads a cell's options from its ``#|`` lines only: what follows the language
    in the fence (```` ```{python, eval = FALSE} ````, knitr's style) is ignored, and the cell runs. So
    here too; the warning says how to write them."""
    if header.strip().lstrip(",").strip():
        warn(f"{where}: options in the fence header ({{{header.strip().lstrip(',').strip()}}}) are ignored, as "
             "Quarto's Jupyter engine ignores them; write each as a '#| name: value' line at the top of the cell.")


_KNITR_NAMED = re.compile(r"\s*([\w.]+)\s*=(?!=)\s*(.*?)\s*$", re.S)
_KNITR_VALUES = {"TRUE": True, "T": True, "FALSE": False, "F": False, "NULL": None, "NA": None}
_CLOSING = {"(": ")", "[": "]", "{": "}"}


def _r_arguments(text: str) -> list[str] | None:
    """``text`` split at its top-level commas, as R reads a call's arguments: commas inside quotes or
    brackets (``fig.cap=sprintf("(the %s plot)", c("a", "b"))``) stay in their argument; ``None`` when a
    quote or bracket is left open."""
    pieces, current, closing, quote = [], [], [], ""
    escaped = False
    for char in text:
        if quote:
            escaped = not escaped and char == "\\"
            if char == quote and not escaped:
                quote = ""
        elif char in "\"'`":
            quote = char
        elif char in _CLOSING:
            closing.append(_CLOSING[char])
        elif closing and char == closing[-1]:
            closing.pop()
        elif char == "," and not closing:
            pieces.append("".join(current))
            current = []
            continue
        current.append(char)
    if quote or closing:
        return None
    pieces.append("".join(current))
    return pieces


# knitr reads '#|' lines as YAML when the first one starts 'name:', else as header options ('#| echo=FALSE')
_YAML_OPTION = re.compile(r"[^\s:]+:(\s|$)")


def _knitr_comment_options(body: str, where: str, language: str) -> dict[str, Any]:
    lines, _ = split_options(body, language)
    if lines and not _YAML_OPTION.match(lines[0].strip()) and lines[0].strip():
        return knitr_header_options(", ".join(line.strip().rstrip(",") for line in lines if line.strip()), where)
    # knitr's own names are dotted (fig.cap); in YAML too they mean Quarto's hyphenated ones
    return {str(name).replace(".", "-"): value
            for name, value in cell_options(body, where=where, language=language).items()}


def knitr_header_options(header: str, where: str) -> dict[str, Any]:
    """An R chunk's header options as knitr reads them (```` ```{r setup, echo=FALSE, fig.cap="A"} ````): a
    first bare word is the label, ``TRUE``/``FALSE`` are booleans, dotted names are Quarto's hyphenated ones
    (``fig.cap`` is ``fig-cap``). A value that is R code (``c(1, 2)``, a variable) is kept as its text."""
    options: dict[str, Any] = {}
    text = header.strip().lstrip(",").strip()
    pieces = _r_arguments(text) if text else []
    if pieces is None:
        warn(f"{where}: the chunk header {{{text}}} leaves a quote or bracket open; its options are ignored.")
        return options
    for number, piece in enumerate(pieces):
        named = _KNITR_NAMED.match(piece)
        if named is None:  # knitr: a bare first value is the chunk's label; another bare value means nothing
            if number == 0 and piece.strip():
                options["label"] = piece.strip().strip("\"'")
            continue
        name, value = named[1], named[2]
        if value[:1] in "\"'" and value[-1:] == value[:1] and len(value) > 1:
            options[name.replace(".", "-")] = value[1:-1]
        elif value in _KNITR_VALUES:
            options[name.replace(".", "-")] = _KNITR_VALUES[value]
        else:
            try:
                options[name.replace(".", "-")] = int(value) if value.lstrip("-").isdigit() else float(value)
            except ValueError:
                options[name.replace(".", "-")] = value
    return options


def clean_label(label: str, where: str) -> str:
    """A cell label usable as an HTML id and a LaTeX label; spaces and odd characters become ``-``."""
    cleaned = _LABEL.sub("-", label.strip()).strip("-")
    if cleaned != label:
        warn(f"{where}: label {label!r} is not a valid identifier; using {cleaned!r}.")
    return cleaned
