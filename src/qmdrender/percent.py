"""Jupyter percent scripts (``.py``, ``.jl``, ``.r``) as the documents Quarto renders them as.

Quarto (https://quarto.org/docs/computations/render-scripts.html) renders a script written in the percent
format that Spyder, VS Code, PyCharm and Jupytext share: ``# %%`` starts a code cell, ``# %% [markdown]`` a
Markdown cell (its lines as ``#`` comments, or between two ``\"\"\"`` lines) and ``# %% [raw]`` a raw cell; the
first Markdown cell holds the YAML front matter, and code cells take ``#|`` options as usual. A script is one
when it has a Markdown or raw cell marker; in a project such scripts are inputs like ``.qmd`` files, as
Quarto's Jupyter engine claims them. This module turns the script into the ``.qmd`` text it stands for, which
the one ``.qmd`` reader then reads.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

# the script's language by its ending (Quarto's list, less q, whose comments are not "#")
LANGUAGES = {".py": "python", ".jl": "julia", ".r": "r"}
_MARKER = re.compile(r"^\s*#\s*%%+\s+\[(?:markdown|raw)\]", re.M)
_HEADER = re.compile(r"^\s*#\s*%%+\s*(?:\[(markdown|raw)\])?\s*(.*)$")
_TRIPLE_QUOTE = re.compile(r'^"{3,}\s*$')
_ATTRIBUTES = re.compile(r"[\w-]+=.*$")
_JSON = json.JSONDecoder()


def is_percent_script(path: Path) -> bool:
    """Whether ``path`` is a script Quarto renders: a ``.py``, ``.jl`` or ``.r`` file with a Markdown or raw
    cell marker (a script without one is code, not a document)."""
    if path.suffix.lower() not in LANGUAGES or not path.is_file():
        return False
    try:
        return has_cell_markers(path.read_text(encoding="utf-8-sig", errors="replace"))
    except OSError:
        return False


def has_cell_markers(text: str) -> bool:
    """Whether a script's text has a Markdown or raw cell marker (``# %% [markdown]``)."""
    return bool(_MARKER.search(text))


def qmd_text(text: str, suffix: str) -> str:
    """The ``.qmd`` text of a percent script's ``text`` (its file ending ``suffix`` names the language), cell
    by cell as Quarto writes it: code in a fenced cell (the header's ``key=value`` attributes as ``#|``
    options), Markdown as it is, a raw cell with a ``format`` as a raw block of that format."""
    language = LANGUAGES[suffix.lower()]
    cells: list[tuple[str, str, list[str]]] = []  # (kind, header attributes, lines)
    for line in text.strip().split("\n"):
        header = _HEADER.match(line)
        if header:
            cells.append((header[1] or "code", header[2] or "", []))
        elif cells:
            cells[-1][2].append(line)
    parts = []
    for kind, attributes, lines in cells:
        lines = _trimmed(lines)
        metadata = _attributes(attributes)
        if kind == "code":
            options = [f"#| {row}" for row in yaml.safe_dump(metadata, sort_keys=False).splitlines()] if metadata \
                else []
            parts.append("\n".join(["```{" + language + "}", *options, *lines, "```"]))
        elif kind == "markdown":
            parts.append(_content(lines))
        else:
            content = _content(lines)
            form = metadata.get("format") if metadata else None
            parts.append(f"```{{={form}}}\n{content}\n```" if isinstance(form, str) and form else content)
    return "\n\n".join(parts) + "\n"


def _trimmed(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def _content(lines: list[str]) -> str:
    """A Markdown or raw cell's text: between two ``\"\"\"`` lines as it is, else each line without its ``#``."""
    if len(lines) > 2 and _TRIPLE_QUOTE.match(lines[0]) and _TRIPLE_QUOTE.match(lines[-1]):
        return "\n".join(lines[1:-1])
    return "\n".join(re.sub(r"^#\s?", "", line) for line in lines)


def _attributes(text: str) -> dict[str, Any]:
    """``key=value`` pairs after a cell marker (a title before them is skipped, as Quarto skips it); a value in
    JSON, as Jupytext writes them (``tags=["hide"]``), is read as JSON, any other as its text."""
    found = _ATTRIBUTES.search(text)
    if not found:
        return {}
    rest, pairs = found[0], {}
    while rest:
        key = re.match(r"\s*([\w-]+)=", rest)
        if not key:
            break
        rest = rest[key.end():]
        try:
            value, end = _JSON.raw_decode(rest)
        except ValueError:
            word = re.match(r"\S*", rest)
            value, end = word[0], word.end()
        pairs[key[1]] = value
        rest = rest[end:]
    return pairs
