"""Kernels kept warm between renders, for ``preview``: what is kept, and what is reset before each run.

A render normally starts a kernel and stops it at the end. Inside :func:`kept_warm`, renders reuse
one kernel per (kernel name, document folder) instead, so that a re-render imports nothing and loads
no model again. :func:`warm_reset_code` is what makes that safe (see :class:`WarmKernels`).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import nbformat

from qmdrender import environment
from qmdrender.kernel_start import private_sockets_config


@dataclass
class WarmKernel:
    """One kernel kept alive between renders of the documents of one folder."""

    manager: Any
    started_with: str = ""  # the project environment's stamp when it started (qmdrender.environment.stamp)
    runs: int = 0
    checkpoint: Any = None  # a checkpoints.Checkpoint being prepared or waiting (see qmdrender.checkpoints)
    history: dict[str, Any] = field(default_factory=dict)  # per document: what its last run ran


class WarmKernels:
    """Kernels that outlive a render, one per (kernel name, document folder): ``preview`` keeps them so that
    a second render imports nothing and loads no model (``load_model`` caches per process).

    Before a warm kernel runs a document again, :func:`warm_reset_code` empties it of the previous run:
    the user namespace (``%reset -f``, so a deleted cell's variables are gone), the working folder,
    environment variables and ``sys.path`` as they were when the kernel started, modules imported from
    the document's folder (imported again from their files), matplotlib's figures and settings. What
    stays is what makes it warm: imported packages and their caches. A change to Python source the
    documents import is not something a reset can undo, so ``preview`` restarts the kernels then.
    """

    def __init__(self) -> None:
        self._kernels: dict[tuple[str, str], WarmKernel] = {}

    def manager(self, kernel: str, folder: str) -> WarmKernel:
        from nbclient import NotebookClient

        key = (kernel, folder)
        variables = environment.stamp()
        if key in self._kernels and self._kernels[key].started_with != variables:
            self.discard(self._kernels[key])  # it inherited other _environment values: start one with these
        if key not in self._kernels:
            blank = nbformat.v4.new_notebook()
            client = NotebookClient(blank, kernel_name=kernel, config=private_sockets_config())
            self._kernels[key] = WarmKernel(client.create_kernel_manager(), variables)
        return self._kernels[key]

    def forget(self, kernel: str, folder: str) -> None:
        self._kernels.pop((kernel, folder), None)

    def kernels(self) -> list[WarmKernel]:
        return list(self._kernels.values())

    def discard(self, warm: WarmKernel) -> None:
        """Stop one kernel and forget it (it failed, or may be dead): the next render starts a new one."""
        from jupyter_core.utils import run_sync

        self._kernels = {key: kept for key, kept in self._kernels.items() if kept is not warm}
        if warm.checkpoint is not None:
            warm.checkpoint.close()
        with contextlib.suppress(Exception):  # a kernel that is already gone is what we want
            run_sync(warm.manager.shutdown_kernel)(now=True)

    def shutdown(self) -> None:
        """Stop every kernel (the preview is ending, or the Python source changed)."""
        from jupyter_core.utils import run_sync

        for warm in self._kernels.values():
            if warm.checkpoint is not None:
                warm.checkpoint.close()
            with contextlib.suppress(Exception):  # a kernel that is already gone is what we want
                run_sync(warm.manager.shutdown_kernel)(now=True)
        self._kernels.clear()


_state = threading.local()  # per thread: a preview's renders use its kernels, another thread's renders do not


def warm_kernels() -> WarmKernels | None:
    """The kernels this thread's renders reuse now (inside :func:`kept_warm`), or ``None``: each render
    starts its own."""
    return getattr(_state, "kernels", None)


@contextlib.contextmanager
def kept_warm(kernels: WarmKernels) -> Iterator[WarmKernels]:
    """Renders inside this block reuse ``kernels`` instead of starting and stopping their own."""
    previous, _state.kernels = warm_kernels(), kernels
    try:
        yield kernels
    finally:
        _state.kernels = previous


@contextlib.contextmanager
def used_warm(warm: WarmKernel | None, client: Any) -> Iterator[None]:
    """Count a warm kernel's runs; close this render's connection to it (the kernel itself stays)."""
    try:
        yield
    finally:
        if warm is not None:
            warm.runs += 1
            if client.kc is not None:
                client.kc.stop_channels()


def warm_reset_code(folder: str, *, first: bool) -> str:
    """Python run before the setup cell on a warm kernel: the first time, remember the kernel's starting
    environment and ``sys.path``; every later time, empty it of the previous run (see :class:`WarmKernels`)."""
    return "\n".join([
        "def _qmdrender_reset():",
        "    import os, sys, types",
        "    start = sys.modules.setdefault('_qmdrender_start', types.ModuleType('_qmdrender_start'))",
        "    if not hasattr(start, 'environ'):",
        "        start.environ, start.path = dict(os.environ), list(sys.path)",
        *([] if first else [
            "    get_ipython().run_line_magic('reset', '-f')",
            "    os.environ.clear()",
            "    os.environ.update(start.environ)",
            "    sys.path[:] = start.path",
            f"    os.chdir({folder!r})",
            f"    local = {folder + os.sep!r}",
            "    for name in [n for n, m in list(sys.modules.items())",
            "                 if (getattr(m, '__file__', None) or '').startswith(local)]:",
            "        del sys.modules[name]",
            "    if 'matplotlib.pyplot' in sys.modules:",
            "        import matplotlib.pyplot",
            "        matplotlib.pyplot.close('all')",
            "    if 'matplotlib' in sys.modules:  # settings as a new kernel reads them (its matplotlibrc included)",
            "        import matplotlib",
            "        matplotlib.rc_file_defaults()",
        ]),
        "_qmdrender_reset()",
        "globals().pop('_qmdrender_reset', None)  # %reset -f may have removed it already",
    ])
