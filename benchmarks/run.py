"""Run the benchmarks and write ``_output/benchmarks.json`` plus a readable table.

Each gated figure is a ratio measured in one run, its two sides interleaved over several repeats
after a warm-up; the median is reported with min and max. ``--quick`` runs every benchmark once
with tiny sizes (the test suite uses it so the scripts cannot rot; its timings mean nothing).

    python benchmarks/run.py [--quick] [--only NAME ...] [--output FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_batch
import bench_generate
import bench_grid
import bench_lens
import bench_load
import bench_peer
import bench_preview
import bench_render
import bench_throughput
from common import machine_info

BENCHMARKS = {
    "generate_overhead_ratio": bench_generate.run,
    "cached_load_speedup": bench_load.run,
    "batch_speedup": bench_batch.run,
    "render_overhead_ratio": bench_render.run,
    "tokens_per_second": bench_throughput.run,
    "grid_speedup": bench_grid.run_grid_speedup,
    "frozen_rerender_ratio": bench_grid.run_frozen_rerender,
    "prose_edit_ratio": bench_grid.run_prose_edit,
    "logit_lens_ratio": bench_lens.run,
    "cold_build_parallel_ratio": bench_grid.run_cold_build_parallel,
    "site_rerender_ratio": bench_grid.run_site_rerender,
    "preview_edit_ratios": bench_preview.run,  # two figures: preview_code_edit_ratio, preview_prose_edit_ratio
    "peer_render_ratio": bench_peer.run,
}


def table(results: dict[str, Any]) -> str:
    """A Markdown table of the gated ratios and the throughput figures."""
    lines = ["| figure | median | min | max | goal | met |", "|:--|--:|--:|--:|:--|:--|"]
    for name, figure in results["figures"].items():
        if "median" in figure:
            lines.append(f"| `{name}` | {figure['median']:.3f} | {figure['min']:.3f} | {figure['max']:.3f} | "
                         f"{figure['goal']} | {'yes' if figure['meets_goal'] else '**no**'} |")
    throughput = results["figures"].get("tokens_per_second")
    if throughput:
        lines += ["", f"Memory bandwidth: {throughput['memory_bandwidth_gb_per_s']} GB/s.", "",
                  "| engine | tokens/s (batch 1) | bytes read per token | bandwidth bound (tokens/s) |",
                  "|:--|--:|--:|--:|"]
        for engine in ("transformers", "llamacpp"):
            figure = throughput.get(engine)
            if isinstance(figure, dict):
                lines.append(f"| {engine} | {figure['tokens_per_second']} | {figure['bytes_per_token'] / 1e6:.0f} MB | "
                             f"{figure['bandwidth_bound_tokens_per_second']} |")
    render = results["figures"].get("render_overhead_ratio", {})
    if render.get("pdf_extra_seconds") is not None:
        lines += ["", f"PDF (pandoc + xelatex) adds {render['pdf_extra_seconds']} s to the HTML render."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one repeat: a smoke test")
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, default=list(BENCHMARKS))
    parser.add_argument("--output", type=Path, default=Path("_output/benchmarks.json"))
    args = parser.parse_args(argv)
    results: dict[str, Any] = {"quick": args.quick, "machine": machine_info(), "figures": {}}
    for name in args.only:
        started = time.perf_counter()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        result = BENCHMARKS[name](args.quick)
        several = all(isinstance(v, dict) and "median" in v for v in result.values())
        results["figures"].update(result if several else {name: result})  # one benchmark, one or more figures
        print(f"  done in {time.perf_counter() - started:.1f} s: {json.dumps(result)}", file=sys.stderr, flush=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    markdown = table(results)
    args.output.with_suffix(".md").write_text(markdown)
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
