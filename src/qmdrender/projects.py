"""Render a Quarto project as ``quarto render`` does: every input, into ``output-dir``, with its chrome.

The project is the folder holding ``_quarto.yml`` (profiles merged: :func:`qmdrender.options.project_config`).
Its inputs are ``project: render:`` (globs, ``!glob`` excludes), else every ``.qmd``, ``.ipynb`` and
``.md`` below the root that Quarto would render (not ``_x``/``.x`` files or folders, not READMEs);
a book's are its chapters. Each input is rendered, as on its own (freeze, one kernel, its formats),
into a staging folder (``.quarto/pages``), several at once in child processes; then the site or
book is assembled from the staged pages into the output folder (:mod:`qmdrender.site`,
:mod:`qmdrender.book_pdf`), with the resources the pages link to. ``pre-render`` and ``post-render``
scripts run before and after, in the project root, as in Quarto.

A page that fails keeps its previous output: the staging folder and the output folder are only
ever written by a render that succeeded.
"""

from __future__ import annotations

import fnmatch
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from qmdrender.books import book_chapters
from qmdrender.document import INPUT_SUFFIXES
from qmdrender.environment import project_file
from qmdrender.options import active_profiles, find_project, normalise_formats, project_config
from qmdrender.percent import is_percent_script
from qmdrender.types import RenderError, warn

STAGING = Path(".quarto") / "pages"
DEFAULT_OUTPUT = {"website": "_site", "book": "_book"}
_SKIPPED_FOLDERS = {"node_modules", "renv", "venv", "env", "site_libs", "__pycache__"}
# the files Quarto never renders by name (its README.?([Rrq])md glob; a license page is a page like any other)
_README = {"README.md", "README.Rmd", "README.rmd", "README.qmd"}


@dataclass(frozen=True)
class Project:
    """A project folder, its merged configuration and its inputs in order."""

    root: Path
    config: dict[str, Any]
    kind: str  # "default", "website" or "book"
    output_dir: Path  # absolute
    inputs: tuple[Path, ...]  # absolute, in order (a book's chapters in reading order)

    @property
    def settings(self) -> Mapping[str, Any]:
        value = self.config.get("project")
        return value if isinstance(value, Mapping) else {}

    @property
    def staging(self) -> Path:
        return self.root / STAGING

    def relative(self, path: Path) -> Path:
        return path.resolve().relative_to(self.root)

    def output_of(self, path: Path, extension: str) -> Path:
        """Where an input's page goes: its path in the project, under the output folder."""
        return self.output_dir / self.relative(path).with_suffix(f".{extension}")


def load_project(folder: Path, output_dir: Path | None = None) -> Project:
    """The project at ``folder`` (which holds ``_quarto.yml``), or one clear error."""
    root = folder.resolve()
    if project_file(root) is None:
        raise RenderError(f"{folder}: no _quarto.yml here, so this is not a Quarto project; render its documents "
                          "one by one (python -m qmdrender FILE.qmd) or add a _quarto.yml.")
    config = project_config(root)
    settings = config.get("project") if isinstance(config.get("project"), Mapping) else {}
    kind = str(settings.get("type", "default"))
    if kind == "manuscript":  # the article (and any notebooks) rendered to their formats, as in a plain project
        warn(f"{root}/_quarto.yml: a manuscript project is rendered as a plain one: the article and each "
             "notebook to their formats, in _manuscript/ (the manuscript's notebook views, its links between them "
             "and the MECA bundle are not supported by the embedded renderer yet).")
        kind, configured = "default", settings.get("output-dir", "_manuscript")
    elif kind not in ("default", "website", "book"):
        raise RenderError(f"{root}/_quarto.yml: project type {kind!r} is not supported by the embedded renderer "
                          "(it renders default, website, book and manuscript projects).")
    else:
        configured = settings.get("output-dir", DEFAULT_OUTPUT.get(kind))
    chosen = output_dir if output_dir is not None else (root / str(configured) if configured else root)
    inputs = _book_inputs(config, root) if kind == "book" else _inputs(root, settings, chosen.resolve())
    if not inputs:
        raise RenderError(f"{root}: this project has no documents to render (.qmd, .ipynb or .md files, or "
                          "'project: render:' in _quarto.yml).")
    project = Project(root, config, kind, chosen.resolve(), tuple(inputs))
    _check_clashes(project)
    return project


