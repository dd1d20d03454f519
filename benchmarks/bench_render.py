"""render_overhead_ratio: the embedded render of llm_api_overview.qmd to HTML against executing the
same code cells (parameters injected the same way) in one bare Python process. The render runs with
``--no-freeze``: the project's ``freeze: auto`` would otherwise reuse the stored execution and the
figure would measure pandoc alone. Goal (issue 22): at most 1.15. The PDF's extra TeX time is
reported apart, not gated.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import interleaved, ratio_summary, run_bounded, timed

from qmdrender.document import read_qmd
from qmdrender.qmd import code_without_options

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "llm_api_overview.qmd"
# The smoke run's page: one cell, and a provenance panel, which says whether the cells ran.
SMALL_PAGE = ('---\ntitle: "Small"\n---\n\n```{python}\nprint(sum(range(10)))\n```\n\n'
              '::: {.provenance}\n## How this page was made\n:::\n')


def ran_in_this_render(page: Path) -> bool:
    """Whether the page's cells ran in the render that wrote it, as its provenance panel says; a render
    that reused a stored (frozen) execution would time pandoc, not a render that executes."""
    text = page.read_text(encoding="utf-8")
    return "the cells ran during this render" in text and "reused a stored" not in text


def bare_script(notebook: Path) -> str:
    """The notebook's code cells as one script, run with its default parameters (as the render is,
    which injects nothing then); ``display`` does nothing (no Jupyter to show to)."""
    cells = [c for c in read_qmd(notebook).notebook.cells if c.cell_type == "code"]
    code = "\n\n".join(code_without_options(c.source) for c in cells)
    return "def display(*objects, **options):\n    pass\n\n" + code


def wait_for_kernels_in(folder: Path, timeout: float = 30.0) -> None:
    """Wait until no Jupyter kernel is running in ``folder`` (Linux: /proc), at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        running = False
        for process in Path("/proc").glob("[0-9]*"):
            try:
                if b"ipykernel" in (process / "cmdline").read_bytes() and (process / "cwd").resolve() == folder:
                    running = True
                    break
            except OSError:  # gone meanwhile, or not ours to read
                continue
        if not running:
            return
        time.sleep(0.1)


def _run(command: list[str], cwd: Path) -> None:
    process = run_bounded(command, cwd=cwd, timeout=900)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{process.stderr[-3000:]}")


def run(quick: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-render-") as work:
        notebook = NOTEBOOK
        if quick:  # the smoke run: a small page, no model (its timing means nothing)
            notebook = Path(work) / "small.qmd"
            notebook.write_text(SMALL_PAGE)
        script = bare_script(notebook)

        def render(formats: str) -> None:
            _run([sys.executable, "-m", "qmdrender", str(notebook), "--to", formats, "--engine", "embedded",
                  "--no-freeze", "--output-dir", work], cwd=Path(work))
            if not ran_in_this_render(Path(work) / f"{notebook.stem}.html"):
                raise RuntimeError("the render reused a stored execution: render_overhead_ratio would time pandoc")

        def bare() -> None:
            _run([sys.executable, "-c", script], cwd=notebook.parent)

        # fresh processes each time, A B A B after a warm-up of each (5 pairs: the spread is wide). A render
        # returns while its kernel is still exiting (see execute.capped_client); each side starts once that
        # has finished, so neither is timed while the other's process is still tearing down.
        rendered, executed = interleaved(lambda: render("html"), bare, repeats=1 if quick else 5, warmup=not quick,
                                         settle=None if quick else lambda: wait_for_kernels_in(notebook.parent))
        pdf_seconds = None if quick else timed(lambda: render("html,pdf"))[0]
    html_median = statistics.median(rendered)
    return ratio_summary(rendered, executed, goal="<= 1.15", target=1.15, higher_is_better=False,
                         pdf_extra_seconds=None if pdf_seconds is None else round(pdf_seconds - html_median, 2))
