"""Python cells of a knitr document, shown as knitr shows them.

Quarto runs a document that has R cells with knitr, and knitr runs its Python chunks with reticulate's
engine. That engine does not show a chunk as Jupyter does (its code, then the last expression's value):
it splits the chunk into its top-level statements, runs them one by one as Python's interactive prompt
does (every expression statement's value is shown, a trailing ``;`` hides it), and interleaves the code and
what each part printed: the code up to a statement that printed something, then that output, then the
code that follows. A value is shown as its ``repr`` text (as printed output), an object with an HTML view
(a pandas DataFrame) as HTML; a value that is a matplotlib artist (``plt.plot(...)`` returns one) shows no
text, only its figure. What a statement writes to stderr (a warning: ``<string>:1: UserWarning: ...``) is
printed output too, as reticulate captures both streams as one. With ``error: true`` a failing statement
shows its error and the next runs (a chunk that is not valid Python shows its code, then the syntax error).

Here the Jupyter kernel runs the chunk through a small runner (:data:`RUNNER`, defined by the setup cell
of a document that needs it) that does the same and marks where each statement begins in the outputs;
:func:`collect_segments` turns the marks into the cell's ``knitr-segments`` (the lines of code each group of
outputs follows) and removes them, and :func:`segments` gives the assembler the code and outputs in order.
"""

from __future__ import annotations

from typing import Any

import nbformat

KNITR_KEY = "knitr"  # a cell's metadata flag: a Python chunk of a knitr document
SEGMENTS_KEY = "knitr-segments"  # [[first line, last line, number of outputs], ...] after the run
MARKER_MIME = "application/vnd.qmdrender.knitr-statement+json"

# The kernel's runner: each top-level statement of CODE in "single" mode (as the interactive prompt runs
# it) with a display hook that prints a value's repr, shows an HTML view as HTML and a matplotlib artist as
# nothing; a mark before each statement names its lines. A decorated definition starts at its decorator.
RUNNER = """\
def _quarto_knitr_chunk(code, allow_errors):
    import ast as _ast, sys as _sys, traceback as _traceback
    from IPython.display import display as _display, publish_display_data as _publish
    shell = get_ipython()
    lines = code.split('\\n')
    try:
        tree = _ast.parse(code, '<string>')
    except SyntaxError as error:
        if not allow_errors:
            raise
        _publish({'MARKER': {'first': 1, 'last': len(lines)}})
        print(error)
        return
    starts = sorted({min([n.lineno] + [d.lineno for d in getattr(n, 'decorator_list', [])]) for n in tree.body})
    ends = [s - 1 for s in starts[1:]] + [len(lines)]

    def show(value):
        if value is None:
            return
        shell.user_ns['_'] = value
        boxed = value[0] if isinstance(value, list) and len(value) == 1 else value
        artist = _sys.modules.get('matplotlib.artist')
        if artist is not None and isinstance(boxed, artist.Artist):
            return
        if hasattr(type(value), '_repr_html_') or hasattr(type(value), '_repr_mimebundle_'):
            _display(value)
        else:
            print(repr(value))

    for start, end in zip(starts, ends):
        _sys.stdout.flush(); _sys.stderr.flush()
        _publish({'MARKER': {'first': start, 'last': end}})
        snippet = '\\n'.join(lines[start - 1:end]) + '\\n'
        mode = 'exec' if snippet.rstrip().endswith(';') else 'single'
        hook, _sys.displayhook = _sys.displayhook, show
        errors, _sys.stderr = _sys.stderr, _sys.stdout
        try:
            exec(compile(snippet, '<string>', mode), shell.user_ns)
        except Exception as error:
            if not allow_errors:
                raise
            print(_traceback.format_exception_only(type(error), error)[-1].rstrip())
        finally:
            _sys.displayhook, _sys.stderr = hook, errors
    _sys.stdout.flush(); _sys.stderr.flush()""".replace("MARKER", MARKER_MIME)


def is_knitr_chunk(cell: nbformat.NotebookNode) -> bool:
    return cell.get("cell_type") == "code" and bool(cell.get("metadata", {}).get(KNITR_KEY))


def run_by_knitr(cell: Any) -> bool:
    """Whether knitr runs the cell in Quarto: an R chunk, or any chunk of a knitr document (a Python one:
    :func:`is_knitr_chunk`)."""
    return cell.get("metadata", {}).get("language") == "r" or is_knitr_chunk(cell)


def runner_call(code: str, allow_errors: bool) -> str:
    """The code the kernel runs for a knitr chunk whose code (its ``#|`` lines removed) is ``code``."""
    return f"_quarto_knitr_chunk({code!r}, {allow_errors!r})"


def collect_segments(cell: nbformat.NotebookNode, code: str) -> None:
    """Group a run chunk's outputs by the statements that made them, as reticulate does, into the cell's
    ``knitr-segments``; the runner's marks leave the outputs."""
    statements: list[list[Any]] = []  # [first line, last line, outputs]
    for output in cell.get("outputs", []):
        mark = output.get("data", {}).get(MARKER_MIME) if output.get("output_type") == "display_data" else None
        if mark is not None:
            statements.append([int(mark["first"]), int(mark["last"]), []])
        else:
            if not statements:
                statements.append([1, 1, []])
            made = statements[-1][2]
            if output.get("output_type") == "stream" and made and made[-1].get("output_type") == "stream" \
                    and made[-1].get("name") == output.get("name"):
                # one print can arrive as two messages (its text, then its newline): one stream, as Jupyter has it
                made[-1] = nbformat.from_dict({**made[-1], "text": made[-1]["text"] + output["text"]})
            else:
                made.append(output)
    outputs: list[Any] = []
    segments: list[list[int]] = []
    pending = 1
    for _first, last, made in statements:
        if made:  # the code not shown yet, up to this statement, then what it made
            segments.append([pending, last, len(made)])
            outputs.extend(made)
            pending = last + 1
    total = len(code.split("\n"))
    if pending <= total:
        segments.append([pending, total, 0])
    cell.outputs = outputs
    cell.metadata[SEGMENTS_KEY] = segments


def segments(cell: nbformat.NotebookNode, code: str) -> list[tuple[str, list[Any]]]:
    """The chunk's code pieces (blank lines at their ends trimmed, as knitr shows them) each with the
    outputs that follow it; with knitr's ``results: hide`` (or ``FALSE``) the printed text is left out, plots
    stay."""
    lines = code.split("\n")
    outputs = list(cell.get("outputs", []))
    hide = cell.metadata.get("quarto", {}).get("results") in ("hide", False)
    pieces: list[tuple[str, list[Any]]] = []
    start = 1
    for _first, last, count in cell.metadata.get(SEGMENTS_KEY, []):
        shown = [o for o in outputs[:count] if not (hide and _is_text(o))]
        outputs = outputs[count:]
        if shown or last == len(lines):  # code whose outputs are hidden joins the code after it
            pieces.append(("\n".join(lines[start - 1:last]).strip("\n"), shown))
            start = last + 1
    return pieces


def _is_text(output: Any) -> bool:
    return output.get("output_type") == "stream" or set(output.get("data", {})) <= {"text/plain"}


def knitr_settings(settings: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """A chunk's settings with knitr's ``results`` option as Quarto's: ``asis`` is ``output: asis`` unless the
    chunk's ``own`` options name an ``output``."""
    if settings.get("results") == "asis" and "output" not in own:
        return {**settings, "output": "asis"}
    return settings
