"""Render parameterised ``.qmd`` reports to HTML, PDF and executed ``.ipynb``.

``python -m helpers.render NOTEBOOK... [--to html,pdf] [-P key:value]... [--execute-params FILE]
[--output-dir DIR] [--output NAME] [--engine auto|quarto|embedded]`` mirrors ``quarto render``.
``auto`` uses Quarto when ``quarto`` is on PATH, else the embedded renderer, which does what Quarto
does with Jupyter's and pandoc's own libraries: the notebook runs in a real Jupyter kernel
(nbclient), its outputs become pandoc Markdown choosing each output's MIME type for the target
(LaTeX tables in the PDF, HTML tables in the HTML), and pandoc writes a self-contained HTML file and
a xelatex PDF. Every render works in its own temporary folder and replaces its outputs atomically:
a failed render leaves the previous report untouched.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import nbformat
import pypandoc
import yaml
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from helpers.parameters import (
    ParameterError,
    injected_parameters_cell,
    parse_cli_parameters,
    read_parameter_file,
    resolve_parameters,
)
from helpers.quarto_doc import QmdDocument, QmdError, code_without_options, read_qmd

FORMATS = ("html", "pdf", "ipynb")
DEFAULT_FORMATS = ("html", "pdf")
TEX_INSTALL_HINT = (
    "sudo apt-get install texlive-xetex texlive-latex-recommended texlive-latex-extra "
    "texlive-plain-generic texlive-fonts-recommended lmodern fonts-noto-cjk fonts-symbola (or run .ci/run)"
)
_MIME_ORDER = {
    "html": ("text/html", "image/svg+xml", "image/png", "image/jpeg", "text/markdown", "text/plain"),
    "latex": ("text/latex", "image/png", "image/jpeg", "text/markdown", "text/plain"),
}
_FRONT_MATTER_KEYS = ("title", "subtitle", "author", "date", "abstract", "lang")


class RenderError(RuntimeError):
    """A render that could not finish; the message says where and what to do."""


@dataclass(frozen=True)
class RenderRequest:
    notebook: Path
    formats: tuple[str, ...] = DEFAULT_FORMATS
    parameters: Mapping[str, Any] = field(default_factory=dict)
    output_dir: Path = Path("_output")
    output_name: str | None = None

    @property
    def name(self) -> str:
        name = self.output_name or self.notebook.stem
        for extension in FORMATS:
            name = name.removesuffix(f".{extension}")
        return name


def render(
    notebook: str | Path,
    *,
    to: Sequence[str] = DEFAULT_FORMATS,
    parameters: Mapping[str, Any] | None = None,
    output_dir: str | Path = "_output",
    output: str | None = None,
    engine: str = "auto",
) -> list[Path]:
    """Render one notebook; returns the files written (``DIR/NAME.html``, ``DIR/NAME.pdf``, ...)."""
    formats = tuple(to)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise RenderError(f"Unknown output format(s) {unknown}; use {', '.join(FORMATS)} or all.")
    if engine == "auto":
        engine = "quarto" if shutil.which("quarto") else "embedded"
    if engine not in ENGINES:
        raise RenderError(f"Unknown engine {engine!r}; use auto, {', '.join(ENGINES)}.")
    path = Path(notebook)
    if not path.is_file():
        raise RenderError(f"{path}: no such notebook.")
    request = RenderRequest(path, formats, dict(parameters or {}), Path(output_dir), output)
    return ENGINES[engine](request)


def render_embedded(request: RenderRequest) -> list[Path]:
    """Execute in a Jupyter kernel, convert with pandoc, publish atomically."""
    document = read_qmd(request.notebook)
    values = resolve_parameters(request.parameters, document.parameter_defaults(), str(request.notebook))
    if "pdf" in request.formats:
        require_xelatex()
    notebook = document.notebook
    if values:  # like Quarto, inject only what was given
        notebook.cells.insert(document.parameters_cell_index + 1, injected_parameters_cell(values))
    execute_notebook(notebook, request.notebook)
    with tempfile.TemporaryDirectory(prefix=f"render-{request.name}-") as work:
        built = {}
        for fmt in request.formats:
            target = Path(work) / f"{request.name}.{fmt}"
            CONVERTERS[fmt](notebook, document, target)
            built[fmt] = target
        return publish(built.values(), request.output_dir)


def render_with_quarto(request: RenderRequest) -> list[Path]:
    """Hand the same request to the real ``quarto render`` (one call per format)."""
    document = read_qmd(request.notebook)
    values = resolve_parameters(request.parameters, document.parameter_defaults(), str(request.notebook))
    written = []
    with tempfile.TemporaryDirectory(prefix="quarto-params-") as work:
        params_file = Path(work) / "params.yml"  # typed values, so Quarto injects 5, not "5"
        params_file.write_text(yaml.safe_dump(values, allow_unicode=True))
        for fmt in request.formats:
            output = f"{request.name}.{fmt}"
            command = ["quarto", "render", str(request.notebook), "--to", fmt, "--execute-params", str(params_file),
                       "--output-dir", str(request.output_dir), "--output", output]
            if subprocess.run(command).returncode != 0:
                raise RenderError(f"quarto render {request.notebook} --to {fmt} failed (see its output above).")
            written.append(request.output_dir / output)
    return written


ENGINES: dict[str, Callable[[RenderRequest], list[Path]]] = {
    "embedded": render_embedded,
    "quarto": render_with_quarto,
}


def require_xelatex() -> None:
    if shutil.which("xelatex") is None:
        raise RenderError(f"PDF output needs xelatex, which is not installed. Install TeX with: {TEX_INSTALL_HINT}; "
                          "or render HTML only with --to html.")


def execute_notebook(notebook: nbformat.NotebookNode, source: Path, timeout: int = 900) -> None:
    """Run every cell in one fresh python3 kernel, in the notebook's folder, like Quarto does."""
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(source.parent.resolve())}},
                            extra_arguments=["--IPKernelApp.log_level=ERROR"])
    try:
        client.execute()
    except CellExecutionError as error:
        failed = next((c for c in notebook.cells if any(o.get("output_type") == "error" for o in c.get("outputs", []))),
                      None)
        code = code_without_options(failed.source) if failed else "(cell not found)"
        raise RenderError(f"{source}: a cell failed, so nothing was written.\n--- cell ---\n{code}\n--- error ---\n"
                          f"{error.ename}: {error.evalue}") from None


