"""The benchmark scripts run end to end (tiny sizes) and write valid JSON. Timings are not checked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEYS = {"generate_overhead_ratio", "cached_load_speedup", "batch_speedup", "render_overhead_ratio",
        "tokens_per_second", "grid_speedup", "frozen_rerender_ratio", "prose_edit_ratio", "logit_lens_ratio",
        "cold_build_parallel_ratio", "preview_code_edit_ratio", "preview_prose_edit_ratio", "peer_render_ratio",
        "site_rerender_ratio"}


def _run_bounded():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from common import run_bounded
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return run_bounded


def test_every_benchmark_runs_once_and_writes_json(tmp_path):
    output = tmp_path / "benchmarks.json"
    # bounded as the benchmarks bound their own commands: killed with its renders and kernels when too slow
    run = _run_bounded()([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--output", str(output)],
                         timeout=600, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads(output.read_text())
    assert set(results["figures"]) == KEYS and results["quick"] is True
    assert results["machine"]["cpu_count"] >= 1 and results["machine"]["torch_threads"] >= 1
    for name in KEYS - {"tokens_per_second"}:
        figure = results["figures"][name]
        assert figure["min"] <= figure["median"] <= figure["max"] and isinstance(figure["meets_goal"], bool)
    assert results["figures"]["tokens_per_second"]["transformers"]["tokens_per_second"] > 0
    assert "| figure |" in output.with_suffix(".md").read_text()


def test_the_render_benchmark_refuses_a_render_that_reused_a_frozen_execution(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from bench_render import SMALL_PAGE, ran_in_this_render
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    document = tmp_path / "small.qmd"
    document.write_text(SMALL_PAGE.replace('title: "Small"', 'title: "Small"\nexecute:\n  freeze: auto'))
    page = tmp_path / "out" / "small.html"

    def render(*extra: str) -> None:
        done = subprocess.run([sys.executable, "-m", "qmdrender", str(document), "--to", "html", "--engine",
                               "embedded", "--output-dir", str(tmp_path / "out"), *extra],
                              capture_output=True, text=True, timeout=300, cwd=tmp_path,
                              env={**os.environ, "LLM_REPORTS_FREEZE_DIR": str(tmp_path / "freeze")})
        assert done.returncode == 0, done.stderr

    render()
    assert ran_in_this_render(page)
    (tmp_path / "out" / "small.html").unlink()  # written again from the stored execution
    render()
    assert "reused a stored" in page.read_text() and not ran_in_this_render(page)
    render("--no-freeze")  # what the benchmark runs
    assert ran_in_this_render(page)
