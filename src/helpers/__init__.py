"""Helpers for LLM reports: load a model, generate and score tokens, tabulate and plot them.

The package has a torch-free core (:mod:`helpers.core`: the data types and request checks; and the
views that take them: :mod:`helpers.metrics`, :mod:`helpers.tables`, :mod:`helpers.heatmap`,
:mod:`helpers.surprisal`, :mod:`helpers.plots`) and the modules that compute with torch
(:mod:`helpers.model`, :mod:`helpers.generation`, :mod:`helpers.sampling`). Names are imported
lazily (PEP 562), so ``import helpers.core`` or the OpenAI backend never loads torch, while
``from helpers import load_model`` still works.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from helpers.core import STRATEGIES, Alternative, Fingerprint, Generation, GenerationOptions, TokenScore
    from helpers.generation import generate, score
    from helpers.model import LoadedModel, ModelLoadError, load_model
    from helpers.sampling import next_token_distribution

_EXPORTS = {
    "STRATEGIES": "helpers.core",
    "Alternative": "helpers.core",
    "Fingerprint": "helpers.core",
    "Generation": "helpers.core",
    "GenerationOptions": "helpers.core",
    "TokenScore": "helpers.core",
    "generate": "helpers.generation",
    "next_token_distribution": "helpers.sampling",
    "score": "helpers.generation",
    "LoadedModel": "helpers.model",
    "ModelLoadError": "helpers.model",
    "load_model": "helpers.model",
}

__all__ = [
    "STRATEGIES",
    "Alternative",
    "Fingerprint",
    "Generation",
    "GenerationOptions",
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
