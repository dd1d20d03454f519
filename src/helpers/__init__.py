"""Helpers for LLM reports: load a model, generate and score tokens, tabulate and plot them."""

from helpers.generation import (
    STRATEGIES,
    Alternative,
    Generation,
    TokenScore,
    generate,
    next_token_distribution,
    score,
)
from helpers.model import Fingerprint, LoadedModel, ModelLoadError, load_model

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
