"""What every render stage shares: the request, the error, warnings and the output-format descriptions.

A leaf module: it imports no other stage, so the stages (document → options → execute → markdown →
pandoc → formats → publish) can all import it without an import circle.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The repository (src/helpers/render/types.py → three folders up): where .cache/ and requirements*.txt are.
REPOSITORY = Path(__file__).resolve().parents[3]


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
class FormatSpec:
    """An output format as the stages before the writer see it: what to call it and which outputs suit it.

    ``target`` names the family of cell outputs the format reads best (``html`` picks ``text/html`` and
    PNG figures, ``latex`` picks ``text/latex`` and PDF figures); ``defaults`` are Quarto's
    documented per-format option defaults (figure size and format among them).
    """

    name: str
    extension: str
    target: str
    defaults: Mapping[str, Any] = field(default_factory=dict)


# Quarto's defaults: fig-width/fig-height 7x5 in HTML, 5.5x3.5 in PDF; retina PNG in HTML, PDF in PDF.
FORMAT_SPECS: dict[str, FormatSpec] = {
    "html": FormatSpec("html", "html", "html", {"fig-width": 7, "fig-height": 5, "fig-format": "retina",
                                                "fig-dpi": 96}),
    "pdf": FormatSpec("pdf", "pdf", "latex", {"fig-width": 5.5, "fig-height": 3.5, "fig-format": "pdf",
                                              "fig-dpi": 300}),
    "ipynb": FormatSpec("ipynb", "ipynb", "ipynb", {"fig-width": 7, "fig-height": 5, "fig-format": "png",
                                                    "fig-dpi": 96}),
    # Slides: Quarto's defaults are 9x5 in for reveal.js and 10x7 in for Beamer, headings of level 2
    # start slides (slide-level 2).
    "revealjs": FormatSpec("revealjs", "html", "html", {"fig-width": 9, "fig-height": 5, "fig-format": "retina",
                                                        "fig-dpi": 96, "slide-level": 2}),
    "beamer": FormatSpec("beamer", "pdf", "latex", {"fig-width": 10, "fig-height": 7, "fig-format": "pdf",
                                                    "fig-dpi": 300, "slide-level": 2}),
}


@dataclass(frozen=True)
class RenderRequest:
    """One document to render: which formats (``None``: those the document names), parameters, where."""

    notebook: Path
    formats: tuple[str, ...] | None = None
    parameters: Mapping[str, Any] = field(default_factory=dict)
    output_dir: Path = Path("_output")
    output_name: str | None = None
    execute_timeout: int | None = None
    fail_on_missing_glyphs: bool = False
    no_freeze: bool = False

    @property
    def name(self) -> str:
        name = self.output_name or self.notebook.stem
        for extension in FORMAT_SPECS:
            name = name.removesuffix(f".{extension}")
        return name
