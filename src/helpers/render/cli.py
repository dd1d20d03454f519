"""``python -m helpers.render``: the command line, shaped like ``quarto render``."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from helpers.render.document import QmdError
from helpers.render.parameters import ParameterError, parse_cli_parameters, read_parameter_file
from helpers.render.pipeline import ENGINES, FORMATS, render
from helpers.render.types import RenderError

USAGE = """Render .qmd documents to HTML, PDF and executed .ipynb, like `quarto render`.

Without --to, each document renders to the formats its front matter (or _quarto.yml) names."""


def parse_formats(value: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(FORMATS if value == "all" else (v.strip() for v in value.split(","))))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown format(s) {', '.join(unknown)}; use {', '.join(FORMATS)} or all")
    return formats


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.render", description=USAGE,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+", type=Path, metavar="NOTEBOOK")
    parser.add_argument("--to", type=parse_formats, default=None,
                        help=f"{', '.join(FORMATS)}, a comma list, or all (default: the document's formats)")
    parser.add_argument("-P", "--execute-param", dest="params", action="append", default=[], metavar="KEY:VALUE")
    parser.add_argument("--execute-params", dest="params_file", type=Path, metavar="FILE")
    parser.add_argument("--execute-timeout", type=int, metavar="SECONDS",
                        help="stop a cell that runs longer than this (default: execute: timeout, else none)")
    parser.add_argument("--fail-on-missing-glyphs", action="store_true",
                        help="make characters the PDF fonts lack an error (default: a warning naming them)")
    parser.add_argument("--output-dir", type=Path, default=Path("_output"), metavar="DIR")
    parser.add_argument("--output", metavar="NAME")
    parser.add_argument("--engine", choices=("auto", *ENGINES), default="auto")
    args = parser.parse_args(argv)
    if args.output and len(args.notebooks) > 1:
        parser.error("--output names one report; render one notebook at a time with it")
    stems = [n.stem for n in args.notebooks]
    clashes = sorted({str(n) for n in args.notebooks if stems.count(n.stem) > 1})
    if clashes:
        print(f"error: {', '.join(clashes)} would write the same files in {args.output_dir}; render them one at a "
              "time with --output NAME or --output-dir DIR.", file=sys.stderr)
        return 1
    in_main_thread = threading.current_thread() is threading.main_thread()
    # Killed with SIGTERM, clean up as for Ctrl-C: stop the kernel, pandoc and xelatex, remove temp files.
    previous = signal.signal(signal.SIGTERM, _terminated) if in_main_thread else None
    try:
        parameters = read_parameter_file(args.params_file) if args.params_file else {}
        parameters.update(parse_cli_parameters(args.params))
        for index, notebook in enumerate(args.notebooks, start=1):
            started = time.perf_counter()
            print(f"[{index}/{len(args.notebooks)}] {notebook} ...", file=sys.stderr, flush=True)
            written = render(notebook, to=args.to, parameters=parameters, output_dir=args.output_dir,
                             output=args.output, engine=args.engine, execute_timeout=args.execute_timeout,
                             fail_on_missing_glyphs=args.fail_on_missing_glyphs)
            print(f"      wrote {', '.join(map(str, written))} ({time.perf_counter() - started:.1f} s)",
                  file=sys.stderr, flush=True)
    except (RenderError, ParameterError, QmdError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Terminated) as stop:
        print("error: interrupted; the previous outputs are unchanged.", file=sys.stderr)
        return 143 if isinstance(stop, Terminated) else 130
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)
    return 0


class Terminated(BaseException):
    """SIGTERM, raised like Ctrl-C so that every ``with`` and ``finally`` on the way out runs."""


def _terminated(signum: int, frame: object) -> None:
    raise Terminated()
