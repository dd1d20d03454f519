"""Independent documents rendered at once (``--jobs N``): one child ``python -m qmdrender`` per document.

Each document is a separate process with its own kernel, so a crash or a ``sys.exit`` in one cannot
touch another, and freeze stores (one per document) never share a file. A child's log is held back
and printed whole, in the order the documents were given, so the terminal reads as a sequential
render does: ``[2/5] notebooks/b.qmd ...`` followed by its own lines. Every document is rendered even
when one fails; the exit status is 1 if any failed, and the failures are listed at the end.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# What one render job may take at its peak: a kernel with torch and the model, pandoc and xelatex.
MEMORY_PER_JOB = 2 * 1024**3


THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


def thread_environment(jobs: int) -> dict[str, str]:
    """Thread counts for one of ``jobs`` concurrent renders (their kernels inherit them), so that N
    kernels share the cores instead of each starting one thread per core and fighting over them."""
    threads = max(1, (os.cpu_count() or 1) // max(1, jobs))
    return dict.fromkeys(THREAD_VARIABLES, str(threads))


def default_jobs() -> int:
    """As many jobs as cores, fewer where the memory available would not hold them."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    try:
        available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return cores
    return max(1, min(cores, available // MEMORY_PER_JOB))


def render_in_parallel(documents: Sequence[Path], child_arguments: Sequence[str] | Callable[[Path], Sequence[str]],
                       jobs: int) -> int:
    """Render ``documents`` with up to ``jobs`` children; print each log whole, in order; 0 if all succeeded.
    ``child_arguments`` are the options of every child, or a function giving each document's."""
    children: set[subprocess.Popen] = set()
    lock = threading.Lock()
    stopping = threading.Event()

    def run(document: Path) -> tuple[int, str]:
        if stopping.is_set():
            return 130, "error: not started; the render was interrupted.\n"
        arguments = child_arguments(document) if callable(child_arguments) else child_arguments
        command = [sys.executable, "-m", "qmdrender", str(document), *arguments, "--jobs", "1"]
        # cores // jobs threads each: N kernels with a thread per core each are slower than one at a time
        # (measured on 2 cores: 76 s against 69 s for three reports). With fewer threads torch may add up in
        # another order, so the last digits can differ from a one-at-a-time render, as between machines.
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, **thread_environment(jobs)})
        with lock:
            children.add(process)
        try:
            _, log = process.communicate()
        finally:
            with lock:
                children.discard(process)
        return process.returncode, log

    failed = []
    said: set[str] = set()  # a project-wide warning (a site option) is the same in every page's log: say it once
    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="render-job") as pool:
        futures = [pool.submit(run, document) for document in documents]
        try:
            for number, (document, future) in enumerate(zip(documents, futures, strict=True), start=1):
                code, log = future.result()
                print(f"[{number}/{len(documents)}] {document} ...", file=sys.stderr, flush=True)
                lines = [line for line in log.splitlines() if not line.startswith("[1/1] ") and line not in said]
                said.update(line for line in lines if line.startswith("warning: "))
                if lines:
                    print("\n".join(lines), file=sys.stderr, flush=True)
                if code != 0:
                    failed.append(str(document))
        except BaseException:
            stopping.set()  # Ctrl-C or SIGTERM: stop every child (each cleans up its kernel and temp files)
            with lock:
                for process in children:
                    process.send_signal(signal.SIGTERM)
            raise
    if failed:
        print(f"error: {len(failed)} of {len(documents)} documents failed: {', '.join(failed)}; the others were "
              "written.", file=sys.stderr)
        return 1
    return 0
