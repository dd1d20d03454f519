"""Which project a document renders in, and the project's environment files, set as Quarto sets them.

A document belongs to the nearest folder above it that holds ``_quarto.yml``, except while a project renders
(:func:`rendering_project`): then every file in it is the project's, as Quarto renders them, a folder with a
``_quarto.yml`` of its own included.

Quarto (https://quarto.org/docs/projects/environment.html) reads ``_environment`` beside ``_quarto.yml``,
``_environment-<profile>`` for each active profile and ``_environment.local`` (kept out of version control)
when it reads the project's configuration, and sets their variables into its own environment, so that
kernels, pre- and post-render scripts and filters, all children of the render, see them. A variable the real
environment already has keeps its value; of the files, ``_environment.local`` wins, then the profiles' (the
first profile named first), then ``_environment``. ``QUARTO_PROFILE`` may be set in ``_environment`` or
``_environment.local`` too. (The active profiles reach the code and the scripts as ``QUARTO_PROFILE`` by
:mod:`qmdrender.kernel_setup` and :func:`qmdrender.projects.run_scripts`, not through this process's
environment, which a default profile would otherwise leave set for the next project read in it.)

Reading a project's configuration again (the next document, another project, a preview's re-render) first
backs out what the last read set, so that one project's variables never reach another's render. The files
are parsed by python-dotenv (comments, quotes, ``export``, ``${VAR}``), the library Python users know for
``.env`` files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from dotenv import dotenv_values

BASE, LOCAL = "_environment", "_environment.local"
_lock = threading.Lock()
_set_here: dict[str, str] = {}  # the variables the last read set, with the values it gave them


# The project whose render is under way (rendering_project): its children read it from the environment.
RENDERING_VARIABLE = "QMDRENDER_PROJECT_ROOT"


@contextlib.contextmanager
def rendering_project(root: Path) -> Iterator[None]:
    """While a project renders, its documents are its own, in its folders that hold a ``_quarto.yml`` of their
    own too (a course module kept as a project of its own and included in a book): Quarto renders every file
    of the project with the project's configuration. This process and the render's children see it."""
    earlier = os.environ.get(RENDERING_VARIABLE)
    os.environ[RENDERING_VARIABLE] = str(root.resolve())
    try:
        yield
    finally:
        if earlier is None:
            os.environ.pop(RENDERING_VARIABLE, None)
        else:
            os.environ[RENDERING_VARIABLE] = earlier


def project_file(folder: Path) -> Path | None:
    """The folder's ``_quarto.yml`` (or ``_quarto.yaml``), if it has one: what makes it a project."""
    return next((path for path in (folder / "_quarto.yml", folder / "_quarto.yaml") if path.is_file()), None)


def find_project(document: Path) -> Path | None:
    """The project a document renders in: the one being rendered when the document is in it
    (:func:`rendering_project`), else the nearest folder at or above the document that holds ``_quarto.yml``."""
    start = document.resolve().parent
    rendering = os.environ.get(RENDERING_VARIABLE)
    if rendering and (start == Path(rendering) or Path(rendering) in start.parents):
        return Path(rendering)
    for folder in (start, *start.parents):
        if project_file(folder) is not None:
            return folder
    return None


def environment_files(root: Path, profiles: Sequence[str]) -> list[Path]:
    """The project's environment files that exist, the one that wins first."""
    names = [LOCAL, *(f"{BASE}-{profile}" for profile in profiles), BASE]
    return [root / name for name in names if (root / name).is_file()]


def has_environment_files(document: Path) -> bool:
    """Whether the document's project sets variables from files (any profile's included)."""
    root = find_project(document)
    return root is not None and any(path.is_file() for path in root.glob(f"{BASE}*"))


def file_profile(root: Path) -> str:
    """``QUARTO_PROFILE`` as ``_environment.local`` or ``_environment`` sets it (``""`` when neither does)."""
    for path in environment_files(root, ()):
        value = _values(path).get("QUARTO_PROFILE")
        if value:
            return value
    return ""


def _values(path: Path) -> dict[str, str]:
    return {name: value for name, value in dotenv_values(path).items() if value is not None}


def back_out() -> None:
    """Unset what the last :func:`apply` set (a value someone changed since is theirs, and stays)."""
    with _lock:
        for name, value in _set_here.items():
            if os.environ.get(name) == value:
                del os.environ[name]
        _set_here.clear()


def apply(root: Path | None, profiles: Sequence[str]) -> dict[str, str]:
    """Back out the last project's variables, then set this project's (``root``; ``None`` for a document
    outside a project) where the environment has none; the variables the files name, with the values now in
    effect."""
    back_out()
    if root is None:
        return {}
    defined: dict[str, str] = {}
    for path in environment_files(root, profiles):
        for name, value in _values(path).items():
            defined.setdefault(name, value)
    with _lock:
        for name, value in defined.items():
            if name not in os.environ:
                os.environ[name] = value
                _set_here[name] = value
    return {name: os.environ[name] for name in defined}


def stamp() -> str:
    """A digest of the variables the project's files set now: a kernel started with other values (a preview's
    warm kernel) is not the one to reuse."""
    with _lock:
        current = {name: os.environ.get(name) or "" for name in _set_here}
    return digest(current) if current else ""


def digest(variables: Mapping[str, str]) -> str:
    """Variables hashed, so that a key can depend on them without holding a credential's value."""
    return hashlib.sha256(json.dumps(dict(variables), sort_keys=True).encode()).hexdigest()[:16]
