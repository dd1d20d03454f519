"""Where token scores come from: transformers, llama.cpp in-process, or an OpenAI-compatible server.

Every backend returns the same :class:`helpers.core.Generation`, so tables, plots and reports
do not care which one ran. Pick one by name with :func:`load_backend`; the registry
:data:`BACKENDS` maps names to factories, so adding a backend is one entry, not another branch.
Figures a backend cannot provide (an API's top-20 list has no whole-vocabulary entropy) are NaN
and listed in ``Generation.missing`` with the reason; they are never invented.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import Any

from helpers.backends.base import INSTALL_HINT, Backend, BackendError
from helpers.core import BUNDLED_MODEL


# Each factory imports its backend when asked for it: the openai backend must not pull in torch,
# and llama.cpp is an optional install.
def _transformers(**config: Any) -> Backend:
    from helpers.backends.transformers_backend import TransformersBackend

    return TransformersBackend(**config)


def _llamacpp(**config: Any) -> Backend:
    from helpers.backends.llamacpp import LlamaCppBackend

    return LlamaCppBackend(**config)


def _openai(**config: Any) -> Backend:
    from helpers.backends.openai_api import OpenAIBackend

    return OpenAIBackend(**config)


BACKENDS: dict[str, Callable[..., Backend]] = {
    "transformers": _transformers,
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
    return importlib.util.find_spec(modules[kind]) is not None


__all__ = [
    "BACKENDS",
    "INSTALL_HINT",
    "Backend",
    "BackendError",
    "backend_available",
    "load_backend",
    "report_backend",
]
