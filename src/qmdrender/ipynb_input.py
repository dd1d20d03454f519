"""Read a Jupyter notebook (``.ipynb``) as a document, the way Quarto renders one.

The front matter is the YAML of a first raw (or Markdown) cell (``---`` ... ``---``); without a title there,
the first Markdown cell's opening heading is the title, as in Quarto. Markdown cells are text; a
code cell's options are its ``#|`` lines, over the Quarto options found in its metadata (``tags``,
and any known option name such as ``echo`` or ``label``, also inside ``metadata.quarto``), over the options
its tags stand for (``remove-cell``, ``hide-code`` ...: ``option_names.TAG_OPTIONS``). The
stored outputs are kept: Quarto shows them and runs nothing unless ``execute: enabled: true`` or
``--execute`` asks (:func:`runs_code`). The file is only read, never written back.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import nbformat
from nbformat.warnings import MissingIDFieldWarning

from qmdrender.option_names import CELL_DEFAULTS, CELL_PREFIXES, EXECUTE_OPTIONS, tag_options
from qmdrender.qmd import QmdError, cell_options, parse_front_matter

# Cell metadata keys that are Quarto cell options (the rest is Jupyter's own: collapsed, scrolled ...).
_OPTION_KEYS = {*CELL_DEFAULTS, *EXECUTE_OPTIONS, "label", "classes", "tags", "output-location", "code-fold",
                "code-summary", "code-line-numbers", "layout", "column"}


def read_notebook_file(path: Path) -> tuple[dict[str, Any], nbformat.NotebookNode]:
    """The front matter and a copy of the notebook at ``path`` with each code cell's options parsed into
    ``metadata.quarto`` (the front matter's raw cell becomes the first cell, as for a ``.qmd``)."""
    try:
        with warnings.catch_warnings():  # notebooks from before nbformat 4.5 have no cell ids; Quarto reads them
            warnings.simplefilter("ignore", MissingIDFieldWarning)
            notebook = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise QmdError(f"{path}: not a Jupyter notebook (not valid JSON: {error}); open it in Jupyter to repair "
                       "it, or restore it from version control.") from None
    except (nbformat.reader.NotJSONError, nbformat.validator.ValidationError, KeyError, TypeError) as error:
        raise QmdError(f"{path}: not a Jupyter notebook ({str(error).splitlines()[0][:200]}); open it in "
                       "Jupyter to repair it.") from None
    front_matter: dict[str, Any] = {}
    cells = list(notebook.cells)
    found = front_matter_cell(cells[0].cell_type, cells[0].source, path) if cells else None
    if found is not None:
        front_matter, block, rest = found
        cells[0] = nbformat.v4.new_raw_cell(block)
        if rest.strip():
            cells.insert(1, nbformat.v4.new_markdown_cell(rest))
    if "title" not in front_matter:
        title_from_first_heading(cells, front_matter)
    language = str(notebook.metadata.get("kernelspec", {}).get("language")
                   or notebook.metadata.get("language_info", {}).get("name") or "python")
    for number, cell in enumerate(cells):
        if cell.cell_type == "code":
            options = {**tag_options(cell.metadata.get("tags")), **_metadata_options(cell.metadata)}
            options.update(cell_options(cell.source, where=f"{path}, cell {number}", language=language))
            cell.metadata["quarto"] = options
            if isinstance(options.get("tags"), list):
                cell.metadata["tags"] = list(options["tags"])
    notebook.cells = cells
    notebook.metadata.setdefault("kernelspec", {"name": "python3", "display_name": "Python 3",
                                                "language": "python"})
    return front_matter, notebook


# a heading without attributes: one with an id ({#sec-results}) is a target of cross-references, so it stays
_HEADING = re.compile(r"^#{1,6}[ \t]+(?P<text>[^{]+?)(?:[ \t]+#+)?[ \t]*$")


def front_matter_cell(cell_type: str, source: str, path: Path) -> tuple[dict[str, Any], str, str] | None:
    """The front matter a notebook's first cell holds, as Quarto reads it: a raw cell's ``---`` YAML, or a
    Markdown cell that opens with a ``---`` ... ``---`` block (the rest of that cell is text); ``(front matter,
    the YAML block as a raw cell's text, the rest)``, or ``None``."""
    if cell_type == "raw" and source.lstrip().startswith("---"):
        text = source.strip()
        body = text[3:]
        end = body.find("\n---")
        return parse_front_matter(body[: end if end >= 0 else len(body)], path), text, ""
    if cell_type == "markdown" and source.startswith("---\n"):
        end = source.find("\n---", 3)
        if end >= 0:
            return parse_front_matter(source[4:end], path), source[:end + 4], source[end + 4:].lstrip("-").lstrip("\n")
    return None


def title_from_first_heading(cells: list[Any], front_matter: dict[str, Any]) -> None:
    """A notebook without a title takes its first Markdown cell's heading as the title, as Quarto does for
    notebooks (their authors write the title as ``# Title``): when that cell starts with a heading, the
    heading leaves the text and becomes ``title``; a cell that starts otherwise gives no title, and a
    heading with attributes (an id that references point to, a book chapter's) stays where it is."""
    for index, cell in enumerate(cells):
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.lstrip("\n").split("\n")
        match = _HEADING.match(lines[0]) if lines else None
        if match:
            front_matter["title"] = match["text"]
            cells[index] = nbformat.v4.new_markdown_cell("\n".join(lines[1:]).lstrip("\n"))
        return


def _metadata_options(metadata: Mapping[str, Any]) -> dict[str, Any]:
    options = {key: value for key, value in metadata.items()
               if key in _OPTION_KEYS or key.startswith(CELL_PREFIXES)}
    nested = metadata.get("quarto")
    if isinstance(nested, Mapping):
        options.update(nested)
    return options


def has_code(notebook: nbformat.NotebookNode) -> bool:
    """Whether the notebook has a code cell with any code in it (a notebook of prose has nothing to run)."""
    return any(cell.cell_type == "code" and cell.source.strip() for cell in notebook.cells)


def has_outputs(notebook: nbformat.NotebookNode) -> bool:
    """Whether any code cell holds a stored output (or was run: an execution count)."""
    return any(cell.get("outputs") or cell.get("execution_count") for cell in notebook.cells
               if cell.cell_type == "code")


def runs_code(execute_options: Mapping[str, Any], requested: bool) -> bool:
    """Whether a notebook is executed: ``--execute``, or ``execute: enabled: true``; by default Quarto
    shows the stored outputs."""
    return requested or execute_options.get("enabled") is True
