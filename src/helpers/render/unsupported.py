"""Quarto features the embedded renderer does not support yet, so that each one is named, never lost.

A registry, not a chain of ifs: each entry is a feature's name and how to recognise it in a
document (a pattern in its Markdown, a front-matter option, a cell option). When the renderer learns a
feature, its entry goes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from helpers.render.document import QmdDocument
from helpers.render.types import warn

MARKDOWN_FEATURES: dict[str, re.Pattern[str]] = {
    "margin content (.column-margin, .aside)": re.compile(r"\{[^}]*\.(?:column-margin|aside|column-page)", re.M),
}
FRONT_MATTER_OPTIONS = {
    "code-tools", "code-copy", "code-overflow",
    "code-link", "theme", "highlight-style", "filters", "cap-location", "fig-cap-location", "tbl-cap-location",
    "reference-location", "citation-location", "page-layout", "grid", "title-block-banner", "toc-location",
    "comments", "lightbox", "brand", "callout-appearance", "callout-icon", "df-print", "keep-ipynb", "keep-md",
    "keep-tex", "shift-heading-level-by", "mermaid", "fig-responsive", "anchor-sections", "smooth-scroll",
    "html-math-method", "reference-doc", "cite-method", "engine", "knitr",
}
CELL_OPTIONS = {
    "code-overflow", "tbl-subcap", "column", "fig-column", "tbl-column",
    "panel", "classes", "cache", "fig-pos", "fig-env", "tbl-colwidths", "code-copy",
}


def report_unsupported(document: QmdDocument, options: Mapping[str, Any]) -> list[str]:
    """Warn once per document for each unsupported feature it uses; returns their names."""
    markdown = "\n".join(c.source for c in document.notebook.cells if c.cell_type == "markdown")
    found = [name for name, pattern in MARKDOWN_FEATURES.items() if pattern.search(markdown)]
    found += [f"option {key}" for key in sorted(_keys(options) & FRONT_MATTER_OPTIONS)]
    used = set().union(*(c.metadata.get("quarto", {}).keys() for c in document.code_cells)) if document.code_cells \
        else set()
    found += [f"cell option {key}" for key in sorted(used & CELL_OPTIONS)]
    if found:
        warn(f"{document.path}: not supported by the embedded renderer yet, shown without it: {'; '.join(found)}.")
    return found


def _keys(options: Mapping[str, Any]) -> set[str]:
    keys = set(options)
    for value in _formats(options.get("format")):
        keys |= set(value)
    return keys


def _formats(value: Any) -> Iterable[Mapping[str, Any]]:
    if isinstance(value, Mapping):
        return [v for v in value.values() if isinstance(v, Mapping)]
    return []