def folder_documents(folder: Path) -> tuple[Path, list[Path]] | None:
    """For a folder inside a project (not its root): the project's root and the documents in the folder, which
    ``quarto render FOLDER`` renders in the project's context, even those the project's ``render:`` list leaves
    out (a course renders its decks so, under a profile); ``None`` for a folder outside any project."""
    folder = folder.resolve()
    if project_file(folder) is not None:
        return None
    root = find_project(folder / "_")
    if root is None:
        return None
    documents = _without_intermediate_notebooks(sorted(_candidates(folder, None), key=_reading_order(root)))
    return (root, documents) if documents else None


def with_inputs(project: Project, documents: Sequence[Path]) -> Project:
    """``project`` with ``documents`` among its inputs (those its ``render:`` list leaves out, named on the
    command line)."""
    extra = tuple(d for d in documents if d not in project.inputs)
    return replace(project, inputs=project.inputs + extra) if extra else project


def document_output_dir(document: Path) -> Path | None:
    """Where ``quarto render DOC`` writes a document of a plain project whose ``_quarto.yml`` names an
    ``output-dir``: that folder, at the document's place in the project (``docs/`` for a deck published to
    GitHub Pages). ``None`` outside such a project; a website's or book's page is left to the project's render,
    since a page rendered on its own has none of the site's navigation to put in the site's folder."""
    path = document.resolve()
    root = find_project(path)
    if root is None:
        return None
    settings = project_config(root).get("project")
    if not isinstance(settings, Mapping) or str(settings.get("type", "default")) != "default":
        return None
    configured = settings.get("output-dir")
    return (root / str(configured) / path.parent.relative_to(root)) if configured else None


def site_page_project(document: Path) -> Project | None:
    """The website or book whose page ``document`` is (one of its inputs), which ``quarto render PAGE`` renders
    in the project's context (its output folder, the site's chrome); a website's document that its ``render:``
    list leaves out too, when named (a course's decks, rendered under a profile), as Quarto renders it there.
    ``None`` for any other document."""
    path = document.resolve()
    root = find_project(path)
    if root is None:
        return None
    settings = project_config(root).get("project")
    if not isinstance(settings, Mapping) or str(settings.get("type", "default")) not in ("website", "book"):
        return None
    project = load_project(root)
    if path in project.inputs:
        return project
    outside = (project.output_dir, project.staging)  # not a file the project wrote
    if project.kind == "website" and _is_input(path) and not any(path.is_relative_to(p) for p in outside):
        return with_inputs(project, [path])
    return None


def _book_inputs(config: Mapping[str, Any], root: Path) -> list[Path]:
    chapters = [c.path for c in book_chapters(config, root, report=True)]
    extra = [p for p in _inputs(root, config.get("project") or {}, None, listed_only=True) if p not in chapters]
    return chapters + extra


# Quarto's Jupyter engine takes a notebook beside a .qmd, or a .py, .jl or .r script, of the same name for an
# intermediate file of that document, never a document of its own: it is not rendered (nor does it clash)
_NOTEBOOK_SOURCES = (".qmd", ".py", ".jl", ".r")


def _without_intermediate_notebooks(paths: list[Path]) -> list[Path]:
    kept = []
    for path in paths:
        source = next((path.with_suffix(s) for s in _NOTEBOOK_SOURCES if path.with_suffix(s).is_file()), None) \
            if path.suffix == ".ipynb" else None
        if source is not None:
            warn(f"{path}: not rendered: Quarto takes a notebook beside {source.name} for that document's "
                 "intermediate file (rename one of them to render both).")
            continue
        kept.append(path)
    return kept


def _inputs(root: Path, settings: Mapping[str, Any], output_dir: Path | None, *, listed_only: bool = False
            ) -> list[Path]:
    return _without_intermediate_notebooks(_listed_inputs(root, settings, output_dir, listed_only=listed_only))


