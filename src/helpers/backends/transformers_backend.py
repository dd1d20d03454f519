"""The transformers backend: the model from :func:`helpers.model.load_model` (the reference implementation)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from helpers.core import BUNDLED_MODEL, Generation
from helpers.generation import generate, score
from helpers.model import LoadedModel, load_model


class TransformersBackend:
    """Generate and score with a transformers model on this machine (torch)."""

    kind = "transformers"

    def __init__(self, model: str = BUNDLED_MODEL, **load_options: Any) -> None:
        self.lm: LoadedModel = load_model(model, **load_options)
        self.name = self.lm.name

    def describe(self) -> list[tuple[str, str]]:
        return self.lm.describe()

    def generate(self, prompt: str | Sequence[str], **options: Any) -> Generation | list[Generation]:
        return generate(self.lm, prompt, **options)

    def score(self, text: str | Sequence[int], *, prompt: str = "", top_alternatives: int = 5) -> Generation:
        return score(self.lm, text, prompt=prompt, top_alternatives=top_alternatives)
