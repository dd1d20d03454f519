"""cached_load_speedup: first load of the bundled model (GGUF, dequantised) against a later load
from the safetensors cache, each in a fresh process. Goal: at least 15.
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


def _load_seconds(cache: Path) -> float:
    return json.loads(run_python(LOAD, env={"LLM_REPORTS_CACHE": str(cache)}).strip().splitlines()[-1])["load"]


def run(quick: bool) -> dict[str, Any]:
    first, cached = [], []
    with tempfile.TemporaryDirectory(prefix="bench-load-") as work:
        for repeat in range(1 if quick else 3):
            cache = Path(work) / f"cache-{repeat}"  # empty: the first load must dequantise
            first.append(_load_seconds(cache))
            cached.append(_load_seconds(cache))  # same folder, now filled
    return ratio_summary(first, cached, goal=">= 15", target=15, higher_is_better=True)
