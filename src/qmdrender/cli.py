"""``python -m qmdrender`` (also ``python -m helpers.render``): the command line, shaped like ``quarto render``."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from qmdrender import environment, kernel_start
from qmdrender.formats import FORMATS, base_format
from qmdrender.parallel import default_jobs, render_in_parallel
from qmdrender.parameters import ParameterError, parse_cli_parameters, read_parameter_file
from qmdrender.pipeline import ENGINES, chosen_engine, render
from qmdrender.qmd import QmdError
from qmdrender.types import RenderError, describe_error

if TYPE_CHECKING:
    from qmdrender.projects import Project

SitePages = tuple["Project", list[Path]]  # a website's or book's project, and some of its pages

USAGE = """Render .qmd documents to HTML, PDF and executed .ipynb, like `quarto render`.

Without --to, each document renders to the formats its front matter (or _quarto.yml) names."""


def parse_formats(value: str) -> tuple[str, ...]:
    if value.strip() == "all":  # as in Quarto: every format the document (or project) declares
        return ("all",)
    formats = tuple(dict.fromkeys(v.strip() for v in value.split(",")))
    unknown = [f for f in formats if base_format(f) not in FORMATS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown format(s) {', '.join(unknown)}; use {', '.join(FORMATS)}, a custom "
                                         "format an extension contributes (clean-revealjs), or all")
    # a custom format renders with its base format's writer; the document's options name its extension
    return tuple(dict.fromkeys(base_format(f) for f in formats))


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    finally:  # a project's _environment variables are the render's, not this process's after it
        environment.back_out()


def _main(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["preview"]:
        return preview_main(argv[1:])
    if argv[:1] == ["render"] and not Path("render").exists():  # `quarto render doc.qmd`, as people type it
        argv = argv[1:]
    parser = argparse.ArgumentParser(prog="python -m qmdrender", description=USAGE,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path, metavar="NOTEBOOK",
                        help="documents (.qmd, .ipynb, .md, a percent-format .py script), or a project folder; "
                             "none: the project here")
    parser.add_argument("--to", type=parse_formats, default=None,
                        help=f"{', '.join(FORMATS)}, a comma list, or all (what the document declares; the default)")
    parser.add_argument("-P", "--execute-param", dest="params", action="append", default=[], metavar="KEY:VALUE")
    parser.add_argument("--execute-params", dest="params_file", type=Path, metavar="FILE")
    parser.add_argument("--execute-timeout", type=int, metavar="SECONDS",
                        help="stop a cell that runs longer than this (default: execute: timeout, else none)")
    parser.add_argument("--fail-on-missing-glyphs", action="store_true",
                        help="make characters the PDF fonts lack an error (default: a warning naming them)")
    parser.add_argument("--no-freeze", action="store_true",
                        help="execute even where execute: freeze would reuse a stored execution")
    parser.add_argument("--grid", type=Path, metavar="FILE.yml",
                        help="render the notebook once per parameter set in FILE (a list, or a mapping of lists)")
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="documents (or --grid sets) rendered at once, each in its own process "
                             "(default: the number of cores, fewer if memory is short)")
    parser.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="with --grid: run the sets on a Dask cluster")
    parser.add_argument("--name-template", metavar="TEMPLATE",
                        help="with --grid: file names from the parameters, e.g. '{prompt}-{max_new_tokens}'")
    parser.add_argument("--output-dir", type=Path, default=None, metavar="DIR",
                        help="where the outputs go (default: _output; a project's output-dir)")
    parser.add_argument("--profile", metavar="NAME[,NAME]",
                        help="the project profiles to use (_quarto-NAME.yml; default: QUARTO_PROFILE)")
    parser.add_argument("--execute", action="store_true",
                        help="run a Jupyter notebook's cells instead of showing its stored outputs")
    parser.add_argument("--output", metavar="NAME")
    parser.add_argument("--engine", choices=("auto", *ENGINES), default="auto")
    args = parser.parse_args(argv)
    if args.profile is not None:  # as Quarto: the profile is an environment variable the children inherit
        os.environ["QUARTO_PROFILE"] = args.profile
    if not args.notebooks or (len(args.notebooks) == 1 and args.notebooks[0].is_dir()):
        return _project(parser, args, _folder_pages(args.notebooks[0]) if args.notebooks else None)
    if args.grid and args.output_dir is None:
        args.output_dir = Path("_output")
    if args.output and len(args.notebooks) > 1:
        parser.error("--output names one report; render one notebook at a time with it")
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be at least 1")
    jobs = args.jobs or default_jobs()
    if args.grid:
        return _grid(parser, args, jobs)
    pages = _site_pages(args.notebooks, args.to) if args.output_dir is None and not args.output else None
    if pages is not None:
        return _project(parser, args, pages)
    folders = {n: _output_dir(args, n) for n in args.notebooks}
    places = [(n.stem, folders[n]) for n in args.notebooks]
    clashes = sorted({str(n) for n in args.notebooks if places.count((n.stem, folders[n])) > 1})
    if clashes:
        print(f"error: {', '.join(clashes)} would write the same files in {folders[Path(clashes[0])]}; render them "
              "one at a time with --output NAME or --output-dir DIR.", file=sys.stderr)
        return 1

    def render_documents() -> int:
        if len(args.notebooks) == 1 and chosen_engine(args.engine) == "embedded":
            kernel_start.launch_for(args.notebooks[0])  # it starts while the document is read
        parameters = read_parameter_file(args.params_file) if args.params_file else {}
        parameters.update(parse_cli_parameters(args.params))
        if len(args.notebooks) > 1 and jobs > 1:
            missing = [str(n) for n in args.notebooks if not n.is_file()]
            if missing:
                raise RenderError(f"{', '.join(missing)}: no such document.")
            print(f"{len(args.notebooks)} documents, {min(jobs, len(args.notebooks))} at a time ...",
                  file=sys.stderr, flush=True)
            return render_in_parallel(args.notebooks, _child_arguments(args), min(jobs, len(args.notebooks)))
        for index, notebook in enumerate(args.notebooks, start=1):
            started = time.perf_counter()
            print(f"[{index}/{len(args.notebooks)}] {notebook} ...", file=sys.stderr, flush=True)
            written = render(notebook, to=args.to, parameters=parameters, output_dir=folders[notebook],
                             output=args.output, engine=args.engine, execute_timeout=args.execute_timeout,
                             fail_on_missing_glyphs=args.fail_on_missing_glyphs, no_freeze=args.no_freeze,
                             execute_notebook=args.execute)
            print(f"      wrote {', '.join(map(str, written))} ({time.perf_counter() - started:.1f} s)",
                  file=sys.stderr, flush=True)
        return 0

    try:
        return _guarded(render_documents, "the previous outputs are unchanged.")
    finally:
        kernel_start.discard()


def _guarded(work: Callable[[], int], interrupted: str) -> int:
    """``work()``, its errors as one line and exit 1. Killed with SIGTERM, it cleans up as for Ctrl-C (every
    ``finally`` runs: the kernel, pandoc and xelatex stop, temporary files go) and says ``interrupted``."""
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if in_main_thread else None
    try:
        return work()
    except (RenderError, ParameterError, QmdError, OSError) as error:
        print(f"error: {describe_error(error)}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Terminated) as stop:
        print(f"error: interrupted; {interrupted}", file=sys.stderr)
        return 143 if isinstance(stop, Terminated) else 130
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


def preview_main(argv: Sequence[str]) -> int:
    """``python -m qmdrender preview DOC-or-PROJECT``: see :mod:`qmdrender.preview`."""
    from qmdrender.preview import preview

    parser = argparse.ArgumentParser(prog="python -m qmdrender preview",
                                     description="Serve a document (or a project folder) on 127.0.0.1, re-render "
                                                 "it on every save and reload the page in the browser.")
    parser.add_argument("target", type=Path, metavar="DOC-or-PROJECT")
    parser.add_argument("--port", type=int, default=4848, help="the port to serve on (0: a free one; default 4848)")
    parser.add_argument("--output-dir", type=Path, default=Path("_output"), metavar="DIR")
    parser.add_argument("--browser", action="store_true", help="open the page in the default browser")
    args = parser.parse_args(argv)
    try:
        return preview(args.target, port=args.port, output_dir=args.output_dir, open_browser=args.browser)
    except (RenderError, QmdError, OSError) as error:
        print(f"error: {describe_error(error)}", file=sys.stderr)
        return 1


def _output_dir(args: argparse.Namespace, notebook: Path) -> Path:
    """``--output-dir``, else where ``quarto render`` puts the document: its plain project's ``output-dir`` at
    its place there (:func:`qmdrender.projects.document_output_dir`), else ``_output``."""
    if args.output_dir is not None:
        return args.output_dir
    from qmdrender.projects import document_output_dir

    try:
        configured = document_output_dir(notebook) if notebook.is_file() else None
    except (QmdError, RenderError, OSError):  # a _quarto.yml that cannot be read: the render says why
        configured = None
    return configured or Path("_output")


def _child_arguments(args: argparse.Namespace) -> list[str]:
    """The options of this command line, for a child that renders one of its documents (without
    ``--output-dir``, each child finds its own folder as :func:`_output_dir` does)."""
    arguments = ["--output-dir", str(args.output_dir)] if args.output_dir is not None else []
    arguments += ["--engine", args.engine]
    if args.to:
        arguments += ["--to", ",".join(args.to)]
    for parameter in args.params:
        arguments += ["-P", parameter]
    if args.params_file:
        arguments += ["--execute-params", str(args.params_file)]
    if args.execute_timeout is not None:
        arguments += ["--execute-timeout", str(args.execute_timeout)]
    return arguments + _flags(args)


def _flags(args: argparse.Namespace) -> list[str]:
    return [flag for flag, on in (("--fail-on-missing-glyphs", args.fail_on_missing_glyphs),
                                  ("--no-freeze", args.no_freeze), ("--execute", args.execute)) if on]


def _site_pages(documents: Sequence[Path], to: Sequence[str] | None) -> SitePages | None:
    """The website or book whose pages ``documents`` all are, rendered in its context (``None`` otherwise).
    A book's pages are HTML only (its PDF is the whole book): a chapter ``to`` other formats renders alone."""
    from qmdrender.projects import site_page_project

    projects = [site_page_project(document) if document.is_file() else None for document in documents]
    if not projects or any(p is None for p in projects) or len({p.root for p in projects}) != 1:
        return None
    if projects[0].kind == "book" and to not in (None, ("all",)) and "html" not in to:
        return None
    return projects[0], [document.resolve() for document in documents]


