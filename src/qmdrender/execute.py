"""Run a document's code once, in one Jupyter kernel, honouring Quarto's execution options.

Every output format of a render shares this one execution. Cells run in order in the document's
folder; ``eval: false`` cells are shown but not run, ``error: true`` cells keep their traceback as
output and the render goes on (without it a failing cell stops the render with its source and the
error). Inline expressions `` `{python} expr` `` are evaluated after the cells above them and
replaced by their value as Markdown-escaped text (an ``IPython.display.Markdown`` value stays
Markdown). A hidden setup cell (:mod:`qmdrender.kernel_setup`) first gives the code the figure size and
formats the output formats need, so one execution serves them all. A document without code starts no kernel.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import nbformat

from qmdrender import checkpoints, kernel_start, knitr_python
from qmdrender.checkpoints import Step
from qmdrender.document import QmdDocument
from qmdrender.escape import code_span, escape_markdown
from qmdrender.kernel_setup import setup_code
from qmdrender.options import DocumentOptions, cell_settings
from qmdrender.parameters import injected_parameters_cell
from qmdrender.qmd import (
    DIAGRAM_LANGUAGES,
    LIVE_LANGUAGES,
    code_without_options,
    inline_expressions,
    replace_inline_expressions,
)
from qmdrender.types import EXECUTION_KEY, PARAMETERS_KEY, RenderError, utc_now, warn
from qmdrender.warm import WarmKernel, used_warm, warm_kernels, warm_reset_code


def prepare(document: QmdDocument, parameters: Mapping[str, Any]) -> nbformat.NotebookNode:
    """A copy of the document's notebook with the given parameters injected after the parameters cell."""
    notebook = copy.deepcopy(document.notebook)
    # what the run uses, defaults included, for the provenance panel: each value as Python writes it,
    # as a Markdown code span (pandoc reads metadata as Markdown, and would curl the quotes of text)
    used = {**document.parameter_defaults(), **parameters}
    notebook.metadata[PARAMETERS_KEY] = [{"name": name, "value": code_span(repr(value))}
                                         for name, value in used.items()]
    index = document.parameters_cell_index
    if parameters and index is not None:  # like Quarto, inject only what was given
        injected = injected_parameters_cell(parameters)
        declared = notebook.cells[index].metadata.get("quarto", {})
        shown = {k: v for k, v in declared.items() if k not in ("tags", "label")}
        injected.metadata["quarto"].update(shown)  # the injected cell is as visible as the parameters cell
        notebook.cells.insert(index + 1, injected)
    return notebook


def execute(document: QmdDocument, notebook: nbformat.NotebookNode, options: DocumentOptions,
            formats: Sequence[str], timeout: int | None = None) -> nbformat.NotebookNode:
    """Run ``notebook`` (from :func:`prepare`): its cells in order, inline expressions filled in."""
    first = options.for_format(formats[0])
    steps = steps_of(notebook, first)
    notebook.metadata["inline-values"] = []
    _warn_shown_languages(notebook, document)
    if not steps:
        return notebook
    kernel = kernel_name(options.metadata.get("jupyter"), document)
    timeout = timeout if timeout is not None else first["execute"].get("timeout")
    notebook.metadata[EXECUTION_KEY] = {"executed": utc_now(), "reused": False}
    folder = options.execute_dir or document.path.resolve().parent
    _run(notebook, document, kernel, setup_code(options, formats, notebook), steps, timeout, str(folder))
    return numbered_in_order(notebook)


