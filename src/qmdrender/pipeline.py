"""One render, start to finish: read → options → execute (once) → each format → publish together.

Data flows one way through the stages; this module is the only one that knows them all.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import nbformat

from qmdrender.embeds import embedded_documents
from qmdrender.execute import execute, prepare, shown_languages
from qmdrender.formats import (
    FORMATS,
    MARKDOWN_FIGURE_FOLDER,
    base_format,
    builtin,  # noqa: F401 - registers the formats that come with the renderer
    output_name,
)
from qmdrender.formats.writing import Job
from qmdrender.freeze import FreezeStore, freeze_mode, parameters_digest, thaw
from qmdrender.ipynb_input import has_code, has_outputs, runs_code
from qmdrender.kernel_setup import setup_code
from qmdrender.keys import digest, execution_key, render_stamp
from qmdrender.options import read_resolved
from qmdrender.parameters import ParameterError, resolve_parameters
from qmdrender.publish import check_output_dir, publish
from qmdrender.published import published_values
from qmdrender.qmd import LIVE_LANGUAGES
from qmdrender.quarto_engine import render_with_quarto
from qmdrender.quarto_freeze import store_digest, thawed
from qmdrender.types import RenderError, RenderRequest, new_render, warn
from qmdrender.unsupported import report_unsupported


def render(
    notebook: str | Path,
    *,
    to: Sequence[str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    output_dir: str | Path = "_output",
    output: str | None = None,
    engine: str = "auto",
    execute_timeout: int | None = None,
    fail_on_missing_glyphs: bool = False,
    no_freeze: bool = False,
    execute_notebook: bool = False,
) -> list[Path]:
    """Render one document; returns the files written (``DIR/NAME.html``, ``DIR/NAME.pdf``, ...).

    ``to=None`` (or ``["all"]``, as Quarto's ``--to all``) renders the formats the document's ``format:``
    names (HTML when it names none).
    """
    formats = tuple(to) if to else None
    unknown = [f for f in formats or () if f not in FORMATS and f != "all"]
    if unknown:
        raise RenderError(f"Unknown output format(s) {unknown}; use {', '.join(FORMATS)} or all.")
    engine = chosen_engine(engine)
    if engine not in ENGINES:
        raise RenderError(f"Unknown engine {engine!r}; use auto, {', '.join(ENGINES)}.")
    path = Path(notebook).expanduser()
    if not path.is_file():
        raise RenderError(f"{path}: no such document.")
    if output and ("/" in output or "\\" in output or output in (".", "..")):
        raise RenderError(f"--output {output!r} is a file name; put the folder in --output-dir.")
    request = RenderRequest(path, output_name(output or path.stem), formats, dict(parameters or {}),
                            Path(output_dir).expanduser(), execute_timeout, fail_on_missing_glyphs, no_freeze,
                            execute_notebook, named=bool(output))
    return ENGINES[engine](request)


def chosen_engine(engine: str) -> str:
    """``auto`` is Quarto where it is installed, the embedded renderer otherwise."""
    if engine == "auto":
        return "quarto" if shutil.which("quarto") else "embedded"
    return engine


def render_embedded(request: RenderRequest) -> list[Path]:
    """Read, check, execute once (or reuse a frozen execution), write every format, publish together."""
    new_render()
    document, options = read_resolved(request.notebook)
    formats = _formats(request, options, document.path, report=True)
    values = _checked_parameters(document, request)
    _check_formats(formats, request, options)
    check_output_dir(request.output_dir)
    report_unsupported(document, {**options.metadata, "format": {**options.formats, **{
        f"{name} (from its extension)": contributed for name, contributed in options.contributed.items()}}})
    notebook = prepare(document, values)
    stored = shows_stored_outputs(document, notebook, options, formats, request.execute)
    plan = _freeze_plan(document, options, formats, values, notebook, request, stored)
    if plan is None:  # no freeze: nothing to key, look up or store
        executed = notebook if stored else \
            _executed_without_freeze(document, notebook, options, formats, request.execute_timeout, request.no_freeze)
        return _write(executed, document, options, formats, request)
    store, key, stamp, targets = plan
    if not request.no_freeze and store.outputs_current(request.name, stamp, targets):
        print(f"      up to date: {', '.join(map(str, targets))} (execute: freeze; nothing changed)",
              file=sys.stderr, flush=True)
        return targets
    if stored:  # a notebook shown with its stored outputs: nothing to execute or store, only the pages
        written = _write(notebook, document, options, formats, request)
        store.record_outputs(request.name, stamp, [*targets, *written])
        return written
    parameters = parameters_digest(values)
    written = None
    if not request.no_freeze and not request.parameters:  # what Quarto stored for this source comes first
        executed = _quarto_frozen(document, notebook, options, formats)
        try:
            written = None if executed is None else _write(executed, document, options, formats, request)
        except (ValueError, TypeError, KeyError, AttributeError) as error:  # an output that is not one
            warn(f"{document.path}: the project's _freeze holds an output that cannot be shown "
                 f"({type(error).__name__}: {error}); executing it.")
    if written is None and not request.no_freeze:
        written = _from_store(store, parameters, key, notebook, document, options, formats, request)
    if written is None:
        executed = execute(document, notebook, options, formats, request.execute_timeout)
        store.save(parameters, key, executed)
        written = _write(executed, document, options, formats, request)
    store.record_outputs(request.name, stamp, [*targets, *written])
    return written


def _freeze_plan(document: Any, options: Any, formats: Sequence[str], values: Mapping[str, Any], notebook: Any,
                 request: RenderRequest, stored: bool = False) -> tuple[FreezeStore, str, str, list[Path]] | None:
    """The freeze store, execution key, render stamp and targets of a render; ``None`` without freeze.
    A notebook shown with its ``stored`` outputs is keyed by those outputs (nothing is executed)."""
    mode = freeze_mode(options.for_format(formats[0])["execute"].get("freeze"), document.path)
    store = FreezeStore.for_document(document, options.project) if mode else None
    if store is None:
        return None
    folder = document.path.resolve().parent
    setup = setup_code(options, formats, notebook)
    # shown as stored: what the page shows of each cell is its code, its options and its outputs
    key = digest([[c.source, c.metadata.get("quarto", {}), c.get("outputs", [])] for c in notebook.cells
                  if c.cell_type == "code"]) if stored else \
        execution_key(notebook, values, str(options.metadata.get("jupyter")), setup, folder)
    targets = [request.output_dir / file for file in output_files(request, options, formats).values()]
    stamp = render_stamp(key, notebook, options, formats, folder)
    quarto = store_digest(document.path, options.project)  # a project's Quarto _freeze may supply the outputs
    return store, key, digest([stamp, quarto]) if quarto else stamp, targets


def current_outputs(request: RenderRequest) -> list[Path] | None:
    """The outputs of ``request`` when a render would find them up to date (freeze on, nothing that
    determines them changed), else ``None``; reads and keys the document, runs and writes nothing."""
    document, options = read_resolved(request.notebook)
    formats = _formats(request, options, document.path)
    values = _checked_parameters(document, request)
    notebook = prepare(document, values)
    if request.no_freeze:
        return None
    stored = _shows_stored(document, options, formats, request.execute)
    plan = _freeze_plan(document, options, formats, values, notebook, request, stored)
    if plan is None:
        return None
    store, _, stamp, targets = plan
    return targets if store.outputs_current(request.name, stamp, targets) else None


def _shows_stored(document: Any, options: Any, formats: Sequence[str], execute: bool) -> bool:
    if document.kind == "md":
        return True
    return document.kind == "ipynb" and not runs_code(options.for_format(formats[0])["execute"], execute)


def shows_stored_outputs(document: Any, notebook: Any, options: Any, formats: Sequence[str], execute: bool) -> bool:
    """Whether a Jupyter notebook is shown with its stored outputs (Quarto's default) instead of run."""
    if not _shows_stored(document, options, formats, execute):
        return False
    if document.kind == "ipynb" and has_code(notebook) and not has_outputs(notebook):  # as Quarto: code shown, not run
        warn(f"{document.path}: this notebook has no stored outputs and was not executed (execute it with "
             "--execute, or set 'execute: enabled: true').")
    return True


def executed_notebook(document: Any, options: Any, formats: Sequence[str], *, execute_timeout: int | None = None,
                      no_freeze: bool = False, execute_notebook: bool = False) -> Any:
    """The document (with its default parameters) executed for ``formats``, as its own render would have
    it: a notebook's stored outputs, a frozen execution whose key matches, or a new run (then stored)."""
    values = resolve_parameters({}, document.parameter_defaults(), str(document.path))
    notebook = prepare(document, values)
    if shows_stored_outputs(document, notebook, options, formats, execute_notebook):
        return notebook
    plan = _freeze_plan(document, options, formats, values, notebook, RenderRequest(document.path, document.path.stem))
    if plan is None:
        return _executed_without_freeze(document, notebook, options, formats, execute_timeout, no_freeze)
    store, key, _, _ = plan
    parameters = parameters_digest(values)
    executed = None if no_freeze else _quarto_frozen(document, notebook, options, formats)
    frozen = None if no_freeze or executed is not None else store.load(parameters, key)
    if frozen is not None:
        executed = thaw(notebook, frozen)
    if executed is None:
        executed = execute(document, notebook, options, formats, execute_timeout)
        store.save(parameters, key, executed)
    return executed


def _executed_without_freeze(document: Any, notebook: Any, options: Any, formats: Sequence[str],
                             execute_timeout: int | None, no_freeze: bool) -> Any:
    """A document with freeze off, run; but where its cells are in a language that cannot run here (R,
    Julia) and the project's Quarto ``_freeze`` holds this unchanged source's outputs, those are shown (a
    course that turned freeze off after committing its ``_freeze``): a reader sees the results, not bare code."""
    languages = shown_languages(notebook)
    if not no_freeze and languages - set(LIVE_LANGUAGES):
        stored = _quarto_frozen(document, notebook, options, formats)
        if stored is not None:
            warn(f"{document.path}: freeze is off, but its {', '.join(sorted(languages))} cells "
                 "cannot run here; showing the outputs the project's _freeze holds for this unchanged source.")
            return stored
    return execute(document, notebook, options, formats, execute_timeout)


def _quarto_frozen(document: Any, notebook: Any, options: Any, formats: Sequence[str]) -> Any:
    """The notebook with its outputs from the project's Quarto ``_freeze`` (:mod:`qmdrender.quarto_freeze`),
    or ``None``."""
    return thawed(document.path, notebook, options.project, [FORMATS[name].target for name in formats],
                  options.for_format(formats[0]), runnable=not shown_languages(notebook) - set(LIVE_LANGUAGES))


def _from_store(store: FreezeStore, parameters: str, key: str, notebook: Any, document: Any, options: Any,
                formats: Sequence[str], request: RenderRequest) -> list[Path] | None:
    """The files written from a stored execution, or ``None`` when there is none that can be used."""
    frozen = store.load(parameters, key)
    executed = thaw(notebook, frozen) if frozen is not None else None
    if executed is None:
        return None
    try:
        return _write(executed, document, options, formats, request)
    except (ValueError, TypeError, KeyError, AttributeError) as error:  # a stored output that is not one
        store.discard(parameters, key, f"holds an output that cannot be shown ({type(error).__name__})")
        return None


def _formats(request: RenderRequest, options: Any, document: Path, report: bool = False) -> tuple[str, ...]:
    """``--to`` formats; ``all`` (as in Quarto) and none mean the formats the document or project declares.
    Of declared formats that would write the same file (a project's ``html`` and ``revealjs`` for a page that
    names neither), the first is written, as Quarto's output shows; ``report`` warns about the others."""
    if request.formats and request.formats != ("all",):
        return request.formats
    declared = chosen_formats(options.declared_formats, document)
    if len(declared) < 2:
        return declared
    files = output_files(request, options, declared)
    kept = tuple(name for index, name in enumerate(declared) if files[name] not in
                 {files[earlier] for earlier in declared[:index]})
    if report and kept != tuple(declared):
        left = [name for name in declared if name not in kept]
        warn(f"{document}: formats {', '.join(left)} would write {files[left[0]]} over the "
             f"{next(name for name in kept if files[name] == files[left[0]])} output; writing the first only "
             f"(give the document its own format, or render the other with --to {left[0]} --output NAME).")
    return kept


def _checked_parameters(document: Any, request: RenderRequest) -> dict[str, Any]:
    if request.parameters and document.parameters_cell_index is None:
        raise ParameterError(f"{document.path} has no cell tagged 'parameters', so -P/--execute-params cannot set "
                             f"{', '.join(map(repr, request.parameters))}. Add '#| tags: [parameters]' to the cell "
                             "that sets the defaults.")
    return resolve_parameters(request.parameters, document.parameter_defaults(), str(request.notebook))


def _check_formats(formats: Sequence[str], request: RenderRequest, options: Any) -> None:
    for name in formats:
        FORMATS[name].check_tools()
    files = output_files(request, options, formats)
    clashing = sorted({name for name in formats if list(files.values()).count(files[name]) > 1})
    if clashing:
        raise RenderError(f"formats {', '.join(clashing)} would all write {files[clashing[0]]}; render them one "
                          "at a time with --output NAME.")


def output_files(request: RenderRequest, options: Any, formats: Sequence[str]) -> dict[str, str]:
    """Each format's output file: ``--output`` NAME, else the format's (or the document's) ``output-file``
    as Quarto takes it (the extension added when it is not there), else the document's name; with the
    format's ``output-ext`` (``revealjs.html``: a deck beside the page) as its extension."""
    files = {}
    for name in formats:
        extension = FORMATS[name].extension
        chosen_extension = options.for_format(name).get("output-ext")
        if isinstance(chosen_extension, str) and chosen_extension.strip(". ") and "/" not in chosen_extension:
            extension = chosen_extension.strip().lstrip(".")
        elif chosen_extension is not None:
            warn(f"{request.notebook}: output-ext must be a file extension (revealjs.html), not "
                 f"{chosen_extension!r}; writing .{extension}.")
        stem = request.name
        chosen = None if request.named else options.for_format(name).get("output-file")
        if isinstance(chosen, str) and chosen.strip() and "/" not in chosen:
            stem = output_name(chosen.strip().removesuffix(f".{extension}"))
        elif chosen is not None and not request.named:
            warn(f"{request.notebook}: output-file must be a file name (no folder), not {chosen!r}; "
                 f"writing {stem}.{extension}.")
        files[name] = f"{stem}.{extension}"
    return files


def output_names(request: RenderRequest) -> list[str]:
    """The files a render of ``request`` writes for its formats (``slides.html`` for a deck whose
    ``output-file`` says so); reads the document's options, runs nothing."""
    _, options = read_resolved(request.notebook)
    formats = _formats(request, options, request.notebook)
    return list(output_files(request, options, formats).values())


def _write(executed: Any, document: Any, options: Any, formats: Sequence[str], request: RenderRequest) -> list[Path]:
    """Every format (and the published values) built in a private folder, then published together."""
    embedded = _embedded_documents(document, formats, request)
    with tempfile.TemporaryDirectory(prefix="render-") as work:
        files = output_files(request, options, formats)
        job = Job(executed, document, options, Path(work), request.fail_on_missing_glyphs, embedded=embedded,
                  outputs=files)
        built = []
        for name in formats:
            target = Path(work) / files[name]
            FORMATS[name].write(job, target)
            built.append(target)
        stem = Path(files[formats[0]]).stem
        if options.for_format(formats[0]).get("keep-ipynb") and "ipynb" not in formats:
            job.keep(f"{stem}.ipynb", nbformat.writes(executed))
        kept = {path.relative_to(Path(work) / "kept").as_posix(): path for path in job.kept}
        built += [(path, name) for name, path in kept.items() if name not in {b.name for b in built}]
        values = published_values(executed)
        sidecar = f"{stem}.published.json"
        if values:
            (Path(work) / sidecar).write_text(json.dumps(values, indent=1, ensure_ascii=False), encoding="utf-8")
            built.append(Path(work) / sidecar)
        # a render that publishes nothing removes what an earlier one published (never shown as current), and
        # a Markdown output's plots of an earlier render that this one no longer has go with it
        stale = [] if values else [sidecar]
        stale += stale_figures(request.output_dir, {Path(files[name]).stem for name in formats}, kept)
        return publish(built, request.output_dir, remove=stale)


def stale_figures(output_dir: Path, stems: set[str], kept: Mapping[str, Path]) -> list[str]:
    """The plots in ``STEM_files/figure-commonmark/`` (Quarto's folder for a Markdown output's plots) that an
    earlier render published and this one does not."""
    found = []
    for stem in sorted(stems):
        folder = output_dir / f"{stem}_files" / MARKDOWN_FIGURE_FOLDER
        if folder.is_dir():
            found += [name for path in sorted(folder.iterdir())
                      if path.is_file() and (name := path.relative_to(output_dir).as_posix()) not in kept]
    return found


def _embedded_documents(document: Any, formats: Sequence[str], request: RenderRequest) -> dict[Path, Any]:
    """The .qmd documents whose cells this one embeds ({{< embed other.qmd#id >}}), each executed as its own
    render would have it (its freeze, a project's Quarto _freeze, or a run), by path."""
    prose = "\n".join(c.source for c in document.notebook.cells if c.cell_type == "markdown")
    itself = document.path.resolve()
    found = {}
    for path in embedded_documents(prose, itself.parent):
        if path != itself:
            other, options = read_resolved(path)
            found[path] = executed_notebook(other, options, formats, execute_timeout=request.execute_timeout,
                                            no_freeze=request.no_freeze)
    return found


def chosen_formats(declared: Sequence[str], document: Path) -> tuple[str, ...]:
    """The document's formats that this renderer writes; the others are named in a warning."""
    supported = tuple(dict.fromkeys(base_format(f) for f in declared if base_format(f) in FORMATS))
    skipped = [f for f in declared if base_format(f) not in FORMATS]
    if skipped:
        warn(f"{document}: format(s) {', '.join(skipped)} are not supported by the embedded renderer; "
             f"{'rendering ' + ', '.join(supported) if supported else 'rendering html instead'}.")
    for base in supported:  # pdf-xelatex and pdf-lualatex: Quarto writes each; one file per base format here
        variants = [f for f in declared if base_format(f) == base]
        if len(variants) > 1:
            warn(f"{document}: format(s) {', '.join(variants[1:])} are further variants of {base}; the embedded "
                 f"renderer writes one {base} file per document, with {variants[0]}'s options.")
    return supported or ("html",)


ENGINES: dict[str, Callable[[RenderRequest], list[Path]]] = {
    "embedded": render_embedded,
    "quarto": render_with_quarto,
}
