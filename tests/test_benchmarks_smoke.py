"""The benchmark scripts run end to end (tiny sizes) and write valid JSON. Timings are not checked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEYS = {"generate_overhead_ratio", "cached_load_speedup", "batch_speedup", "render_overhead_ratio",
        "tokens_per_second", "grid_speedup", "frozen_rerender_ratio", "prose_edit_ratio", "logit_lens_ratio",
        "cold_build_parallel_ratio", "preview_code_edit_ratio", "preview_prose_edit_ratio", "peer_render_ratio",
        "site_rerender_ratio"}


def test_every_benchmark_runs_once_and_writes_json(tmp_path):
    output = tmp_path / "benchmarks.json"
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--output", str(output)],
                         capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads(output.read_text())
    assert set(results["figures"]) == KEYS and results["quick"] is True
    assert results["machine"]["cpu_count"] >= 1 and results["machine"]["torch_threads"] >= 1
    for name in KEYS - {"tokens_per_second"}:
        figure = results["figures"][name]
        assert figure["min"] <= figure["median"] <= figure["max"] and isinstance(figure["meets_goal"], bool)
    assert results["figures"]["tokens_per_second"]["transformers"]["tokens_per_second"] > 0
    assert "| figure |" in output.with_suffix(".md").read_text()
