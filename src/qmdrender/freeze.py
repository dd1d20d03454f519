"""Quarto's ``execute: freeze``, keyed by everything that determines a document's outputs.

An executed notebook is stored under ``_freeze/<document>/<key>.ipynb`` (in the project root, or
beside the document outside a project; ``LLM_REPORTS_FREEZE_DIR`` moves it). The *execution key*
hashes what the cells' outputs depend on: the code cells and their options, the inline expressions,
the parameter values, the kernel, the figure setup, the locked requirements and the source of the
packages the cells import (a local or editable package by its Python files, an installed one by its
version). Prose is not in the key, and neither is the renderer's own code, filters, CSS or
templates: a prose or theme edit re-renders from the stored outputs without running a single cell,
while a change to a code cell, a parameter or an imported helper re-executes.

Whether the written files are up to date is a second question, answered by the *render stamp*: the
execution key, the prose, the options and the renderer's own files. A filter or CSS edit makes the
files stale (they are written again) without making the execution stale.

``freeze: false`` (the default) always executes; ``freeze: auto`` reuses a stored execution whose key
matches; ``freeze: true`` reuses the latest stored execution of the document even if the code
changed (Quarto: "never recompute"), and executes only when there is none. ``--no-freeze`` executes
regardless and stores the result. A damaged entry is reported in a warning, ignored and rebuilt.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import re
import sys
import sysconfig
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from qmdrender.atomic import write_atomic
from qmdrender.document import QmdDocument
from qmdrender.execute import INLINE
from qmdrender.qmd import code_without_options
from qmdrender.types import REPOSITORY, warn

RENDERER = Path(__file__).resolve().parent  # src/qmdrender: its code, filters, assets and templates
_IMPORT_LINE = re.compile(r"^\s*(?:from|import)\s+([A-Za-z_]\w*)", re.M)
FREEZE_ENV = "LLM_REPORTS_FREEZE_DIR"
MODES = (False, True, "auto")


def freeze_mode(value: Any, document: Path) -> bool | str:
    if value in (None, "false"):
        return False
    if value == "true":
        return True
    if value not in MODES:
        warn(f"{document}: execute: freeze {value!r} is not false, true or auto; executing as with false.")
        return False
    return value


def freeze_root(document: QmdDocument, project: Path | None) -> Path:
    if os.environ.get(FREEZE_ENV):
        return Path(os.environ[FREEZE_ENV]).expanduser()
    return (project or document.path.resolve().parent) / "_freeze"


def _digest(paths: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def renderer_digest() -> str:
    """The renderer's own files (Python, Lua filters, CSS, TeX, templates): they shape the written
    files, never a cell's outputs, so they are part of the render stamp, not the execution key."""
    return _digest([p for p in RENDERER.rglob("*") if p.is_file() and "__pycache__" not in p.parts])


def imported_modules(notebook: nbformat.NotebookNode) -> list[str]:
    """The top-level modules the Python cells import (``import a.b``, ``from a import b``)."""
    names: set[str] = set()
    for cell in notebook.cells:
        if cell.cell_type != "code" or "language" in cell.metadata:
            continue
        source = code_without_options(cell.source)
        try:
            nodes: Iterable[ast.AST] = ast.walk(ast.parse(source))
        except SyntaxError:  # IPython magics: read the import lines alone
            names.update(_IMPORT_LINE.findall(source))
            continue
        for node in nodes:
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return sorted(names)


def _standard_library() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    return tuple(str(Path(paths[key]).resolve()) for key in ("stdlib", "platstdlib"))


def _installed() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    return tuple(str(Path(paths[key]).resolve()) for key in ("purelib", "platlib"))


def module_source(name: str, folder: Path) -> str:
    """What a module's behaviour depends on, as text for the key: the hash of a local or editable
    package's Python files, an installed distribution's version, ``""`` for the standard library."""
    local = [folder / f"{name}.py", folder / name / "__init__.py"]  # the kernel runs in the document's folder
    found = next((p for p in local if p.is_file()), None)
    if found is None:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is None or name in sys.builtin_module_names:
            return ""
        if not spec.origin or spec.origin in ("built-in", "frozen"):
            return ""
        found = Path(spec.origin)
    found = found.resolve()
    if str(found).startswith(_standard_library()) and not str(found).startswith(_installed()):
        return ""
    if str(found).startswith(_installed()):
        versions = importlib.metadata.packages_distributions().get(name, [])
        return " ".join(f"{d}=={importlib.metadata.version(d)}" for d in sorted(versions)) or "installed"
    root = found.parent if found.name == "__init__.py" else None
    files = sorted(root.rglob("*.py")) if root else [found]
    return _digest([f for f in files if "__pycache__" not in f.parts])


