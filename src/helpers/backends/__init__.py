"""Where token scores come from: transformers, llama.cpp in-process, or an OpenAI-compatible server.

Every backend returns the same :class:`helpers.generation.Generation`, so tables, plots and reports
do not care which one ran. Pick one by name with :func:`load_backend`; the registry
:data:`BACKENDS` maps names to factories, so adding a backend is one entry, not another branch.
Figures a backend cannot provide (an API's top-20 list has no whole-vocabulary entropy) are NaN
and listed in ``Generation.missing`` with the reason; they are never invented.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from helpers.generation import Generation, generate, score
from helpers.model import BUNDLED_MODEL, LoadedModel, load_model

INSTALL_HINT = "pip install -r requirements-api.txt (llama.cpp compiles in about 5 minutes)"


class BackendError(RuntimeError):
    """A backend could not answer; the message names the backend, where it looked, and what to do."""


class Backend(Protocol):
    """What a report needs from any source of token scores."""

    kind: str
    name: str

    def generate(self, prompt: str | Sequence[str], **options: Any) -> Generation | list[Generation]: ...

    def score(self, text: str | Sequence[int], *, prompt: str = "", top_alternatives: int = 5) -> Generation: ...


class TransformersBackend:
    """The transformers model from :func:`helpers.model.load_model` (the reference implementation)."""

    kind = "transformers"

    def __init__(self, model: str = BUNDLED_MODEL, **load_options: Any) -> None:
        self.lm: LoadedModel = load_model(model, **load_options)
        self.name = self.lm.name

    def generate(self, prompt: str | Sequence[str], **options: Any) -> Generation | list[Generation]:
        return generate(self.lm, prompt, **options)

    def score(self, text: str | Sequence[int], *, prompt: str = "", top_alternatives: int = 5) -> Generation:
        return score(self.lm, text, prompt=prompt, top_alternatives=top_alternatives)


def _llamacpp(**config: Any) -> Backend:
    from helpers.backends.llamacpp import LlamaCppBackend

    return LlamaCppBackend(**config)


def _openai(**config: Any) -> Backend:
    from helpers.backends.openai_api import OpenAIBackend

    return OpenAIBackend(**config)


BACKENDS: dict[str, Callable[..., Backend]] = {
    "transformers": TransformersBackend,
    "llamacpp": _llamacpp,
    "openai": _openai,
}


def load_backend(kind: str = "transformers", **config: Any) -> Backend:
    """A backend by name: ``transformers`` (model=...), ``llamacpp`` (model_path=...), ``openai``
    (base_url=..., model=..., api_key_env=...)."""
    if kind not in BACKENDS:
        raise ValueError(f"Unknown backend {kind!r}; choose one of: {', '.join(BACKENDS)}.")
    return BACKENDS[kind](**config)


def report_backend(kind: str, *, model: str = BUNDLED_MODEL, base_url: str | None = None,
                   api_model: str | None = None, endpoint: str = "completions") -> Backend:
    """The backend a report's parameters name: ``model`` is the transformers model (or a .gguf file
    for llamacpp); ``base_url``, ``api_model`` and ``endpoint`` configure the openai backend."""
    if kind == "llamacpp":
        return load_backend(kind, model_path=model if model.endswith(".gguf") else None)
    if kind == "openai":
        if not base_url:
            raise ValueError("backend 'openai' needs base_url, e.g. -P base_url:http://127.0.0.1:8000/v1")
        return load_backend(kind, base_url=base_url, model=api_model, endpoint=endpoint)
    return load_backend(kind, model=model)


def backend_available(kind: str) -> bool:
    """Whether the optional packages a backend needs are installed (transformers always is)."""
    modules = {"transformers": "transformers", "llamacpp": "llama_cpp", "openai": "openai"}
    import importlib.util

    return importlib.util.find_spec(modules[kind]) is not None


__all__ = [
    "BACKENDS",
    "INSTALL_HINT",
    "Backend",
    "BackendError",
    "TransformersBackend",
    "backend_available",
    "load_backend",
    "report_backend",
]
