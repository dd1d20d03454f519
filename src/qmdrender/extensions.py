"""Quarto extensions in a project's or document's ``_extensions`` folder, and what each contributes.

An extension is a folder with an ``_extension.yml`` (https://quarto.org/docs/extensions/): its
``contributes:`` names Lua filters, shortcodes and reveal.js plugins. This module only finds them; the
stages that run them are :mod:`qmdrender.user_filters` (filters), ``filters/shortcodes.lua`` (shortcodes)
and :mod:`qmdrender.formats.reveal_plugins` (plugins). Shortcode extensions are available to every
document below them, as in Quarto; filters and plugins run when a document names them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qmdrender.types import RenderError, warn
from qmdrender.yamlfile import read_yaml_file


@dataclass(frozen=True)
class Extension:
    folder: Path
    contributes: dict[str, Any]

    @property
    def names(self) -> tuple[str, str]:
        """How a document may name it: ``name`` or ``owner/name`` (the folder under ``_extensions``)."""
        return self.folder.name, f"{self.folder.parent.name}/{self.folder.name}"

    def files(self, kind: str) -> list[Path]:
        """The files it contributes as ``kind`` (``filters``, ``shortcodes``) that exist."""
        return [path for path, _ in self.entries(kind)]

    def entries(self, kind: str) -> list[tuple[Path, str]]:
        """Each file it contributes as ``kind`` that exists, with where it runs: an entry is a file's name or
        ``{path: ..., at: pre-quarto}`` (Quarto 1.5), whose ``at`` is kept ("" for a plain name)."""
        found = []
        for entry in as_list(self.contributes.get(kind)):
            name, at = (entry.get("path"), str(entry.get("at", ""))) if isinstance(entry, dict) else (entry, "")
            if isinstance(name, str) and (self.folder / name).is_file():
                found.append((self.folder / name, at))
        return found


def extensions(folder: Path, project: Path | None) -> list[Extension]:
    """The extensions beside the document and in the project, the document's first (as Quarto looks)."""
    found = []
    for root in dict.fromkeys([folder, *([project] if project else [])]):
        for manifest in sorted((root / "_extensions").glob("**/_extension.y*ml")):
            contributes = read_yaml_file(manifest, "extension", RenderError).get("contributes")
            found.append(Extension(manifest.parent, contributes if isinstance(contributes, dict) else {}))
    return found


def named_extension(name: str, folder: Path, project: Path | None) -> Extension | None:
    return next((e for e in extensions(folder, project) if name in e.names), None)


def shortcode_files(option: Any, folder: Path, project: Path | None) -> list[Path]:
    """The Lua files that define shortcodes for a document: every extension's, and those its ``shortcodes:``
    option lists (``.lua`` files, relative to the YAML that names them and made absolute by then)."""
    files = [path for extension in extensions(folder, project) for path in extension.files("shortcodes")]
    for entry in as_list(option):
        path = Path(str(entry)) if Path(str(entry)).is_absolute() else folder / str(entry)
        if path.is_file():
            files.append(path)
        else:
            warn(f"shortcodes: {entry} was not found; its shortcodes are left as text.")
    return list(dict.fromkeys(path.resolve() for path in files))  # pandoc runs in another folder


def as_list(value: Any) -> Sequence[Any]:
    return value if isinstance(value, list) else [value] if value else []
