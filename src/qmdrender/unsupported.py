"""Quarto features the embedded renderer does not support yet, so that each one is named, never lost.

A registry, not a chain of ifs: Markdown features are a name and a pattern here; options are marked
unsupported in the one table of option names (:mod:`qmdrender.option_names`). When the renderer
learns a feature, its entry goes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from qmdrender.document import QmdDocument
from qmdrender.option_names import KNITR_ONLY, UNSUPPORTED_CELL_OPTIONS, UNSUPPORTED_DOCUMENT_OPTIONS
from qmdrender.types import warn

MARKDOWN_FEATURES: dict[str, re.Pattern[str]] = {}
RUNNABLE_ENGINES = {"jupyter", "markdown", "knitr"}  # engine: values this renderer runs as Quarto does (knitr:
# its Python chunks as reticulate shows them, qmdrender.knitr_python; R cells are named in their own warning)


def report_unsupported(document: QmdDocument, options: Mapping[str, Any]) -> list[str]:
    """Warn once per document for each unsupported feature it uses; returns their names."""
    markdown = "\n".join(c.source for c in document.notebook.cells if c.cell_type == "markdown")
    found = [name for name, pattern in MARKDOWN_FEATURES.items() if pattern.search(markdown)]
    keys = _keys(options)
    if str(options.get("engine", "")).lower() in RUNNABLE_ENGINES:  # the engine this renderer is
        keys.discard("engine")
    found += [f"option {key}" for key in sorted((keys & UNSUPPORTED_DOCUMENT_OPTIONS) - KNITR_ONLY)]
    # (the options of cells that run here: an R chunk's cache is knitr's, and its outputs come from Quarto's
    # _freeze or it is shown as code, named in its own warning)
    running = [c for c in document.code_cells if c.metadata.get("language", "python") == "python"]
    used = set().union(*(c.metadata.get("quarto", {}).keys() for c in running)) if running else set()
    found += [f"cell option {key}" for key in sorted(used & UNSUPPORTED_CELL_OPTIONS)]
    # knitr's options: Quarto applies them to a document knitr runs (one with R cells); here `knitr: opts_chunk`
    # sets its chunks' defaults (options.cell_settings; what changes only how R runs has no effect where R does
    # not run), and df-print and code-link are not done yet; a Python document ignores them, as Quarto's Jupyter
    # engine does; a document without code has nothing they apply to
    languages = {str(c.metadata.get("language", "python")) for c in document.code_cells}
    knitr_only = sorted(_keys(options) & KNITR_ONLY)
    if "r" in languages:
        found += [f"option {key}" for key in knitr_only if key != "knitr"]
    if found:
        warn(f"{document.path}: not supported by the embedded renderer yet, shown without it: {'; '.join(found)}.")
    python_only = "python" in languages and "r" not in languages
    for key in knitr_only if python_only else []:
        warn(f"{document.path}: {key} applies to R (knitr) documents; Quarto ignores it for Python (Jupyter) "
             "documents, and so does the embedded renderer.")
    return found


def _keys(options: Mapping[str, Any]) -> set[str]:
    """The options a document sets, its formats' included; one set to ``false`` asks for nothing
    (``multiplex: false``), so it is not counted."""
    keys = {key for key, value in options.items() if value is not False}
    for value in _formats(options.get("format")):
        keys |= {key for key, setting in value.items() if setting is not False}
    return keys


def _formats(value: Any) -> Iterable[Mapping[str, Any]]:
    if isinstance(value, Mapping):
        return [v for v in value.values() if isinstance(v, Mapping)]
    return []
