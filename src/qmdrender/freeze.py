"""Quarto's ``execute: freeze``: stored executions, found again only by the document they belong to.

An executed notebook is stored under ``_freeze/<path of the document in the project>/`` (as Quarto
keys its ``_freeze/``), or beside a document outside a project; ``LLM_REPORTS_FREEZE_DIR`` moves the
store, which then keys each document by its name and a hash of its absolute path. An entry's name
is ``<parameters digest>-<execution key>.ipynb`` (:mod:`qmdrender.keys`), so a result always belongs
to the document, its parameters and its code.

``freeze: auto`` reuses an entry whose key matches. Quarto's ``freeze: true`` ("never recompute")
applies to whole-project renders only; rendering a document on its own always executes in Quarto.
This renderer renders documents one by one, so ``true`` is treated as ``auto`` here: a changed
code cell or parameter is never answered with old results. ``false`` (the default) always executes;
``--no-freeze`` executes and stores the result.

The store is not trusted: an entry that does not read back as a valid notebook of the expected shape
is reported, removed and rebuilt; symbolic links inside the store are never followed; stale entries
(the same parameters, older code) are pruned, and a document keeps at most :data:`MAX_ENTRIES`.
A store that cannot be written (a full disk) is a warning: the render itself goes on.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from qmdrender.atomic import write_atomic
from qmdrender.document import QmdDocument
from qmdrender.execute import inline_text
from qmdrender.keys import digest
from qmdrender.knitr_python import SEGMENTS_KEY
from qmdrender.qmd import inline_expressions, replace_inline_expressions
from qmdrender.types import EXECUTION_KEY, warn

FREEZE_ENV = "LLM_REPORTS_FREEZE_DIR"
MODES = (False, True, "auto")
MAX_ENTRIES = 100  # stored executions per document (each parameter set keeps its newest)


def freeze_mode(value: Any, document: Path) -> bool | str:
    """``false``, ``true`` or ``auto`` (see the module docstring); anything else is a warning and false."""
    if value in (None, "false"):
        return False
    if value in (True, "true", "auto"):
        return "auto"
    if value is not False:
        warn(f"{document}: execute: freeze {value!r} is not false, true or auto; executing as with false.")
    return False


def _document_folder(document: QmdDocument, project: Path | None) -> Path:
    path = document.path.resolve()
    if os.environ.get(FREEZE_ENV):
        root = Path(os.environ[FREEZE_ENV]).expanduser()
        return root / f"{path.stem}-{hashlib.sha256(str(path).encode()).hexdigest()[:12]}"
    if project is not None and path.is_relative_to(project.resolve()):
        return project / "_freeze" / path.relative_to(project.resolve()).with_suffix("")
    return path.parent / "_freeze" / path.stem


def _followable(folder: Path) -> bool:
    """Whether no part of ``folder`` below an existing, real directory is a symbolic link."""
    root = Path(os.environ[FREEZE_ENV]).expanduser() if os.environ.get(FREEZE_ENV) else None
    for part in (folder, *folder.parents):
        if part.name == "_freeze" or part == root:  # the store's root may itself be a link, by choice
            return True
        if part.is_symlink():
            return False
    return True


@dataclass(frozen=True)
class FreezeStore:
    """The stored executions of one document."""

    folder: Path

    @classmethod
    def for_document(cls, document: QmdDocument, project: Path | None) -> FreezeStore | None:
        """The document's store; ``None`` (with a warning) when a symbolic link leads out of it."""
        folder = _document_folder(document, project)
        if not _followable(folder):
            warn(f"{folder} is (inside) a symbolic link; the freeze store there is not used (executing).")
            return None
        return cls(folder)

    def _entry(self, parameters: str, key: str) -> Path:
        return self.folder / f"{parameters}-{key}.ipynb"

    def load(self, parameters: str, key: str) -> nbformat.NotebookNode | None:
        """The stored execution for these parameters and this key; a damaged one is dropped."""
        path = self._entry(parameters, key)
        if path.is_symlink():
            self.drop(path, "is a symbolic link")
            return None
        if not path.is_file():
            return None
        try:
            notebook = nbformat.read(str(path), as_version=4)
            nbformat.validate(notebook)
            _check_inline_values(notebook.metadata.get("inline-values"))
        except Exception as error:  # any unreadable entry: say so, drop it, execute again
            self.drop(path, f"is damaged ({type(error).__name__})")
            return None
        return notebook

    def discard(self, parameters: str, key: str, why: str) -> None:
        """Drop an entry that turned out unusable (say why); the render executes instead."""
        self.drop(self._entry(parameters, key), why)

    def drop(self, path: Path, why: str) -> None:
        warn(f"frozen execution {path} {why}; ignoring it and re-executing.")
        with contextlib.suppress(OSError):
            path.unlink()

    def save(self, parameters: str, key: str, notebook: nbformat.NotebookNode) -> None:
        """Store an execution; older ones for the same parameters are pruned (a warning if it cannot)."""
        try:
            write_atomic(self._entry(parameters, key), nbformat.writes(notebook))
            self._prune(parameters, key)
        except OSError as error:
            warn(f"could not store the execution in {self.folder} ({error.strerror}); the next render executes "
                 "again.")

    def _prune(self, parameters: str, key: str) -> None:
        keep = self._entry(parameters, key)
        entries = sorted(self.folder.glob("*.ipynb"), key=lambda p: p.lstat().st_mtime, reverse=True)
        for number, path in enumerate(entries):
            if path != keep and (path.name.startswith(f"{parameters}-") or number >= MAX_ENTRIES):
                path.unlink(missing_ok=True)

    def outputs_current(self, name: str, stamp: str, targets: Sequence[Path]) -> bool:
        """Whether every output exists, unchanged since the render with this stamp wrote it."""
        record_path = self.folder / f"outputs-{name}.json"
        if record_path.is_symlink():
            return False
        try:
            record = json.loads(record_path.read_text())
        except (OSError, ValueError):
            return False
        files = record.get("files", {}) if isinstance(record, dict) else {}
        if not (isinstance(files, dict) and record.get("stamp") == stamp):
            return False
        # the outputs, and every file the render published with them (a Markdown file's plots), as it wrote them
        recorded = [Path(name) for name in files]
        return all(str(t.resolve()) in files for t in targets) and all(
            p.is_file() and not p.is_symlink() and files[str(p)] == _file_digest(p) for p in recorded)

    def record_outputs(self, name: str, stamp: str, targets: Sequence[Path]) -> None:
        """Remember which outputs a render wrote (by content), for :meth:`outputs_current`; ``targets`` are the
        outputs and the files published with them."""
        record = {"stamp": stamp, "files": {str(t.resolve()): _file_digest(t) for t in targets if t.is_file()}}
        try:
            write_atomic(self.folder / f"outputs-{name}.json", json.dumps(record, indent=1))
        except OSError as error:
            warn(f"could not record the outputs in {self.folder} ({error.strerror}).")


