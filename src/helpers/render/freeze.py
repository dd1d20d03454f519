"""Quarto's ``execute: freeze``, keyed by everything that determines a document's outputs.

An executed notebook is stored under ``_freeze/<document>/<key>.ipynb`` (in the project root, or
beside the document outside a project; ``LLM_REPORTS_FREEZE_DIR`` moves it). The key hashes what
the cells' outputs depend on: the code cells and their options, the inline expressions, the
parameter values, the kernel, the figure setup, the ``helpers`` package's source and the locked
requirements. Prose is not in the key, so a prose edit re-renders from the stored outputs without
running a single cell; a change to any code cell, parameter or helper re-executes.

``freeze: false`` (the default) always executes; ``freeze: auto`` reuses a stored execution whose key
matches; ``freeze: true`` reuses the latest stored execution of the document even if the code
changed (Quarto: "never recompute"), and executes only when there is none. ``--no-freeze`` executes
regardless and stores the result. A damaged entry is reported in a warning, ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from helpers.render.document import QmdDocument
from helpers.render.execute import INLINE
from helpers.render.types import REPOSITORY, warn

PACKAGE = Path(__file__).resolve().parents[1]  # src/helpers
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


def helpers_digest() -> str:
    """The source of the ``helpers`` package the cells import (its Python, TeX and CSS files)."""
    return _digest([p for p in PACKAGE.rglob("*") if p.suffix in (".py", ".tex", ".css", ".lua") and p.is_file()])


def requirements_digest() -> str:
    return _digest([p for p in REPOSITORY.glob("requirements*.txt") if p.is_file()])


def execution_key(notebook: nbformat.NotebookNode, parameters: Mapping[str, Any], kernel: str, setup: str) -> str:
    """What a document's outputs depend on, hashed (see the module docstring)."""
    code = [{"source": c.source, "options": c.metadata.get("quarto", {}), "language": c.metadata.get("language")}
            for c in notebook.cells if c.cell_type == "code"]
    inline = [m["expr"] for c in notebook.cells if c.cell_type == "markdown" for m in INLINE.finditer(c.source)]
    record = {"code": code, "inline": inline, "parameters": parameters, "kernel": kernel, "setup": setup,
              "helpers": helpers_digest(), "requirements": requirements_digest()}
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
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=self.folder)
        os.close(handle)
        nbformat.write(notebook, temporary)
        os.replace(temporary, self.folder / f"{key}.ipynb")

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
        self.folder.mkdir(parents=True, exist_ok=True)
        record = {"stamp": stamp, "files": {str(t.resolve()): _file_digest(t) for t in targets if t.is_file()}}
        (self.folder / f"outputs-{name}.json").write_text(json.dumps(record, indent=1))


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
