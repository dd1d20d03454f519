"""Helpers for LLM reports: load a model, generate and score tokens, tabulate and plot them.

Names are imported lazily (PEP 562), so ``python -m helpers.render`` starts without loading torch
and transformers in the renderer's own process; the notebook's kernel loads them when it needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from helpers.generation import STRATEGIES, Alternative, Generation, TokenScore, generate, score
    from helpers.model import Fingerprint, LoadedModel, ModelLoadError, load_model
    from helpers.sampling import next_token_distribution

_EXPORTS = {
    "STRATEGIES": "helpers.generation",
    "Alternative": "helpers.generation",
    "Generation": "helpers.generation",
    "TokenScore": "helpers.generation",
    "generate": "helpers.generation",
    "next_token_distribution": "helpers.sampling",
    "score": "helpers.generation",
    "Fingerprint": "helpers.model",
    "LoadedModel": "helpers.model",
    "ModelLoadError": "helpers.model",
    "load_model": "helpers.model",
}

__all__ = [
    "STRATEGIES",
    "Alternative",
    "Fingerprint",
    "Generation",
    "LoadedModel",
    "ModelLoadError",
    "TokenScore",
    "generate",
    "load_model",
    "next_token_distribution",
    "score",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'helpers' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
