"""``{{< embed notebook.ipynb#id >}}``: a Jupyter notebook's cells, shown where the shortcode stands, as
Quarto embeds them (https://quarto.org/docs/authoring/notebook-embed.html).

The identifier is a cell's ``id``, else its ``label``, else a tag (every code cell when there is none).
The cell's stored outputs are shown with its own options (``fig-cap``, ``layout-ncol`` ...) over the
document's; its code only with ``echo=true``. In HTML a "Source: notebook.ipynb" link follows, as
Quarto adds one (``notebook-links: false`` leaves it out). Embedding from a ``.qmd`` would mean running
it; that is named in a warning and left out, and a notebook or cell that is not there is an error.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import nbformat

from qmdrender.ipynb_input import read_notebook_file
from qmdrender.types import RenderError, warn

_EMBED = re.compile(r"(?<!\{)\{\{<\s*embed\s+(?P<args>[^>]*?)\s*>\}\}(?!\})")
# A cell as Markdown (markdown.code_cell), given the cell and the options the embed adds.
CellMarkdown = Callable[[nbformat.NotebookNode, Mapping[str, Any], int], list[str]]


def expand_embeds(text: str, folder: Path, render_cell: CellMarkdown, *, links: bool) -> str:
    """``text`` with each embed shortcode replaced by the Markdown of the cells it names."""
    count = 0

    def embed(match: re.Match[str]) -> str:
        nonlocal count
        target, *options = match["args"].split()
        path_text, _, ident = target.strip("\"'").partition("#")
        echo = "echo=true" in {option.replace('"', "").lower() for option in options}
        path = (folder / path_text).resolve()
        if path.suffix.lower() != ".ipynb":
            warn(f"{{{{< embed {target} >}}}}: embedding from a {path.suffix or 'file'} is not supported by the "
                 "embedded renderer yet (it embeds the stored outputs of a .ipynb); left out.")
            return ""
        if not path.is_file():
            raise RenderError(f"{{{{< embed {target} >}}}}: {path} does not exist; check the notebook's path "
                              "(relative to this document).")
        _, notebook = read_notebook_file(path)
        cells = _cells(notebook, ident)
        if not cells:
            raise RenderError(f"{{{{< embed {target} >}}}}: {path.name} has no cell with the id, label or tag "
                              f"{ident!r}.")
        parts = []
        for cell in cells:
            count += 1
            parts += render_cell(cell, {"echo": echo}, count)
        if links:
            name = html.escape(path.name)
            parts.append(f'```{{=html}}\n<div class="quarto-embed-source"><a class="quarto-notebook-link" '
                         f'href="{html.escape(path_text)}">Source: {name}</a></div>\n```')
        return "\n\n" + "\n\n".join(parts) + "\n\n"

    return _EMBED.sub(embed, text)


def embedded_notebooks(text: str) -> list[str]:
    """The notebook paths ``text`` embeds (what a render of it depends on)."""
    return [match["args"].split()[0].strip("\"'").partition("#")[0] for match in _EMBED.finditer(text)
            if match["args"].split()]


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
