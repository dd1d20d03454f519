"""The hidden setup cell: what a kernel runs before a document's first cell.

It gives the code the options the output formats need, so that one execution serves them all: figure size,
resolution and formats (retina PNG for HTML, PDF for LaTeX), plotly's and altair's offline renderers,
Quarto's ``ojs_define`` where the code calls it, and the active profiles.

matplotlib is configured *when the code first imports it*, not up front. ``%matplotlib inline`` imports
pyplot, 0.6 s of every render, and reports that draw with ``matplotlib.figure.Figure`` (as ``helpers``
does) or no figures at all never need it. An import hook runs the same configuration right after
``import matplotlib``: the figure size and resolution and the figure formats (registered for ``Figure``
objects); ``MPLBACKEND`` points pyplot at the inline backend, which sets itself up (post-cell figure
flushing included) when pyplot is imported, with the same formats from the shell's configuration.
A kernel that has matplotlib already (a warm kernel) is configured at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import nbformat

from qmdrender import environment, knitr_python
from qmdrender.options import DocumentOptions, number_option

# matplotlib_inline's names for the figure formats Quarto's fig-format takes.
_FIGURE_FORMATS = {"retina": "retina", "png": "png", "svg": "svg", "pdf": "pdf", "jpeg": "jpeg", "jpg": "jpeg"}
_ALTAIR = re.compile(r"^\s*(?:import|from)\s+altair\b", re.M)
_OJS_DEFINE_CALL = re.compile(r"\bojs_define\s*\(")

# Quarto's Jupyter kernels have ojs_define(name=value, ...), which hands Python values to the page's
# Observable JS cells: a script of JSON that OJS reads (a DataFrame as its columns' lists). OJS cells are
# shown here without running, but the Python that calls it must run, and the data is in the page as in
# Quarto's; only HTML shows it (no text/plain, so print formats show nothing).
_OJS_DEFINE = """\
def ojs_define(**values):
    import json as _json
    from IPython.display import display as _display

    def _plain(value):
        if hasattr(value, 'to_frame') and hasattr(value, 'name'):
            value = value.to_frame()
        if hasattr(value, 'columns') and hasattr(value, 'to_json'):
            return {str(c): _json.loads(value[c].to_json(orient='values')) for c in value.columns}
        return value

    contents = [{'name': name, 'value': _plain(value)} for name, value in values.items()]
    script = _json.dumps({'contents': contents}, default=str).replace('</', '<\\\\/')
    _display({'text/html': f'<script type="ojs-define">{script}</script>'}, raw=True)"""

# Run in the kernel with SIZE, DPI and FORMATS filled in. Names start with _quarto and are deleted after.
_MATPLOTLIB = """\
def _quarto_matplotlib():
    import os, sys

    def configure():
        # (not through matplotlib_inline: importing it imports pyplot)
        import matplotlib
        from IPython.core.pylabtools import select_figure_formats
        matplotlib.rcParams.update({'figure.figsize': SIZE, 'figure.dpi': DPI})
        select_figure_formats(get_ipython(), FORMATS, bbox_inches='tight')  # the inline backend's default

    # what pyplot's inline backend selects when it starts (its settings read the shell's configuration)
    get_ipython().config.InlineBackend.figure_formats = set(FORMATS)

    class QuartoMatplotlibHook:
        # a one-time import hook: runs configure() as soon as `import matplotlib` has finished
        def find_spec(self, name, path=None, target=None):
            if name != 'matplotlib':
                return None
            sys.meta_path.remove(self)
            import importlib.util
            spec = importlib.util.find_spec(name)
            if spec is not None and spec.loader is not None and hasattr(spec.loader, 'exec_module'):
                run = spec.loader.exec_module

                def exec_module(module):
                    run(module)
                    try:
                        configure()
                    except Exception as error:  # the import itself must not fail over the figure settings
                        print(f'warning: figure settings not applied: {error}', file=sys.__stderr__)
                spec.loader.exec_module = exec_module
            return spec

    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != 'QuartoMatplotlibHook']
    if 'matplotlib' in sys.modules:
        get_ipython().run_line_magic('matplotlib', 'inline')
        configure()
    else:
        os.environ['MPLBACKEND'] = 'module://matplotlib_inline.backend_inline'
        sys.meta_path.insert(0, QuartoMatplotlibHook())

try:
    _quarto_matplotlib()
except ImportError:
    pass
del _quarto_matplotlib"""


def setup_code(options: DocumentOptions, formats: Sequence[str], notebook: nbformat.NotebookNode | None = None) -> str:
    """Python run before the first cell: figure size, resolution and formats for every output format, and
    for a document that uses altair, its "mimetype" renderer (the chart's Vega-Lite spec, which the
    writers draw offline: vega-embed in HTML, vl-convert in PDF) instead of HTML that loads Vega from a CDN."""
    figure_formats: list[str] = []
    for name in formats:
        value = str(options.for_format(name).get("fig-format", "png")).lower()
        chosen = _FIGURE_FORMATS.get(value, "png")
        if chosen in ("retina", "png") and {"retina", "png"} & set(figure_formats):
            continue  # both are image/png: one of them
        figure_formats.append(chosen)
    first = options.for_format(formats[0])
    size = (number_option(first, "fig-width", float), number_option(first, "fig-height", float))
    dpi = number_option(first, "fig-dpi", float)
    matplotlib = _MATPLOTLIB.replace("SIZE", repr(size)).replace("DPI", repr(dpi)) \
        .replace("FORMATS", repr(tuple(figure_formats)))
    return "\n".join([
        # the kernel's working folder is part of what a run depends on (and so of the execution key)
        *([f"# execute-dir: {options.execute_dir}"] if options.execute_dir else []),
        # so are the variables of the project's _environment files, which the kernel inherits (by digest: a
        # credential's value is not written into the code)
        *([f"# environment: {environment.digest(options.environment)}"] if options.environment else []),
        "import os as _quarto_os",
        # as Quarto: the code sees the active profiles (and they are part of the execution key)
        *([f"_quarto_os.environ['QUARTO_PROFILE'] = {','.join(options.profiles)!r}"] if options.profiles else []),
        "_quarto_os.environ.setdefault('PLOTLY_RENDERER', 'plotly_mimetype')",
        matplotlib,
        *(["try:", "    import altair as _quarto_alt", "    _quarto_alt.renderers.enable('mimetype')",
           "except ImportError:", "    pass"] if notebook is not None and _uses_altair(notebook) else []),
        *([_OJS_DEFINE] if notebook is not None and _calls_ojs_define(notebook) else []),
        # a knitr document's Python chunks run as reticulate runs them
        *([knitr_python.RUNNER] if notebook is not None and any(map(knitr_python.is_knitr_chunk, notebook.cells))
          else []),
        "del _quarto_os",
    ])


def _calls_ojs_define(notebook: nbformat.NotebookNode) -> bool:
    return any(c.cell_type == "code" and _OJS_DEFINE_CALL.search(c.source) for c in notebook.cells)


def _uses_altair(notebook: nbformat.NotebookNode) -> bool:
    return any(c.cell_type == "code" and _ALTAIR.search(c.source) for c in notebook.cells)
