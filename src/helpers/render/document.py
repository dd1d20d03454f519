"""Read a Quarto ``.qmd`` document into front matter and notebook cells, as ``quarto convert`` does.

The front matter becomes a raw cell, text becomes Markdown cells and each executable block
(```` ```{python} ````) a code cell whose ``#|`` option lines stay in its source (so the notebook still
renders with Quarto) and are also parsed into ``cell.metadata["quarto"]``; ``tags`` go to
``cell.metadata["tags"]``, the papermill convention Quarto follows for ``parameters``.

The reader works line by line, as a Markdown parser does, so fences nest correctly: a
```` ```{python} ```` example inside a longer ```` ```` ```` fence stays text, and the escaped form
```` ```{{python}} ```` becomes a code block that shows the fence (Quarto's way of documenting
cells). ``{{< include FILE >}}`` is expanded here, before execution, so included cells run too.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import yaml

from helpers.render.types import warn

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*?)[ \t]*$")
EXECUTABLE = re.compile(r"^\{(?P<lang>[A-Za-z][\w.-]*)(?P<header>[^{}]*)\}$")
_ESCAPED = re.compile(r"^\{\{(?P<lang>[A-Za-z][\w.-]*)(?P<header>[^{}]*)\}\}$")
_INCLUDE = re.compile(r"^\{\{<\s*include\s+(?P<file>\S+?)\s*>\}\}[ \t]*$")
_OPTION_LINE = re.compile(r"^#\|\s?(.*)$")
_LABEL = re.compile(r"[^\w:.-]+")
MAX_INCLUDE_DEPTH = 10


class QmdError(ValueError):
    """A .qmd document that Quarto would refuse; the message names the file and what is wrong."""


@dataclass(frozen=True)
class QmdDocument:
    path: Path
    front_matter: dict[str, Any]
    notebook: nbformat.NotebookNode

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


def read_text(path: Path, what: str = "document") -> str:
    """A UTF-8 text file, or one clear :class:`QmdError`."""
    try:
        return path.read_text(encoding="utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as error:
        raise QmdError(f"{path}: the {what} is not UTF-8 text (byte {error.start}); save it as UTF-8.") from None
    except OSError as error:
        raise QmdError(f"{path}: cannot read the {what} ({error.strerror}).") from None


def read_qmd(path: str | Path) -> QmdDocument:
    """Parse ``path`` into front matter and a notebook; raise :class:`QmdError` on what Quarto refuses."""
    path = Path(path)
    text = read_text(path)
    front_matter: dict[str, Any] = {}
    cells = []
    match = FRONT_MATTER.match(text)
    if match:
        front_matter = parse_front_matter(match["yaml"] or "", path)
        cells.append(nbformat.v4.new_raw_cell(match.group(0).strip()))
        text = text[match.end():]
    lines = expand_includes(text, path.parent, path, depth=0)
    cells.extend(_cells(lines, path))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return QmdDocument(path, front_matter, notebook)


def parse_front_matter(text: str, path: Path) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as error:
        raise QmdError(f"{path}: the front matter is not valid YAML: {_one_line(error)}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise QmdError(f"{path}: the front matter must be 'key: value' lines, not a {type(loaded).__name__}.")
    return loaded


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def expand_includes(text: str, folder: Path, source: Path, depth: int) -> list[str]:
    """The document's lines with each ``{{< include FILE >}}`` line replaced by FILE's lines.

    Paths are relative to the including file (``/path`` to the project root is resolved by the
    caller's folder chain, as Quarto resolves it from the project); includes nest. Lines inside code
    fences are left alone, so an include shown as an example stays text.
    """
    if depth > MAX_INCLUDE_DEPTH:
        raise QmdError(f"{source}: includes nest more than {MAX_INCLUDE_DEPTH} deep (an include loop?).")
    result: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        opened = FENCE.match(line)
        if fence is None and opened:
            fence = opened["fence"]
        elif fence is not None and opened and opened["fence"][0] == fence[0] and \
                len(opened["fence"]) >= len(fence) and not opened["info"]:
            fence = None
        include = _INCLUDE.match(line) if fence is None else None
        if include is None:
            result.append(line)
            continue
        target = _resolve_include(include["file"], folder, source)
        included = read_text(target, "included file")
        match = FRONT_MATTER.match(included)
        if match:  # an included file's own front matter is not part of the text
            included = included[match.end():]
        result.extend(expand_includes(included.rstrip("\n"), target.parent, target, depth + 1))
    return result


def _resolve_include(name: str, folder: Path, source: Path) -> Path:
    name = name.strip("\"'")
    candidates = [folder / name]
    if name.startswith("/"):
        candidates = [root / name.lstrip("/") for root in (folder, *folder.parents)]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise QmdError(f"{source}: {{{{< include {name} >}}}} names a file that does not exist ({candidates[0]}).")


def _cells(lines: list[str], path: Path) -> list[nbformat.NotebookNode]:
    cells: list[nbformat.NotebookNode] = []
    markdown: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        opened = FENCE.match(line)
        if not opened:
            markdown.append(line)
            index += 1
            continue
        end = closing_fence(lines, index, opened["fence"])
        body = lines[index + 1:end]
        info = opened["info"]
        executable = EXECUTABLE.match(info) if not opened["indent"] else None
        escaped = _ESCAPED.match(info)
        if executable:
            _flush_markdown(cells, markdown)
            cells.append(_code_cell(executable["lang"], executable["header"], "\n".join(body), path, len(cells)))
        elif escaped:  # ```{{python}} shows the cell, fence included, as an unexecuted example
            outer = "`" * max(4, len(opened["fence"]) + 1)
            fence = opened["fence"]
            markdown += [f"{outer}", f"{fence}{{{escaped['lang']}{escaped['header']}}}", *body, fence, outer]
        else:
            markdown += lines[index:end + 1]
        index = end + 1
    _flush_markdown(cells, markdown)
    return cells


def closing_fence(lines: list[str], start: int, fence: str) -> int:
    for index in range(start + 1, len(lines)):
        closing = FENCE.match(lines[index])
        if closing and closing["fence"][0] == fence[0] and len(closing["fence"]) >= len(fence) \
                and not closing["info"]:
            return index
    return len(lines)  # CommonMark: an unclosed fence runs to the end of the document


def _flush_markdown(cells: list[nbformat.NotebookNode], markdown: list[str]) -> None:
    text = "\n".join(markdown).strip("\n")
    if text.strip():
        cells.append(nbformat.v4.new_markdown_cell(text))
    markdown.clear()


def _code_cell(language: str, header: str, body: str, path: Path, number: int) -> nbformat.NotebookNode:
    where = f"{path}, cell {number}"
    options = cell_options(body, where=where)
    options.update(_header_options(header, where))
    if "label" in options:
        options["label"] = clean_label(str(options["label"]), where)
    tags = options.get("tags")
    if tags is not None and not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
        raise QmdError(f"{where}: '#| tags:' takes a list, e.g. '#| tags: [parameters]'.")
    cell = nbformat.v4.new_code_cell(body.rstrip("\n"))
    cell.metadata["quarto"] = options
    if language != "python":
        cell.metadata["language"] = language
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def _header_options(header: str, where: str) -> dict[str, Any]:
    """Options written in the fence, ```` ```{python echo=false} ```` (knitr style, which Quarto accepts)."""
    options: dict[str, Any] = {}
    header = header.strip().lstrip(",").strip()
    if not header:
        return options
    for part in re.split(r",\s*|\s+(?=[\w.-]+\s*=)", header):
        name, separator, value = part.partition("=")
        if not separator:
            options.setdefault("label", name.strip())
            continue
        try:
            parsed = yaml.safe_load(value.strip().replace("FALSE", "false").replace("TRUE", "true"))
        except yaml.YAMLError:
            raise QmdError(f"{where}: cannot read the option {part!r} in the cell's fence.") from None
        options[name.strip().replace(".", "-")] = parsed
    return options


def clean_label(label: str, where: str) -> str:
    """A cell label usable as an HTML id and a LaTeX label; spaces and odd characters become ``-``."""
    cleaned = _LABEL.sub("-", label.strip()).strip("-")
    if cleaned != label:
        warn(f"{where}: label {label!r} is not a valid identifier; using {cleaned!r}.")
    return cleaned


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
        raise QmdError(f"{where}: the #| cell options are not valid YAML: {_one_line(error)}") from None
    if not isinstance(options, dict):
        raise QmdError(f"{where}: the #| cell options must be 'key: value' lines.")
    return options


def code_without_options(source: str) -> str:
    """A cell's code without its leading ``#|`` option lines."""
    lines = source.splitlines()
    while lines and _OPTION_LINE.match(lines[0]):
        lines.pop(0)
    return "\n".join(lines)