def numbered_in_order(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``notebook`` with its execution counts 1, 2, ... in the order its cells ran, as a fresh kernel numbers
    them: a warm kernel (preview) counts on from its earlier runs, and what it gives must equal a cold render."""
    count = 0
    for cell in notebook.cells:
        if cell.cell_type == "code" and isinstance(cell.get("execution_count"), int):
            count += 1
            cell.execution_count = count
            for output in cell.get("outputs", []):
                if output.get("output_type") == "execute_result":
                    output["execution_count"] = count
    return notebook


def kernel_name(jupyter: Any, document: QmdDocument) -> str:
    """The kernel the document names (``jupyter: python3`` or a kernelspec mapping), if installed.

    A named kernel that is not installed falls back to ``python3`` with a warning, since every cell
    this renderer runs is Python: documents often carry the name of their author's environment.
    """
    from jupyter_client.kernelspec import KernelSpecManager

    name = jupyter
    if isinstance(jupyter, Mapping):
        spec = jupyter.get("kernelspec") or {}
        name = spec.get("name") if isinstance(spec, Mapping) else None
        name = name or jupyter.get("kernel")
    if name in (None, True, "python", "python3"):
        return "python3"
    installed = KernelSpecManager().find_kernel_specs()
    if name in installed:
        return str(name)
    warn(f"{document.path}: Jupyter kernel {name!r} is not installed (installed: {', '.join(sorted(installed))}); "
         "running the Python cells in python3.")
    return "python3"


def steps_of(notebook: nbformat.NotebookNode, format_options: Mapping[str, Any]) -> list[Step]:
    """What a run does, in order: each code cell that runs, and each Markdown cell's inline expressions."""
    steps = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown" and inline_expressions(cell.source):
            steps.append(Step(index, "inline", cell.source))
        elif cell.cell_type == "code" and "language" not in cell.metadata:
            settings = cell_settings(format_options, cell.metadata.get("quarto", {}),
                                     knitr=knitr_python.run_by_knitr(cell))
            if settings.get("eval", True) is not False:
                steps.append(Step(index, "code", cell.source, settings.get("error") is True))
    return steps


def _run(notebook: nbformat.NotebookNode, document: QmdDocument, kernel: str, setup: str,
         steps: list[Step], timeout: Any, folder: str) -> None:
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    kernels = warm_kernels()
    warm = kernels.manager(kernel, folder) if kernels is not None else None
    key = (str(document.path.resolve()), setup, folder)
    pristine = copy.deepcopy(notebook) if warm is not None else None
    resumed = checkpoints.take(warm, key, steps) if warm is not None else None
    seconds = _timeout(timeout, document)
    current = "the setup cell"
    step = None
    try:
        with contextlib.ExitStack() as stack:
            if resumed is not None:
                client = resumed.client
                checkpoints.reuse(resumed, notebook)
            else:
                client = _started(stack, lambda: _client(notebook, kernel, folder, seconds, warm,
                                                         None if warm else kernel_start.take(kernel, folder)))
            stack.enter_context(used_warm(warm, client))
            if warm is not None and resumed is None:
                _evaluate(client, warm_reset_code(folder, first=warm.runs == 0), "resetting the warm kernel")
            if resumed is None:
                _evaluate(client, setup, "the setup cell")
            for step in steps[resumed.done if resumed else 0:]:
                current = describe_cell(notebook.cells[step.index], step.index)
                _run_step(client, notebook, step, str(document.path))
            _keep_widget_state(client, notebook)
            client.idle = True  # every step ran: the kernel can be left to shut down on its own
    except CellExecutionError as error:
        code = code_without_options(step.source if step else setup)
        raise RenderError(f"{document.path}: {current} failed, so nothing was written.\n--- cell ---\n{code}\n"
                          f"--- error ---\n{error.ename}: {error.evalue}\n{_syntax_hint(error)}"
                          "(add '#| error: true' to the cell to show the error in the report and go on)") from None
    except CellTimeoutError:
        raise RenderError(f"{document.path}: {current} ran longer than the {timeout} s timeout "
                          "(execute: timeout / --execute-timeout); nothing was written.") from None
    except DeadKernelError:
        if kernels is not None:
            kernels.forget(kernel, folder)
        raise RenderError(f"{document.path}: the Jupyter kernel died while running {current} "
                          "(the code exited the process or ran out of memory); nothing was written.") from None
    if warm is not None:
        reused = f"went on from a checkpoint after {resumed.done} of {len(steps)} steps" if resumed else \
            f"ran all {len(steps)} steps"
        print(f"preview: {document.path.name}: {reused}", file=sys.stderr, flush=True)
        checkpoints.plan(warm, key, steps, pristine, seconds)


def _keep_widget_state(client: Any, notebook: nbformat.NotebookNode) -> None:
    """The state of the Jupyter widgets the cells made (a tqdm bar, a slider), in the notebook's metadata as
    Jupyter saves it: what an HTML page draws them from (nbclient does this only when it runs every cell)."""
    client.set_widgets_metadata()
    state = client.nb.metadata.get("widgets")
    if state:
        notebook.metadata["widgets"] = state


def _syntax_hint(error: Any) -> str:
    """What a syntax error the kernel's Python is too old for means: an f-string that reuses its own quotes
    inside its braces (``f"{d["key"]}"``) is Python 3.12's (PEP 701), which older kernels cannot read."""
    if error.ename == "SyntaxError" and "f-string" in str(error.evalue) and sys.version_info < (3, 12):
        return ("(the f-string is read as Python 3.12 reads it, with its own quotes inside its braces; this "
                f"kernel's Python is {sys.version_info.major}.{sys.version_info.minor}: use the other quotes inside "
                "the braces)\n")
    return ""


def shown_languages(notebook: nbformat.NotebookNode) -> set[str]:
    """The languages of the cells that are shown and not run here: other languages' (the kernel runs Python)
    and quarto-live's; a cell with outputs already is answered without running (an R chunk that only shows
    images), and diagrams are drawn."""
    languages = {c.metadata["language"] for c in notebook.cells
                 if c.cell_type == "code" and "language" in c.metadata and not c.get("outputs")}
    return languages - set(DIAGRAM_LANGUAGES)


def _warn_shown_languages(notebook: nbformat.NotebookNode, document: QmdDocument) -> None:
    """Say which cells are shown and not run: other languages' (the kernel runs Python), quarto-live's."""
    languages = shown_languages(notebook)
    live = sorted(languages & set(LIVE_LANGUAGES))
    if live:
        warn(f"{document.path}: {', '.join(f'{{{name}}}' for name in live)} cells are quarto-live's interactive "
             "cells, which run in the reader's browser (a runtime loaded from a CDN); they are shown as code.")
    if languages - set(live):
        warn(f"{document.path}: cells in {', '.join(sorted(languages - set(live)))} are shown but not run "
             "(the Jupyter kernel runs Python only).")



def _client(notebook: nbformat.NotebookNode, kernel: str, folder: str, timeout: int | None,
            warm: WarmKernel | None, started: Any = None) -> Any:
    """A client for the warm kernel, for a kernel ``started`` already (:mod:`qmdrender.kernel_start`; this
    render owns it and stops it), or for a new kernel."""
    from nbclient import NotebookClient
    client = capped_client(NotebookClient)(notebook, timeout=timeout, kernel_name=kernel,
                                           resources={"metadata": {"path": folder}},
                                           km=warm.manager if warm else started,
                                           config=kernel_start.private_sockets_config(),
                                           extra_arguments=list(kernel_start.KERNEL_ARGUMENTS))
    if started is not None:
        client.owns_km = True
    return client


def _run_step(client: Any, notebook: nbformat.NotebookNode, step: Step, where: str) -> None:
    cell = notebook.cells[step.index]
    if step.kind == "inline":
        cell.source = replace_inline_expressions(cell.source, lambda m: _inline(client, m["expr"], where, notebook))
    else:
        client.allow_errors = step.allow_errors
        # the kernel runs the code without its "#|" lines, as Quarto sends it: a traceback's line numbers are
        # the code's, and a cell magic (%%timeit) is the first line; the page shows the cell as written
        shown = cell.source
        code = code_without_options(shown)
        knitr = knitr_python.is_knitr_chunk(cell)
        cell.source = knitr_python.runner_call(code, step.allow_errors) if knitr else code
        try:
            client.execute_cell(cell, step.index)
        finally:
            cell.source = shown
        if knitr:
            knitr_python.collect_segments(cell, code)


def prepare_checkpoint(warm: WarmKernel, stop: Callable[[], bool]) -> bool:
    """Run the warm kernel's planned checkpoint (see :mod:`qmdrender.checkpoints`) one step at a time until
    it is ready or ``stop()`` says a change is waiting. False when a step failed: the checkpoint is dropped."""
    checkpoint = warm.checkpoint
    if checkpoint is None:
        return True
    document, setup, folder = checkpoint.key
    try:
        if checkpoint.client is None:
            client = _client(checkpoint.notebook, warm.manager.kernel_name, folder, checkpoint.timeout, warm)
            client.start_new_kernel_client()
            checkpoint.client = client
            _evaluate(client, warm_reset_code(folder, first=False), "resetting the warm kernel")
            _evaluate(client, setup, "the setup cell")
        while checkpoint.pending and not stop():
            _run_step(checkpoint.client, checkpoint.notebook, checkpoint.steps[checkpoint.done], document)
            checkpoint.done += 1
    except Exception:  # whatever went wrong (an error, a timeout, a dead kernel), the next render runs every step
        checkpoints.drop(warm)
        return False
    return True


def _started(stack: contextlib.ExitStack, new_client: Any) -> Any:
    """A client whose kernel has started (entered on ``stack``). A kernel that exits before it answers is
    started once more (nothing has run yet, so a second start is safe): over TCP (Windows), jupyter_client
    picks free ports that the kernel binds a moment later, and another process can take one in between."""
    for attempt in (1, 2):
        client = new_client()
        try:
            stack.enter_context(client.setup_kernel())
            return client
        except RuntimeError as error:
            if attempt == 2 or "before replying to kernel_info" not in str(error):
                raise
    raise AssertionError("unreachable")


def _timeout(value: Any, document: QmdDocument) -> int | None:
    if value in (None, False, 0):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise RenderError(f"{document.path}: execute: timeout must be a number of seconds, not {value!r}.")
    return int(value)


def describe_cell(cell: nbformat.NotebookNode, index: int) -> str:
    label = cell.metadata.get("quarto", {}).get("label")
    return f"cell {index}" + (f" ({label})" if label else "")


def _evaluate(client: Any, code: str, what: str) -> list[Any]:
    cell = nbformat.v4.new_code_cell(code)
    client.allow_errors = True
    cells = client.nb.cells
    cells.append(cell)  # nbclient stores the executed cell back at its index: give it one of its own
    try:  # out of the history: the document's first cell is In[1], as in Quarto
        client.execute_cell(cell, len(cells) - 1, store_history=False)
    finally:
        cells.pop()
    errors = [o for o in cell.outputs if o.output_type == "error"]
    if errors:
        raise RenderError(f"{what} failed: {errors[0].ename}: {errors[0].evalue}")
    return cell.outputs


def _inline(client: Any, expression: str, where: str, notebook: nbformat.NotebookNode) -> str:
    """An inline expression's value as Markdown; its raw display data is kept in order in the notebook's
    metadata, so that a frozen execution is escaped exactly as a live one."""
    outputs = _evaluate(client, expression, f"{where}: the inline expression `{{python}} {expression}`")
    result = next((o for o in outputs if o.output_type == "execute_result"), None)
    data = {str(k): v for k, v in result.data.items()} if result is not None else {}
    notebook.metadata["inline-values"].append(data)
    return inline_text(data)


def inline_text(data: Mapping[str, Any]) -> str:
    """An inline expression's value as Markdown: ``text/markdown`` as is, otherwise escaped text."""
    if "text/markdown" in data:
        return str(data["text/markdown"]).strip()
    text = str(data.get("text/plain", ""))
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        value = None
    if isinstance(value, str):  # a string's repr has quotes; Quarto shows the string itself
        text = value
    return escape_markdown(" ".join(text.split("\n")))


STORED_OUTPUT_LIMIT = 100_000  # characters of stream output a cell keeps, and a report shows


def capped_client(base: type) -> type:
    """``base`` (nbclient's NotebookClient) keeping at most :data:`STORED_OUTPUT_LIMIT` characters of each
    cell's stream output as it arrives, so a cell that prints a gigabyte costs no more than that."""

    from nbclient.util import ensure_async, run_sync

    class CappedClient(base):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.kept: dict[int, int] = {}
            self.dropped: dict[int, int] = {}
            self.idle = False  # set once every cell has run (see _async_cleanup_kernel)

        def output(self, outs: list[Any], msg: dict[str, Any], display_id: Any, cell_index: int) -> Any:
            if msg.get("msg_type") == "stream":
                text = msg["content"].get("text", "")
                room = STORED_OUTPUT_LIMIT - self.kept.get(cell_index, 0)
                if len(text) > room:
                    self.dropped[cell_index] = self.dropped.get(cell_index, 0) + len(text) - max(room, 0)
                    if room <= 0:
                        return None
                    msg = {**msg, "content": {**msg["content"], "text": text[:room]}}
                    text = text[:room]
                self.kept[cell_index] = self.kept.get(cell_index, 0) + len(text)
            return super().output(outs, msg, display_id, cell_index)

        async def async_execute_cell(self, cell: Any, cell_index: int, *args: Any, **kwargs: Any) -> Any:
            try:
                return await super().async_execute_cell(cell, cell_index, *args, **kwargs)
            finally:
                dropped = self.dropped.pop(cell_index, 0)
                self.kept.pop(cell_index, None)
                if dropped:
                    note = f"\n[... output truncated: {dropped:,} more characters not shown ...]\n"
                    streams = [o for o in cell.outputs if o.get("output_type") == "stream"]
                    if streams:
                        streams[-1].text = streams[-1].get("text", "") + note
                    else:
                        cell.outputs.append(nbformat.v4.new_output("stream", name="stdout", text=note))

        execute_cell = run_sync(async_execute_cell)  # nbclient binds its own coroutine otherwise

        async def _async_cleanup_kernel(self) -> None:
            """Ask the kernel this client started to shut down, and go on without waiting for its process to
            end: the kernel exits as usual (atexit handlers, files flushed), but tearing down torch takes it
            1.5 to 2.5 s, which the render would otherwise wait for. A thread waits for it instead and kills
            it if it has not ended in jupyter_client's shutdown wait time (:func:`_reap_later`), so a kernel
            that hangs on its way out does not outlive a render in a process that goes on (preview, a
            notebook calling the renderer, tests). A kernel kept warm is not this client's;
            one that may still be running a cell (the render failed or was interrupted) is interrupted, asked,
            and killed if it does not end, as jupyter_client does."""
            if not self.owns_km or self.km is None or not self.idle:
                return await super()._async_cleanup_kernel()
            manager = self.km
            try:
                if await ensure_async(manager.is_alive()):
                    manager.shutting_down = True  # as jupyter_client's own shutdown marks it
                    await ensure_async(manager.request_shutdown())
                    # jupyter_client gives the request 0.1 s to leave once the socket closes; on a busy machine
                    # that can pass before it is sent, and the kernel would then live on beside this process
                    control = getattr(manager, "_control_socket", None)
                    if control is not None:
                        control.linger = 5000
                    _reap_later(manager)
            finally:
                if self.kc is not None:
                    await ensure_async(self.kc.stop_channels())
                self.kc = None
                manager.cleanup_connection_file()  # the kernel read it when it started
                manager.cleanup_ipc_files()
                self.km = None

        _cleanup_kernel = run_sync(_async_cleanup_kernel)

    return CappedClient


def _reap_later(manager: Any) -> None:
    """Wait, in a daemon thread, for the kernel ``manager`` asked to shut down, and kill its process group if
    it has not ended within ``manager.shutdown_wait_time`` (5 s), as jupyter_client's own shutdown does after
    a polite request. If this process exits first, the kernel sees its parent go and ends itself."""
    provisioner = getattr(manager, "provisioner", None)
    process = getattr(provisioner, "process", None)
    if not isinstance(process, subprocess.Popen):
        return
    group = getattr(provisioner, "pgid", None)
    grace = float(getattr(manager, "shutdown_wait_time", 5.0))

    def reap(_held: Any) -> None:  # holding the manager keeps its control socket open until the kernel ends
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(OSError):
                if group and hasattr(os, "killpg") and group != os.getpgrp():  # the kernel's own session
                    os.killpg(group, signal.SIGKILL)
                else:
                    process.kill()
            with contextlib.suppress(Exception):
                process.wait(timeout=grace)

    threading.Thread(target=reap, args=(manager,), name="kernel-reaper", daemon=True).start()