def notebook_to_markdown(notebook: nbformat.NotebookNode, document: QmdDocument, target: str,
                         figures: Path) -> str:
    """Pandoc Markdown of an executed notebook, each output in the MIME type ``target`` reads best."""
    defaults = dict(document.front_matter.get("execute") or {})
    parts = [_front_matter_block(document.front_matter)]
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        elif cell.cell_type == "code":
            options = {**defaults, **cell.metadata.get("quarto", {})}
            cell_parts = _code_cell_parts(cell, options, target, figures / f"cell-{index}")
            if cell_parts and options.get("label"):  # an anchor, as Quarto gives labelled cells
                cell_parts = [f"::: {{#{options['label']}}}", *cell_parts, ":::"]
            parts.extend(cell_parts)
    return "\n\n".join(part.strip("\n") for part in parts if part.strip()) + "\n"


def _code_cell_parts(cell: nbformat.NotebookNode, options: Mapping[str, Any], target: str, stem: Path) -> list[str]:
    """A code cell's source (unless ``echo: false``) and outputs, honouring its ``#|`` options."""
    if options.get("include") is False:
        return []
    parts = []
    if options.get("echo", True) is True:
        parts.append(f"```python\n{code_without_options(cell.source)}\n```")
    if options.get("output", True) is False:
        return parts
    asis = options.get("output") == "asis"
    for number, output in enumerate(cell.outputs):
        if output.output_type == "stream":
            if output.name == "stderr" and options.get("warning", True) is False:
                continue
            parts.append(output.text if asis else _fenced(output.text))
        elif output.output_type in ("display_data", "execute_result"):
            parts.append(_rich_output(output.data, target, stem.with_name(f"{stem.name}-{number}"),
                                      options.get("fig-cap"), asis))
    return parts


def _rich_output(data: Mapping[str, Any], target: str, stem: Path, caption: str | None, asis: bool) -> str:
    mime = next((m for m in _MIME_ORDER[target] if m in data), None)
    if mime is None:
        return ""
    value = data[mime]
    if mime.startswith("image/"):
        stem.parent.mkdir(parents=True, exist_ok=True)
        image = stem.with_suffix("." + mime.split("/")[1].split("+")[0])
        if mime == "image/svg+xml":
            image.write_text(value)
        else:
            image.write_bytes(base64.b64decode(value))
        return f"![{caption or ''}]({image.as_posix()})"
    if mime == "text/html":
        return f"```{{=html}}\n{value}\n```"
    if mime == "text/latex":
        return f"```{{=latex}}\n{value}\n```"
    if mime == "text/markdown" or asis:
        return value
    return _fenced(value)


def _fenced(text: str) -> str:
    return f"``` {{.output}}\n{text.rstrip()}\n```"


