"""A kernel started before the renderer needs it, so that its start-up overlaps the renderer's own.

A Jupyter kernel takes about a second to start (it imports IPython and ipykernel), and the renderer then
waits for it. ``python -m qmdrender DOC.qmd`` starts the likely kernel (``python3`` in the document's
folder) first of all, before it imports the renderer's own modules (0.7 s: nbformat, jsonschema, the
formats) (:func:`launch_early`); the command line, once it has parsed its arguments, keeps that kernel or
starts it (:func:`launch_for`). The execution takes that kernel when it is the one the document's options
call for (:func:`take`), and starts its own otherwise; a kernel nobody takes is shut down
(:func:`discard`). It only ever saves time: which kernel runs the cells, and where, is still decided by
the document.

Every kernel of a render talks to it over Unix sockets in the user's Jupyter runtime folder
(:func:`private_sockets`), not over TCP ports on localhost: jupyter_client picks free ports and the kernel
binds them a moment later, and when several kernels start at once (a grid's jobs, parallel renders)
another process can take a port in between. The kernel then fails to bind and hangs on its way out, and
the render waits a minute for it. A socket file of its own cannot be taken.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qmdrender.environment import has_environment_files

# How every kernel of a render is started (nbclient adds nothing to these: the history is in memory).
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.hist_file=:memory:"]
_PYTHON_CELL = re.compile(r"^\s*`{3,}\s*\{python[\s,}]", re.M)
# A Unix socket's path must fit in sun_path (104 bytes on macOS, 108 on Linux) with "-" and a number added.
_SOCKET_PATH_ROOM = 100
_private_folder: str | None = None


def private_sockets() -> dict[str, str]:
    """Settings for one kernel manager (its ``transport`` and ``ip`` traits) that connect its kernel over
    Unix sockets named for it alone: in the user's own Jupyter runtime folder, or, where that folder's path is
    too long for a socket's, in a folder of this process's own under the system's temporary folder (only the
    user may enter either). Empty (TCP on localhost, jupyter_client's default) on Windows, which has no such
    sockets, or where neither folder can be had."""
    if os.name == "nt":
        return {}
    from jupyter_core.paths import jupyter_runtime_dir

    name = f"qmdr-{secrets.token_hex(6)}"
    for folder in (jupyter_runtime_dir, _temporary_folder):
        try:
            where = folder()
            os.makedirs(where, mode=0o700, exist_ok=True)
        except OSError:
            continue  # a runtime folder that cannot be made: jupyter_client says so when it writes there
        prefix = os.path.join(where, name)
        if len(os.fsencode(prefix)) <= _SOCKET_PATH_ROOM:
            return {"transport": "ipc", "ip": prefix}
    return {}


def private_sockets_config() -> Any:
    """:func:`private_sockets` as the traitlets configuration of the kernel manager an nbclient client makes."""
    from traitlets.config import Config

    return Config({"KernelManager": private_sockets()})


def _temporary_folder() -> str:
    """A folder for this process's sockets (mode 700), made once and removed when the process ends."""
    global _private_folder
    if _private_folder is None:
        _private_folder = tempfile.mkdtemp(prefix="qmdr-")
        atexit.register(shutil.rmtree, _private_folder, True)
    return _private_folder


@dataclass
class _Launched:
    kernel: str
    folder: str
    manager: Any


_launched: _Launched | None = None


def launch_early(argv: Sequence[str]) -> None:
    """Start the kernel from the raw arguments of ``python -m qmdrender``, before they are parsed: when they
    name exactly one existing ``.qmd`` document and no other mode (preview, a grid, Quarto as the engine).
    It is only a head start; a kernel the render does not take is shut down (:func:`discard`)."""
    if argv[:1] == ["preview"] or any(a == "--grid" or a.startswith("--grid=") for a in argv):
        return
    engine = next((after for before, after in itertools.pairwise(argv) if before == "--engine"), None) or \
        next((a.removeprefix("--engine=") for a in argv if a.startswith("--engine=")), "auto")
    if engine == "quarto" or (engine == "auto" and shutil.which("quarto")):
        return  # Quarto runs the cells, not this kernel
    documents = [Path(a) for a in argv if a.endswith(".qmd") and not a.startswith("-")]
    if len(documents) == 1 and documents[0].is_file():
        launch_for(documents[0])


def launch_for(document: Path) -> None:
    """Start ``python3`` in the folder of ``document`` if it is a ``.qmd`` file with Python cells."""
    try:
        text = document.read_text(encoding="utf-8") if document.suffix == ".qmd" else ""
    except (OSError, UnicodeDecodeError):
        return  # the render says what is wrong with the file
    # a project's _environment files are set when its configuration is read, after this: a kernel started
    # now would not inherit them (PYTHONPATH above all), so the render starts its own
    if _PYTHON_CELL.search(text) and not has_environment_files(document):
        launch("python3", str(document.resolve().parent))


def launch(kernel: str, folder: str) -> None:
    """Start ``kernel`` in ``folder`` without waiting for it to answer (see :func:`take`); one started for the
    same kernel and folder already is kept."""
    global _launched
    if _launched is not None and (_launched.kernel, _launched.folder) == (kernel, folder) \
            and _launched.manager.has_kernel:
        return
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    discard()
    manager = AsyncKernelManager(kernel_name=kernel, **private_sockets())
    try:
        run_sync(manager.start_kernel)(cwd=folder, extra_arguments=list(KERNEL_ARGUMENTS))
    except Exception:  # no such kernel, or it cannot start: the render starts its own and says why
        return
    _launched = _Launched(kernel, folder, manager)


def take(kernel: str, folder: str) -> Any | None:
    """The started kernel's manager if it is ``kernel`` in ``folder`` (once); otherwise it is shut down."""
    global _launched
    launched, _launched = _launched, None
    if launched is not None and (launched.kernel, launched.folder) == (kernel, folder) \
            and launched.manager.has_kernel:
        return launched.manager
    _shut_down(launched)
    return None


def discard() -> None:
    """Shut down a started kernel that no render took (the execution was frozen, or there was none)."""
    global _launched
    launched, _launched = _launched, None
    _shut_down(launched)


def _shut_down(launched: _Launched | None) -> None:
    if launched is None:
        return
    from jupyter_core.utils import run_sync

    with contextlib.suppress(Exception):  # a kernel that is already gone is what we want
        run_sync(launched.manager.shutdown_kernel)(now=True)
