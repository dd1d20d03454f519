"""Render one notebook over a grid of parameter sets, with an index page of the results.

``python -m helpers.render NOTEBOOK --grid FILE.yml [--jobs N] [--scheduler tcp://host:port]``.
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
import html
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

import yaml

from helpers.render.parameters import ParameterError
from helpers.render.publish import publish
from helpers.render.types import RenderError

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
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ParameterError(f"--grid {path}: cannot read it as YAML ({' '.join(str(error).split())}).") from None
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
    from helpers.render.pipeline import render

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
    lines = [f"# {notebook.stem}: {len(results)} parameter sets", "", "| " + " | ".join(header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    for r in results:
        files = " ".join(f"[{f.rsplit('.', 1)[-1]}]({f})" for f in r.files)
        row = [r.slug, *(_cell(r.parameters.get(p, "")) for p in parameters), r.status, f"{r.seconds:.1f}",
               *(_cell(r.published.get(k, "")) for k in published), files]
        lines.append("| " + " | ".join(v.replace("|", "\\|").replace("\n", " ") for v in row) + " |")
    return "\n".join(lines) + "\n"


_SORT_SCRIPT = """
document.querySelectorAll('table.grid th').forEach(function (th, column) {
  th.addEventListener('click', function () {
    var body = th.closest('table').tBodies[0], rows = Array.prototype.slice.call(body.rows);
    var ascending = th.getAttribute('aria-sort') !== 'ascending';
    th.closest('tr').querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    rows.sort(function (a, b) {
      var x = a.cells[column].dataset.value, y = b.cells[column].dataset.value;
      var nx = parseFloat(x), ny = parseFloat(y);
      var order = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  });
});
"""


def _html(notebook: Path, results: Sequence[SetResult], parameters: list[str], published: list[str]) -> str:
    def td(value: Any, shown: str | None = None) -> str:
        raw = _cell(value)
        if shown is None:  # floats to 4 significant digits on the page; the full value sorts and is in the CSV
            shown = html.escape(f"{value:.4g}" if isinstance(value, float) else raw)
        return f'<td data-value="{html.escape(raw)}">{shown}</td>'

    head = "".join(f'<th scope="col" tabindex="0">{html.escape(h)}</th>'
                   for h in ["set", *parameters, "status", "seconds", *published, "files"])
    rows = []
    for r in results:
        links = " ".join(f'<a href="{html.escape(f)}">{html.escape(f.rsplit(".", 1)[-1])}</a>' for f in r.files)
        status = html.escape(r.status) + (f'<br><small>{html.escape(r.error)}</small>' if r.error else "")
        cells = [td(r.slug), *(td(r.parameters.get(p, "")) for p in parameters), td(r.status, status),
                 td(r.seconds), *(td(r.published.get(k, "")) for k in published), td(" ".join(r.files), links)]
        rows.append(f'<tr class="{html.escape(r.status)}">{"".join(cells)}</tr>')
    failed = sum(r.status != "ok" for r in results)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(notebook.stem)}: parameter grid</title>
<style>
body {{ font-family: system-ui, "Noto Sans", "DejaVu Sans", sans-serif; margin: 2rem auto; max-width: 72rem;
  padding: 0 1rem; color: #1f2328; }}
table.grid {{ border-collapse: collapse; width: 100%; font-size: 0.9rem; font-variant-numeric: tabular-nums; }}
table.grid th, table.grid td {{ padding: 0.35rem 0.6rem; border-bottom: 1px solid #d1d9e0; text-align: left;
  vertical-align: top; }}
table.grid th {{ cursor: pointer; border-bottom: 2px solid #1f2328; white-space: nowrap; }}
table.grid th[aria-sort=ascending]::after {{ content: " ▲"; }}
table.grid th[aria-sort=descending]::after {{ content: " ▼"; }}
tr.failed td {{ background: #fdf0f0; }}
</style></head><body>
<h1>{html.escape(notebook.stem)}</h1>
<p>{len(results)} parameter sets, {len(results) - failed} rendered, {failed} failed. Click a column to sort.</p>
<table class="grid"><thead><tr>{head}</tr></thead><tbody>
{chr(10).join(rows)}
</tbody></table>
<script>{_SORT_SCRIPT}</script>
</body></html>
"""