def _front_matter_block(front_matter: Mapping[str, Any]) -> str:
    metadata = {k: front_matter[k] for k in _FRONT_MATTER_KEYS if k in front_matter}
    if metadata.get("date") in ("today", "now", "last-modified"):
        metadata["date"] = dt.date.today().isoformat()
    return f"---\n{yaml.safe_dump(metadata, allow_unicode=True, sort_keys=False)}---" if metadata else ""


def to_html(notebook: nbformat.NotebookNode, document: QmdDocument, target: Path) -> None:
    """Self-contained HTML: figures and CSS embedded, math as MathML (no network needed)."""
    markdown = notebook_to_markdown(notebook, document, "html", target.parent / "figures")
    css = files("helpers").joinpath("report.css")
    arguments = ["--standalone", "--embed-resources", "--mathml", f"--css={css}",
                 f"--resource-path={target.parent}", "--metadata=document-css:true"]
    if document.front_matter.get("toc"):
        arguments += ["--toc", f"--metadata=toc-title:{document.front_matter.get('toc-title', 'Contents')}"]
    _pandoc(markdown, "html5", target, arguments)


def to_pdf(notebook: nbformat.NotebookNode, document: QmdDocument, target: Path) -> None:
    """A xelatex PDF with the report preamble (fonts for CJK/emoji, wrapped code)."""
    markdown = notebook_to_markdown(notebook, document, "latex", target.parent / "figures")
    preamble = files("helpers").joinpath("latex_preamble.tex")
    arguments = ["--pdf-engine=xelatex", f"--include-in-header={preamble}", f"--resource-path={target.parent}",
                 "--variable=geometry:margin=2.2cm", "--variable=colorlinks:true"]
    if document.front_matter.get("toc"):
        arguments.append("--toc")
    _pandoc(markdown, "pdf", target, arguments)


def to_ipynb(notebook: nbformat.NotebookNode, document: QmdDocument, target: Path) -> None:
    """The executed notebook, injected parameters included, as papermill writes it."""
    nbformat.write(notebook, str(target))


CONVERTERS: dict[str, Callable[[nbformat.NotebookNode, QmdDocument, Path], None]] = {
    "html": to_html,
    "pdf": to_pdf,
    "ipynb": to_ipynb,
}


def _pandoc(markdown: str, to: str, target: Path, arguments: list[str]) -> None:
    try:
        pypandoc.convert_text(markdown, to, format="markdown", outputfile=str(target), extra_args=arguments,
                              cworkdir=str(target.parent))
    except RuntimeError as error:
        raise RenderError(f"pandoc could not write {target.name}: {str(error).strip()[-2000:]}") from None


def publish(built: Iterable[Path], output_dir: Path) -> list[Path]:
    """Copy every built file next to its final name first, then rename each into place."""
    output_dir.mkdir(parents=True, exist_ok=True)
    staged = []
    for path in built:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=output_dir)
        os.close(handle)
        shutil.copyfile(path, temporary)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; reports are ordinary files
        staged.append((Path(temporary), output_dir / path.name))
    for temporary, final in staged:
        os.replace(temporary, final)
    return [final for _, final in staged]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _parse_formats(value: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(FORMATS if value == "all" else (v.strip() for v in value.split(","))))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown format(s) {', '.join(unknown)}; use html, pdf, ipynb or all")
    return formats


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.render", description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path, metavar="NOTEBOOK")
    parser.add_argument("--to", type=_parse_formats, default=DEFAULT_FORMATS,
                        help="html, pdf, ipynb, a comma list, or all (default: html,pdf)")
    parser.add_argument("-P", "--execute-param", dest="params", action="append", default=[], metavar="KEY:VALUE")
    parser.add_argument("--execute-params", dest="params_file", type=Path, metavar="FILE")
    parser.add_argument("--output-dir", type=Path, default=Path("_output"), metavar="DIR")
    parser.add_argument("--output", metavar="NAME")
    parser.add_argument("--engine", choices=("auto", *ENGINES), default="auto")
    args = parser.parse_args(argv)
    if args.output and len(args.notebooks) > 1:
        parser.error("--output names one report; render one notebook at a time with it")
    try:
        parameters = read_parameter_file(args.params_file) if args.params_file else {}
        parameters.update(parse_cli_parameters(args.params))
        for index, notebook in enumerate(args.notebooks, start=1):
            started = time.perf_counter()
            print(f"[{index}/{len(args.notebooks)}] {notebook} ...", file=sys.stderr, flush=True)
            written = render(notebook, to=args.to, parameters=parameters, output_dir=args.output_dir,
                             output=args.output, engine=args.engine)
            print(f"      wrote {', '.join(map(str, written))} ({time.perf_counter() - started:.1f} s)",
                  file=sys.stderr, flush=True)
    except (RenderError, ParameterError, QmdError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