def _listed_inputs(root: Path, settings: Mapping[str, Any], output_dir: Path | None, *, listed_only: bool = False
                   ) -> list[Path]:
    patterns = settings.get("render")
    if isinstance(patterns, str):
        patterns = [patterns]
    if not patterns:
        if listed_only:
            return []
        return sorted((p for p in _candidates(root, output_dir)), key=_reading_order(root))
    included: list[Path] = []
    for pattern in patterns:
        pattern = str(pattern)
        if pattern.startswith("!"):
            continue
        globbed = any(c in pattern for c in "*?[")
        # "/slides/index.qmd": from the project's root, as Quarto reads a path that starts with "/"
        matches = _globbed(root, pattern, output_dir) if globbed else [root / pattern.lstrip("/")]
        if not any(match.exists() for match in matches):
            # Quarto reads every entry as a glob, so one naming nothing renders nothing; it says nothing either
            warn(f"{config_name(root)}: project: render: lists {pattern}, which matches nothing here; "
                 "it is skipped.")
        for match in (m for m in matches if m.exists()):
            if match.is_file() and globbed and not _is_input(match):
                continue  # a glob's data files and plain scripts: no engine renders them, as in Quarto
            found = sorted(_candidates(match, output_dir), key=_reading_order(root)) if match.is_dir() else [match]
            included += [p.resolve() for p in found if p.resolve() not in included]
    excluded = [str(p)[1:] for p in patterns if str(p).startswith("!")]
    kept = [p for p in included if not any(_excludes(e, p.relative_to(root)) for e in excluded)]
    if not kept and not listed_only:
        raise RenderError(f"{config_name(root)}: project: render: matches no document to render; "
                          "name at least one that exists.")
    return kept


def config_name(root: Path) -> Path:
    """The project's configuration file as it is named (``_quarto.yml`` or ``_quarto.yaml``), for messages."""
    return project_file(root) or root / "_quarto.yml"


def _excludes(pattern: str, relative: Path) -> bool:
    """Whether ``!pattern`` of ``render:`` leaves out the document at ``relative``: a smart glob as for the
    inputs (at any depth unless it starts with ``/``), matched by the document or by a folder it is in
    (``!core/slides/`` leaves out all that is in it)."""
    anchored = pattern.startswith("/")
    pattern = pattern.strip("/")
    path = PurePosixPath(relative.as_posix())
    candidates = [path, *list(path.parents)[:-1]]  # the document, then its folders up to the root's children
    if anchored:
        return any(fnmatch.fnmatch(c.as_posix(), pattern) for c in candidates)
    return any(c.match(pattern) for c in candidates)


def _globbed(root: Path, pattern: str, output_dir: Path | None) -> list[Path]:
    """A ``render:`` glob as Quarto's "smart" globs read it: one not starting with ``/`` matches at any depth
    (``*.qmd`` is ``**/*.qmd``: the decks in ``slides/`` too), skipping what Quarto never renders (``_x`` and
    ``.x`` files and folders, the output folder)."""
    anchored = pattern.startswith("/")
    pattern = pattern.lstrip("/")

    def matches(relative: PurePosixPath) -> bool:  # PurePath.match reads a relative pattern from the right
        return fnmatch.fnmatch(relative.as_posix(), pattern) if anchored else relative.match(pattern)

    found = []
    # walked with the folders Quarto never renders left out (a virtual environment, node_modules: not read at all)
    for directory, folders, files in os.walk(root):
        here = Path(directory)
        folders[:] = [f for f in folders if not f.startswith(("_", ".")) and f not in _SKIPPED_FOLDERS
                      and (output_dir is None or (here / f).resolve() != output_dir)]
        for name in [*folders, *(f for f in files if not f.startswith(("_", ".")))]:
            if matches(PurePosixPath((here / name).relative_to(root).as_posix())):
                found.append(here / name)
    return sorted(found, key=_reading_order(root))


def _candidates(folder: Path, output_dir: Path | None) -> list[Path]:
    found = []
    for directory, folders, files in os.walk(folder):
        here = Path(directory)
        folders[:] = [f for f in folders if not f.startswith(("_", ".")) and f not in _SKIPPED_FOLDERS
                      and (output_dir is None or (here / f).resolve() != output_dir)]
        found += [(here / f).resolve() for f in files if _is_input(here / f)
                  and not f.startswith(("_", ".")) and f not in _README]
    return found


def _is_input(path: Path) -> bool:
    """A document Quarto renders: ``.qmd``, ``.ipynb``, ``.md``, or a notebook script in the percent format."""
    return path.suffix.lower() in INPUT_SUFFIXES or is_percent_script(path)


