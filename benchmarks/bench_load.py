"""cached_load_speedup: first load of the bundled model (GGUF, dequantised) against a later load
from the safetensors cache, each in a fresh process. Goal: at least 15. ``--quick`` loads from the
user's cache twice (the figure means nothing then; the smoke test only keeps the script running).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from common import ratio_summary, run_python

LOAD = """
import json, time
started = time.perf_counter()
from helpers import load_model
imported = time.perf_counter()
load_model()
print(json.dumps({"import": imported - started, "load": time.perf_counter() - imported}))
"""


def _load_seconds(cache: Path | None) -> float:
    """One load in a fresh process; ``cache=None``: the user's model cache (filled by the first load ever)."""
    env = {} if cache is None else {"LLM_REPORTS_CACHE": str(cache)}
    return json.loads(run_python(LOAD, env=env).strip().splitlines()[-1])["load"]


def run(quick: bool) -> dict[str, Any]:
    first, cached = [], []
    if quick:  # the smoke run: both sides load from the user's cache, filled by the first load (dequantising
        cached.append(_load_seconds(None))  # takes most of a minute, and test_model_loading checks it)
        first.append(_load_seconds(None))
        return ratio_summary(first, cached, goal=">= 15", target=15, higher_is_better=True)
    with tempfile.TemporaryDirectory(prefix="bench-load-") as work:
        for repeat in range(3):
            cache = Path(work) / f"cache-{repeat}"  # empty: the first load must dequantise
            first.append(_load_seconds(cache))
            cached.append(_load_seconds(cache))  # same folder, now filled
    return ratio_summary(first, cached, goal=">= 15", target=15, higher_is_better=True)
