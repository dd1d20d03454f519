"""Timing helpers shared by the benchmarks: interleaved pairs, ratio summaries, machine details."""

from __future__ import annotations

import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def interleaved(a: Callable[[], Any], b: Callable[[], Any], *, repeats: int, warmup: bool = True,
                settle: Callable[[], Any] | None = None) -> tuple[list[float], list[float]]:
    """Time ``a`` and ``b`` alternately (A B A B ...), after one untimed warm-up of each; ``settle`` (untimed)
    runs before each of them."""
    settle = settle or (lambda: None)
    if warmup:
        settle()
        a()
        settle()
        b()
    times_a, times_b = [], []
    for _ in range(repeats):
        settle()
        times_a.append(timed(a)[0])
        settle()
        times_b.append(timed(b)[0])
    return times_a, times_b


def ratio_summary(numerators: list[float], denominators: list[float], *, goal: str, target: float,
                  higher_is_better: bool, **extra: Any) -> dict[str, Any]:
    """Per-pair ratios: median, min, max, and whether the median meets the goal."""
    ratios = [n / d for n, d in zip(numerators, denominators, strict=True)]
    median = statistics.median(ratios)
    return {
        "median": round(median, 4),
        "min": round(min(ratios), 4),
        "max": round(max(ratios), 4),
        "goal": goal,
        "meets_goal": median >= target if higher_is_better else median <= target,
        "pairs": len(ratios),
        "seconds_numerator_median": round(statistics.median(numerators), 4),
        "seconds_denominator_median": round(statistics.median(denominators), 4),
        **extra,
    }


def run_bounded(command: Sequence[str], *, timeout: float, cwd: Path | str | None = None,
                env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``command`` run to the end, or killed with everything it started after ``timeout`` seconds.

    Not ``subprocess.run(..., capture_output=True, timeout=...)``: a kernel or server the command started
    keeps the output pipes open after the command itself is killed, and ``run`` then waits for them
    forever. Here the output goes to files, and the command runs in its own session, killed as a whole."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(list(command), cwd=cwd, env=env, stdout=out, stderr=err,
                                   start_new_session=True)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            err.seek(0)
            raise RuntimeError(f"{' '.join(command)} ran longer than {timeout:.0f} s and was stopped:\n"
                               f"{err.read().decode(errors='replace')[-3000:]}") from None
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(list(command), process.returncode, out.read().decode(errors="replace"),
                                           err.read().decode(errors="replace"))


def run_python(code: str, env: dict[str, str] | None = None) -> str:
    """Run ``code`` in a fresh interpreter (this venv's); return its stdout, fail loudly on error."""
    process = run_bounded([sys.executable, "-c", code], env={**os.environ, **(env or {})}, timeout=900)
    if process.returncode != 0:
        raise RuntimeError(f"benchmark subprocess failed:\n{process.stderr[-3000:]}")
    return process.stdout


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def machine_info() -> dict[str, Any]:
    import torch

    return {
        "cpu_count": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": _version("transformers"),
        "llama_cpp_python": _version("llama-cpp-python"),
        "nbclient": _version("nbclient"),
        "pypandoc_binary": _version("pypandoc_binary"),
    }


# --quick (the test suite's smoke run): a small page with the places the benchmarks edit and the
# parameters they set, and no model, so that every script runs end to end in seconds; its timings mean
# nothing.
SMALL = """---
title: "Small"
format: html
execute:
  warning: false
---

A hosted model is larger, and this one scores it.

```{python}
#| tags: [parameters]
prompts = ["Finn"]
max_new_tokens = 4
```

```{python}
print(prompts, max_new_tokens)
panel = sum(range(10))
panel
```
"""
