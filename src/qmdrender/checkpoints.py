"""Cell-level reuse in ``preview``: go on from a checkpoint of a document's unchanged first cells.

A run is a list of steps: the code cells that run and the Markdown cells with inline expressions, in
order. While the preview is idle after a render, its warm kernel is reset and runs the document's
first steps again, up to the step the last code edit changed (before the last step while nothing has
been edited yet), and waits there: that is the checkpoint. Its state is what a full re-run has after
the same steps, because it *is* such a run, made ahead of time. When the next render's first steps
are exactly the checkpoint's (same document, setup code, working folder, cell sources and their
``eval``/``error`` options, at the same places), the render takes the checkpoint's outputs for those
steps and runs only the rest on that kernel. Otherwise it resets the kernel and runs every step, as
before. Either way it says which it did.

A checkpoint is dropped when the kernel is used for anything else, when a file under the watched
folders changes (a cell may read it: the preview calls :func:`drop`), and when Python source changes
(the kernels restart). Files outside the watched folders are not watched.

Why not a snapshot of the kernel: a forked copy of a process whose torch (libgomp) thread pool has run
hangs on its first parallel operation (tried here: a 2000 × 2000 matmul in the child never returns),
and pickling the namespace (dill) cannot capture a loaded model's C state, open files or threads.
"""

from __future__ import annotations

import contextlib
import copy
from dataclasses import dataclass
from typing import Any

import nbformat

from qmdrender.warm import WarmKernel


@dataclass(frozen=True)
class Step:
    """One thing a run does, in order: run a code cell, or evaluate a Markdown cell's inline expressions."""

    index: int  # the cell's place in the notebook
    kind: str  # "code" or "inline"
    source: str
    allow_errors: bool = False

    @property
    def signature(self) -> tuple[Any, ...]:
        return (self.index, self.kind, self.source, self.allow_errors)


@dataclass
class Checkpoint:
    """A warm kernel running (or having run) the first ``target`` steps of a document after a reset."""

    key: tuple[str, str, str]  # the document, the setup code, the working folder
    steps: list[Step]
    notebook: nbformat.NotebookNode  # the copy being run: the steps done so far carry their outputs
    target: int
    timeout: int | None
    client: Any = None  # nbclient's client, its channels open while the checkpoint waits
    done: int = 0

    @property
    def pending(self) -> bool:
        return self.done < self.target

    def close(self) -> None:
        if self.client is not None and self.client.kc is not None:
            with contextlib.suppress(Exception):  # channels that are already closed are what we want
                self.client.kc.stop_channels()
        self.client = None


@dataclass
class History:
    """What the last render of a document ran, to place the next checkpoint."""

    signatures: list[tuple[Any, ...]]
    target: int


def take(warm: WarmKernel, key: tuple[str, str, str], steps: list[Step]) -> Checkpoint | None:
    """The warm kernel's checkpoint if this run can go on from it; any other checkpoint is dropped (this run
    uses the kernel, so the state it waits in is gone)."""
    checkpoint, warm.checkpoint = warm.checkpoint, None
    if checkpoint is None:
        return None
    done = checkpoint.done
    if (checkpoint.client is not None and checkpoint.key == key and done > 0 and len(steps) >= done
            and [s.signature for s in checkpoint.steps[:done]] == [s.signature for s in steps[:done]]):
        return checkpoint
    checkpoint.close()
    return None


def plan(warm: WarmKernel, key: tuple[str, str, str], steps: list[Step], pristine: nbformat.NotebookNode,
         timeout: int | None) -> None:
    """After a run: the checkpoint to prepare while the preview is idle. It stops before the first step this
    run changed (the place being edited); with no edit yet, or an unchanged run, before the last step."""
    signatures = [s.signature for s in steps]
    previous = warm.history.get(key[0])
    target = len(steps) - 1
    if previous is not None:
        changed = next((n for n, (a, b) in enumerate(zip(previous.signatures, signatures, strict=False)) if a != b),
                       min(len(previous.signatures), len(signatures)))
        target = changed if changed < len(signatures) else previous.target  # unchanged, or only shortened
    target = min(target, len(steps) - 1)
    warm.history[key[0]] = History(signatures, target)
    if target > 0:
        warm.checkpoint = Checkpoint(key, steps, copy.deepcopy(pristine), target, timeout)


def reuse(checkpoint: Checkpoint, notebook: nbformat.NotebookNode) -> None:
    """Give ``notebook`` the outputs (and inline values) of the steps the checkpoint ran."""
    for step in checkpoint.steps[:checkpoint.done]:
        notebook.cells[step.index] = copy.deepcopy(checkpoint.notebook.cells[step.index])
    notebook.metadata["inline-values"] = copy.deepcopy(checkpoint.notebook.metadata.get("inline-values", []))
    checkpoint.client.nb = notebook


def drop(warm: WarmKernel) -> None:
    """Forget the kernel's checkpoint (a file a cell may read has changed)."""
    if warm.checkpoint is not None:
        warm.checkpoint.close()
        warm.checkpoint = None
