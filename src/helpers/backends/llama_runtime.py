"""How the project loads llama.cpp: no AMX / extra-buffer weight repack unless asked, and what the build is.

llama.cpp can copy a model's weights into "extra buffer types" (repacked layouts for AMX tiles and
other CPU kernels). Its AMX variant, compiled into native builds on Sapphire Rapids and later Xeons,
crashes on the first decode (llama.cpp issue 20824). The Makefile builds llama-cpp-python portably
(no AMX kernels at all), and as a second guard every model the project loads, in-process or in the
local server it starts, loads with ``use_extra_bufts = false``, so a user's own native build of
llama-cpp-python does not crash either. Set ``LLM_REPORTS_LLAMA_REPACK=1`` to allow the repack again
(for example on a CPU where a fixed llama.cpp makes it faster).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPACK_ENV = "LLM_REPORTS_LLAMA_REPACK"


def repack_allowed() -> bool:
    """Whether the user asked for llama.cpp's extra-buffer (AMX and other) weight repacking."""
    return os.environ.get(REPACK_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def _disable_repack() -> Callable[[], None]:
    """Make ``llama_model_default_params()`` return ``use_extra_bufts = false``; returns the undo.

    llama-cpp-python's ``Llama`` does not expose the field but starts from that function, so
    wrapping it is the one place to set it, for ``Llama`` and for the server alike.
    """
    import llama_cpp.llama_cpp as lib

    original = lib.llama_model_default_params

    def without_extra_buffers() -> Any:
        params = original()
        params.use_extra_bufts = False
        return params

    lib.llama_model_default_params = without_extra_buffers

    def restore() -> None:
        lib.llama_model_default_params = original

    return restore


@contextlib.contextmanager
def weight_repack_disabled() -> Iterator[None]:
    """Models loaded inside this block load without weight repacking (unless :func:`repack_allowed`)."""
    restore = (lambda: None) if repack_allowed() else _disable_repack()
    try:
        yield
    finally:
        restore()


def load_llama(model_path: str | Path, **options: Any) -> Any:
    """``llama_cpp.Llama(model_path, **options)`` without weight repacking (see the module docstring)."""
    from llama_cpp import Llama

    with weight_repack_disabled():
        return Llama(model_path=str(model_path), **options)


def system_info() -> dict[str, str]:
    """The CPU features llama.cpp was compiled with, e.g. ``{"AVX2": "1", "AMX_INT8": "0", ...}``."""
    import llama_cpp

    text = llama_cpp.llama_print_system_info().decode("utf-8", errors="replace")
    return dict(re.findall(r"([A-Z0-9_]+) = (\w+)", text))


def serve(argv: list[str] | None = None) -> None:
    """llama-cpp-python's OpenAI-compatible server, its models loaded without weight repacking.

    ``python -m helpers.backends.llama_runtime --model FILE.gguf ...`` takes the same flags as
    ``python -m llama_cpp.server``.
    """
    import sys

    from llama_cpp.server.__main__ import main

    if not repack_allowed():  # the server loads its models after start-up: patch for the whole process
        _disable_repack()
    if argv is not None:
        sys.argv = [sys.argv[0], *argv]
    main()


if __name__ == "__main__":
    serve()
