"""Read a Quarto ``.qmd`` document into a Jupyter notebook, the way ``quarto convert`` does.

The front matter becomes a raw cell, text becomes Markdown cells and each ```` ```{python} ````
block a code cell whose ``#|`` option lines stay in its source (so the notebook still renders with
Quarto) and are also parsed into ``cell.metadata["quarto"]``; ``tags`` go to
``cell.metadata["tags"]``, the papermill convention that Quarto follows for ``parameters``.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import yaml

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)---[ \t]*\n", re.S)
_CODE_CELL = re.compile(r"^```\{(?P<lang>[A-Za-z0-9_]+)(?P<header>[^}]*)\}[ \t]*\n(?P<body>.*?)^```[ \t]*$\n?",
                        re.S | re.M)
_OPTION_LINE = re.compile(r"^#\|\s?(.*)$")


class QmdError(ValueError):
    """A .qmd document that Quarto would refuse; the message names the file and what is wrong."""


@dataclass(frozen=True)
class QmdDocument:
    path: Path
    front_matter: dict[str, Any]
    notebook: nbformat.NotebookNode

    @property
    def parameters_cell_index(self) -> int:
        """Index of the single cell tagged ``parameters``."""
        indices = [i for i, cell in enumerate(self.notebook.cells) if "parameters" in cell.metadata.get("tags", [])]
        if len(indices) != 1:
            raise QmdError(f"{self.path}: expected exactly one cell tagged 'parameters', found {len(indices)}.")
        return indices[0]

    def parameter_defaults(self) -> dict[str, Any]:
        """The names the ``parameters`` cell assigns and their literal default values."""
        source = code_without_options(self.notebook.cells[self.parameters_cell_index].source)
        defaults: dict[str, Any] = {}
        for statement in ast.parse(source).body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and \
                    isinstance(statement.targets[0], ast.Name):
                try:
                    defaults[statement.targets[0].id] = ast.literal_eval(statement.value)
                except ValueError:
                    raise QmdError(f"{self.path}: parameter {statement.targets[0].id!r} must have a literal "
                                   "default (a number, string, boolean, None or list).") from None
        return defaults


def read_qmd(path: str | Path) -> QmdDocument:
    """Parse ``path`` into front matter and a notebook; raise :class:`QmdError` on invalid YAML."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    match = _FRONT_MATTER.match(text)
    front_matter: dict[str, Any] = {}
    cells = []
    if match:
        try:
            front_matter = yaml.safe_load(match["yaml"]) or {}
        except yaml.YAMLError as error:
            raise QmdError(f"{path}: the front matter is not valid YAML: {error}") from None
        cells.append(nbformat.v4.new_raw_cell(match.group(0).strip()))
        text = text[match.end():]
    position = 0
    for cell in _CODE_CELL.finditer(text):
        _append_markdown(cells, text[position:cell.start()])
        position = cell.end()
        if cell["lang"] != "python":
            raise QmdError(f"{path}: only python cells are supported, found {{{cell['lang']}}}.")
        body = cell["body"]
        options = cell_options(body, where=f"{path}, cell {len(cells)}")
        code = nbformat.v4.new_code_cell(body.rstrip("\n"))
        code.metadata["quarto"] = options
        if options.get("tags"):
            code.metadata["tags"] = list(options["tags"])
        cells.append(code)
    _append_markdown(cells, text[position:])
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return QmdDocument(path, front_matter, notebook)


def _append_markdown(cells: list, text: str) -> None:
    if text.strip():
        cells.append(nbformat.v4.new_markdown_cell(text.strip("\n")))


def cell_options(source: str, *, where: str = "cell") -> dict[str, Any]:
    """The YAML in a cell's leading ``#|`` lines."""
    lines = []
    for line in source.splitlines():
        option = _OPTION_LINE.match(line)
        if not option:
            break
        lines.append(option[1])
    if not lines:
        return {}
    try:
        options = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as error:
        raise QmdError(f"{where}: the #| cell options are not valid YAML: {error}") from None
    if not isinstance(options, dict):
        raise QmdError(f"{where}: the #| cell options must be 'key: value' lines.")
    return options


def code_without_options(source: str) -> str:
    """A cell's code without its leading ``#|`` option lines."""
    lines = source.splitlines()
    while lines and _OPTION_LINE.match(lines[0]):
        lines.pop(0)
    return "\n".join(lines)