def parameters_digest(parameters: Mapping[str, Any]) -> str:
    return digest(parameters)[:12]


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check_inline_values(values: Any) -> None:
    """Stored inline values are the raw display data of each expression (escaped when used, like live ones)."""
    if values is None:
        return
    if not isinstance(values, list) or not all(isinstance(v, dict) and all(isinstance(k, str) for k in v)
                                               for v in values):
        raise ValueError("inline-values must be a list of display data")


def thaw(current: nbformat.NotebookNode, frozen: nbformat.NotebookNode) -> nbformat.NotebookNode | None:
    """The current notebook (its prose) with the frozen notebook's code outputs, inline values and widget state.

    Code cells pair up in order; markdown cells come from ``current`` with their inline expressions
    replaced by the stored values, made Markdown exactly as live values are. ``None`` when the two do
    not line up.
    """
    code_now = [c for c in current.cells if c.cell_type == "code"]
    code_then = [c for c in frozen.cells if c.cell_type == "code"]
    values = frozen.metadata.get("inline-values", [])
    expressions = sum(len(inline_expressions(c.source)) for c in current.cells if c.cell_type == "markdown")
    if len(code_now) != len(code_then) or len(values) != expressions:
        return None
    result = nbformat.from_dict(json.loads(json.dumps(current)))
    result.metadata["inline-values"] = values
    result.metadata[EXECUTION_KEY] = {**frozen.metadata.get(EXECUTION_KEY, {}), "reused": True}
    if "widgets" in frozen.metadata:  # the state the stored outputs' Jupyter widgets are drawn from
        result.metadata["widgets"] = frozen.metadata["widgets"]
    shown = iter([inline_text(value) for value in values])
    then = iter(code_then)
    for cell in result.cells:
        if cell.cell_type == "code":
            source = next(then)
            cell.outputs = source.get("outputs", [])
            cell.execution_count = source.get("execution_count")
            if SEGMENTS_KEY in source.get("metadata", {}):  # which outputs follow which code (a knitr chunk)
                cell.metadata[SEGMENTS_KEY] = source.metadata[SEGMENTS_KEY]
        elif cell.cell_type == "markdown":
            cell.source = replace_inline_expressions(cell.source, lambda _: next(shown))
    return result
