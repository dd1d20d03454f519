"""Render many: grid_speedup, frozen_rerender_ratio and prose_edit_ratio.

- ``grid_speedup``: 8 prompts of ``compare_prompts.qmd`` to HTML, as 8 separate
  ``python -m qmdrender`` calls against one ``--grid --jobs 2`` call. Goal: at least 1.6 on 2
  cores. What bounds it: each set is a kernel start, a model load and a few forward passes; two
  jobs can overlap those on two cores but no more, and the separate calls also pay a Python and
  renderer start each (which the grid pays once per worker).
- ``frozen_rerender_ratio``: a second ``make report``-style render of all notebooks with nothing
  changed, against the first (freeze on, outputs current). Goal: at most 0.05.
- ``prose_edit_ratio``: re-render after a prose edit (the stored execution is reused) against a full
  render, HTML only. Goal: at most 0.4.
- ``cold_build_parallel_ratio``: a cold ``make report`` (every notebook, the formats each names, no
  stored executions) with the default ``--jobs`` (one document per core) against the same build with
  ``--jobs 1``. Goal (issue 22): at most 0.65 on 2 cores.
- ``site_rerender_ratio``: a second ``make report`` of the course website (``python -m qmdrender`` on a
  copy of the project: home page and every notebook, each in the formats it names, with the site's
  navigation and search) with nothing changed, against the cold build (no stored executions; pages
  rendered two at a time, one kernel each). Goal (issue 19): at most 0.05.
Every pair is measured in one run, sides interleaved; the freeze store is a fresh folder.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml
from common import SMALL, interleaved, ratio_summary, run_bounded, timed

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
PROMPTS = ["Finn writes code", "The cat sat on", "My teacher said", "A robot can", "The river flows",
           "Our team won", "The old man", "A student asked"]


def _small(work: Path) -> Path:
    page = work / "small" / "small.qmd"
    page.parent.mkdir(exist_ok=True)
    page.write_text(SMALL)
    return page


def _render(*arguments: str, env: dict[str, str]) -> None:
    done = run_bounded([sys.executable, "-m", "qmdrender", *arguments], env=env, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(f"render failed: {done.stderr[-3000:]}")


def _grid_speedup(work: Path, env: dict[str, str], quick: bool) -> dict[str, Any]:
    prompts = PROMPTS[:1] if quick else PROMPTS
    grid = work / "grid.yml"
    grid.write_text(yaml.safe_dump([{"prompts": [p], "max_new_tokens": 4} for p in prompts]))
    notebook = str(_small(work) if quick else NOTEBOOKS / "compare_prompts.qmd")

    def separate() -> None:
        for number, prompt in enumerate(prompts):
            params = work / f"p{number}.yml"
            params.write_text(yaml.safe_dump({"prompts": [prompt], "max_new_tokens": 4}))
            _render(notebook, "--to", "html", "--execute-params", str(params), "--output-dir", str(work / "separate"),
                    "--output", f"set-{number}", "--no-freeze", env=env)

    def grid_run() -> None:
        _render(notebook, "--to", "html", "--grid", str(grid), "--jobs", "2", "--output-dir", str(work / "grid"),
                "--no-freeze", env=env)

    slow, fast = interleaved(separate, grid_run, repeats=1, warmup=False)
    return ratio_summary(slow, fast, goal=">= 1.6", target=1.6, higher_is_better=True, sets=len(prompts), jobs=2)


def _frozen_rerender(work: Path, env: dict[str, str], quick: bool) -> dict[str, Any]:
    notebooks = [str(_small(work))] if quick else [str(p) for p in sorted(NOTEBOOKS.glob("*.qmd"))]
    formats = ["--to", "html"] if quick else []
    first, second = [], []
    for repeat in range(1 if quick else 2):
        store = work / f"freeze-{repeat}"
        run_env = {**env, "LLM_REPORTS_FREEZE_DIR": str(store)}
        output = work / f"reports-{repeat}"
        first.append(timed(lambda: _render(*notebooks, *formats, "--output-dir", str(output), env=run_env))[0])  # noqa: B023
        second.append(timed(lambda: _render(*notebooks, *formats, "--output-dir", str(output), env=run_env))[0])  # noqa: B023
    return ratio_summary(second, first, goal="<= 0.05", target=0.05, higher_is_better=False,
                         notebooks=len(notebooks), first_seconds=round(min(first), 1),
                         second_seconds=round(min(second), 2))


def _prose_edit(work: Path, env: dict[str, str], quick: bool) -> dict[str, Any]:
    copy = work / "prose"
    copy.mkdir()
    document = copy / "llm_api_overview.qmd"
    preamble = str(ROOT / "src" / "qmdrender" / "assets" / "latex_preamble.tex")
    # Outside the project the copy needs its own freeze option (the project's _quarto.yml sets it).
    source = SMALL if quick else (NOTEBOOKS / "llm_api_overview.qmd").read_text()
    source = source.replace("../src/qmdrender/assets/latex_preamble.tex", preamble)
    document.write_text(source.replace("execute:\n  warning: false", "execute:\n  warning: false\n  freeze: auto", 1))
    run_env = {**env, "LLM_REPORTS_FREEZE_DIR": str(work / "prose-freeze")}
    endings = iter(["scores it!", "scores it.", "scores it!", "scores it.", "scores it!", "scores it."])
    current = ["scores it."]

    def full() -> None:
        _render(str(document), "--to", "html", "--output-dir", str(copy / "out"), "--no-freeze", env=run_env)

    def after_prose_edit() -> None:  # one sentence's punctuation changes: prose only
        ending = next(endings)
        document.write_text(document.read_text().replace(current[0], ending, 1))
        current[0] = ending
        _render(str(document), "--to", "html", "--output-dir", str(copy / "out"), env=run_env)

    _render(str(document), "--to", "html", "--output-dir", str(copy / "out"), env=run_env)  # stores the execution
    slow, fast = interleaved(full, after_prose_edit, repeats=1 if quick else 3, warmup=False)
    return ratio_summary(fast, slow, goal="<= 0.4", target=0.4, higher_is_better=False)


def _cold_build_parallel(work: Path, env: dict[str, str], quick: bool) -> dict[str, Any]:
    notebooks = [str(p) for p in sorted(NOTEBOOKS.glob("*.qmd"))]
    formats = ["--to", "html"] if quick else []
    if quick:  # two small pages
        notebooks = [str(_small(work))]
        notebooks.append(str(Path(notebooks[0]).with_name("other.qmd")))
        Path(notebooks[1]).write_text(SMALL)
    runs = iter(range(100))

    def build(*jobs: str) -> None:
        run = next(runs)
        _render(*notebooks, *formats, *jobs, "--no-freeze", "--output-dir", str(work / f"build-{run}"), env=env)

    serial, parallel = interleaved(lambda: build("--jobs", "1"), build, repeats=1, warmup=False)
    return ratio_summary(parallel, serial, goal="<= 0.65", target=0.65, higher_is_better=False,
                         notebooks=len(notebooks), cores=os.cpu_count(),
                         serial_seconds=round(serial[0], 1), parallel_seconds=round(parallel[0], 1))


def _site_rerender(work: Path, env: dict[str, str], quick: bool) -> dict[str, Any]:
    site = work / "course"
    if quick:  # two small pages in a website
        (site / "pages").mkdir(parents=True)
        (site / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Small\n  navbar:\n"
                                          "    left: [index.qmd]\nexecute:\n  freeze: auto\n")
        (site / "index.qmd").write_text(SMALL)
        (site / "pages" / "other.qmd").write_text(SMALL)
    else:  # the project as `make report` renders it; src/ is linked (the notebooks include its LaTeX preamble)
        site.mkdir()
        for name in ("_quarto.yml", "index.qmd"):
            shutil.copy(ROOT / name, site / name)
        shutil.copytree(NOTEBOOKS, site / "notebooks")
        (site / "src").symlink_to(ROOT / "src")
    run_env = {key: value for key, value in env.items() if key != "LLM_REPORTS_FREEZE_DIR"}
    cold = timed(lambda: _render(str(site), env=run_env))[0]
    again = timed(lambda: _render(str(site), env=run_env))[0]
    pages = len(list((site / "_site" if quick else site / "_output").rglob("*.html")))
    return ratio_summary([again], [cold], goal="<= 0.05", target=0.05, higher_is_better=False, pages=pages,
                         cold_seconds=round(cold, 1), second_seconds=round(again, 2))


def run_site_rerender(quick: bool) -> dict[str, Any]:
    return _in_fresh_folder(_site_rerender, quick)


def _in_fresh_folder(measure: Any, quick: bool) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="bench-render-many-"))
    try:
        return measure(work, {**os.environ, "CI": "1"}, quick)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_grid_speedup(quick: bool) -> dict[str, Any]:
    return _in_fresh_folder(_grid_speedup, quick)


def run_frozen_rerender(quick: bool) -> dict[str, Any]:
    return _in_fresh_folder(_frozen_rerender, quick)


def run_prose_edit(quick: bool) -> dict[str, Any]:
    return _in_fresh_folder(_prose_edit, quick)


def run_cold_build_parallel(quick: bool) -> dict[str, Any]:
    return _in_fresh_folder(_cold_build_parallel, quick)
