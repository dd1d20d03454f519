"""The registry of output formats: one :class:`Format` object per format, each in its own module.

A format knows everything the stages ask about it: its file extension, the family of cell outputs it
reads best (``target``) and their MIME preference order, Quarto's per-format option defaults, the
Lua filters its pandoc run needs, the tools it needs (checked before any cell runs) and its writer.
Adding a format is one module that calls :func:`register` (see ``html.py``) plus its tests; the
built-in ones are registered by :mod:`qmdrender.formats.builtin`.

This module is a leaf at import time (it imports no other stage; the built-in formats load on the first
lookup, see :func:`with_builtins`), so ``options`` and ``markdown`` can import it
without importing the writers first.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qmdrender.types import RenderError

# What a format's outputs read best, by target family: the first MIME type a cell output has wins.
# as Quarto's Jupyter engine picks a display's form for HTML: a script (IPython's Javascript, a quiz's code), HTML,
# Markdown, then images
HTML_MIME_ORDER = ("application/javascript", "text/html", "text/markdown", "image/svg+xml", "image/png", "image/jpeg",
                   "image/gif", "text/plain")
# SVG for LaTeX is converted to PDF (images.py), as Quarto converts it (fig-format: svg in a PDF)
LATEX_MIME_ORDER = ("text/latex", "application/pdf", "image/png", "image/jpeg", "image/svg+xml", "text/markdown",
                    "text/html", "text/plain")

# Quarto's execution defaults for every slide format (reveal.js, Beamer, PowerPoint): a cell shows its
# output, not its code ("within Quarto presentations executable code blocks do not echo their source
# code by default"), and no warnings; a document's own echo/warning options win.
SLIDE_EXECUTION = {"echo": False, "warning": False}

# where a Markdown output's plots are published, beside it: STEM_files/figure-commonmark/ (Quarto's name)
MARKDOWN_FIGURE_FOLDER = "figure-commonmark"


@dataclass(frozen=True)
class Format:
    """One output format (see the module docstring).

    ``write(job, target)`` builds the file at ``target`` from the render's :class:`~qmdrender.formats.
    writing.Job`; ``requires`` are checks that raise a :class:`RenderError` saying what to install.
    """

    name: str
    extension: str
    target: str
    write: Callable[[Any, Path], None]
    mime_order: tuple[str, ...] = HTML_MIME_ORDER
    defaults: Mapping[str, Any] = field(default_factory=dict)
    filters: tuple[str, ...] = ()
    requires: tuple[Callable[[], object], ...] = ()
    slides: bool = False

    def check_tools(self) -> None:
        for check in self.requires:
            check()


FORMATS: dict[str, Format] = {}


def register(output_format: Format) -> Format:
    """Add a format to the registry (a later one of the same name replaces it)."""
    FORMATS[output_format.name] = output_format
    return output_format


def with_builtins() -> dict[str, Format]:
    """The registry with the built-in formats in it. They register when their modules are imported
    (which the CLI and the pipeline do); a lookup through here never depends on that having happened,
    now that ``import qmdrender`` itself loads nothing."""
    if "html" not in FORMATS:
        importlib.import_module("qmdrender.formats.builtin")
    return FORMATS


def get(name: str) -> Format:
    """The registered format ``name``, or one :class:`RenderError` that lists the known ones."""
    if name not in with_builtins():
        raise RenderError(f"Unknown output format {name!r}; use {', '.join(FORMATS)}.")
    return FORMATS[name]


def base_format(name: str) -> str:
    """``html+smart`` → ``html``, ``pdf-xelatex`` → ``pdf``, ``acm-pdf`` → ``pdf``, as Quarto reads a format's
    name: a built-in format first, with pandoc's extensions or Quarto's modifiers after it (``+x``, ``-x``),
    or else a custom format, ``<extension>-<base format>``; each uses the base format's writer here."""
    first = re.split(r"[+-]", name)[0]
    if first in with_builtins():
        return first
    return name.split("+")[0].rsplit("-", 1)[-1]


def format_extension(name: str) -> str | None:
    """The extension a custom format's name names (``acm-2023-pdf+foo`` → ``acm-2023``); ``None`` for a built-in
    format, with modifiers or without (``pdf-xelatex``, ``html+smart``), or a name of no known base format."""
    base = base_format(name)
    if re.split(r"[+-]", name)[0] == base or base not in with_builtins():
        return None
    return name.split("+")[0][: -len(base) - 1]


def output_name(name: str) -> str:
    """A report's file stem without a format extension a user may have given (``report.html``)."""
    for output_format in with_builtins().values():
        name = name.removesuffix(f".{output_format.extension}")
    return name
