"""A document's own pandoc Lua filters (``filters:``), placed around the renderer's as Quarto places them.

Quarto runs the filters a document lists before its own, except those listed after the entry ``quarto``
(https://quarto.org/docs/extensions/lua.html#activating-filters). An entry is a ``.lua`` file (relative to
the YAML that names it; the options stage has made it absolute), or the name of an extension in the
project's or document's ``_extensions`` folder that contributes filters. One that cannot be found is
named in a warning and left out, and the page still renders.

Each runs through a small wrapper (:func:`wrapped`) that gives it what Quarto gives a filter: the
``quarto`` Lua API (``filters/quarto_api.lua``: ``quarto.doc.is_format``, ``add_html_dependency``,
``include_text``, ``quarto.log`` ...) and ``PANDOC_SCRIPT_FILE`` naming the filter itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qmdrender.extensions import as_list, named_extension
from qmdrender.pandoc import filter_path
from qmdrender.types import warn


def user_filters(option: Any, folder: Path, project: Path | None) -> tuple[list[str], list[str]]:
    """The Lua files to run before the renderer's filters, and those to run after them."""
    before: list[str] = []
    after: list[str] = []
    for name, late, found in _entries(option, folder, project):
        if not found:
            warn(f"filters: {name} was not found (a .lua file, or an extension in _extensions); it is left out.")
        for path, at in found:  # an extension's filter may say where it runs ({path: ..., at: post-quarto})
            (after if (at.startswith("post") if at else late) else before).append(str(path))
    return before, after


def filter_files(option: Any, folder: Path, project: Path | None) -> list[Path]:
    """Every Lua file the ``filters:`` option runs (what a page's up-to-date check must digest: an
    extension's filters are named by the extension, not by file)."""
    return [path for _, _, found in _entries(option, folder, project) for path, _ in found]


def _entries(option: Any, folder: Path, project: Path | None) -> list[tuple[str, bool, list[tuple[Path, str]]]]:
    """Each entry's name, whether it runs after the renderer's filters, and the Lua files it names, each with
    its own ``at`` when an extension gives one."""
    entries = []
    late = False
    for entry in as_list(option):
        runs_late = late
        if isinstance(entry, dict):  # {path: ..., at: pre-quarto | post-quarto | ...} (Quarto 1.5)
            runs_late = str(entry.get("at", "")).startswith("post")
            entry = entry.get("path")
        name = str(entry or "").strip()
        if name == "quarto":
            late = True
            continue
        entries.append((name, runs_late, _lua_files(name, folder, project)))
    return entries


def _lua_files(name: str, folder: Path, project: Path | None) -> list[tuple[Path, str]]:
    if name.endswith(".lua"):
        path = Path(name) if Path(name).is_absolute() else folder / name
        return [(path, "")] if path.is_file() else []
    extension = named_extension(name, folder, project)
    return extension.entries("filters") if extension else []


def wrapped(filters: list[str], work: Path) -> list[str]:
    """A wrapper in ``work`` for each Lua filter, which runs it with Quarto's Lua API (see the module)."""
    api = filter_path("quarto_api")
    paths = []
    for number, path in enumerate(filters):
        wrapper = work / f"user-filter-{number}-{Path(path).stem}.lua"
        wrapper.write_text(f"-- {path}, with Quarto's Lua API (written by the embedded renderer)\n"
                           f"return dofile({_lua_string(str(api))}).run_filter({_lua_string(path)})\n",
                           encoding="utf-8")
        paths.append(str(wrapper))
    return paths


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
