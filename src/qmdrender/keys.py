"""What a render's results depend on, hashed: the execution key (a cell's outputs) and the render stamp
(the written files).

The *execution key* covers what the cells' outputs depend on: the code cells and their options, the
inline expressions, the parameter values, the kernel, the figure setup, the locked requirements and
the source of the packages the cells import (a local or editable package such as ``helpers`` by its
Python files, and what it imports in turn; an installed one by its version). The renderer's own code,
filters, CSS and templates are not in it: they shape the written files, never a cell's output.

The *render stamp* decides whether the written files are up to date: the execution key, the prose,
the merged options, the formats, the renderer's own files, and every other file or value the page
uses: files named by options (CSS, theme .scss, bibliography, CSL, headers, a deck's logo in either mode) and
the files named in a stylesheet's ``url()``,
``_variables.yml``, the images the Markdown shows, the environment values ``{{< env >}}`` reads and the
active profiles (``QUARTO_PROFILE``, for ``when-profile`` content). (Included files are part of the prose: they are
expanded before this.)
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import re
import sys
import sysconfig
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import nbformat

from qmdrender.brand import DECK_LOGO, brand_logo_files, default_brand_file, document_logo
from qmdrender.embeds import embedded_notebooks
from qmdrender.key_cache import DiskMemo
from qmdrender.option_names import NAMED_FILE_OPTIONS, PATH_OPTIONS
from qmdrender.options import DocumentOptions
from qmdrender.qmd import code_without_options, inline_expressions
from qmdrender.themes import theme_url_files
from qmdrender.types import REPOSITORY
from qmdrender.user_filters import filter_files

RENDERER = Path(__file__).resolve().parent  # src/qmdrender: its code, filters, assets and templates
_IMPORT_LINE = re.compile(r"^\s*(?:from|import)\s+([A-Za-z_]\w*)", re.M)
_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)|<img[^>]+src=[\"']([^\"']+)", re.I)
_ENV_SHORTCODE = re.compile(r"\{\{<\s*env\s+(\S+)")


def canonical(value: Any) -> Any:
    """``value`` with every mapping key as text, so that any front matter hashes (``1: one`` too)."""
    if isinstance(value, Mapping):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    return value


def digest(record: Any) -> str:
    return hashlib.sha256(json.dumps(canonical(record), sort_keys=True, default=str).encode()).hexdigest()


def files_digest(paths: Iterable[Path]) -> str:
    hashed = hashlib.sha256()
    for path in sorted(paths):
        hashed.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return hashed.hexdigest()


def renderer_digest() -> str:
    """The renderer's own files (Python, Lua filters, CSS, TeX, templates)."""
    return files_digest(p for p in RENDERER.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def imported_modules(notebook: nbformat.NotebookNode) -> list[str]:
    """The top-level modules the Python cells import (``import a.b``, ``from a import b``)."""
    names: set[str] = set()
    for cell in notebook.cells:
        if cell.cell_type == "code" and "language" not in cell.metadata:
            names.update(_imports_in(code_without_options(cell.source)))
    return sorted(names)


@functools.lru_cache(maxsize=1)
def _memos(state: tuple[int, ...]) -> tuple[DiskMemo, DiskMemo]:
    """This process's disk memos (see :mod:`qmdrender.key_cache`): parsed imports, valid while this file's
    parsing code is the same; installed distributions, valid for this interpreter and site state."""
    parsed = DiskMemo("imports", files_digest([Path(__file__)]))
    installed = DiskMemo("installed", {"python": sys.executable, "version": sys.version, "state": list(state),
                                       "paths": list(_paths("purelib", "platlib"))})
    return parsed, installed


def _save_memos() -> None:
    for memo in _memos(_site_state()):
        memo.save()


@functools.lru_cache(maxsize=4096)  # a pure function of the text: a project's pages share their helpers
def _imports_in(source: str) -> frozenset[str]:
    parsed = _memos(_site_state())[0]
    key = hashlib.sha256(source.encode("utf-8", errors="surrogatepass")).hexdigest()
    names = parsed.get(key)
    if names is None:
        names = parsed.put(key, sorted(_parse_imports(source)))
    return frozenset(names)


def _parse_imports(source: str) -> set[str]:
    try:
        nodes: Iterable[ast.AST] = ast.walk(ast.parse(source))
    except SyntaxError:  # IPython magics: read the import lines alone
        return set(_IMPORT_LINE.findall(source))
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@functools.cache  # the interpreter's folders do not move while it runs; asking sysconfig costs a millisecond each
def _paths(*keys: str) -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    return tuple(str(Path(paths[key]).resolve()) for key in keys)


def _local_files(name: str, folder: Path) -> list[Path] | None:
    """A module's own Python files when it is local or editable (not installed, not the standard
    library): a package's every ``.py``, a module's one file. ``None`` otherwise."""
    local = [folder / f"{name}.py", folder / name / "__init__.py"]  # the kernel runs in the document's folder
    found = next((p for p in local if p.is_file()), None)
    if found is None:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is None or name in sys.builtin_module_names or not spec.origin or \
                spec.origin in ("built-in", "frozen"):
            return None
        found = Path(spec.origin)
    found = found.resolve()
    if str(found).startswith((*_paths("purelib", "platlib"), *_paths("stdlib", "platstdlib"))):
        return None
    files = sorted(found.parent.rglob("*.py")) if found.name == "__init__.py" else [found]
    return [f for f in files if "__pycache__" not in f.parts]


def _site_state() -> tuple[int, ...]:
    """When the installed packages last changed (their folders' times change on every install/removal):
    what the caches of installed distributions are keyed by, so that a long preview never keeps a stale one."""
    return tuple(os.stat(path).st_mtime_ns for path in _paths("purelib", "platlib") if os.path.isdir(path))


@functools.lru_cache(maxsize=4)
def _distributions(state: tuple[int, ...]) -> Mapping[str, list[str]]:
    installed = _memos(state)[1]
    known = installed.get("distributions")
    return known if known is not None else installed.put("distributions", importlib.metadata.packages_distributions())


@functools.lru_cache(maxsize=2048)
def _version(distribution: str, state: tuple[int, ...]) -> str:
    installed = _memos(state)[1]
    known = installed.get(f"version {distribution}")
    return known if known is not None else installed.put(f"version {distribution}",
                                                         importlib.metadata.version(distribution))


def _installed_version(name: str, state: tuple[int, ...]) -> str:
    """An installed module's distributions and versions; ``""`` for the standard library and builtins."""
    versions = _distributions(state).get(name, [])
    return " ".join(f"{d}=={_version(d, state)}" for d in sorted(versions))


def _imported(notebook: nbformat.NotebookNode, folder: Path) -> Iterator[tuple[str, list[Path] | None]]:
    """Every module the cells import, and those local ones import in turn: each with its own Python
    files when it is local or editable, ``None`` when it is installed or the standard library."""
    seen: set[str] = set()
    pending = imported_modules(notebook)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        files = _local_files(name, folder)
        yield name, files
        for path in files or []:
            pending.extend(_imports_in(path.read_text(encoding="utf-8", errors="replace")) - seen)


def imported_sources(notebook: nbformat.NotebookNode, folder: Path) -> dict[str, str]:
    """What the modules the cells import depend on: a local or editable module by the hash of its Python
    files, and the modules *those* import in turn (a local ``mylib.py`` that imports ``mylib2.py``);
    an installed one by its distributions' versions; the standard library not at all."""
    state = _site_state()
    sources = {name: _installed_version(name, state) if files is None else files_digest(files)
               for name, files in _imported(notebook, folder)}
    _save_memos()
    return dict(sorted(sources.items()))


def imported_source_files(notebook: nbformat.NotebookNode, folder: Path) -> list[Path]:
    """The Python files of the local and editable modules the cells import (what ``preview`` watches)."""
    return sorted({path for _, files in _imported(notebook, folder) for path in files or []})


def requirements_digest() -> str:
    return files_digest(p for p in REPOSITORY.glob("requirements*.txt") if p.is_file())


def execution_key(notebook: nbformat.NotebookNode, parameters: Mapping[str, Any], kernel: str, setup: str,
                  folder: Path) -> str:
    """What a document's cell outputs depend on, hashed (see the module docstring); ``folder`` is where
    the kernel runs (a module there shadows an installed one)."""
    code = [{"source": c.source, "options": c.metadata.get("quarto", {}), "language": c.metadata.get("language")}
            for c in notebook.cells if c.cell_type == "code"]
    inline = [m["expr"] for c in notebook.cells if c.cell_type == "markdown" for m in inline_expressions(c.source)]
    imports = imported_sources(notebook, folder)
    record = {"code": code, "inline": inline, "parameters": parameters, "kernel": kernel, "setup": setup,
              "imports": imports, "requirements": requirements_digest()}
    return digest(record)[:32]


def page_dependencies(notebook: nbformat.NotebookNode, options: DocumentOptions, folder: Path,
                      formats: Sequence[str]) -> dict[str, str]:
    """Every file and value the written page uses beyond the notebook and options, each with its digest."""
    prose = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    used: dict[str, str] = {}
    layers = [options.metadata, *(options.for_format(name) for name in formats)]
    named = {name for layer in layers for key in PATH_OPTIONS for name in _file_names(layer.get(key))}
    named |= {name for layer in layers for key, endings in NAMED_FILE_OPTIONS.items()  # theme .scss, .theme files
              for name in _named_files(layer.get(key), endings)}
    images = {a or b for a, b in _IMAGE.findall(prose)} | set(embedded_notebooks(prose))  # and embedded cells
    for name in sorted(named | images):
        path = local_path(name, folder, options.project)
        used[f"file:{name}"] = files_digest([path]) if path else "missing"
        if path and name.endswith((".scss", ".css")):  # the images and fonts a theme file or stylesheet embeds
            for target, file in theme_url_files(path):
                used[f"theme-url:{name}:{target}"] = files_digest([file]) if file else "missing"
        elif path and name.endswith((".html", ".htm")):  # the images an included file shows from the site's root
            for target, file in root_image_files(path.read_text(encoding="utf-8", errors="replace"), options.project):
                used[f"root-image:{name}:{target}"] = files_digest([file]) if file else "missing"
    if options.project is not None and (options.project / "_variables.yml").is_file():
        used["_variables.yml"] = files_digest([options.project / "_variables.yml"])
    brand = default_brand_file(options.project, folder)  # used without being named
    if brand.is_file():
        used[brand.name] = files_digest([brand])
    for layer in layers:  # files used by a name that is not theirs: an extension's filters, the brand's logos
        board = layer.get("chalkboard")
        if isinstance(board, Mapping) and board.get("src"):  # a deck's saved drawings, inlined
            path = local_path(str(board["src"]), folder, options.project)
            used[f"chalkboard:{board['src']}"] = files_digest([path]) if path else "missing"
        for path in filter_files(layer.get("filters"), folder, options.project):
            used[f"filter:{path}"] = files_digest([path])
        for path in brand_logo_files(layer.get("brand"), options.project, folder):
            used[f"logo:{path}"] = files_digest([path])
        logo = layer.get("logo")
        if logo and not (isinstance(logo, str) and logo in DECK_LOGO):  # a deck's own logo, in either mode
            for mode in ("light", "dark"):
                name = document_logo(logo, layer.get("brand"), options.project, folder, mode)[0]
                if name:
                    path = local_path(name, folder, options.project)
                    used[f"logo:{name}"] = files_digest([path]) if path else "missing"
    for root in dict.fromkeys([folder, *([options.project] if options.project else [])]):
        # extensions' shortcodes apply unnamed, and their filters and plugins load files beside them
        if (root / "_extensions").is_dir():
            used[f"extensions:{root}"] = files_digest(p for p in (root / "_extensions").rglob("*") if p.is_file())
    for variable in sorted(set(_ENV_SHORTCODE.findall(prose))):
        used[f"env:{variable}"] = os.environ.get(variable, "\0unset")
    return used


def _file_names(value: Any) -> list[str]:
    """The files a path option names: each name, or the ``file:`` (``path:``, a filter's) of an entry; an entry
    of ``text:`` names none (the text is an option, in the stamp with the others)."""
    names = []
    for entry in _as_list(value):
        if isinstance(entry, Mapping):
            entry = entry.get("file", entry.get("path"))
        if isinstance(entry, str) and entry:
            names.append(entry)
    return names


def _named_files(value: Any, endings: tuple[str, ...]) -> list[str]:
    """The files among what an option of :data:`NAMED_FILE_OPTIONS` gives (a name, a list, or a light/dark
    mapping of either): those with one of its ``endings``."""
    values = value.values() if isinstance(value, Mapping) else [value]
    return [str(part) for each in values for part in _as_list(each) if str(part).endswith(endings)]


def _as_list(value: Any) -> list[Any]:
    if value in (None, False, ""):
        return []
    return list(value) if isinstance(value, list) else [value]


def local_path(name: str, folder: Path, project: Path | None) -> Path | None:
    """The file a page names, as Quarto resolves it: beside the document, ``/path`` from the project
    root; ``None`` for a URL or a file that does not exist."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", name, re.I):  # a URL or a data: URI
        return None
    path = Path(name)
    candidates = [path] if path.is_absolute() else [folder / path]
    if name.startswith("/") and project is not None:
        candidates.append(project / name.lstrip("/"))
    return next((c for c in candidates if c.is_file()), None)


# an <img> whose src is a path from the site's root (src="/assets/logo.png"), as an included HTML file writes it
ROOT_IMAGE = re.compile(r"""(<img\s[^>]*?src\s*=\s*)(["'])(/[^/"'][^"']*)\2""", re.I)


def root_image_files(text: str, project: Path | None) -> list[tuple[str, Path | None]]:
    """The images an included HTML file's ``text`` names from the site's root, each with the project's file
    (``None``: not there), which the page embeds (formats/writing.py)."""
    found = []
    for image in ROOT_IMAGE.finditer(text):
        file = project / image[3].lstrip("/") if project is not None else None
        found.append((image[3], file if file is not None and file.is_file() else None))
    return found


def render_stamp(key: str, notebook: nbformat.NotebookNode, options: DocumentOptions, formats: Sequence[str],
                 folder: Path) -> str:
    """What the files of a render depend on (see the module docstring)."""
    prose = [c.source for c in notebook.cells if c.cell_type != "code"]
    record = {"key": key, "prose": prose, "formats": list(formats), "metadata": options.metadata,
              "format-options": options.formats, "renderer": renderer_digest(),
              "uses": page_dependencies(notebook, options, folder, formats),
              "profiles": list(options.profiles)}  # when-profile content
    return digest(record)