def imports_digest(notebook: nbformat.NotebookNode, folder: Path) -> dict[str, str]:
    """:func:`module_source` of every module the cells import."""
    return {name: module_source(name, folder) for name in imported_modules(notebook)}


def requirements_digest() -> str:
    return _digest([p for p in REPOSITORY.glob("requirements*.txt") if p.is_file()])


def execution_key(notebook: nbformat.NotebookNode, parameters: Mapping[str, Any], kernel: str, setup: str,
                  folder: Path) -> str:
    """What a document's outputs depend on, hashed (see the module docstring); ``folder`` is where the
    kernel runs (a module there shadows an installed one)."""
    code = [{"source": c.source, "options": c.metadata.get("quarto", {}), "language": c.metadata.get("language")}
            for c in notebook.cells if c.cell_type == "code"]
    inline = [m["expr"] for c in notebook.cells if c.cell_type == "markdown" for m in INLINE.finditer(c.source)]
    record = {"code": code, "inline": inline, "parameters": parameters, "kernel": kernel, "setup": setup,
              "imports": imports_digest(notebook, folder), "requirements": requirements_digest()}
    return hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class FreezeStore:
    """The stored executions of one document."""

    folder: Path

    @classmethod
    def for_document(cls, document: QmdDocument, project: Path | None) -> FreezeStore:
        return cls(freeze_root(document, project) / document.path.stem)

    def load(self, key: str | None) -> nbformat.NotebookNode | None:
        """The stored execution with ``key`` (``None``: the latest one); damaged entries are dropped."""
        if key is not None:
            candidates = [self.folder / f"{key}.ipynb"]
        else:
            candidates = sorted(self.folder.glob("*.ipynb"), key=lambda p: p.stat().st_mtime, reverse=True)
        for path in candidates:
            if not path.is_file():
                continue
            try:
                return nbformat.read(str(path), as_version=4)
            except Exception as error:  # any unreadable file: say so, drop it, execute again
                warn(f"frozen execution {path} is damaged ({type(error).__name__}); ignoring it and re-executing.")
                path.unlink(missing_ok=True)
        return None

    def save(self, key: str, notebook: nbformat.NotebookNode) -> None:
        write_atomic(self.folder / f"{key}.ipynb", nbformat.writes(notebook))

    def outputs_current(self, name: str, stamp: str, targets: Sequence[Path]) -> bool:
        """Whether every output exists, unchanged since the render with this stamp wrote it."""
        try:
            record = json.loads((self.folder / f"outputs-{name}.json").read_text())
        except (OSError, ValueError):
            return False
        files = record.get("files", {}) if isinstance(record, dict) else {}
        return record.get("stamp") == stamp and all(
            t.is_file() and files.get(str(t.resolve())) == _file_digest(t) for t in targets)

    def record_outputs(self, name: str, stamp: str, targets: Sequence[Path]) -> None:
        """Remember which outputs a render wrote (by content), for :meth:`outputs_current`."""
        record = {"stamp": stamp, "files": {str(t.resolve()): _file_digest(t) for t in targets if t.is_file()}}
        write_atomic(self.folder / f"outputs-{name}.json", json.dumps(record, indent=1))


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def thaw(current: nbformat.NotebookNode, frozen: nbformat.NotebookNode) -> nbformat.NotebookNode | None:
    """The current notebook (its prose) with the frozen notebook's code outputs and inline values.

    Code cells pair up in order; markdown cells come from ``current`` with their inline expressions
    replaced by the values the frozen execution inserted. ``None`` when the two do not line up.
    """
    code_now = [c for c in current.cells if c.cell_type == "code"]
    code_then = [c for c in frozen.cells if c.cell_type == "code"]
    if len(code_now) != len(code_then):
        return None
    values = frozen.metadata.get("inline-values", [])
    result = nbformat.from_dict(json.loads(json.dumps(current)))
    index = 0
    then = iter(code_then)
    for cell in result.cells:
        if cell.cell_type == "code":
            source = next(then)
            cell.outputs = source.get("outputs", [])
            cell.execution_count = source.get("execution_count")
        elif cell.cell_type == "markdown":
            def replace(match: Any) -> str:
                nonlocal index
                value = values[index] if index < len(values) else match.group(0)
                index += 1
                return value

            cell.source = INLINE.sub(replace, cell.source)
    return result
