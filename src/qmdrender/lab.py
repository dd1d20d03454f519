"""The .qmd notebooks in JupyterLab: open them as notebooks, run them, save them back without loss.

jupytext is the ecosystem's pairing tool, and its JupyterLab extension (installed with it) is what
makes JupyterLab list a ``.qmd`` as a notebook and open it in the notebook editor. Its server side,
though, converts ``.qmd`` files by calling ``quarto convert``, and Quarto cannot be installed here,
so the server side is this module: a contents manager that reads a ``.qmd`` into notebook cells
with the renderer's own line reader and writes the cells back to exactly the text they came from.

Every cell remembers the text around it (the fence lines, the blank lines) in ``metadata.qmd``, so
front matter, Markdown, ``#|`` options, the ``parameters`` tag and blank lines survive a save, and
a file saved unchanged is byte for byte the same. Outputs are never written into the ``.qmd``.
New cells get a blank line before them and ```` ```{python} ```` fences.

``python -m qmdrender.lab [jupyter lab options]`` (``make lab``) starts JupyterLab with it.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any

import nbformat

from qmdrender.qmd import QmdError, cell_options, scan


def qmd_to_notebook(text: str) -> nbformat.NotebookNode:
    """The notebook a ``.qmd`` text shows in JupyterLab; :func:`notebook_to_qmd` gives the text back.

    The cells are the renderer's own (:func:`qmdrender.qmd.scan`): the same front matter, the same
    code cells, an unclosed fence running to the end of the file, CRLF files alike."""
    cells: list[nbformat.NotebookNode] = []
    markdown: list[str] = []
    for chunk in scan(text):
        if chunk.kind == "front-matter":
            body = chunk.text.rstrip("\r\n")
            cells.append(_cell("raw", body, "", chunk.text[len(body):]))
        elif chunk.kind == "code":
            _markdown(cells, "".join(markdown))
            markdown = []
            source = chunk.body.removesuffix("\n").removesuffix("\r")
            cells.append(_cell("code", source, chunk.opening, chunk.body[len(source):] + chunk.closing))
            _dedent(cells[-1], chunk.indent)
        else:
            markdown.append(chunk.text)
    _markdown(cells, "".join(markdown))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["jupytext"] = {"formats": "qmd", "text_representation": {"extension": ".qmd"}}
    return notebook


def _markdown(cells: list[nbformat.NotebookNode], text: str) -> None:
    body = text.strip("\r\n")
    if not body.strip():
        if cells:  # blank lines between two cells belong to the one before
            cells[-1].metadata["qmd"]["suffix"] += text
        elif text:
            cells.append(_cell("markdown", "", text, ""))
        return
    start = text.index(body)
    cells.append(_cell("markdown", body, text[:start], text[start + len(body):]))


def _cell(kind: str, source: str, prefix: str, suffix: str) -> nbformat.NotebookNode:
    make = {"raw": nbformat.v4.new_raw_cell, "markdown": nbformat.v4.new_markdown_cell,
            "code": nbformat.v4.new_code_cell}[kind]
    cell = make(source)
    cell.metadata["qmd"] = {"kind": kind, "prefix": prefix, "suffix": suffix}
    if kind == "code":
        try:
            tags = cell_options(source).get("tags")
        except QmdError:
            tags = None
        if isinstance(tags, list):
            cell.metadata["tags"] = [str(t) for t in tags]
    return cell


def notebook_to_qmd(notebook: nbformat.NotebookNode) -> str:
    """The ``.qmd`` text of a notebook: each cell with the text it was read with, new cells fenced.

    What is saved must read back as the same cells: a code cell whose code holds a fence line gets a
    longer fence, and a ```` ```{python} ```` example typed into a Markdown cell is saved as a plain
    code block (```` ```{.python} ````), which shows the same and never runs."""
    parts = []
    for cell in notebook.cells:
        source = cell.source if isinstance(cell.source, str) else "".join(cell.source)
        saved = cell.get("metadata", {}).get("qmd")
        if cell.cell_type == "code":
            source = _with_tags(source, cell.get("metadata", {}).get("tags", []))
            prefix, suffix = (saved["prefix"], saved["suffix"]) if saved and saved.get("kind") == "code" else \
                ("\n```{python}\n", "\n```\n")
            indent = saved.get("indent", "") if saved and saved.get("kind") == "code" else ""
            source = "\n".join(indent + line if line else line for line in source.split("\n")) if indent else source
            parts.append(_fenced(prefix, source, suffix))
        elif saved and saved.get("kind") == cell.cell_type:
            parts.append(saved["prefix"] + _not_executable(source, cell.cell_type) + saved["suffix"])
        else:
            parts.append(f"\n{_not_executable(source, cell.cell_type)}\n")
    return "".join(parts)


def _dedent(cell: nbformat.NotebookNode, indent: str) -> None:
    """A cell indented into a list item shows its code without the indentation, which saving puts back;
    only when every line but the empty ones carries it, so the text comes back byte for byte."""
    lines = cell.source.split("\n")
    if not indent or not all(line == "" or (line.startswith(indent) and line[len(indent):].strip(" "))
                             for line in lines):
        return
    cell.source = "\n".join(line[len(indent):] for line in lines)
    cell.metadata["qmd"]["indent"] = indent


def _fenced(prefix: str, source: str, suffix: str) -> str:
    """A code cell's text, its fence made longer than any fence line in its code."""
    opened = re.search(r"(`{3,}|~{3,})(?=\{)", prefix)
    if opened is None:
        return prefix + source + suffix
    fence = opened[1]
    inner = [len(m[1]) for m in re.finditer(rf"^ {{0,3}}({re.escape(fence[0])}{{3,}})[ \t]*\r?$", source, re.M)]
    if not inner or max(inner) < len(fence):
        return prefix + source + suffix
    longer = fence[0] * (max(inner) + 1)
    closing = re.compile(rf"{re.escape(fence)}(?=[ \t]*(?:\r?\n)?\Z)")
    return prefix.replace(fence, longer, 1) + source + closing.sub(longer, suffix, count=1)


