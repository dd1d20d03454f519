"""A grid's index: ``index.html`` (sortable, from a Jinja2 template), ``index.md`` and ``index.csv``.

Every set is a row: its parameters, status, time, links to its files and the values the notebook
published (:mod:`qmdrender.published`). A published value never takes an index column's place: one
named like a column of the index or a parameter is shown as ``published.<name>``. Text that a
spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, a tab or a carriage return first) is
written to the CSV with a leading ``'``, as spreadsheet programs need; numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from qmdrender.escape import escape_markdown
from qmdrender.publish import publish

_TEMPLATES = Environment(loader=PackageLoader("qmdrender", "templates"), autoescape=select_autoescape(["j2"]))
INDEX_COLUMNS = frozenset({"set", "slug", "status", "seconds", "files", "error"})
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class SetResult:
    slug: str
    parameters: dict[str, Any]
    status: str = "ok"
    seconds: float = 0.0
    files: list[str] = field(default_factory=list)
    error: str = ""
    published: dict[str, Any] = field(default_factory=dict)
    payload: dict[str, bytes] = field(default_factory=dict, repr=False)  # files a Dask worker sends back


def _columns(results: Sequence[SetResult]) -> tuple[list[str], list[str]]:
    parameters = list(dict.fromkeys(k for r in results for k in r.parameters))
    published = list(dict.fromkeys(k for r in results for k in r.published))
    return parameters, published


def published_heading(name: str, parameters: Sequence[str]) -> str:
    """A published value's column heading: its name, unless an index column or a parameter has it."""
    return f"published.{name}" if name in INDEX_COLUMNS or name in parameters else name


def spreadsheet_safe(value: Any) -> Any:
    """Text that would start a formula gets a leading ``'``; numbers and other text are as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_index(notebook: Path, results: Sequence[SetResult], folder: Path) -> list[Path]:
    """``index.html``, ``index.md`` and ``index.csv`` for a grid (written atomically, all together)."""
    parameters, published = _columns(results)
    staging = folder / f".index-{os.getpid()}"
    staging.mkdir(exist_ok=True)
    try:
        (staging / "index.csv").write_text(_csv(results, parameters, published), encoding="utf-8")
        (staging / "index.md").write_text(_markdown(notebook, results, parameters, published), encoding="utf-8")
        (staging / "index.html").write_text(_html(notebook, results, parameters, published), encoding="utf-8")
        return publish([staging / "index.html", staging / "index.md", staging / "index.csv"], folder)
    finally:
        for path in staging.iterdir():
            path.unlink()
        staging.rmdir()


def _csv_value(value: Any) -> Any:
    return value if isinstance(value, int | float | str) else _cell(value)


def _cell(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def _csv(results: Sequence[SetResult], parameters: list[str], published: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([spreadsheet_safe(h) for h in ["slug", *parameters, "status", "seconds", "files",
                                                   *(published_heading(k, parameters) for k in published), "error"]])
    for r in results:
        row = [r.slug, *(_csv_value(r.parameters.get(p, "")) for p in parameters), r.status, r.seconds,
               " ".join(r.files), *(_csv_value(r.published.get(k, "")) for k in published), r.error]
        writer.writerow([spreadsheet_safe(v) for v in row])
    return buffer.getvalue()


def _markdown(notebook: Path, results: Sequence[SetResult], parameters: list[str], published: list[str]) -> str:
    header = ["set", *parameters, "status", "seconds", *(published_heading(k, parameters) for k in published), "files"]
    lines = [f"# {escape_markdown(notebook.stem)}: {len(results)} parameter sets", "",
             "| " + " | ".join(escape_markdown(h) for h in header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    for r in results:
        files = " ".join(f"[{f.rsplit('.', 1)[-1]}]({f})" for f in r.files)  # slugs: nothing to escape
        row = [r.slug, *(_cell(r.parameters.get(p, "")) for p in parameters), r.status, f"{r.seconds:.1f}",
               *(_cell(r.published.get(k, "")) for k in published)]
        lines.append("| " + " | ".join([*(escape_markdown(" ".join(v.split("\n"))) for v in row), files]) + " |")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class _Cell:
    value: str  # what sorts (the full value)
    shown: Markup | str  # what the reader sees: text (escaped by the template) or trusted markup


def _html(notebook: Path, results: Sequence[SetResult], parameters: list[str], published: list[str]) -> str:
    def cell(value: Any, shown: Markup | str | None = None) -> _Cell:
        raw = _cell(value)
        if shown is None:  # floats to 4 significant digits on the page; the full value sorts and is in the CSV
            shown = f"{value:.4g}" if isinstance(value, float) else raw
        return _Cell(raw, shown)

    rows = []
    for r in results:
        links = Markup(" ").join(Markup('<a href="{}">{}</a>').format(f, f.rsplit(".", 1)[-1]) for f in r.files)
        status = Markup("{}").format(r.status) + (Markup("<br><small>{}</small>").format(r.error) if r.error else "")
        rows.append({"status": r.status, "cells": [
            cell(r.slug), *(cell(r.parameters.get(p, "")) for p in parameters), cell(r.status, status),
            cell(r.seconds), *(cell(r.published.get(k, "")) for k in published), cell(" ".join(r.files), links)]})
    return _TEMPLATES.get_template("grid_index.html.j2").render(
        title=notebook.stem, rows=rows,
        headings=["set", *parameters, "status", "seconds", *(published_heading(k, parameters) for k in published),
                  "files"],
        failed=sum(r.status != "ok" for r in results))
