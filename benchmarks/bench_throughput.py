"""tokens_per_second for transformers and llama.cpp on the same weights (batch 1, greedy), and the
memory-bandwidth bound: a decoder reads every weight once per token, so tokens/s cannot exceed
bandwidth / bytes of weights. Reported, not gated.
"""

from __future__ import annotations

import statistics
from typing import Any

import numpy as np
from common import timed

from helpers import generate, load_model
from helpers.backends import backend_available, load_backend
from helpers.model import bundled_gguf_path

PROMPT = "Finn writes code"


def memory_bandwidth(megabytes: int = 256, repeats: int = 5) -> float:
    """Bytes per second of a large array copy (one read and one write per byte), best of ``repeats``."""
    source = np.ones(megabytes * 2**20 // 8)
    target = np.empty_like(source)
    best = min(timed(lambda: np.copyto(target, source))[0] for _ in range(repeats))
    return 2 * source.nbytes / best


def _tokens_per_second(work: Any, repeats: int) -> tuple[float, int]:
    work()  # warm-up
    results = [timed(work) for _ in range(repeats)]
    tokens = len(results[0][1].tokens)
    return statistics.median(tokens / seconds for seconds, _ in results), tokens


def run(quick: bool) -> dict[str, Any]:
    new_tokens, repeats = (8, 1) if quick else (64, 3)
    lm = load_model()
    bandwidth = memory_bandwidth(64 if quick else 256)
    parameters = sum(p.numel() for p in lm.model.parameters())
    weight_bytes = sum(p.numel() * p.element_size() for p in lm.model.parameters())
    speed, tokens = _tokens_per_second(lambda: generate(lm, PROMPT, max_new_tokens=new_tokens), repeats)
    figures: dict[str, Any] = {
        "memory_bandwidth_gb_per_s": round(bandwidth / 1e9, 2),
        "parameters": parameters,
        "transformers": {"tokens_per_second": round(speed, 2), "new_tokens": tokens,
                         "bytes_per_token": weight_bytes,
                         "bandwidth_bound_tokens_per_second": round(bandwidth / weight_bytes, 2)},
    }
    if backend_available("llamacpp"):
        llamacpp = load_backend("llamacpp")
        gguf_bytes = bundled_gguf_path().stat().st_size
        speed, tokens = _tokens_per_second(lambda: llamacpp.generate(PROMPT, max_new_tokens=new_tokens), repeats)
        figures["llamacpp"] = {"tokens_per_second": round(speed, 2), "new_tokens": tokens,
                               "bytes_per_token": gguf_bytes,
                               "bandwidth_bound_tokens_per_second": round(bandwidth / gguf_bytes, 2)}
    else:
        figures["llamacpp"] = "not installed (requirements-api.txt)"
    return figures
