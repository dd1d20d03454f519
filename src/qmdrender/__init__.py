"""The embedded renderer: Quarto ``.qmd`` documents to HTML, PDF, slides and executed ``.ipynb``, as
``quarto render`` does, on machines without Quarto. It knows nothing about language models.

One module per stage, data flowing one way (each imports only the ones before it):

- ``types``: the request, ``RenderError`` and warnings (a leaf); ``yamlfile``, ``escape``, ``atomic``:
  YAML with clear errors, escaping, atomic writes (leaves)
- ``qmd``: the one reader of ``.qmd`` text (front matter, fences, cells, ``#|`` options, includes)
- ``option_names``: the one table of option names (where each belongs, whether it is supported)
- ``formats``: the registry of output formats, one module per format (``formats/html.py`` ...)
- ``document``: a ``.qmd`` as front matter and notebook cells
- ``parameters``: ``-P`` / ``--execute-params`` parsing, checking and safe injection
- ``options``: merge ``_quarto.yml``, ``_metadata.yml``, front matter, ``format.<name>`` and cell options
- ``execute``: run the cells once in one Jupyter kernel (eval, error, inline code, figure setup)
- ``markdown``: executed cells and outputs → pandoc Markdown for one format (shortcodes too)
- ``pandoc``: run pandoc with the Lua filters in ``filters/`` (one per feature), and xelatex
- ``freeze``: stored executions keyed by what determines the outputs
- ``publish``: move all of a render's files into the output folder together
- ``unsupported``: Quarto features not supported yet, each named in a warning
- ``pipeline``: ``render()``, the only module that knows every stage; ``quarto_engine``: real Quarto
- ``grid``: one document over many parameter sets, with an index page; ``published``: the values a
  notebook publishes for that index; ``lab``: ``.qmd`` files as notebooks in JupyterLab
- ``cli``: ``python -m qmdrender``
"""

import importlib
from typing import Any

# Where each public name lives. They load on first use, so that a notebook's
# ``from qmdrender.published import publish`` does not import the whole renderer (and nbformat, and
# jsonschema) into the kernel.
_EXPORTS = {"main": "qmdrender.cli", "render": "qmdrender.pipeline", "FORMATS": "qmdrender.formats",
            "Format": "qmdrender.formats", "register": "qmdrender.formats", "RenderError": "qmdrender.types",
            "RenderRequest": "qmdrender.types"}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'qmdrender' has no attribute {name!r}")
    importlib.import_module("qmdrender.cli")  # every stage, the built-in formats registered
    return getattr(importlib.import_module(_EXPORTS[name]), name)