def _folder_pages(folder: Path) -> SitePages | None:
    """A folder inside a project: its documents, rendered in the project's context (``quarto render FOLDER``)."""
    from qmdrender.projects import folder_documents, load_project

    found = folder_documents(folder)
    return None if found is None else (load_project(found[0]), found[1])


def _project(parser: argparse.ArgumentParser, args: argparse.Namespace, pages: SitePages | None = None) -> int:
    """No document, or a folder: render the whole project there (:mod:`qmdrender.project_render`); ``pages``
    (a website's or book's project and some of its pages): those pages alone, in the project's context."""
    from qmdrender.project_render import render_project
    from qmdrender.projects import load_project, with_inputs

    if args.grid or args.output:
        parser.error("--grid and --output render one document; name it")
    folder = pages[0].root if pages else args.notebooks[0] if args.notebooks else Path.cwd()
    child = ["--engine", args.engine, *(a for p in args.params for a in ("-P", p)), *_flags(args)]
    if args.params_file:
        child += ["--execute-params", str(args.params_file.resolve())]
    if args.execute_timeout is not None:
        child += ["--execute-timeout", str(args.execute_timeout)]

    def render_whole() -> int:
        project = load_project(folder, args.output_dir.resolve() if args.output_dir else None)
        if pages:  # documents the project's render: list leaves out still render when named
            project = with_inputs(project, pages[1])
        return render_project(project, child, to=None if args.to in (None, ("all",)) else args.to,
                              jobs=args.jobs or default_jobs(),
                              check_current=not (args.params or args.params_file or args.no_freeze)
                              and chosen_engine(args.engine) == "embedded", only=pages[1] if pages else None)

    return _guarded(render_whole, "the pages already published are unchanged.")


