"""What every backend shares: the protocol a report needs, the one error type and the install hint.

A leaf of the backends package: the implementations import it, never the registry in ``__init__``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from helpers.core import Generation

INSTALL_HINT = "pip install -r requirements-api.txt (llama.cpp compiles in about 5 minutes)"


class BackendError(RuntimeError):
    """A backend could not answer; the message names the backend, where it looked, and what to do."""


class Backend(Protocol):
    """What a report needs from any source of token scores."""

    kind: str
    name: str

    def generate(self, prompt: str | Sequence[str], **options: Any) -> Generation | list[Generation]: ...

    def score(self, text: str | Sequence[int], *, prompt: str = "", top_alternatives: int = 5) -> Generation: ...

    def describe(self) -> list[tuple[str, str]]:
        """(label, value) pairs for a provenance panel: model, weights, backend, engine, precision."""
        ...
