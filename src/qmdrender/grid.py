"""Render one notebook over a grid of parameter sets, with an index page of the results.

``python -m qmdrender NOTEBOOK --grid FILE.yml [--jobs N] [--scheduler tcp://host:port]``.
FILE.yml is a list of parameter mappings, or a mapping of lists whose product is the grid, or
``{sets: [...]}`` / ``{product: {...}}`` with ``shared: {...}`` values for every set. Each set renders
to ``DIR/<stem>/<slug>.<fmt>``; the slug is made from the parameter values (or ``--name-template``),
readable, filesystem-safe, unique and stable. One set's failure does not stop the others; the run
exits non-zero and names the sets that failed, whose previous outputs survive (renders are atomic).

``index.html`` (sortable), ``index.md`` and ``index.csv`` list every set: its parameters, status,
time, links to its files and the values the notebook published with ``helpers.publish``.
Local sets run in ``--jobs`` processes (concurrent.futures), each kernel with ``cores // jobs`` torch
threads; ``--scheduler`` hands them to an existing Dask cluster instead.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import itertools
import json
import os
import re
import sys
import time
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from qmdrender.escape import escape_markdown
from qmdrender.parameters import ParameterError
from qmdrender.publish import publish
from qmdrender.types import RenderError
from qmdrender.yamlfile import parse_yaml

_TEMPLATES = Environment(loader=PackageLoader("qmdrender", "templates"), autoescape=select_autoescape(["j2"]))

SLUG_MAX = 60


@dataclass(frozen=True)
class GridSet:
    slug: str
    parameters: dict[str, Any]


@dataclass
class SetResult:
    slug: str
    parameters: dict[str, Any]
    status: str = "ok"
    seconds: float = 0.0
    files: list[str] = field(default_factory=list)
    error: str = ""
    published: dict[str, Any] = field(default_factory=dict)


def read_grid(path: Path) -> list[dict[str, Any]]:
    """The parameter sets a grid file describes (see the module docstring)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ParameterError(f"--grid {path}: cannot read it ({' '.join(str(error).split())}).") from None
    loaded = parse_yaml(text, f"--grid {path}", ParameterError)
    shared: dict[str, Any] = {}
    if isinstance(loaded, Mapping) and ({"sets", "product", "shared"} & set(loaded)):
        shared = dict(loaded.get("shared") or {})
        loaded = loaded.get("sets", loaded.get("product"))
    if isinstance(loaded, list):
        if not loaded or not all(isinstance(item, Mapping) for item in loaded):
            raise ParameterError(f"--grid {path}: a list grid holds one 'name: value' mapping per set.")
        sets = [dict(item) for item in loaded]
    elif isinstance(loaded, Mapping):
        not_lists = [k for k, v in loaded.items() if not isinstance(v, list) or not v]
        if not_lists:
            raise ParameterError(f"--grid {path}: in a product grid every value is a non-empty list of choices "
                                 f"({', '.join(map(str, not_lists))} is not); put fixed values under 'shared:'.")
        names = list(loaded)
        sets = [dict(zip(names, values, strict=True)) for values in itertools.product(*loaded.values())]
    else:
        raise ParameterError(f"--grid {path}: expected a list of parameter sets or a mapping of lists.")
    bad = [k for s in sets for k in s if not isinstance(k, str)]
    if bad:
        raise ParameterError(f"--grid {path}: parameter names must be text, got {bad[0]!r}.")
    return [{**shared, **item} for item in sets]


def slugify(text: str, limit: int | None = SLUG_MAX) -> str:
    """Lower-case ASCII letters, digits and single dashes; nothing a file system or URL minds."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") if limit else slug


def make_sets(parameters: Sequence[Mapping[str, Any]], template: str | None = None) -> list[GridSet]:
    """A unique, stable slug per set: the template (or the varying values) slugified, with a short hash
    of the set's values where that is empty, truncated or shared by two sets."""
    varying = [k for k in dict.fromkeys(k for p in parameters for k in p)
               if len({json.dumps(p.get(k), sort_keys=True, default=str) for p in parameters}) > 1]
    readable = []
    for values in parameters:
        if template:
            try:
                readable.append(template.format(**values))
            except (KeyError, IndexError, ValueError) as error:
                raise ParameterError(f"--name-template {template!r}: {error} is not a parameter of every set.") \
                    from None
        else:
            readable.append("-".join(f"{k}-{_short(values.get(k))}" for k in varying) or "set")
    slugs = [slugify(text) for text in readable]
    result: list[GridSet] = []
    taken: set[str] = set()
    for values, text, slug in zip(parameters, readable, slugs, strict=True):
        digest = hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:8]
        truncated = len(slugify(text, limit=None)) > SLUG_MAX
        if not slug or slugs.count(slug) > 1 or truncated:
            slug = f"{slug[: SLUG_MAX - 9]}-{digest}".strip("-")
        unique, number = slug, 2
        while unique in taken:  # the very same values twice: still two files
            unique, number = f"{slug}-{number}", number + 1
        taken.add(unique)
        result.append(GridSet(unique, dict(values)))
    return result