def _reading_order(root: Path) -> Any:
    """index first in each folder, then by path (Quarto's order for listings and auto sidebars)."""
    def key(path: Path) -> tuple[Any, ...]:
        relative = path.resolve().relative_to(root.resolve())
        return (relative.parent.parts, 0 if relative.stem == "index" else 1, relative.name)
    return key


def _check_clashes(project: Project) -> None:
    seen: dict[Path, Path] = {}
    for path in project.inputs:
        target = project.relative(path).with_suffix("")
        if target in seen:
            raise RenderError(f"{project.relative(seen[target])} and {project.relative(path)} would both write "
                              f"{target}.html; rename one of them or exclude it (project: render: ['!{target}.*']).")
        seen[target] = path


def declared_formats(project: Project) -> list[str]:
    return list(normalise_formats(project.config.get("format"))) or ["html"]


def run_scripts(project: Project, key: str, rendered: Sequence[Path], *, render_all: bool = True) -> None:
    """``project: pre-render:`` / ``post-render:`` (a command or a list), each run in the project root with
    Quarto's variables (``QUARTO_PROJECT_RENDER_ALL`` only when the whole project renders); ``.py`` scripts with
    this Python, ``.sh`` with bash. A failing script stops here."""
    scripts = project.settings.get(key) or []
    profiles = active_profiles(project.config, project.root)  # as Quarto sets it for them, a default one too
    environment = {**{k: v for k, v in os.environ.items() if k != "QUARTO_PROJECT_RENDER_ALL"},
                   **({"QUARTO_PROFILE": ",".join(profiles)} if profiles else {}),
                   **({"QUARTO_PROJECT_RENDER_ALL": "1"} if render_all else {}),
                   "QUARTO_PROJECT_OUTPUT_DIR": str(os.path.relpath(project.output_dir, project.root)),
                   "QUARTO_PROJECT_INPUT_FILES": "\n".join(str(project.relative(p)) for p in project.inputs),
                   "QUARTO_PROJECT_OUTPUT_FILES": "\n".join(str(p) for p in rendered)}
    for script in [scripts] if isinstance(scripts, str) else list(scripts):
        words = shlex.split(str(script))
        if not words:
            continue
        if words[0].endswith(".py"):
            words = [sys.executable, *words]
        elif words[0].endswith((".sh", ".bash")):
            words = ["bash", *words]
        elif words[0].endswith((".ts", ".R", ".r", ".lua")):
            raise RenderError(f"_quarto.yml: {key}: {script} needs Quarto's own Deno/R/Lua runner, which the "
                              "embedded renderer does not have; use a .py or .sh script.")
        print(f"      {key}: {script}", file=sys.stderr, flush=True)
        result = subprocess.run(words, cwd=project.root, env=environment, check=False)
        if result.returncode != 0:
            raise RenderError(f"_quarto.yml: {key} script {script} failed (exit {result.returncode}); "
                              + ("nothing was rendered." if key == "pre-render" else "the pages were written."))


def copy_resources(project: Project) -> list[Path]:
    """``project: resources:`` (globs relative to the root; ``!glob`` excludes): copied into the output folder
    as they are, as Quarto copies files that no page links to (data for download, a CNAME file)."""
    patterns = project.settings.get("resources") or []
    patterns = [str(p) for p in (patterns if isinstance(patterns, list) else [patterns])]
    excluded = [p[1:] for p in patterns if p.startswith("!")]
    copied = []
    for pattern in (p for p in patterns if not p.startswith("!")):
        for path in sorted(project.root.glob(pattern.lstrip("/"))):
            files = [f for f in path.rglob("*") if f.is_file()] if path.is_dir() else [path]
            for file in files:
                relative = file.resolve().relative_to(project.root)
                if any(fnmatch.fnmatch(relative.as_posix(), e) for e in excluded) or \
                        file.resolve().is_relative_to(project.output_dir):
                    continue
                copy_if_changed(file, project.output_dir / relative)
                copied.append(project.output_dir / relative)
    return copied


def copy_if_changed(source: Path, target: Path) -> bool:
    """Copy ``source`` over ``target`` unless they already hold the same bytes; whether it copied."""
    if target.is_file() and target.stat().st_size == source.stat().st_size and \
            target.read_bytes() == source.read_bytes():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(source, temporary)
    os.replace(temporary, target)
    return True


def write_if_changed(target: Path, data: bytes) -> bool:
    if target.is_file() and target.read_bytes() == data:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)
    return True
