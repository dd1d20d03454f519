"""``{{< embed notebook.ipynb#id >}}``: a Jupyter notebook's cells, shown where the shortcode stands, as
Quarto embeds them (https://quarto.org/docs/authoring/notebook-embed.html).

The identifier is a cell's ``id``, else its ``label``, else a tag (every code cell when there is none).
The cell's stored outputs are shown with its own options (``fig-cap``, ``layout-ncol`` ...) over the
document's; its code only with ``echo=true``. In HTML a "Source: notebook.ipynb" link follows, as
Quarto adds one (``notebook-links: false`` leaves it out). A ``.qmd`` is embedded as Quarto embeds it,
executed as its own render would have it (its freeze, a project's Quarto ``_freeze``, or a run): the
pipeline executes it before the page is written and passes its notebook in. A notebook or cell that is
not there is an error.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import nbformat

from qmdrender.ipynb_input import read_notebook_file
from qmdrender.qmd import scan
from qmdrender.types import RenderError, warn

_EMBED = re.compile(r"(?<!\{)\{\{<\s*embed\s+(?P<args>[^>]*?)\s*>\}\}(?!\})")
# A cell as Markdown (markdown.code_cell), given the cell and the options the embed adds.
CellMarkdown = Callable[[nbformat.NotebookNode, Mapping[str, Any], int], list[str]]


def expand_embeds(text: str, folder: Path, render_cell: CellMarkdown, *, links: bool,
                  executed: Mapping[Path, nbformat.NotebookNode] | None = None) -> str:
    """``text`` with each embed shortcode replaced by the Markdown of the cells it names; ``executed``
    holds the embedded .qmd documents, run (see :func:`embedded_documents`)."""
    count = 0

    def embed(match: re.Match[str]) -> str:
        nonlocal count
        target, *options = match["args"].split()
        path_text, _, ident = target.strip("\"'").partition("#")
        echo = "echo=true" in {option.replace('"', "").lower() for option in options}
        path = (folder / path_text).resolve()
        if path.suffix.lower() not in (".ipynb", ".qmd"):
            warn(f"{{{{< embed {target} >}}}}: embedding from a {path.suffix or 'file'} is not supported (Quarto "
                 "embeds from a .ipynb or a .qmd); left out.")
            return ""
        if not path.is_file():
            raise RenderError(f"{{{{< embed {target} >}}}}: {path} does not exist; check the notebook's path "
                              "(relative to this document).")
        if path.suffix.lower() == ".qmd":
            notebook = (executed or {}).get(path)
            if notebook is None:  # a writer that was not given it (the pipeline runs each one it finds)
                warn(f"{{{{< embed {target} >}}}}: {path.name} was not executed for this page; left out.")
                return ""
            front: dict[str, Any] = {}
        else:
            front, notebook = read_notebook_file(path)
        cells = _cells(notebook, ident)
        if not cells:
            raise RenderError(f"{{{{< embed {target} >}}}}: {path.name} has no cell with the id, label or tag "
                              f"{ident!r}.")
        parts = []
        for cell in cells:
            count += 1
            parts += render_cell(cell, {"echo": echo}, count)
        if links:
            name = html.escape(source_title(front, notebook) or path.name)
            parts.append(f'```{{=html}}\n<div class="quarto-embed-source"><a class="quarto-notebook-link" '
                         f'href="{html.escape(path_text)}">Source: {name}</a></div>\n```')
        return "\n\n" + "\n\n".join(parts) + "\n\n"

    # an embed shown in a code block (an example) stays as written
    return "".join(_EMBED.sub(embed, chunk.text) if chunk.kind == "markdown" else chunk.text
                   for chunk in scan(text, front_matter=False))


def embedded_documents(text: str, folder: Path) -> list[Path]:
    """The .qmd documents ``text`` embeds cells of (to be executed before its page is written)."""
    paths = [(folder / name).resolve() for name in embedded_notebooks(text)]
    return list(dict.fromkeys(p for p in paths if p.suffix.lower() == ".qmd" and p.is_file()))


def embedded_notebooks(text: str) -> list[str]:
    """The notebook paths ``text`` embeds (what a render of it depends on)."""
    return [match["args"].split()[0].strip("\"'").partition("#")[0]
            for chunk in scan(text, front_matter=False) if chunk.kind == "markdown"
            for match in _EMBED.finditer(chunk.text) if match["args"].split()]


def _cells(notebook: nbformat.NotebookNode, ident: str) -> list[nbformat.NotebookNode]:
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    if not ident:
        return code
    for matches in (lambda c: c.get("id") == ident,
                    lambda c: str(c.metadata.get("quarto", {}).get("label", "")) == ident,
                    lambda c: ident in (c.metadata.get("tags") or [])):
        found = [cell for cell in code if matches(cell)]
        if found:
            return found
    return []


_ATX = re.compile(r"^#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*(?:\{[^}]*\})?[ \t]*$", re.M)


def source_title(front_matter: dict[str, Any], notebook: Any) -> str:
    """The title a "Source" link shows, as Quarto finds it: the notebook's title, else the first heading
    of its Markdown cells (not a ``#`` line inside a code block), else nothing (the caller shows the
    file's name)."""
    if front_matter.get("title"):
        return str(front_matter["title"])
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        for chunk in scan(cell.source, front_matter=False):  # the prose, not what code blocks hold
            heading = _ATX.search(chunk.text) if chunk.kind == "markdown" else None
            if heading:
                return heading[1]
    return ""