def _short(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


def render_set(notebook: str, grid_set: GridSet, formats: Sequence[str] | None, folder: str, threads: int,
               options: Mapping[str, Any]) -> SetResult:
    """Render one set (runs in a worker process, local or Dask); never raises."""
    from qmdrender.pipeline import render

    for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[variable] = str(threads)  # the kernel inherits them: N kernels do not fight for cores
    started = time.perf_counter()
    result = SetResult(grid_set.slug, grid_set.parameters)
    try:
        with contextlib.redirect_stderr(io.StringIO()):  # one status line per set, not each render's chatter
            written = render(notebook, to=formats, parameters=grid_set.parameters, output_dir=folder,
                             output=grid_set.slug, **options)
        result.files = [Path(p).name for p in written if not str(p).endswith(".published.json")]
        published = Path(folder) / f"{grid_set.slug}.published.json"
        if published.is_file():
            result.published = json.loads(published.read_text(encoding="utf-8"))
    except (RenderError, ParameterError, ValueError, OSError) as error:
        result.status, result.error = "failed", " ".join(str(error).split())[:500]
    result.seconds = round(time.perf_counter() - started, 2)
    return result


def run_grid(notebook: Path, sets: Sequence[GridSet], *, formats: Sequence[str] | None, output_dir: Path,
             jobs: int = 1, scheduler: str | None = None, options: Mapping[str, Any] | None = None) -> list[SetResult]:
    """Render every set and write the index; returns one result per set, in grid order."""
    folder = output_dir / notebook.stem
    folder.mkdir(parents=True, exist_ok=True)
    threads = max(1, (os.cpu_count() or 1) // max(1, jobs))
    arguments = [(str(notebook), s, formats, str(folder), threads, dict(options or {})) for s in sets]
    results: dict[str, SetResult] = {}
    for result in _progress(_execute(arguments, jobs, scheduler), len(sets)):
        results[result.slug] = result
    ordered = [results[s.slug] for s in sets]
    write_index(notebook, ordered, folder)
    return ordered


def _execute(arguments: list[tuple], jobs: int, scheduler: str | None) -> Iterable[SetResult]:
    if scheduler:
        from dask.distributed import Client
        from dask.distributed import as_completed as dask_completed

        try:
            client = Client(scheduler, timeout="20s")
        except OSError as error:
            raise RenderError(f"--scheduler {scheduler}: cannot reach the Dask scheduler ({error}).") from None
        with client:
            futures = [client.submit(render_set, *args, pure=False) for args in arguments]
            for future in dask_completed(futures):
                yield future.result()
        return
    if jobs <= 1:
        for args in arguments:
            yield render_set(*args)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(render_set, *args) for args in arguments]
        for future in as_completed(futures):
            yield future.result()


def _progress(results: Iterable[SetResult], total: int) -> Iterable[SetResult]:
    """A tqdm bar with each set's status; plain lines in CI logs and other non-terminals."""
    from tqdm import tqdm

    quiet = bool(os.environ.get("CI")) or not sys.stderr.isatty()
    with tqdm(total=total, unit="set", disable=quiet, file=sys.stderr) as bar:
        for result in results:
            bar.set_postfix_str(f"{result.slug}: {result.status}")
            bar.update()
            if quiet:
                print(f"      {result.status:6} {result.slug} ({result.seconds:.1f} s)", file=sys.stderr, flush=True)
            yield result


def _columns(results: Sequence[SetResult]) -> tuple[list[str], list[str]]:
    parameters = list(dict.fromkeys(k for r in results for k in r.parameters))
    published = list(dict.fromkeys(k for r in results for k in r.published))
    return parameters, published


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


def _cell(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def _csv(results: Sequence[SetResult], parameters: list[str], published: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["slug", *parameters, "status", "seconds", "files", *published, "error"])
    for r in results:
        writer.writerow([r.slug, *(_cell(r.parameters.get(p, "")) for p in parameters), r.status, r.seconds,
                         " ".join(r.files), *(r.published.get(k, "") for k in published), r.error])
    return buffer.getvalue()


def _markdown(notebook: Path, results: Sequence[SetResult], parameters: list[str], published: list[str]) -> str:
    header = ["set", *parameters, "status", "seconds", *published, "files"]
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
        title=notebook.stem, headings=["set", *parameters, "status", "seconds", *published, "files"], rows=rows,
        failed=sum(r.status != "ok" for r in results))
