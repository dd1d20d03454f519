"""What every render stage shares: the request, the error and warnings.

A leaf module: it imports no other stage, so the stages (document → options → execute → markdown →
pandoc → formats → publish) can all import it without an import circle.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Where an executed notebook records when its cells ran, and whether a stored execution was reused
# (``{"executed": "2026-12-01 18:00:00 UTC", "reused": true}``): the provenance panel shows it.
EXECUTION_KEY = "execution"
# Where a prepared notebook records the parameters its run uses: [{"name": ..., "value": code span}].
PARAMETERS_KEY = "parameters"

# The repository (src/qmdrender/types.py → two folders up): where .cache/ and requirements*.txt are.
REPOSITORY = Path(__file__).resolve().parents[2]


class RenderError(RuntimeError):
    """A render that could not finish; the message says where and what to do."""


_said: set[str] = set()


def warn(message: str) -> None:
    """A problem that does not stop the render (an unsupported feature, a missing image): said, never silent.

    Each message is said once per render (every format would otherwise repeat it).
    """
    if message not in _said:
        _said.add(message)
        print(f"warning: {message}", file=sys.stderr, flush=True)


def new_render() -> None:
    """Forget the warnings already said: the next render says its own."""
    _said.clear()


@dataclass(frozen=True)
class RenderRequest:
    """One document to render: which formats (``None``: those the document names), parameters, where.

    ``name`` is the file stem of every output (``NAME.html``, ``NAME.pdf``) unless the document names its
    own (``output-file``) and no ``--output`` was given (``named``)."""

    notebook: Path
    name: str
    formats: tuple[str, ...] | None = None
    parameters: Mapping[str, Any] = field(default_factory=dict)
    output_dir: Path = Path("_output")
    execute_timeout: int | None = None
    fail_on_missing_glyphs: bool = False
    no_freeze: bool = False
    execute: bool = False  # --execute: run a Jupyter notebook's cells instead of showing its stored outputs
    named: bool = False  # --output NAME was given: it wins over the document's output-file


def utc_now() -> str:
    """The time now, as provenance panels show it."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


ERROR_LIMIT = 4000  # characters of one error message (a huge bad value must not flood the terminal)


def describe_error(error: Exception) -> str:
    """One readable message: an OS error as what failed and where; at most :data:`ERROR_LIMIT` characters."""
    if isinstance(error, OSError) and not isinstance(error, RenderError):
        where = f" ({error.filename})" if error.filename else ""
        text = f"{error.strerror or error}{where}; nothing was overwritten."
    else:
        text = str(error)
    if len(text) > ERROR_LIMIT:
        cut = len(text) - ERROR_LIMIT
        text = f"{text[: ERROR_LIMIT // 2]} [... {cut:,} characters left out ...] {text[-ERROR_LIMIT // 2:]}"
    return text