def _not_executable(source: str, kind: str) -> str:
    """Markdown (and raw) text with any executable fence turned into a plain code block's."""
    if kind == "code" or not any(chunk.kind == "code" for chunk in scan(source, front_matter=kind == "raw")):
        return source
    return "".join(chunk.text.replace(f"{{{chunk.language}", f"{{.{chunk.language}", 1) if chunk.kind == "code"
                   else chunk.text for chunk in scan(source, front_matter=kind == "raw"))


def _with_tags(source: str, tags: list[str]) -> str:
    """Tags added in JupyterLab's tag editor become a ``#| tags:`` line (Quarto reads tags there)."""
    tags = [t for t in tags if t != "injected-parameters"]
    if not tags or re.search(r"^#\|\s*tags:", source, re.M):
        return source
    return f"#| tags: [{', '.join(tags)}]\n{source}"


def contents_manager_class() -> type:
    """A JupyterLab contents manager that reads and writes ``.qmd`` files as notebooks (see above)."""
    from jupyter_server.services.contents.largefilemanager import LargeFileManager

    class QmdContentsManager(LargeFileManager):
        def get(self, path: str, content: bool = True, type: str | None = None, format: str | None = None,
                **kwargs: Any) -> dict[str, Any]:
            if not path.endswith(".qmd") or type not in (None, "notebook"):
                return super().get(path, content=content, type=type, format=format, **kwargs)
            model = super().get(path, content=content, type="file", format="text", **kwargs)
            model["type"], model["mimetype"] = "notebook", None
            if content:
                notebook = qmd_to_notebook(model["content"])
                self.mark_trusted_cells(notebook, path)
                model["content"], model["format"] = notebook, "json"
                self.validate_notebook_model(model)
            return model

        def save(self, model: dict[str, Any], path: str = "") -> dict[str, Any]:
            if path.endswith(".qmd") and model.get("type") == "notebook":
                notebook = nbformat.from_dict(model["content"])
                text = notebook_to_qmd(notebook)
                super().save({"type": "file", "format": "text", "content": text}, path)
                return self.get(path, content=False)
            return super().save(model, path)

    return QmdContentsManager


def main(argv: list[str] | None = None) -> None:
    """``jupyter lab`` with the ``.qmd`` contents manager (jupytext's server side switched off)."""
    from jupyterlab.labapp import main as lab

    arguments = [
        "--ServerApp.contents_manager_class=qmdrender.lab.QmdContentsManager",
        "--ServerApp.jpserver_extensions=jupyterlab_jupytext=False",
        *(["--allow-root"] if os.geteuid() == 0 else []),  # containers and CI machines run as root
        *(sys.argv[1:] if argv is None else argv),
    ]
    sys.exit(lab(arguments))


QmdContentsManager = contents_manager_class()

if __name__ == "__main__":
    main()