def _grid(parser: argparse.ArgumentParser, args: argparse.Namespace, jobs: int) -> int:
    """``--grid``: one notebook, many parameter sets, an index page (see :mod:`qmdrender.grid`)."""
    from qmdrender.grid import Stopped, make_sets, read_grid, run_grid

    if len(args.notebooks) != 1 or args.output:
        parser.error("--grid renders one notebook; the file names come from the parameters (--name-template)")
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if in_main_thread else None
    try:
        shared = read_parameter_file(args.params_file) if args.params_file else {}
        shared.update(parse_cli_parameters(args.params))
        sets = make_sets([{**shared, **values} for values in read_grid(args.grid)], args.name_template)
        print(f"{args.notebooks[0]}: {len(sets)} parameter sets, {jobs} at a time ...", file=sys.stderr,
              flush=True)
        results = run_grid(args.notebooks[0], sets, formats=args.to, output_dir=args.output_dir, jobs=jobs,
                           scheduler=args.scheduler, options={"engine": args.engine,
                                                              "execute_timeout": args.execute_timeout,
                                                              "no_freeze": args.no_freeze})
    except (RenderError, ParameterError, QmdError, OSError) as error:
        print(f"error: {describe_error(error)}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Terminated, Stopped) as stop:
        print("error: interrupted; the sets already rendered are in the index, the others were stopped.",
              file=sys.stderr)
        return 130 if isinstance(stop, KeyboardInterrupt) else 143
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)
    failed = [r for r in results if r.status != "ok"]
    index = args.output_dir / args.notebooks[0].stem / "index.html"
    if failed:
        print(f"error: {len(failed)} of {len(results)} sets failed: {', '.join(r.slug for r in failed)} "
              f"(see {index})", file=sys.stderr)
        return 1
    print(f"      all {len(results)} sets rendered; index: {index}", file=sys.stderr)
    return 0


class Terminated(BaseException):
    """SIGTERM, raised like Ctrl-C so that every ``with`` and ``finally`` on the way out runs."""


def _terminated(signum: int, frame: object) -> None:
    raise Terminated()
