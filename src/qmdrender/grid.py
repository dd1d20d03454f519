"""Render one notebook over a grid of parameter sets, with an index page of the results.

``python -m qmdrender NOTEBOOK --grid FILE.yml [--jobs N] [--scheduler tcp://host:port]``. The sets
and their slugs come from :mod:`qmdrender.grid_input`, the index from :mod:`qmdrender.grid_index`.
Each set renders to ``DIR/<stem>/<slug>.<fmt>``. One set's failure, whatever it is, does not stop the
others: the run exits non-zero and names the sets that failed, whose previous outputs survive
(renders are atomic), and the index is written either way.

Local sets run in ``--jobs`` processes (concurrent.futures), each kernel with ``cores // jobs`` torch
threads; SIGTERM or Ctrl-C stops them all, kernels included. ``--scheduler`` hands the sets to an
existing Dask cluster instead: the client sends absolute paths, each worker renders into a private
folder of its own and sends the files back, and the client publishes them into its output folder, so
client and workers need not share a file system (the workers need the document and its files at the
same path). Every wait on the cluster has a timeout.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from qmdrender.grid_index import SetResult, write_index
from qmdrender.grid_input import GridSet, make_sets, read_grid, slugify
from qmdrender.parallel import THREAD_VARIABLES, thread_environment
from qmdrender.publish import publish
from qmdrender.types import RenderError

__all__ = ["GridSet", "SetResult", "make_sets", "read_grid", "render_set", "run_grid", "slugify"]

CONNECT_TIMEOUT_S = 20
SET_TIMEOUT_S = 6 * 3600  # the longest one set may take on a cluster before it is reported lost


class Stopped(BaseException):
    """SIGTERM in a grid: raised like Ctrl-C so that the workers and their kernels are stopped."""


def render_set(notebook: str, grid_set: GridSet, formats: Sequence[str] | None, folder: str, threads: int,
               options: Mapping[str, Any], send_files: bool = False) -> SetResult:
    """Render one set (in a worker process, local or Dask); never raises. ``send_files``: render into a
    private folder and return the files' contents in ``result.payload`` (a Dask worker's way home)."""
    import json

    from qmdrender.pipeline import render

    os.environ.update(dict.fromkeys(THREAD_VARIABLES, str(threads)))  # the kernel inherits them
    started = time.perf_counter()
    result = SetResult(grid_set.slug, grid_set.parameters)
    try:
        with contextlib.ExitStack() as stack:
            target = stack.enter_context(tempfile.TemporaryDirectory(prefix="grid-set-")) if send_files else folder
            with contextlib.redirect_stderr(io.StringIO()):  # one status line per set, not each render's chatter
                written = [Path(p) for p in render(notebook, to=formats, parameters=grid_set.parameters,
                                                   output_dir=target, output=grid_set.slug, **options)]
            sidecar = Path(target) / f"{grid_set.slug}.published.json"
            if sidecar.is_file():
                result.published = json.loads(sidecar.read_text(encoding="utf-8"))
                written.append(sidecar)
            result.files = [p.name for p in written if not p.name.endswith(".published.json")]
            if send_files:
                result.payload = {p.name: p.read_bytes() for p in dict.fromkeys(written)}
    except Exception as error:
        message = " ".join(str(error).split())[:500]
        kind = "" if isinstance(error, RenderError | ValueError | OSError) else f"{type(error).__name__}: "
        result.status, result.error = "failed", f"{kind}{message}"
    result.seconds = round(time.perf_counter() - started, 2)
    return result


def run_grid(notebook: Path, sets: Sequence[GridSet], *, formats: Sequence[str] | None, output_dir: Path,
             jobs: int = 1, scheduler: str | None = None, options: Mapping[str, Any] | None = None) -> list[SetResult]:
    """Render every set and write the index; returns one result per set, in grid order."""
    folder = (output_dir / notebook.stem).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    threads = int(thread_environment(jobs)["OMP_NUM_THREADS"])
    arguments = [(str(notebook.resolve()), s, formats, str(folder), threads, dict(options or {})) for s in sets]
    results: dict[str, SetResult] = {}
    try:
        for result in _progress(_execute(arguments, jobs, scheduler, folder), len(sets)):
            results[result.slug] = result
    finally:
        ordered = [results.get(s.slug) or SetResult(s.slug, s.parameters, "failed", error="not rendered: the run "
                                                     "stopped first") for s in sets]
        write_index(notebook, ordered, folder)
    return ordered


def _execute(arguments: list[tuple], jobs: int, scheduler: str | None, folder: Path) -> Iterable[SetResult]:
    if scheduler:
        yield from _on_dask(arguments, scheduler, folder)
        return
    if jobs <= 1:
        for args in arguments:
            yield render_set(*args)
        return
    yield from _in_processes(arguments, jobs)


def _stop_on_sigterm() -> Any:
    def stop(signum: int, frame: object) -> None:
        raise Stopped()

    if threading.current_thread() is threading.main_thread():
        return signal.signal(signal.SIGTERM, stop)
    return None


def _worker_started() -> None:
    """In each worker: SIGTERM ends the render as Ctrl-C would (its kernel is shut down on the way out)."""
    def stop(signum: int, frame: object) -> None:
        raise SystemExit(143)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops the workers


def _in_processes(arguments: list[tuple], jobs: int) -> Iterable[SetResult]:
    previous = _stop_on_sigterm()
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_worker_started)
    futures: dict[Future, GridSet] = {pool.submit(render_set, *args): args[1] for args in arguments}
    try:
        for future in as_completed(futures):
            grid_set = futures[future]
            try:
                yield future.result()
            except Exception as error:
                yield SetResult(grid_set.slug, grid_set.parameters, "failed",
                                error=f"the worker process failed ({type(error).__name__}: {error})"[:500])
    except (KeyboardInterrupt, Stopped):
        for process in list(getattr(pool, "_processes", {}).values()):  # stop the renders, not just the queue
            with contextlib.suppress(OSError):
                process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _dask_quiet() -> Iterator[None]:
    """distributed logs a lost scheduler with tracebacks of its own; the grid says it in one line instead."""
    import logging

    loggers = [logging.getLogger(name) for name in list(logging.Logger.manager.loggerDict)
               if name == "distributed" or name.startswith("distributed.")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _on_dask(arguments: list[tuple], scheduler: str, folder: Path) -> Iterable[SetResult]:
    from dask.distributed import Client, TimeoutError
    from dask.distributed import as_completed as dask_completed

    with _dask_quiet():
        try:
            client = Client(scheduler, timeout=f"{CONNECT_TIMEOUT_S}s")
        except (OSError, TimeoutError, ValueError, TypeError) as error:
            raise RenderError(f"--scheduler {scheduler}: cannot reach a Dask scheduler there "
                              f"({type(error).__name__}: {' '.join(str(error).split())[:200]}); "
                              "give its address as tcp://HOST:PORT.") from None
        with client:
            futures = {client.submit(render_set, *args, send_files=True, pure=False): args[1] for args in arguments}
            try:
                for future in dask_completed(futures, timeout=SET_TIMEOUT_S):
                    grid_set = futures[future]
                    try:
                        result = future.result(timeout=CONNECT_TIMEOUT_S)
                    except Exception as error:
                        yield SetResult(grid_set.slug, grid_set.parameters, "failed",
                                        error=f"the Dask cluster lost this set ({type(error).__name__})")
                        continue
                    yield _received(result, folder)
            except TimeoutError:
                raise RenderError(f"--scheduler {scheduler}: no answer from the cluster for {SET_TIMEOUT_S} s; "
                                  "the sets not rendered are marked failed.") from None


def _received(result: SetResult, folder: Path) -> SetResult:
    """A Dask worker's files, published into the client's output folder (atomically, as a local render)."""
    payload, result.payload = result.payload, {}
    if result.status == "ok" and payload:
        with tempfile.TemporaryDirectory(prefix="grid-received-") as work:
            built = []
            for name, content in payload.items():
                if Path(name).name != name:
                    continue  # a file name from a worker is a name, never a path
                (Path(work) / name).write_bytes(content)
                built.append(Path(work) / name)
            stale = () if f"{result.slug}.published.json" in payload else (f"{result.slug}.published.json",)
            publish(built, folder, remove=stale)
    return result


def _progress(results: Iterable[SetResult], total: int) -> Iterable[SetResult]:
    """A tqdm bar with each set's status; plain lines in CI logs and other non-terminals."""
    from tqdm import tqdm

    quiet = bool(os.environ.get("CI")) or not sys.stderr.isatty()
    with tqdm(total=total, unit="set", disable=quiet, file=sys.stderr) as bar:
        for result in results:
            bar.set_postfix_str(f"{result.slug}: {result.status}")
            bar.update()
            if quiet:
                print(f"      {result.status:6} {result.slug} ({result.seconds:.1f} s)", file=sys.stderr, flush=True)
            yield result
